"""What only a real PostgreSQL can show: row locks under concurrency and the audit-trail trigger.

SQLite has neither row locks nor our trigger, so these tests skip there (CI runs them on PostgreSQL).
"""

import os
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
def test_the_database_refuses_to_update_or_delete_audit_events(world, as_table_owner):
    """The trigger holds for any client, the owner of the table included (the application's role is
    refused earlier, by its privileges: the test below)."""
    dispute = case_in_state(world, "submitted")
    event_id = dispute.events.first().pk
    with as_table_owner():
        for sql in ("UPDATE disputes_disputeevent SET kind = 'forged' WHERE id = %s",
                    "DELETE FROM disputes_disputeevent WHERE id = %s"):
            with pytest.raises(Exception, match="append-only"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, [event_id])
    assert DisputeEvent.objects.filter(pk=event_id, kind="document_added").exists()


# -- the application's role owns nothing (docs/deployment.md "Database", ADR 0012) ---------------------------

#: What an owner could do to a log despite its trigger, and the application's role must not be able to.
TAMPERING = (
    "ALTER TABLE {table} DISABLE TRIGGER ALL",
    "ALTER TABLE {table} DISABLE TRIGGER USER",
    "UPDATE {table} SET id = id",
    "DELETE FROM {table}",
    "TRUNCATE {table}",
    "TRUNCATE {table} CASCADE",
    "ALTER TABLE {table} OWNER TO CURRENT_USER",
)


@pytest.mark.django_db(transaction=True)
def test_the_applications_role_can_neither_disable_the_trigger_nor_update_delete_or_truncate_the_logs(world):
    """Given the suite connected as the application's role (DATABASE_RUNTIME_ROLE, as scripts/test.sh runs it),
    when it tries every way around the append-only trigger on the audit trail, the access log and the history
    tables, then each statement is refused and every row is still there."""
    from disputes import dbroles

    if not os.environ.get("DATABASE_RUNTIME_ROLE"):
        pytest.skip("the suite is connected as the owner: set DATABASE_RUNTIME_ROLE as scripts/test.sh does")
    dispute = case_in_state(world, "submitted")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, session_user")
        current, session = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        owned = cursor.fetchone()[0]
    assert current == session, "the suite must log in as the role, not SET ROLE to it"
    assert owned == 0, f"{current} owns {owned} tables: run the suite with DATABASE_RUNTIME_ROLE (scripts/test.sh)"
    tables = dbroles.append_only_tables()
    assert {"disputes_disputeevent", "disputes_accesslogentry"} <= set(tables)
    counts = {}
    for table in tables:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table])
            drops = [f'DROP TRIGGER "{name}" ON {{table}}' for (name,) in cursor.fetchall()]
        for statement in (*TAMPERING, *drops):
            with pytest.raises(Exception, match="must be owner|permission denied|append-only"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(statement.format(table=f'"{table}"'))
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            assert cursor.fetchone()[0] == counts[table], table
    assert counts["disputes_disputeevent"] == DisputeEvent.objects.filter(dispute=dispute).count() > 0
    # ...while it still writes what it must: a new event through the service
    services.dispute_start_review(dispute=dispute, actor=world.secretary)
    assert DisputeEvent.objects.filter(dispute=dispute, kind="start_review").exists()
