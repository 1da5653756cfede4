"""After the decision (issue 12, defect 8): closing waits for Awb 6:9, a received bezwaar keeps the case
open, a herstelbesluit corrects an obvious error, and a late decision is marked as late wherever the case
is shown."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import clock, services
from disputes.dossier.content import collect
from disputes.errors import GuardFailed, NotPermitted, OperationNotAllowed
from disputes.models import Deadline, Dispute, DisputeEvent, Document
from disputes.selectors import late_decision
from disputes.services import aftercare
from disputes.services.dossier import require_export
from tests.factories import case_in_state, moment, pdf

pytestmark = pytest.mark.django_db


def fresh(dispute):
    return Dispute.objects.get(pk=dispute.pk)


# -- 1. closing waits for the week of Awb 6:9 lid 2 -------------------------------------------------------
def test_the_case_does_not_close_before_the_week_after_the_objection_term(world):
    """Decided 01-03-2017: the objection term ends on Wednesday 12-04-2017; an objection posted in time may
    still arrive until Wednesday 19-04-2017 (Awb 6:9 lid 2), so the case closes on 20-04-2017 at the
    earliest."""
    dispute = case_in_state(world, "decided")
    clock.set_now(moment("2017-04-13 00:30"))
    assert services.enforce_deadlines()["dispute_close"] == 0
    clock.set_now(moment("2017-04-19 23:00"))
    with pytest.raises(GuardFailed, match="6:9"):
        services.dispute_close(dispute=dispute, actor=None)
    assert services.enforce_deadlines()["dispute_close"] == 0
    assert fresh(dispute).state == "decided"
    clock.set_now(moment("2017-04-20 00:30"))
    assert services.enforce_deadlines()["dispute_close"] == 1
    assert fresh(dispute).state == "closed"


def test_the_closing_date_is_computed_once_with_its_explanation(world):
    dispute = case_in_state(world, "decided")
    term = aftercare.closing_term(dispute)
    assert term.due == date(2017, 4, 19)  # the last day an objection posted in time may arrive
    assert aftercare.closes_from(dispute) == date(2017, 4, 20)
    text = " ".join(term.explanation)
    assert "6:9" in text and "12-04-2017" in text and "19-04-2017" in text


def test_the_week_of_awb_6_9_ending_on_a_holiday_moves_like_any_statutory_term(world):
    """Decided 09-03-2017: the objection term ends on Thursday 20-04-2017; the week after it ends on
    Koningsdag 27-04-2017, so on Friday 28-04-2017 (Atw art. 1); closing from 29-04-2017."""
    dispute = case_in_state(world, "advice_issued")
    clock.set_now(moment("2017-03-09 09:00"))
    for point in dispute.points.all():
        services.point_decide(point=point, actor=world.official, follow_advice=True)
    services.dispute_decide(dispute=dispute, actor=world.official2, documents=[pdf("bindende_uitspraak")])
    assert Deadline.objects.get(dispute=dispute, kind="objection").due == date(2017, 4, 20)
    assert aftercare.closing_term(dispute).due == date(2017, 4, 28)
    assert "Koningsdag" in " ".join(aftercare.closing_term(dispute).explanation)


# -- 2. a received bezwaar ------------------------------------------------------------------------------------
def test_a_received_objection_is_recorded_and_keeps_the_case_open(world):
    dispute = case_in_state(world, "decided")
    clock.set_now(moment("2017-04-11 10:00"))
    services.dispute_record_objection(
        dispute=dispute, actor=world.secretary, received_on=date(2017, 4, 10), objector=world.corporatie,
        documents=[pdf("overig", 2)], note="Bezwaar tegen punt 1",
    )
    dispute = fresh(dispute)
    assert clock.localdate(dispute.objection_received_at) == date(2017, 4, 10)
    event = dispute.events.get(kind="objection_recorded")
    assert event.payload["received_on"] == "2017-04-10"
    assert event.payload["objector"] == "Rijnhart Wonen"
    assert event.payload["in_time"] is True
    assert Document.objects.filter(dispute=dispute, doc_type="overig").count() == 1
    clock.set_now(moment("2017-05-01 09:00"))  # long after the term and the week
    assert services.enforce_deadlines()["dispute_close"] == 0
    with pytest.raises(GuardFailed, match="bezwaar"):
        services.dispute_close(dispute=dispute, actor=None)
    assert fresh(dispute).state == "decided"
    require_export(actor=world.secretary, dispute=dispute, audience="full")  # the dossier can be sent on


def test_recording_an_objection_is_refused_without_a_document_in_the_future_or_for_a_party(world):
    dispute = case_in_state(world, "decided")
    clock.set_now(moment("2017-04-11 10:00"))
    with pytest.raises(ValidationError):
        services.dispute_record_objection(dispute=dispute, actor=world.secretary, received_on=date(2017, 4, 10))
    with pytest.raises(ValidationError):
        services.dispute_record_objection(dispute=dispute, actor=world.secretary, received_on=date(2017, 4, 12),
                                          documents=[pdf("overig")])
    with pytest.raises(ValidationError):
        services.dispute_record_objection(dispute=dispute, actor=world.secretary, received_on=date(2017, 2, 1),
                                          documents=[pdf("overig")])
    with pytest.raises(NotPermitted):
        services.dispute_record_objection(dispute=dispute, actor=world.tenant, received_on=date(2017, 4, 10),
                                          documents=[pdf("overig")])
    assert fresh(dispute).objection_received_at is None
    assert not DisputeEvent.objects.filter(dispute=dispute, kind="objection_recorded").exists()
    other = case_in_state(world, "exchange")
    with pytest.raises(OperationNotAllowed):
        services.dispute_record_objection(dispute=other, actor=world.secretary, received_on=date(2017, 2, 20),
                                          documents=[pdf("overig")])


# -- 3. herstelbesluit ------------------------------------------------------------------------------------------
def test_a_herstelbesluit_corrects_an_obvious_error_with_its_own_letter_and_event(world):
    dispute = case_in_state(world, "decided")
    clock.set_now(moment("2017-03-08 10:00"))
    services.dispute_correct_decision(
        dispute=dispute, actor=world.official, reason="In de uitspraak staat 2016 waar 2017 is bedoeld.",
    )
    dispute = fresh(dispute)
    event = dispute.events.get(kind="decision_corrected")
    assert event.payload["reason"] == "In de uitspraak staat 2016 waar 2017 is bedoeld."
    letter = Document.objects.get(pk=event.payload["document"])
    assert letter.display_name.startswith("herstelbesluit-") and letter.confidentiality == "parties"
    assert dispute.state == "decided"
    # the herstelbesluit has its own objection term; the case stays open until it and its week have passed
    assert aftercare.closing_term(dispute).due == date(2017, 4, 26)  # 08-03 + 6 weeks = 19-04, + 1 week
    assert any("In de uitspraak staat 2016" in e.detail and e.label == "Herstelbesluit"
               for e in collect(dispute, "party").events)


def test_a_herstelbesluit_needs_a_reason_and_the_ministers_official(world):
    dispute = case_in_state(world, "decided")
    with pytest.raises(ValidationError):
        services.dispute_correct_decision(dispute=dispute, actor=world.official, reason="  ")
    with pytest.raises(NotPermitted):
        services.dispute_correct_decision(dispute=dispute, actor=world.secretary, reason="Typefout")
    assert not DisputeEvent.objects.filter(dispute=dispute, kind="decision_corrected").exists()
    closed = case_in_state(world, "closed")
    with pytest.raises(OperationNotAllowed):
        services.dispute_correct_decision(dispute=closed, actor=world.official, reason="Typefout")


# -- 4. a late decision is marked as late ------------------------------------------------------------------
def _decided_late(world):
    """Decision due 13-03-2017; decided on 20-03-2017."""
    dispute = case_in_state(world, "advice_issued")
    clock.set_now(moment("2017-03-20 09:00"))
    for point in dispute.points.all():
        services.point_decide(point=point, actor=world.official, follow_advice=True)
    services.dispute_decide(dispute=dispute, actor=world.official2, documents=[pdf("bindende_uitspraak")])
    return fresh(dispute)


def test_a_decision_after_the_decision_term_is_late_and_one_in_time_is_not(world):
    late = _decided_late(world)
    verdict = late_decision(late)
    assert verdict is not None and verdict.due == date(2017, 3, 13) and verdict.decided_on == date(2017, 3, 20)
    assert "te laat beslist" in verdict.text().lower() and "13-03-2017" in verdict.text()
    assert late_decision(case_in_state(world, "decided")) is None


def test_an_extended_term_counts_when_judging_lateness(world):
    dispute = case_in_state(world, "advice_issued")
    services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=2, reason="drukte")
    clock.set_now(moment("2017-03-20 09:00"))
    for point in dispute.points.all():
        services.point_decide(point=point, actor=world.official, follow_advice=True)
    services.dispute_decide(dispute=dispute, actor=world.official2, documents=[pdf("bindende_uitspraak")])
    assert late_decision(fresh(dispute)) is None  # due 27-03-2017 after the extension


def test_every_page_of_a_late_case_says_so(client, world):
    dispute = _decided_late(world)
    client.force_login(world.tenant)
    portal = client.get(reverse("portal:dispute", args=[dispute.pk])).content.decode()
    assert "te laat beslist" in portal.lower() and "13-03-2017" in portal
    assert "te laat beslist" in client.get(reverse("home")).content.decode().lower()  # the party's list of cases
    client.force_login(world.secretary)
    case_page = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert "te laat beslist" in case_page.lower() and "13-03-2017" in case_page
    worklist = client.get(reverse("workflow:worklist")).content.decode()
    assert "te laat beslist" in worklist.lower()
    content = collect(dispute, "party")
    assert any("te laat beslist" in line.lower() and "13-03-2017" in line for line in content.outcome)
    decide = next(e for e in content.events if e.label == "Bindende uitspraak vaststellen")
    assert "te laat beslist" in decide.detail.lower()


def test_a_case_decided_in_time_is_not_called_late(client, world):
    dispute = case_in_state(world, "decided")
    client.force_login(world.secretary)
    assert "te laat beslist" not in client.get(reverse("workflow:case", args=[dispute.pk])).content.decode().lower()
    assert not any("te laat" in line.lower() for line in collect(dispute, "full").outcome)


# -- the staff's pages ------------------------------------------------------------------------------------------
def test_the_staff_record_an_objection_and_a_herstelbesluit_on_the_case_page(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes

    dispute = case_in_state(world, "decided")
    clock.set_now(moment("2017-03-08 10:00"))
    case_page = reverse("workflow:case", args=[dispute.pk])
    objection_url = reverse("workflow:case-action", args=[dispute.pk, "bezwaar-ontvangen"])
    correction_url = reverse("workflow:case-action", args=[dispute.pk, "herstelbesluit"])
    client.force_login(world.secretary)
    page = client.get(case_page).content.decode()
    assert objection_url in page and correction_url not in page  # the herstelbesluit is the Minister's
    response = client.post(objection_url, {
        "bezwaar-ontvangen-expected_version": fresh(dispute).version,
        "bezwaar-ontvangen-received_on": "2017-03-07", "bezwaar-ontvangen-objector": world.corporatie.pk,
        "bezwaar-ontvangen-letter": SimpleUploadedFile("bezwaar.pdf", pdf_bytes(1, "bezwaar"),
                                                       content_type="application/pdf"),
    })
    assert response.status_code == 302
    assert fresh(dispute).objection_received_at is not None
    client.force_login(world.official)
    response = client.post(correction_url, {
        "herstelbesluit-expected_version": fresh(dispute).version,
        "herstelbesluit-reason": "Zaaknummer in de kop verbeterd.",
    })
    assert response.status_code == 302
    page = client.get(case_page).content.decode()
    assert "Zaaknummer in de kop verbeterd." in page and "07-03-2017" in page and "Rijnhart Wonen" in page
    client.force_login(world.tenant)
    portal = client.get(reverse("portal:dispute", args=[dispute.pk])).content.decode()
    assert "Zaaknummer in de kop verbeterd." in portal and "bezwaar" in portal.lower()
