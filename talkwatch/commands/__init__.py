"""One module per `talkwatch` subcommand; see talkwatch.cli."""
