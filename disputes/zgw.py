"""A case as ZGW resources (issue 18, item 6; docs/zgw.md)."""
