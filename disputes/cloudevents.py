"""CloudEvents for change notifications, signed with HMAC (issue 18, item 5; docs/api.md)."""
