"""What only a real PostgreSQL can show: row locks under concurrency and the audit-trail trigger.

SQLite has neither row locks nor our trigger, so these tests skip there (CI runs them on PostgreSQL).
"""

import threading

import pytest
from django.db import connection, transaction

from disputes import clock, services
from disputes.errors import Conflict
from disputes.models import Dispute, DisputeEvent
from tests.factories import case_in_state

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and triggers only exist on PostgreSQL"
)
pytestmark = [pytest.mark.postgres, needs_postgres]


def _race(*calls):
    """Run the calls in threads that start together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    moment = clock.now()

    def run(i, call):
        clock.set_now(moment)
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_staff_transitions_at_the_same_moment_one_wins_one_conflicts(world):
    dispute = case_in_state(world, "admissibility_review")
    version = dispute.version
    results = _race(
        lambda: services.dispute_request_remedy(
            dispute=dispute, actor=world.secretary, reason="Machtiging ontbreekt", expected_version=version),
        lambda: services.dispute_withdraw(dispute=dispute, actor=world.tenant, expected_version=version),
    )
    winners = [r for r in results if isinstance(r, Dispute)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.state == winners[0].state
    assert DisputeEvent.objects.filter(dispute=dispute, kind__in=["request_remedy", "withdraw"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_unique_case_numbers(world):
    clock.set_now(clock.now().replace(year=2017, month=1, day=16))
    drafts = [world.file() for _ in range(4)]
    results = _race(*[lambda d=d: services.dispute_submit(dispute=d, actor=world.tenant) for d in drafts])
    assert all(isinstance(r, Dispute) for r in results), results
    numbers = sorted(Dispute.objects.values_list("case_number", flat=True))
    assert numbers == [f"GPA-2017-000{i}" for i in range(1, 5)]


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_update_or_delete_audit_events(world):
    dispute = case_in_state(world, "submitted")
    event_id = dispute.events.first().pk
    for sql in ("UPDATE disputes_disputeevent SET kind = 'forged' WHERE id = %s",
                "DELETE FROM disputes_disputeevent WHERE id = %s"):
        with pytest.raises(Exception, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event_id])
    assert DisputeEvent.objects.filter(pk=event_id, kind="document_added").exists()
