"""The local stack: real Kafka, Elasticsearch and Beam's Prism runner on loopback.

Artifacts come only through package registries (Maven Central via `mvn`, the Go module proxy
via `go install`) and are cached under the stack cache, so a second start works offline.
"""
