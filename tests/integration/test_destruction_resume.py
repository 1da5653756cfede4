"""A destruction interrupted half-way resumes without leaving files or rows behind (issue 17, item 6; fault test).

``destroy_pending`` destroys one case per transaction, stored files first and rows after. Here it is stopped
twice, the way a real run stops: the private storage failing on a file of the second case (after the first case
is done), and a crash after a case's files were deleted but before its rows were. Each time the work is run again,
through the real task (``destruction_list_destroy`` on the list being destroyed hands it to the worker again), and
at the end there is no file and no row of the cases left, the list is destroyed once with one certificate, and
each case has exactly one ``case_destroyed`` event.
"""

import os
from datetime import date, timedelta

import pytest

from disputes import clock
from disputes.models import (
    Bundle,
    CaseRetention,
    DestructionItemStatus,
    DestructionList,
    DestructionStatus,
    Dispute,
    DisputeEvent,
    Document,
    DocumentText,
    Letter,
    Nomination,
    Representation,
)
from disputes.services import archive
from disputes.services.integrity import run_check
from tests import factories
from tests.factories import case_in_state, representative

pytestmark = pytest.mark.django_db

TODAY = date(2031, 1, 6)


class StorageDown(OSError):
    pass


@pytest.fixture
def approved(world):
    """Two withdrawn cases due for destruction (one with a representative), on a list approved by the three
    roles and set to be destroyed; the worker has not run yet."""
    first = case_in_state(world, "withdrawn")
    second = case_in_state(world, "submitted")
    representative(world, second)
    from disputes import services

    services.dispute_withdraw(dispute=Dispute.objects.get(pk=second.pk), actor=world.tenant)
    clock.set_now(factories.moment("2031-01-06 10:00"))
    cases = [Dispute.objects.get(pk=first.pk), Dispute.objects.get(pk=second.pk)]
    for case in cases:
        CaseRetention.objects.update_or_create(dispute=case, defaults={
            "outcome": "ingetrokken", "category": "GPA-4", "description": "Verzoek ingetrokken",
            "nomination": Nomination.DESTROY, "years": 5, "source_date": clock.localdate(case.ended_at),
            "action_date": TODAY - timedelta(days=10), "assigned_at": clock.now()})
    manager = factories.staff("rm", "record_manager")
    reviewer = factories.staff("rv", "archive_reviewer")
    archivist = factories.staff("ar", "archivist")
    made = archive.destruction_list_create(actor=manager, name="Lijst 2031-2", case_ids=[c.pk for c in cases])
    archive.destruction_list_submit(actor=manager, destruction_list=made, reviewer=reviewer, archivist=archivist)
    archive.destruction_list_review(actor=reviewer, destruction_list=made, sent_back={})
    archive.destruction_list_approve(actor=archivist, destruction_list=made, sent_back={})
    # outside django_capture_on_commit_callbacks the outbox's hand-over after commit does not run: no worker yet
    archive.destruction_list_destroy(actor=manager, destruction_list=made)
    made.refresh_from_db()
    assert made.status == DestructionStatus.DESTROYING
    return made, cases, manager


def _files(storage) -> set[str]:
    return {os.path.relpath(os.path.join(folder, name), storage.location)
            for folder, _, names in os.walk(storage.location) for name in names}


def _case_files(cases) -> dict:
    return {case.pk: {d.file.name for d in Document.objects.filter(dispute=case)} for case in cases}


def _resume(made, manager, capture) -> None:
    """Hand the list to the worker again, through the service and the outbox, as the record manager would."""
    with capture(execute=True):
        archive.destruction_list_destroy(actor=manager, destruction_list=DestructionList.objects.get(pk=made.pk))


def _assert_all_gone(made, cases, files_before, storage) -> None:
    made.refresh_from_db()
    assert made.status == DestructionStatus.DESTROYED and bytes(made.certificate).startswith(b"%PDF")
    assert set(made.items.values_list("status", flat=True)) == {DestructionItemStatus.DESTROYED}
    assert not files_before & _files(storage), "files of destroyed cases left in the private storage"
    for model, lookup in ((Document, "dispute__in"), (DocumentText, "document__dispute__in"),
                          (Bundle, "dispute__in"), (Letter, "dispute__in"), (Representation, "dispute__in")):
        assert not model.objects.filter(**{lookup: cases}).exists(), model.__name__
    for case in cases:
        assert DisputeEvent.objects.filter(dispute=case, kind="case_destroyed").count() == 1
        assert CaseRetention.objects.get(dispute=case).destroyed_at is not None
    # destroyed once: one version of the list says so, with its certificate made once
    assert DestructionList.history.filter(id=made.pk, status=DestructionStatus.DESTROYED).count() == 1
    assert run_check(mail=False).clean


def test_a_storage_failure_on_the_second_case_then_a_second_run(approved, private_storage, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    made, cases, manager = approved
    by_case = _case_files(cases)
    files_before = set().union(*by_case.values())
    assert files_before <= _files(private_storage) and all(by_case.values())
    deletions = []
    real_delete = private_storage.delete

    def failing_delete(name):
        deletions.append(name)
        if len(deletions) == len(by_case[cases[0].pk]) + 2:  # the second file of the second case
            raise StorageDown("opslag niet bereikbaar")
        return real_delete(name)

    monkeypatch.setattr(private_storage, "delete", failing_delete)
    with pytest.raises(StorageDown):
        archive.destroy_pending(made.pk)
    # half-way: the first case is destroyed, the second keeps all its rows (one of its files is gone already)
    first, second = made.items.order_by("pk")
    assert first.dispute_id == cases[0].pk and second.dispute_id == cases[1].pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == DestructionItemStatus.DESTROYED and second.status == DestructionItemStatus.LISTED
    assert not by_case[cases[0].pk] & _files(private_storage)
    assert Document.objects.filter(dispute=cases[1]).count() == len(by_case[cases[1].pk])
    assert len(by_case[cases[1].pk] - _files(private_storage)) == 1
    assert not DisputeEvent.objects.filter(dispute=cases[1], kind="case_destroyed").exists()
    made.refresh_from_db()
    assert made.status == DestructionStatus.DESTROYING and not made.certificate

    monkeypatch.setattr(private_storage, "delete", real_delete)  # the storage is back
    _resume(made, manager, django_capture_on_commit_callbacks)
    _assert_all_gone(made, cases, files_before, private_storage)
    # one more delivery of the task changes nothing
    assert archive.destroy_pending(made.pk) == 0
    assert DisputeEvent.objects.filter(dispute__in=cases, kind="case_destroyed").count() == 2


def test_a_crash_between_the_files_and_the_rows_then_a_second_run(approved, private_storage, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    made, cases, manager = approved
    by_case = _case_files(cases)
    files_before = set().union(*by_case.values())
    real_rows = archive._delete_document_rows

    def crash(*args, **kwargs):
        raise SystemExit("worker killed after deleting the files")

    monkeypatch.setattr(archive, "_delete_document_rows", crash)
    with pytest.raises(SystemExit):
        archive.destroy_pending(made.pk)
    # the first case's files are gone, its rows rolled back: still listed, nothing recorded
    assert not by_case[cases[0].pk] & _files(private_storage)
    assert Document.objects.filter(dispute=cases[0]).count() == len(by_case[cases[0].pk])
    assert made.items.filter(status=DestructionItemStatus.LISTED).count() == 2
    assert not DisputeEvent.objects.filter(dispute__in=cases, kind="case_destroyed").exists()

    monkeypatch.setattr(archive, "_delete_document_rows", real_rows)
    _resume(made, manager, django_capture_on_commit_callbacks)
    _assert_all_gone(made, cases, files_before, private_storage)
