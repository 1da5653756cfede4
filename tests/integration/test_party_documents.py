"""Documents after filing (issue 13, item 3): the secretariat asks for several documents in one remedy request,
the applicant sends them in one go, each under its own type; and a party adds documents to its case at any open
step, into that step's bundle, with the secretariat and the other parties told by e-mail."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import services, tasks
from disputes.errors import NotPermitted, OperationNotAllowed
from disputes.models import Dispute
from disputes.services.review import remedy_request
from tests.factories import case_in_state, pdf, pdf_bytes
from tests.integration.test_workflow_flow import Desk, open_task

pytestmark = pytest.mark.django_db


def fresh(dispute):
    return Dispute.objects.get(pk=dispute.pk)


def upload(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(1, name), content_type="application/pdf")


@pytest.fixture
def asked(world):
    """A case waiting for a remedy, asked for a machtiging and a verslag overleg."""
    case = case_in_state(world, "admissibility_review")
    services.dispute_request_remedy(dispute=case, actor=world.secretary, reason="Twee stukken ontbreken",
                                    requested=["machtiging", "verslag_overleg"])
    return fresh(case)


# -- several documents in one remedy request --------------------------------------------------------------------


def test_the_staff_form_asks_for_several_documents_and_the_request_keeps_them(client, world):
    case = case_in_state(world, "admissibility_review")
    desk = Desk(client, world.secretary)
    desk.take(case, "assess_admissibility")
    page = client.get(reverse("workflow:task", args=[case.pk, open_task(case, "assess_admissibility").pk]))
    page = page.content.decode()
    assert 'name="request_remedy-requested"' in page and "Verslag overleg" in page
    desk.ok(case, "assess_admissibility", "request_remedy", reason="Twee stukken ontbreken",
            requested=["machtiging", "verslag_overleg"])
    event = fresh(case).events.get(kind="request_remedy")
    assert event.payload["documents"] == ["machtiging", "verslag_overleg"]


def test_an_unknown_document_type_is_refused(world):
    case = case_in_state(world, "admissibility_review")
    with pytest.raises(ValidationError, match="Onbekende documentsoort"):
        services.dispute_request_remedy(dispute=case, actor=world.secretary, reason="x", requested=["paspoort"])
    assert fresh(case).state == "admissibility_review"


def test_the_applicant_sees_each_asked_document_and_sends_them_in_one_go(client, world, asked):
    client.force_login(world.tenant)
    url = reverse("portal:remedy", args=[asked.pk])
    page = client.get(url).content.decode()
    assert "Machtiging" in page and "Verslag overleg" in page
    assert 'name="file_machtiging"' in page and 'name="file_verslag_overleg"' in page
    response = client.post(url, {"expected_version": asked.version, "file_machtiging": upload("m.pdf"),
                                 "file_verslag_overleg": [upload("v1.pdf"), upload("v2.pdf")],
                                 "doc_type": "aanvulling", "note": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = fresh(asked)
    assert case.state == "admissibility_review"
    supplied = sorted(case.documents.filter(organisation=world.huurders, bundle__step="admissibility")
                      .values_list("doc_type", flat=True))
    assert supplied == ["machtiging", "verslag_overleg", "verslag_overleg"]
    assert [s for _c, _l, s in remedy_request(case).requested] == [True, True]


def test_a_document_added_after_the_request_counts_as_supplied(world, asked):
    assert [s for _c, _l, s in remedy_request(asked).requested] == [False, False]
    services.dispute_submit_documents(dispute=asked, actor=world.tenant, documents=[pdf("machtiging")])
    request = remedy_request(fresh(asked))
    assert [(c, s) for c, _l, s in request.requested] == [("machtiging", True), ("verslag_overleg", False)]
    assert request.missing == ["Verslag overleg"]


def test_the_remedy_e_mail_lists_the_asked_documents_in_words(world, asked, mailoutbox):
    tasks.notify_event(event_id=asked.events.get(kind="request_remedy").pk)
    body = mailoutbox[0].body
    assert "Gevraagde stukken:" in body and "- Machtiging" in body and "- Verslag overleg" in body
    assert "verslag_overleg" not in body


# -- a party adds documents at any open step --------------------------------------------------------------------


def test_a_respondent_adds_documents_in_the_written_round_and_everyone_is_told(client, world, mailoutbox):
    case = case_in_state(world, "exchange")
    client.force_login(world.corp_user)
    page = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    assert reverse("portal:submit-documents", args=[case.pk]) in page  # offered on the case page
    response = client.post(reverse("portal:submit-documents", args=[case.pk]), {
        "expected_version": case.version, "doc_type": "correspondentie", "note": "De brief van 3 maart",
        "files": [upload("brief.pdf"), upload("bijlage.pdf")]})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = fresh(case)
    added = list(case.documents.filter(organisation=world.corporatie))
    assert len(added) == 2 and {d.bundle.step for d in added} == {"response"}
    event = case.events.get(kind="documents_submitted")
    assert event.payload["types"] == ["correspondentie", "correspondentie"]
    tasks.notify_event(event_id=event.pk)
    recipients = {address for message in mailoutbox for address in message.to}
    assert world.secretary.email in recipients and world.tenant.email in recipients
    assert world.corp_user.email not in recipients  # not the organisation that added them
    assert "2 stukken toegevoegd" in mailoutbox[0].body and "- Correspondentie" in mailoutbox[0].body
    # the applicant reads it in words on its own case page
    client.force_login(world.tenant)
    page = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    assert "2 stukken toegevoegd aan het dossier: Correspondentie, Correspondentie" in page
    assert "documents_submitted" not in page


def test_nothing_chosen_gets_a_clear_message_and_stores_nothing(client, world):
    case = case_in_state(world, "exchange")
    client.force_login(world.tenant)
    response = client.post(reverse("portal:submit-documents", args=[case.pk]),
                           {"expected_version": case.version, "doc_type": "", "note": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies de soort document." in page and "Kies ten minste één PDF-bestand." in page
    assert not fresh(case).events.filter(kind="documents_submitted").exists()


@pytest.mark.parametrize("state", ["draft", "decided", "withdrawn"])
def test_no_documents_are_added_to_a_draft_or_a_concluded_case(world, state):
    case = case_in_state(world, state)
    with pytest.raises((NotPermitted, OperationNotAllowed)):
        services.dispute_submit_documents(dispute=case, actor=world.tenant, documents=[pdf("correspondentie")])
    assert not fresh(case).events.filter(kind="documents_submitted").exists()


def test_staff_do_not_use_the_party_door(world):
    case = case_in_state(world, "exchange")
    with pytest.raises(NotPermitted):
        services.dispute_submit_documents(dispute=case, actor=world.secretary, documents=[pdf("correspondentie")])
