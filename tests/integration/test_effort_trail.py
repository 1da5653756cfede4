"""The effort log leaves a trace on the cases it is part of, and the admin cannot change the to-do list or the log.

An effort-log entry belongs to the agreement, not to one case; every case on the agreement relies on
the log (procedure.md §4). So a new entry, and a document added to one, is recorded as an event on
every case of the agreement that is still running (a draft or an open case), whichever page it was
added from. Ended cases (decided, withdrawn, settled, closed) keep the trail they were decided on.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from viewflow.workflow.models import Process, Task

from disputes import clock, services
from disputes.models import DisputeEvent, EffortEntry
from disputes.services import drafts
from tests.factories import case_in_state, moment, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _strict_workflow(settings):
    settings.WORKFLOW_STRICT = True


def effort_events(dispute, kind="effort_recorded"):
    return DisputeEvent.objects.filter(dispute=dispute, kind=kind)


def test_an_entry_is_an_event_on_every_running_case_of_the_agreement_not_on_ended_ones(world):
    """Given an open case, a draft and a withdrawn case on one agreement, when a party adds an entry
    to the log, then the open case and the draft get one event each, with who, for which
    organisation and what; the withdrawn case gets none."""
    running = case_in_state(world, "effort_review")
    ended = case_in_state(world, "withdrawn")
    draft = world.file()
    clock.set_now(moment("2017-01-20 11:00"))
    entry = services.effort_record(
        agreement=world.agreement, actor=world.corp_user, kind="letter", occurred_on=date(2017, 1, 19),
        summary="Brief over de huurverhoging",
    )
    for case in (running, draft):
        event = effort_events(case).get()
        assert event.actor == world.corp_user and event.actor_organisation == world.corporatie
        assert event.at == moment("2017-01-20 11:00") and event.visibility == "parties"
        assert event.payload == {"entry": str(entry.pk), "entry_kind": "letter", "occurred_on": "2017-01-19",
                                 "summary": "Brief over de huurverhoging"}
    assert not effort_events(ended).exists()


def test_a_refused_entry_leaves_no_event(world):
    case = case_in_state(world, "effort_review")
    with pytest.raises(Exception):  # noqa: B017 - the refusal itself is tested in test_portal_drafts
        services.effort_record(agreement=world.agreement, actor=world.outsider, kind="letter",
                               occurred_on=date(2017, 1, 10), summary="Niet mijn overleg")
    assert not effort_events(case).exists()
    assert not EffortEntry.objects.filter(summary="Niet mijn overleg").exists()


def test_an_entry_added_on_the_agreement_page_with_a_document_is_in_the_case_trail(client, world):
    """The agreement page has no case of its own: the entry still reaches the trail of the case on it."""
    case = case_in_state(world, "effort_review")
    client.force_login(world.gem_user)
    response = client.post(reverse("portal:agreement-log", args=[world.agreement.pk]), {
        "kind": "meeting", "occurred_on": "12-01-2017", "summary": "Overleg op het gemeentehuis",
        "doc_type": "correspondentie",
        "files": [SimpleUploadedFile("verslag.pdf", pdf_bytes(1, "verslag"), "application/pdf")]})
    assert response.status_code == 302
    event = effort_events(case).get()
    assert event.actor == world.gem_user and event.payload["summary"] == "Overleg op het gemeentehuis"
    document = effort_events(case, "effort_document_added").get()
    assert document.payload["name"] == "verslag.pdf" and document.payload["entry"] == event.payload["entry"]
    assert document.payload["sha256"] and document.actor_organisation == world.gemeente


def test_a_document_added_to_an_existing_entry_is_an_event(world):
    case = case_in_state(world, "effort_review")
    entry = services.effort_record(agreement=world.agreement, actor=world.tenant, kind="bod",
                                   occurred_on=date(2017, 1, 10), summary="Bod")
    drafts.effort_attach_document(
        entry=entry, actor=world.tenant,
        uploaded=SimpleUploadedFile("bod.pdf", pdf_bytes(1, "bod"), "application/pdf"), doc_type="bod")
    event = effort_events(case, "effort_document_added").get()
    assert event.payload["entry"] == str(entry.pk) and event.payload["type"] == "bod"


def test_the_timeline_describes_the_new_events_in_words(client, world):
    case = case_in_state(world, "effort_review")
    services.effort_record(agreement=world.agreement, actor=world.tenant, kind="letter",
                           occurred_on=date(2017, 1, 10), summary="Brief")
    client.force_login(world.corp_user)
    body = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    sentence = ("Huurdersbelangenorganisatie Leiderdorp heeft het overleglogboek aangevuld: "
                "Brief van dinsdag 10-01-2017.")
    assert sentence in body


# -- the admin: read-only for the workflow's tasks and the effort log ---------------------------------------

@pytest.fixture
def superuser_client(client, db):
    admin = get_user_model().objects.create_superuser("beheerder", "beheer@example.nl", "een-lang-wachtwoord-1")
    client.force_login(admin)
    return client


def _admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_a_superuser_cannot_delete_or_change_a_workflow_task_or_process(superuser_client, world):
    """A deleted Register task would leave a case nobody can move: the admin only shows them."""
    case = case_in_state(world, "submitted")
    task = Task.objects.filter(process__disputeprocess__dispute=case).first()
    process = task.process
    assert superuser_client.get(_admin_url(Task, "change", task.pk)).status_code == 200  # still readable
    for model, obj in ((Task, task), (Process, process)):
        assert superuser_client.post(_admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert superuser_client.post(_admin_url(model, "change", obj.pk), {"status": "CANCELED"}).status_code == 403
        changelist = superuser_client.post(
            _admin_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk]})
        assert changelist.status_code in (200, 302)
        assert model.objects.filter(pk=obj.pk).exists()
    task.refresh_from_db()
    assert task.status != "CANCELED"


def test_a_superuser_cannot_delete_or_change_an_effort_entry(superuser_client, world):
    entry = services.effort_record(agreement=world.agreement, actor=world.tenant, kind="bod",
                                   occurred_on=date(2017, 1, 10), summary="Bod")
    assert superuser_client.get(_admin_url(EffortEntry, "change", entry.pk)).status_code == 200
    assert superuser_client.post(_admin_url(EffortEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    assert superuser_client.post(_admin_url(EffortEntry, "change", entry.pk), {"summary": "Anders"}).status_code == 403
    superuser_client.post(_admin_url(EffortEntry, "changelist"),
                          {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert EffortEntry.objects.get(pk=entry.pk).summary == "Bod"
