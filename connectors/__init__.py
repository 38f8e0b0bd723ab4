"""Feed connectors: feeds -> normalised articles -> Kafka.

Read the modules in the order an article travels through them:
feeds (registry and config) -> fetch (HTTP with limits) -> parse (bytes -> feed entries, safely)
-> normalize (entry -> Article) -> state (what was already produced) -> produce (Kafka)
-> poller (the loop that ties them together). sample_server serves the bundled sample feeds and
ingest replays saved feeds or JSONL archives through the same path.

The entry points for the CLI are `connectors.poller.poll_once`, `connectors.poller.run_poller`
and `connectors.sample_server.start_sample_server`.
"""
