"""Where the pipeline's results go: Elasticsearch, and the dead-letter topic."""
