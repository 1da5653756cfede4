"""Periodic orchestration: deadline enforcement, run by Celery beat every few minutes."""

from celery import shared_task

from disputes.services import enforce_deadlines as _enforce


@shared_task(acks_late=True, ignore_result=True)
def enforce_deadlines() -> dict[str, int]:
    """Close lapsed remedy requests, response rounds and objection terms (idempotent)."""
    return _enforce()
