"""The retention rules of ended cases (issue 17, item 5; docs/archive.md)."""
