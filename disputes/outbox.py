"""The transactional outbox: tasks leave only after commit, and are never lost when the broker is down.

    outbox.enqueue("disputes.tasks.notify_event", event_id=event.pk)

writes an ``OutboxMessage`` in the caller's transaction and, after commit, hands it to Celery.
``relay()`` (run by the periodic task) sends whatever could not be sent at the time.
"""

import importlib
import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)


def enqueue(task: str, **kwargs) -> OutboxMessage:
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs, created_at=timezone.now())
    transaction.on_commit(lambda: send(message.pk))
    return message


def send(message_id: int) -> bool:
    """Hand one message to the broker; True when it went out (or had gone out before)."""
    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return True
    try:
        registered = _local_task(message.task)
        if registered is not None:
            registered.apply_async(kwargs=message.kwargs)  # honours task_always_eager in tests
        else:
            current_app.send_task(message.task, kwargs=message.kwargs)
    except Exception as exc:  # noqa: BLE001 - any broker failure: keep the message for the relay
        OutboxMessage.objects.filter(pk=message_id).update(
            attempts=message.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        log.warning("outbox: broker unavailable for %s (%s); the relay will retry", message.task, exc)
        return False
    OutboxMessage.objects.filter(pk=message_id).update(sent_at=timezone.now(), attempts=message.attempts + 1)
    return True


def _local_task(name: str):
    """The task object when this process knows it (importing its module registers it), else None."""
    module = name.rpartition(".")[0]
    try:
        importlib.import_module(module)
    except ImportError:
        return None
    return current_app.tasks.get(name)


def relay(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Send messages that are still unsent some time after their commit; returns how many went out."""
    cutoff = timezone.now() - older_than
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=cutoff).values_list("pk", flat=True)
    return sum(send(pk) for pk in list(pending[:limit]))
