"""Celery tasks of the dossier export (registered through disputes/tasks.py)."""
