"""Who changed what: an append-only log written in the same transaction as each change."""
