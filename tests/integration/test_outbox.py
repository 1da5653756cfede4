"""Tasks leave through the transactional outbox: nothing is lost when the broker is down."""

from datetime import timedelta

import pytest
from django.core import mail

from config.celery import app
from disputes import outbox, tasks  # noqa: F401 - registers the tasks
from disputes.models import OutboxMessage
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Every hand-over to the broker fails, as when Redis is unreachable."""

    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    task = app.tasks["disputes.tasks.notify_event"]
    monkeypatch.setattr(task, "apply_async", refuse)
    return task


def test_a_message_is_written_with_the_change_and_sent_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = case_in_state(world, "submitted")
    message = OutboxMessage.objects.get(kwargs__event_id=dispute.events.get(kind="submit").pk)
    assert message.sent_at is not None and message.attempts == 1
    assert len(mail.outbox) == 3


def test_a_broker_outage_at_commit_keeps_the_task_and_the_relay_sends_it_later(
    world, django_capture_on_commit_callbacks, broker_down, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = case_in_state(world, "submitted")  # the case is saved although the broker is down
    message = OutboxMessage.objects.get(kwargs__event_id=dispute.events.get(kind="submit").pk)
    assert message.sent_at is None and message.attempts == 1 and "Connection refused" in message.last_error
    assert mail.outbox == []

    monkeypatch.undo()  # the broker is back
    assert outbox.relay(older_than=timedelta(0)) >= 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.nl", "bert@example.nl", "gerda@example.nl"]
    assert outbox.relay(older_than=timedelta(0)) == 0  # nothing twice
