"""Tasks through a real broker and a real worker (Redis or RabbitMQ in CI, the production shape).

Skipped on the embedded filesystem:// broker; ``make test`` (scripts/test.sh) runs them again on
PostgreSQL with CELERY_BROKER_URL pointing at the local Redis, then RabbitMQ.
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from config.celery import app
from disputes.models import Notification
from tests.factories import case_in_state

BROKER = os.environ.get("CELERY_BROKER_URL", "")
pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(
        not BROKER.startswith(("redis://", "amqp://")),
        reason="set CELERY_BROKER_URL to a Redis or RabbitMQ broker to test through a real broker",
    ),
    # the worker thread and the test write the same tables at the same moment; SQLite's shared
    # in-memory test database locks whole tables (no busy timeout), so this runs on PostgreSQL
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the production shape: a real broker with PostgreSQL (set DATABASE_URL)"),
]


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20):
            yield
    finally:
        app.conf.task_always_eager = True


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_submission_mails_the_parties_through_the_broker_and_worker(world, worker):
    dispute = case_in_state(world, "submitted")  # on_commit -> notify_event.delay -> broker -> worker
    submit = dispute.events.get(kind="submit")
    # the party members, and the secretariat: a new filing (issue 16)
    assert wait_for(lambda: Notification.objects.filter(event=submit).count() == 4)
    assert sorted(Notification.objects.filter(event=submit).values_list("recipient", flat=True)) == [
        "anna@example.nl", "bert@example.nl", "gerda@example.nl", "sec@example.nl",
    ]
