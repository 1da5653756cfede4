"""Celery tasks of the dossier export (registered through disputes/tasks.py)."""

from celery import shared_task

#: A dossier of thousands of pages takes minutes at most; past this something is wrong.
SOFT_TIME_LIMIT = 20 * 60
TIME_LIMIT = 25 * 60


@shared_task(
    acks_late=True, reject_on_worker_lost=True, ignore_result=True,
    soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT,
)
def build_dossier_export(export_id: str) -> str | None:
    """Build one requested export (see ``services.dossier.dossier_build_export``).

    Safe to deliver twice: a finished export is left alone, and an export found ``running`` (its
    worker died mid-way and the message was delivered again) is rebuilt from scratch.
    """
    from ..services.dossier import dossier_build_export

    export = dossier_build_export(export_id=export_id)
    return export.status if export is not None else None
