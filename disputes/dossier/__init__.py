"""The decision dossier: one court-ready PDF and a ZIP with a hash manifest (procedure.md §9)."""
