"""One composite PTransform per stage; each wraps pure functions from pipelines.extraction."""
