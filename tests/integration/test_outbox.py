"""Tasks leave through the transactional outbox: nothing is lost when the broker is down (ADR 0008)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app
from disputes import outbox, tasks  # noqa: F401 - registers the tasks
from disputes.models import Dispute, DisputeEvent, OutboxMessage
from tests.factories import case_in_state, pdf_bytes

pytestmark = pytest.mark.django_db

#: a broker address where nothing listens: connecting is refused at once, as when RabbitMQ is down
UNREACHABLE = "amqp://guest:guest@127.0.0.1:1//"


class Broker:
    """Celery's real hand-over, pointed at a broker that is down and back.

    ``down()``: tasks are no longer run eagerly but published to ``UNREACHABLE`` (no retries), so
    every ``apply_async`` fails inside kombu with "Connection refused". ``up()``: back to the test
    set-up, where a task handed over runs at once, as the worker behind a live broker would run it.
    """

    SETTINGS = ("task_always_eager", "broker_url", "broker_connection_timeout", "task_publish_retry")

    def __init__(self):
        self.saved = None

    def down(self):
        self.saved = ({key: app.conf[key] for key in self.SETTINGS}, app._pool, app.amqp._producer_pool)
        app.conf.update(task_always_eager=False, broker_url=UNREACHABLE, broker_connection_timeout=2,
                        task_publish_retry=False)
        app._pool = app.amqp._producer_pool = None  # connect afresh, to the unreachable broker

    def up(self):
        if self.saved is None:
            return
        conf, pool, producers = self.saved
        app.conf.update(conf)
        app._pool, app.amqp._producer_pool = pool, producers
        self.saved = None


@pytest.fixture
def broker():
    broker = Broker()
    yield broker
    broker.up()


def test_a_message_is_written_with_the_change_and_sent_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = case_in_state(world, "submitted")
    message = OutboxMessage.objects.get(kwargs__event_id=dispute.events.get(kind="submit").pk)
    assert message.sent_at is not None and message.attempts == 1
    assert len(mail.outbox) == 4  # the three party members and the secretariat (a new filing)


def test_a_broker_outage_at_commit_keeps_the_task_and_the_relay_sends_it_later(
    world, django_capture_on_commit_callbacks, broker
):
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        dispute = case_in_state(world, "submitted")  # the case is saved although the broker is down
    message = OutboxMessage.objects.get(kwargs__event_id=dispute.events.get(kind="submit").pk)
    assert message.sent_at is None and message.attempts == 1 and "Connection refused" in message.last_error
    assert mail.outbox == []

    broker.up()
    assert outbox.relay(older_than=timedelta(0)) >= 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.nl", "bert@example.nl", "gerda@example.nl",
                                                    "sec@example.nl"]
    assert outbox.relay(older_than=timedelta(0)) == 0  # nothing twice


@pytest.mark.django_db(transaction=True)  # commits for real: the hand-over runs inside the request, as in production
def test_hearing_invitations_wait_in_the_outbox_while_the_broker_is_down(client, world, broker):
    """Given a case in the exchange of documents, when the secretary plans the hearing on the task page
    while the broker is down, then the hearing is planned and the secretary lands on the case (no error
    page), the invitations wait in the outbox, and once the broker is back the relay sends every party
    member one invitation with the calendar entry, and nothing twice."""
    from viewflow.workflow.models import Task

    dispute = case_in_state(world, "exchange")
    client.force_login(world.secretary)
    task = next(t for t in Task.objects.filter(process__disputeprocess__dispute=dispute, finished__isnull=True)
                if t.flow_task.name == "plan_hearing")
    assert client.post(reverse("workflow:task-assign", args=[dispute.pk, task.pk]), {"action": "take"}).status_code \
        == 302
    mail.outbox.clear()

    broker.down()
    response = client.post(reverse("workflow:task", args=[dispute.pk, task.pk]), {
        "action": "schedule_hearing", "schedule_hearing-expected_version": Dispute.objects.get(pk=dispute.pk).version,
        "schedule_hearing-hearing_at": "2017-03-06T10:00", "schedule_hearing-place": "Den Haag, Turfmarkt 147",
        "schedule_hearing-invitation": SimpleUploadedFile(
            "uitnodiging.pdf", pdf_bytes(1, "uitnodiging_hoorzitting"), content_type="application/pdf"),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Dispute.objects.get(pk=dispute.pk).state == "hearing_scheduled"
    event = DisputeEvent.objects.get(dispute=dispute, kind="schedule_hearing")
    waiting = OutboxMessage.objects.get(task="workflow.tasks.send_hearing_invitations")
    assert waiting.kwargs == {"event_id": event.pk}
    assert waiting.sent_at is None and waiting.attempts == 1 and "Connection refused" in waiting.last_error
    assert mail.outbox == []

    broker.up()
    assert outbox.relay(older_than=timedelta(0)) >= 1
    waiting.refresh_from_db()
    assert waiting.sent_at is not None
    invitations = [m for m in mail.outbox if m.attachments and m.attachments[0][0] == "hoorzitting.ics"]
    # every party member and the commission members seated on the case, each once
    assert sorted(m.to[0] for m in invitations) == ["anna@example.nl", "bert@example.nl", "chair@example.nl",
                                                    "gerda@example.nl", "lid2@example.nl", "lid@example.nl"]
    assert outbox.relay(older_than=timedelta(0)) == 0
    assert len([m for m in mail.outbox if m.attachments and m.attachments[0][0] == "hoorzitting.ics"]) == 6
