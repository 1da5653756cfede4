"""Connected applications: registration, keys, subscriptions, and their writes (issue 18; docs/api.md)."""
