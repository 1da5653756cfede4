"""The archive: retention, destruction lists and transfer (issue 17, items 5-7; docs/archive.md)."""
