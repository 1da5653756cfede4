"""MDTO metadata for the transfer of cases to be kept (issue 17, item 7; docs/archive.md)."""
