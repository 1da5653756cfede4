"""Periodic orchestration, run by Celery beat every few minutes (workflow/management/commands/
setup_periodic_tasks.py registers it)."""

from celery import shared_task

from disputes.services import enforce_deadlines as _enforce
from disputes.services import send_reminders as _remind


@shared_task(acks_late=True, ignore_result=True)
def enforce_deadlines() -> dict[str, int]:
    """Apply passed terms (remedy lapses, response rounds close, decided cases close) and send the
    reminders that are due. Idempotent: a second run in the same minute changes and sends nothing."""
    return {**_enforce(), **_remind()}
