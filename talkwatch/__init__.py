"""talkwatch: watches news feeds for rounds of Syrian peace talks."""

__version__ = "0.1.0"
