"""Loads the extractor's data files from `schemas/` (registry, venues, cue lexicons, calendar)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_schema_data(name: str) -> dict[str, Any]:
    """Parsed JSON of `schemas/<name>`; cached because every article reads the same files."""
    return json.loads(resources.files("schemas").joinpath(name).read_text(encoding="utf-8"))
