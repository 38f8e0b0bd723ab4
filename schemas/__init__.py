"""Message schemas, index templates and the actor registry (data, loaded by name)."""
