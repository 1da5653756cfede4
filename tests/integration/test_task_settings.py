"""Every task of ours survives a dead worker: acknowledged late, requeued when the worker is lost,
and bounded in time below Redis' visibility timeout, so a slow task is never handed to a second
worker while the first still runs (docs/deployment.md). The fault test (tests/faults) shows the
redelivery for real, but cannot tell an early acknowledgement from a late one on RabbitMQ; this can.
"""

import pytest

from config.celery import app

#: Redis hands an unacknowledged message to another worker after this long (kombu's default).
REDIS_VISIBILITY_TIMEOUT = 60 * 60
#: Acknowledged when it starts, on purpose (disputes/tasks.py): hours of read-only checking.
EARLY_ACK = {"disputes.tasks.check_integrity"}

app.loader.import_default_modules()  # the worker's autodiscovery: disputes.tasks, workflow.tasks, ...
OURS = sorted(name for name in app.tasks if name.startswith(("disputes.", "workflow.")))


def test_our_tasks_are_registered():
    assert {"disputes.tasks.notify_event", "disputes.tasks.relay_outbox", "disputes.tasks.check_integrity",
            "disputes.dossier.tasks.build_dossier_export", "workflow.tasks.enforce_deadlines",
            "workflow.tasks.send_hearing_invitations"} <= set(OURS)


@pytest.mark.parametrize("name", [n for n in OURS if n not in EARLY_ACK])
def test_a_task_is_acknowledged_late_requeued_on_a_lost_worker_and_ends_within_the_visibility_timeout(name):
    task = app.tasks[name]
    assert task.acks_late is True, name
    assert task.reject_on_worker_lost is True, name
    assert task.time_limit and task.time_limit < REDIS_VISIBILITY_TIMEOUT, (name, task.time_limit)
    assert task.soft_time_limit and task.soft_time_limit < task.time_limit, (name, task.soft_time_limit)
