"""The audit trail on PostgreSQL after migration 0021 (ADR 0022): a destroyed case's events may lose their details
(``erase_details``: the payload becomes ``{"vernietigd": true}``), and nothing else may change or go.

Run as the application's role (DATABASE_RUNTIME_ROLE, as scripts/test.sh does), which may update only the payload
column of the audit trail, and as the owner of the table, whom only the trigger stops. And the whole destruction
on PostgreSQL, under the application's role: row locks, privileges and the trigger together.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from disputes import clock
from disputes.models import (
    CaseRetention,
    DestructionItem,
    DestructionList,
    DestructionStatus,
    Dispute,
    DisputeEvent,
    Document,
    Nomination,
)
from disputes.models.event import ERASED_PAYLOAD
from disputes.services import archive
from tests import factories
from tests.factories import case_in_state

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
pytestmark = [pytest.mark.postgres, needs_postgres]

#: every other change of an event: refused by the role's privileges, or by the trigger
REFUSED = (
    ("UPDATE disputes_disputeevent SET kind = 'forged' WHERE dispute_id = %s", "permission denied|append-only"),
    ("UPDATE disputes_disputeevent SET payload = '{\"vernietigd\": false}' WHERE dispute_id = %s", "append-only"),
    ("UPDATE disputes_disputeevent SET payload = '{}' WHERE dispute_id = %s", "append-only"),
    ("UPDATE disputes_disputeevent SET payload = '{\"vernietigd\": true}', kind = 'x' WHERE dispute_id = %s",
     "permission denied|append-only"),
    ("UPDATE disputes_disputeevent SET payload = '{\"vernietigd\": true}', at = now() WHERE dispute_id = %s",
     "permission denied|append-only"),
    ("DELETE FROM disputes_disputeevent WHERE dispute_id = %s", "permission denied|append-only"),
)


def _refused(dispute_id) -> None:
    for sql, message in REFUSED:
        with pytest.raises(Exception, match=message):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [str(dispute_id)])


def _on_a_list_being_destroyed(dispute) -> None:
    """What the services reach only after the reviewer and the archivist approved (test_destruction.py): the case on
    a list in DESTROYING. Made directly here, to test the trigger alone."""
    made = DestructionList.objects.create(name="Trigger", status=DestructionStatus.DESTROYING,
                                          author=dispute.created_by, created_at=timezone.now())
    DestructionItem.objects.create(destruction_list=made, dispute=dispute, case_number=dispute.case_number,
                                   kind=dispute.kind, municipality="Leiden", ended_on=timezone.localdate(),
                                   action_date=timezone.localdate(), category="GPA-4")


def _kinds_and_payloads(dispute):
    return list(DisputeEvent.objects.filter(dispute=dispute).order_by("pk").values_list("pk", "kind", "payload"))


@pytest.mark.django_db(transaction=True)
def test_erasing_the_details_passes_and_every_other_change_is_refused(world, as_table_owner):
    dispute = case_in_state(world, "withdrawn")
    before = _kinds_and_payloads(dispute)
    assert any(payload and payload != ERASED_PAYLOAD for _, _, payload in before)
    _refused(dispute.pk)  # as the application's role (or the owner, without DATABASE_RUNTIME_ROLE)
    with as_table_owner():
        _refused(dispute.pk)  # the owner: the trigger alone
    assert _kinds_and_payloads(dispute) == before
    # not even the erasure, while the case is on no list being destroyed (nothing without the completed review)
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic():
            DisputeEvent.objects.filter(dispute=dispute).erase_details()
    _on_a_list_being_destroyed(dispute)
    # the one change allowed: the details go, who did what when stays
    assert DisputeEvent.objects.filter(dispute=dispute).erase_details() == len(before)
    after = _kinds_and_payloads(dispute)
    assert [(pk, kind) for pk, kind, _ in after] == [(pk, kind) for pk, kind, _ in before]
    assert all(payload == ERASED_PAYLOAD for _, _, payload in after)
    # ...and once erased, nothing else either
    _refused(dispute.pk)
    with as_table_owner():
        _refused(dispute.pk)
        assert DisputeEvent.objects.filter(dispute=dispute).erase_details() == len(before)  # again: a no-op


@pytest.mark.django_db(transaction=True)
def test_a_whole_destruction_on_postgresql(world, private_storage):
    dispute = case_in_state(world, "withdrawn")
    clock.set_now(factories.moment("2031-01-06 10:00"))
    CaseRetention.objects.update_or_create(dispute=dispute, defaults={
        "outcome": "ingetrokken", "category": "GPA-4", "description": "Verzoek ingetrokken",
        "nomination": Nomination.DESTROY, "years": 5, "source_date": clock.localdate(dispute.ended_at),
        "action_date": clock.today() - timedelta(days=1), "assigned_at": clock.now()})
    manager = factories.staff("rm", "record_manager")
    reviewer = factories.staff("rv", "archive_reviewer")
    archivist = factories.staff("ar", "archivist")
    made = archive.destruction_list_create(actor=manager, name="Lijst PG", case_ids=[dispute.pk])
    archive.destruction_list_submit(actor=manager, destruction_list=made, reviewer=reviewer, archivist=archivist)
    archive.destruction_list_review(actor=reviewer, destruction_list=made, sent_back={})
    archive.destruction_list_approve(actor=archivist, destruction_list=made, sent_back={})
    archive.destruction_list_destroy(actor=manager, destruction_list=made)  # its task runs on commit, eagerly
    made.refresh_from_db()
    assert made.status == DestructionStatus.DESTROYED
    assert not Document.objects.filter(dispute=dispute).exists()
    kept = Dispute.objects.get(pk=dispute.pk)
    assert kept.case_number == dispute.case_number
    events = DisputeEvent.objects.filter(dispute=kept)
    assert events.filter(kind="case_destroyed").count() == 1
    assert not events.exclude(kind="case_destroyed").exclude(payload=ERASED_PAYLOAD).exists()
