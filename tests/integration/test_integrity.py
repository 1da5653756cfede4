"""The periodic integrity check of stored files (quality.md, Uploads; disputes/services/integrity.py).

Every stored file (also withdrawn, effort-log and generated documents) is hashed again; a changed or
missing file is recorded on its case as ``integrity_failure``, the secretariat (and nobody else) is
e-mailed case numbers, names and ids, and ``manage.py check_integrity`` exits 1. A clean store: exit
0, no events, no mail.
"""

import io
from datetime import date

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from disputes import integrity, services
from disputes.models import Dispute, DisputeEvent, Document
from disputes.services import drafts
from disputes.services import integrity as integrity_check
from disputes.tasks import check_integrity
from tests.factories import pdf, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(world, at):
    """An effort-log document, a withdrawn draft document, and a submitted case with an uploaded
    request and the generated acknowledgement."""
    at("2017-01-10 10:00")
    entry = drafts.effort_record_with_documents(
        agreement=world.agreement, actor=world.corp_user, kind="bod", occurred_on=date(2016, 7, 1),
        summary="Bod", documents=[pdf("bod")])
    at("2017-01-16 10:00")
    draft = world.file(documents=[pdf("machtiging")])
    withdrawn = drafts.draft_withdraw_document(document=draft.documents.get(), actor=world.tenant)
    case = world.file(documents=[pdf("verzoek", 2)])
    services.dispute_submit(dispute=case, actor=world.tenant)
    case = Dispute.objects.get(pk=case.pk)
    documents = {
        "effort": entry.documents.get(),
        "withdrawn": withdrawn,
        "request": case.documents.get(doc_type="verzoek"),
        "generated": case.documents.get(doc_type="ontvangstbevestiging"),
    }
    assert documents["generated"].uploaded_by is None and documents["withdrawn"].withdrawn_at is not None
    assert Document.objects.count() == 4
    mail.outbox.clear()
    return {"case": case, "draft": draft, **documents}


def tamper(storage, document):
    with open(storage.path(document.file.name), "r+b") as handle:
        handle.seek(10)
        handle.write(b"vervalst")


def failures():
    return DisputeEvent.objects.filter(kind="integrity_failure")


def run_command(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_integrity", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_a_clean_store_exits_0_records_nothing_and_mails_nobody(store):
    code, output = run_command()
    assert code == 0
    assert "4 documenten gecontroleerd, 4 in orde, 0 gewijzigd, 0 ontbrekend" in output
    assert not failures().exists() and mail.outbox == []


def test_the_task_reports_a_changed_and_a_missing_file_records_them_and_mails_the_secretariat(
    world, store, private_storage
):
    second_secretary = staff("sec2", "secretary")
    tamper(private_storage, store["request"])
    private_storage.delete(store["withdrawn"].file.name)
    readable = sum(private_storage.size(d.file.name) for d in Document.objects.exclude(pk=store["withdrawn"].pk))

    report = check_integrity.delay().get()

    assert (report["checked"], report["ok"], report["mismatched"], report["missing"]) == (4, 2, 1, 1)
    assert report["bytes_read"] == readable and report["duration"] >= 0 and not report["interrupted"]
    assert sorted(report["bad_ids"]) == sorted([str(store["request"].pk), str(store["withdrawn"].pk)])
    recorded = {(e.dispute_id, e.payload["document"], e.visibility) for e in failures()}
    assert recorded == {(store["case"].pk, str(store["request"].pk), "internal"),
                        (store["draft"].pk, str(store["withdrawn"].pk), "internal")}
    assert failures().count() == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.secretary.email, second_secretary.email])
    assert all(len(m.to) == 1 and not m.cc and not m.bcc and not m.attachments for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == "Integriteitscontrole documenten: 2 documenten niet in orde"
    assert store["case"].case_number in message.body
    for document in (store["request"], store["withdrawn"]):
        assert str(document.pk) in message.body and document.display_name in message.body
    assert str(store["effort"].pk) not in message.body and "%PDF" not in message.body
    assert "inhoud wijkt af" in message.body and "ontbreekt" in message.body


def test_the_command_exits_1_and_lists_the_bad_documents(store, private_storage):
    tamper(private_storage, store["generated"])
    code, output = run_command()
    assert code == 1
    assert f"document {store['generated'].pk}: gewijzigd" in output
    assert "4 documenten gecontroleerd, 3 in orde, 1 gewijzigd, 0 ontbrekend" in output
    assert [e.payload["document"] for e in failures()] == [str(store["generated"].pk)]
    assert len(mail.outbox) == 1

    code, _ = run_command("--no-mail")  # a second run checks (and records) again, but sends nothing now
    assert code == 1 and failures().count() == 2 and len(mail.outbox) == 1


def test_since_checks_only_documents_uploaded_from_that_date(store, private_storage):
    private_storage.delete(store["effort"].file.name)  # uploaded on 2017-01-10
    code, output = run_command("--since", "2017-01-16", "--no-mail")
    assert code == 0 and "3 documenten gecontroleerd, 3 in orde" in output
    code, output = run_command("--since", "2017-01-10", "--no-mail")
    assert code == 1 and "4 documenten gecontroleerd, 3 in orde, 0 gewijzigd, 1 ontbrekend" in output


def test_a_missing_effort_document_is_recorded_on_every_case_of_its_agreement(store, private_storage):
    private_storage.delete(store["effort"].file.name)
    check_integrity.delay()
    assert sorted(e.dispute_id for e in failures()) == sorted([store["case"].pk, store["draft"].pk])
    assert {e.payload["document"] for e in failures()} == {str(store["effort"].pk)}
    assert "overleglogboek Gemeente Leiderdorp 2017: bod.pdf" in mail.outbox[0].body


def test_one_failing_document_does_not_stop_the_check_of_the_others(store, private_storage, monkeypatch):
    for key in ("effort", "withdrawn", "request"):
        tamper(private_storage, store[key])
    first_bad = min([store["effort"], store["withdrawn"], store["request"]], key=lambda d: d.pk)
    real_alarm, real_hash = drafts.document_integrity_alarm, integrity._hash_stored_file

    def alarm(*, document, **kwargs):
        if document.pk == first_bad.pk:
            raise RuntimeError("database hiccup")
        return real_alarm(document=document, **kwargs)

    def hash_file(document):
        if document.pk == store["generated"].pk:
            raise RuntimeError("storage backend error")
        return real_hash(document)

    monkeypatch.setattr(drafts, "document_integrity_alarm", alarm)
    monkeypatch.setattr(integrity, "_hash_stored_file", hash_file)
    report = check_integrity.delay().get()
    assert (report["checked"], report["ok"], report["mismatched"], report["missing"]) == (4, 0, 3, 1)
    assert report["alarm_failures"] == 1
    expected = {str(store[key].pk) for key in ("effort", "withdrawn", "request", "generated")} - {str(first_bad.pk)}
    assert {e.payload["document"] for e in failures()} == expected
    assert len(mail.outbox) == 1 and str(first_bad.pk) in mail.outbox[0].body


def test_small_batches_cover_every_document_while_alarms_are_written(store, private_storage):
    for key in ("effort", "request", "generated"):
        tamper(private_storage, store[key])
    report = integrity_check.check_documents(batch_size=1)
    assert (report.checked, report.ok, report.mismatched) == (4, 1, 3)
    assert len(set(report.bad_ids)) == 3 and len({e.payload["document"] for e in failures()}) == 3


@pytest.mark.django_db(transaction=True)
def test_in_autocommit_as_on_a_worker_each_alarm_commits_while_the_rows_stream(store, private_storage):
    from django.db import connection

    assert connection.get_autocommit()  # no test transaction: the cursor must survive each alarm's commit
    for key in ("effort", "request", "generated"):
        tamper(private_storage, store[key])
    report = integrity_check.check_documents(batch_size=1)
    assert (report.checked, report.ok, report.mismatched) == (4, 1, 3)
    assert {e.payload["document"] for e in failures()} == {str(store[key].pk) for key in ("effort", "request",
                                                                                        "generated")}


def test_a_run_stopped_by_the_time_limit_is_reported_as_incomplete(store, monkeypatch):
    real_hash, seen = integrity._hash_stored_file, []

    def slow(document):
        seen.append(document.pk)
        if len(seen) == 2:
            raise SoftTimeLimitExceeded()
        return real_hash(document)

    monkeypatch.setattr(integrity, "_hash_stored_file", slow)
    code, output = run_command()
    assert code == 1 and "AFGEBROKEN" in output and "2 documenten gecontroleerd, 1 in orde" in output
    assert not failures().exists()
    assert mail.outbox[0].subject == "Integriteitscontrole documenten niet afgerond"
    assert "afgebroken" in mail.outbox[0].body


def test_storage_that_is_not_mounted_marks_no_document_and_says_so(world, store, private_storage):
    import shutil

    shutil.move(private_storage.location, private_storage.location + "-elders")  # the volume is gone
    code, output = run_command()
    assert code == 1 and "DE OPSLAG IS NIET BEREIKBAAR" in output and "0 documenten gecontroleerd" in output
    assert not failures().exists()  # the files are most likely fine where they cannot be seen
    [message] = mail.outbox
    assert message.to == [world.secretary.email]
    assert message.subject == "Integriteitscontrole documenten: de opslag is niet bereikbaar"
    assert "niet aangekoppeld" in message.body


def test_the_download_of_a_tampered_document_stays_blocked(client, world, store, private_storage):
    tamper(private_storage, store["request"])
    run_command("--no-mail")
    client.force_login(world.tenant)
    response = client.get(reverse("portal:document-download", args=[store["case"].pk, store["request"].pk]))
    assert response.status_code == 500 and "Content-Disposition" not in response
    assert "komt niet overeen" in response.content.decode()


def test_the_check_is_registered_as_a_daily_periodic_task():
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from config.celery import app

    call_command("setup_periodic_tasks", stdout=io.StringIO())
    task = PeriodicTask.objects.get(name="Integriteit documenten controleren")
    assert task.task == "disputes.tasks.check_integrity" and task.enabled
    assert task.interval is None  # at night, Amsterdam time, not every 24 hours from whenever beat started
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("30", "2", "Europe/Amsterdam")
    assert (task.crontab.day_of_week, task.crontab.day_of_month, task.crontab.month_of_year) == ("*", "*", "*")
    call_command("setup_periodic_tasks", stdout=io.StringIO())  # again, on the next deploy: nothing doubles
    assert PeriodicTask.objects.filter(name="Integriteit documenten controleren").count() == 1
    assert PeriodicTask.objects.get(name="Termijnen bewaken").interval.every == 5
    assert PeriodicTask.objects.get(name="Termijnen bewaken").interval.period == IntervalSchedule.MINUTES
    registered = app.tasks[task.task]
    # hours of reading: acknowledged at the start, or Redis would hand it to a second worker every hour
    assert not registered.acks_late
    assert registered.soft_time_limit < registered.time_limit <= 24 * 60 * 60
