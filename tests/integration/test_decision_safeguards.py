"""Issue 12, defects 4, 10 and 12: the extension's notice to the parties and to B&W (BTIV art. 40 lid 2),
four eyes on every binding decision, and the binding decision as the Minister's letter with reasons in words."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from disputes import clock, services
from disputes.errors import DeadlineError, NotPermitted
from disputes.models import Deadline, DisputeEvent, Document, Membership, OutboxMessage
from tests.factories import case_in_state, letter_text, moment, pdf

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text with its line breaks made spaces (a sentence may wrap)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def fresh(dispute):
    return type(dispute).objects.get(pk=dispute.pk)


@pytest.fixture
def without_the_gemeente(world, monkeypatch):
    """Cases between the tenants and the corporation only: the gemeente of the agreement is no party."""
    original = world.file

    def file(kind="totstandkoming", points=("p1",), documents=None):
        dispute = original(kind=kind, points=points, documents=documents)
        dispute.parties.filter(organisation=world.gemeente).delete()  # a draft: its parties can still change
        return dispute

    monkeypatch.setattr(world, "file", file)
    return world


# -- defect 4: the extension takes effect only with its reasoned notice, to the parties and to B&W ---------
def test_an_extension_needs_its_reason(world):
    dispute = case_in_state(world, "exchange")
    with pytest.raises(ValidationError) as error:
        services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=2, reason="  ")
    assert "reason" in error.value.message_dict
    assert Deadline.objects.get(dispute=dispute, kind="decision").due == date(2017, 3, 13)
    assert not dispute.events.filter(kind="extend_decision_term").exists()


def test_the_extension_notice_goes_to_every_party_and_to_b_and_w_of_the_gemeente(
    without_the_gemeente, django_capture_on_commit_callbacks
):
    world = without_the_gemeente
    world.gemeente.email = "college@leiderdorp.nl"
    world.gemeente.save()
    dispute = case_in_state(world, "exchange")  # decision due 13-03-2017
    assert world.gemeente.pk not in dispute.organisation_ids()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=4,
                                              reason="De hoorzitting is pas op 20 maart.")
    # one copy of the Minister's notice to each addressee: the two parties and the college van B&W
    notices = list(Document.objects.filter(dispute=dispute, doc_type="verlengingsbericht").order_by("pk"))
    assert len(notices) == 3
    assert all(n.uploaded_by is None and n.confidentiality == "parties" for n in notices)
    to_college = next(c.document for c in notices[0].letter_copy.letter.copies.all() if c.capacity == "municipality")
    with to_college.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "De hoorzitting is pas op 20 maart." in text and "10 april 2017" in text
    assert "Het college van burgemeester en wethouders van Leiderdorp" in text  # the addressee
    assert "Geacht college van burgemeester en wethouders" in text
    assert "Ministerie van Volkshuisvesting" in text and "namens deze" in text  # the Minister's notice
    event = dispute.events.get(kind="extend_decision_term")
    assert event.payload["letters"] and set(event.payload["letters"]) == {str(n.pk) for n in notices}
    assert {(n["name"], n["as"]) for n in event.payload["notified"]} == {
        ("Huurdersbelangenorganisatie Leiderdorp", "applicant"), ("Rijnhart Wonen", "respondent"),
        ("Gemeente Leiderdorp", "municipality"),
    }
    assert OutboxMessage.objects.filter(task="disputes.tasks.send_letter", kwargs__event_id=event.pk).exists()
    letters = {m.to[0]: m for m in mail.outbox}
    assert sorted(letters) == ["anna@example.nl", "bert@example.nl", "college@leiderdorp.nl"]
    to_b_and_w = letters["college@leiderdorp.nl"]
    assert to_b_and_w.attachments[0][0] == f"verlengingsbericht-{dispute.case_number}.pdf"
    assert "10 april 2017" in pdf_text(to_b_and_w.attachments[0][1])
    assert event.notifications.filter(recipient="college@leiderdorp.nl").exists()
    from disputes.dossier.content import _event_detail

    assert "college van B&W van Gemeente Leiderdorp" in _event_detail(event, {})  # the dossier's timeline


def test_without_an_address_for_b_and_w_the_extension_does_not_take_effect(without_the_gemeente):
    world = without_the_gemeente
    Membership.objects.filter(organisation=world.gemeente).delete()  # no general address, no members
    dispute = case_in_state(world, "exchange")
    with pytest.raises(ValidationError, match="Gemeente Leiderdorp"):
        services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=2, reason="Drukte")
    assert Deadline.objects.get(dispute=dispute, kind="decision").due == date(2017, 3, 13)
    assert not Document.objects.filter(dispute=dispute, doc_type="verlengingsbericht").exists()


def test_an_extension_after_the_term_sends_no_notice(world):
    dispute = case_in_state(world, "exchange")  # decision due Monday 13-03-2017
    clock.set_now(moment("2017-03-14 00:10"))
    outbox_before = OutboxMessage.objects.count()
    with pytest.raises(DeadlineError):
        services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=1, reason="Drukte")
    assert OutboxMessage.objects.count() == outbox_before
    assert not Document.objects.filter(dispute=dispute, doc_type="verlengingsbericht").exists()


# -- defect 12: four eyes on every decision, with or without an uploaded draft ----------------------------
def test_who_decided_the_points_cannot_adopt_the_decision_even_without_a_draft(world):
    dispute = case_in_state(world, "advice_issued")
    services.point_decide(point=dispute.points.get(), actor=world.official, follow_advice=True)
    events_before = DisputeEvent.objects.count()
    with pytest.raises(NotPermitted):
        services.dispute_decide(dispute=dispute, actor=world.official, documents=[pdf("bindende_uitspraak")])
    assert fresh(dispute).state == "advice_issued" and DisputeEvent.objects.count() == events_before
    services.dispute_decide(dispute=dispute, actor=world.official2, documents=[pdf("bindende_uitspraak")])
    assert fresh(dispute).decision_adopted_by == world.official2


def test_the_adoption_task_is_not_offered_to_who_decided_the_points(world):
    from workflow.flows import DisputeFlow

    dispute = case_in_state(world, "advice_issued")
    services.point_decide(point=dispute.points.get(), actor=world.official, follow_advice=True)
    services.dispute_draft_decision(dispute=dispute, actor=world.official2, documents=[pdf("bindende_uitspraak")])
    node = DisputeFlow.adopt_decision
    dispute = fresh(dispute)
    assert not node.may_hold(world.official, dispute) and not node.may_hold(world.official2, dispute)


# -- defect 10: the binding decision is the Minister's letter, with reasons in words ----------------------
def test_the_binding_decision_comes_from_the_minister_namens_deze(world, settings):
    settings.MINISTER_MANDATE_FUNCTION = "de directeur Woningmarkt"
    dispute = case_in_state(world, "decided")
    text = letter_text("bindende_uitspraak", dispute)
    assert "Secretariaat" not in text
    adopted = dispute.decision_adopted_by.get_full_name() or dispute.decision_adopted_by.get_username()
    assert (f"De Minister van Volkshuisvesting en Ruimtelijke Ordening, namens deze, {adopted} "
            "De directeur Woningmarkt") in text
    assert "De Minister van Volkshuisvesting en Ruimtelijke Ordening doet" in text


def test_the_binding_decision_gives_the_reasons_of_an_inadmissible_point_in_words(world):
    from disputes.models import DisputePoint

    dispute = case_in_state(world, "decided")
    DisputePoint.objects.filter(dispute=dispute).update(
        admissibility="inadmissible", decision_admissibility="inadmissible", inadmissibility_reasons=["A3", "A7"],
        admissibility_note="De verdeling over de wijken is gemeentelijk beleid.",
    )
    text = letter_text("bindende_uitspraak", dispute)
    assert "gaat over de inhoud van gemeentelijk beleid" in text
    assert "geen woonvisie of volkshuisvestingsbeleid" in text
    assert "De verdeling over de wijken is gemeentelijk beleid." in text
    assert "(A3, A7)" not in text  # no bare codes


def test_the_extension_page_names_who_the_notice_goes_to(client, world):
    from django.urls import reverse

    dispute = case_in_state(world, "exchange")
    client.force_login(world.official)
    page = client.get(reverse("workflow:case-action", args=[dispute.pk, "verlengen"])).content.decode()
    assert "Het verlengingsbericht gaat naar" in page
    assert "het college van B&amp;W van Gemeente Leiderdorp" in page
    assert "Verlengingsbericht" not in page.split("<form", 1)[1]  # generated, no upload field
