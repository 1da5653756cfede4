"""Issue 12, defects 5 and 6: whole-case inadmissibility is the Minister's reasoned decision, and the
secretariat's verdict per point is a proposal that the commission may advise on and the Minister decides.
"""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from disputes import clock, services
from disputes.errors import DeadlineError, GuardFailed
from disputes.models import Dispute, DisputeEvent
from tests.factories import case_in_state, letter_text, moment, pdf
from workflow import casefile

pytestmark = pytest.mark.django_db


def fresh(dispute):
    return Dispute.objects.get(pk=dispute.pk)


def _in_review_with(world, *verdicts):
    """A case in admissibility review with one point per verdict: (admissible, reasons, note)."""
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = world.file(points=tuple(f"p{n}" for n in range(1, len(verdicts) + 1)))
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    clock.set_now(moment("2017-01-17 09:00"))
    services.dispute_start_review(dispute=dispute, actor=world.secretary)
    for point, (admissible, reasons, note) in zip(dispute.points.order_by("number"), verdicts, strict=True):
        services.point_decide_admissibility(point=point, actor=world.secretary, admissible=admissible,
                                            reasons=reasons, note=note)
    return fresh(dispute)


# -- defect 5: whole-case inadmissibility ----------------------------------------------------------------
def test_whole_case_inadmissibility_needs_reasons_in_words_for_every_point(world):
    dispute = _in_review_with(world, (False, ["A1"], ""))
    with pytest.raises(ValidationError) as refused:
        services.dispute_declare_inadmissible(dispute=dispute, actor=world.official, reasons=["A1"])
    assert "motiveer" in str(refused.value).lower()
    assert fresh(dispute).state == "admissibility_review"
    services.dispute_declare_inadmissible(
        dispute=dispute, actor=world.official,
        points={"p1": {"note": "Het verzoek kwam vijf weken na het ontstaan van het geschil binnen."}},
    )
    dispute = fresh(dispute)
    assert dispute.state == "decided" and dispute.inadmissibility_reasons == ["A1"]
    point = dispute.points.get()
    assert point.decision_admissibility == "inadmissible"
    assert point.decision_reason == "Het verzoek kwam vijf weken na het ontstaan van het geschil binnen."


def test_whole_case_inadmissibility_cannot_silently_contradict_a_point_found_admissible(world):
    dispute = _in_review_with(world, (False, ["A3"], "Inhoud van gemeentelijk beleid."), (True, [], ""))
    with pytest.raises(ValidationError) as refused:
        services.dispute_declare_inadmissible(dispute=dispute, actor=world.official, reasons=["A3"])
    assert "ontvankelijk" in str(refused.value)
    assert fresh(dispute).state == "admissibility_review"
    # an explicit, reasoned departure from the secretariat's verdict is the Minister's to make
    services.dispute_declare_inadmissible(
        dispute=dispute, actor=world.official,
        points={"p2": {"depart": True, "reasons": ["A2"],
                       "note": "Het punt gaat over een huurcontract, niet over prestatieafspraken."}},
    )
    dispute = fresh(dispute)
    assert dispute.state == "decided" and dispute.inadmissibility_reasons == ["A2", "A3"]
    assert [p.decision_admissibility for p in dispute.points.order_by("number")] == ["inadmissible"] * 2
    event = DisputeEvent.objects.get(dispute=dispute, kind="declare_inadmissible")
    assert event.payload["points"]["p2"]["departs"] is True


def test_whole_case_inadmissibility_is_sent_to_the_parties_with_its_letter(world):
    dispute = _in_review_with(world, (False, ["A3"], "Inhoud van de woonvisie."))
    services.dispute_declare_inadmissible(dispute=dispute, actor=world.official)
    # the Minister's decision, one copy to each party (disputes/letterbook.py), with the reasons per point in words
    copies = list(fresh(dispute).documents.current().filter(doc_type="mededeling_ontvankelijkheid"))
    assert len(copies) == fresh(dispute).parties.count()
    assert all(c.confidentiality == "parties" and c.uploaded_by is None for c in copies)
    with copies[0].file.open("rb") as handle:
        body = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages).split())
    assert "Inhoud van de woonvisie." in body and "A3 gaat over de inhoud van gemeentelijk beleid" in body
    assert "namens deze" in body and "Bezwaar" in body


def test_not_treating_an_incomplete_request_is_refused_four_weeks_after_the_remedy_term(world):
    """Awb 4:5 lid 4: the decision not to treat the request (A8) within four weeks after the term."""
    dispute = _in_review_with(world, (False, ["A8"], "De machtiging ontbreekt nog steeds."))
    services.dispute_request_remedy(dispute=dispute, actor=world.secretary, reason="Machtiging",
                                    deadline=date(2017, 1, 31))
    clock.set_now(moment("2017-02-01 09:00"))
    services.dispute_lapse_remedy(dispute=fresh(dispute))
    clock.set_now(moment("2017-03-01 09:00"))  # term ended 31-1; four weeks: 28-2
    with pytest.raises(DeadlineError) as refused:
        services.dispute_declare_inadmissible(dispute=fresh(dispute), actor=world.official)
    assert "4:5" in str(refused.value)
    assert fresh(dispute).state == "admissibility_review"


def test_not_treating_an_incomplete_request_within_four_weeks_is_allowed(world):
    dispute = _in_review_with(world, (False, ["A8"], "De machtiging ontbreekt nog steeds."))
    services.dispute_request_remedy(dispute=dispute, actor=world.secretary, reason="Machtiging",
                                    deadline=date(2017, 1, 31))
    clock.set_now(moment("2017-02-28 09:00"))
    services.dispute_lapse_remedy(dispute=fresh(dispute))
    services.dispute_declare_inadmissible(dispute=fresh(dispute), actor=world.official)
    assert fresh(dispute).state == "decided"


def test_a_remedy_after_the_lapse_is_shown_and_must_be_weighed(world):
    dispute = _in_review_with(world, (False, ["A8"], "De machtiging ontbreekt."))
    services.dispute_request_remedy(dispute=dispute, actor=world.secretary, reason="Machtiging",
                                    deadline=date(2017, 1, 31))
    clock.set_now(moment("2017-02-01 09:00"))
    services.dispute_lapse_remedy(dispute=fresh(dispute))
    clock.set_now(moment("2017-02-03 09:00"))
    _type, late = pdf("machtiging")
    services.document_upload(dispute=fresh(dispute), actor=world.tenant, uploaded=late, doc_type="machtiging")
    assert [d.doc_type for d in casefile.late_remedy(fresh(dispute))] == ["machtiging"]
    with pytest.raises(ValidationError) as refused:
        services.dispute_declare_inadmissible(dispute=fresh(dispute), actor=world.official)
    assert "na het verstrijken van de hersteltermijn" in str(refused.value).lower()
    services.dispute_declare_inadmissible(
        dispute=fresh(dispute), actor=world.official,
        late_remedy_weighed="De machtiging van 3 februari is niet ondertekend door het bestuur.",
    )
    event = DisputeEvent.objects.get(dispute=dispute, kind="declare_inadmissible")
    assert event.payload["late_remedy_weighed"].startswith("De machtiging van 3 februari")


def test_efforts_found_insufficient_are_the_reason_for_every_point(world):
    dispute = case_in_state(world, "effort_review")
    services.dispute_assess_efforts(dispute=dispute, actor=world.secretary, sufficient=False,
                                    reason="Er is nooit over het bod overlegd.")
    services.dispute_declare_inadmissible(dispute=fresh(dispute), actor=world.official, reasons=["A6"])
    point = fresh(dispute).points.get()
    assert point.decision_admissibility == "inadmissible" and point.decision_reason == (
        "Er is nooit over het bod overlegd.")


# -- defect 6: the secretariat proposes, the commission advises, the Minister decides --------------------
def _partly_inadmissible_in_deliberation(world):
    dispute = _in_review_with(world, (True, [], ""), (False, ["A3"], "Inhoud van gemeentelijk beleid."))
    services.dispute_pass_admissibility(dispute=dispute, actor=world.secretary)
    services.dispute_assess_efforts(dispute=fresh(dispute), actor=world.secretary, sufficient=True, reason="Ja")
    services.dispute_accept(dispute=fresh(dispute), actor=world.secretary)
    services.dispute_compose_commission(dispute=fresh(dispute), actor=world.secretary, chair=world.chair,
                                        members=[world.commission_member, world.commission_member2])
    clock.set_now(moment("2017-02-20 09:00"))
    services.dispute_close_responses(dispute=fresh(dispute), actor=world.secretary)
    services.dispute_skip_hearing(dispute=fresh(dispute), actor=world.chair, reason="Schriftelijk")
    return fresh(dispute)


def test_the_minister_decides_a_point_the_secretariat_proposed_inadmissible(world):
    dispute = _partly_inadmissible_in_deliberation(world)
    p1, p2 = dispute.points.order_by("number")
    services.point_advise(point=p1, actor=world.chair, finding="not_manifestly_unreasonable")
    services.dispute_issue_advice(dispute=fresh(dispute), actor=world.chair, documents=[pdf("advies")])
    services.point_decide(point=p1, actor=world.official, follow_advice=True)
    services.dispute_draft_decision(dispute=fresh(dispute), actor=world.official,
                                    documents=[pdf("bindende_uitspraak")])
    with pytest.raises(GuardFailed) as refused:  # the proposal is not the decision
        services.dispute_decide(dispute=fresh(dispute), actor=world.official2,
                                documents=[pdf("bindende_uitspraak")])
    assert "ontvankelijkheid" in str(refused.value.args[0])
    services.point_decide(point=p2, actor=world.official, follow_advice=True)
    assert fresh(dispute).points.get(key="p2").decision_admissibility == "inadmissible"
    services.dispute_decide(dispute=fresh(dispute), actor=world.official2, documents=[pdf("bindende_uitspraak")])
    assert fresh(dispute).state == "decided"


def test_the_commission_advises_and_the_minister_departs_on_a_point_proposed_inadmissible(world):
    dispute = _partly_inadmissible_in_deliberation(world)
    p1, p2 = dispute.points.order_by("number")
    services.point_advise(point=p1, actor=world.chair, finding="not_manifestly_unreasonable")
    with pytest.raises(ValidationError):  # advising it admissible needs a finding on the merits
        services.point_advise(point=p2, actor=world.chair, admissible=True, recommendation="Wel ontvankelijk")
    services.point_advise(point=p2, actor=world.chair, admissible=True, finding="manifestly_unreasonable",
                          recommendation="Het gaat om de uitvoering van beleid, niet om de inhoud ervan.")
    p2 = fresh(dispute).points.get(key="p2")
    assert p2.advice_admissibility == "admissible" and p2.advice_finding == "manifestly_unreasonable"
    services.dispute_issue_advice(dispute=fresh(dispute), actor=world.chair, documents=[pdf("advies")])
    services.point_decide(point=p1, actor=world.official, follow_advice=True)
    with pytest.raises(ValidationError):  # departing from the advice needs a reason
        services.point_decide(point=p2, actor=world.official, follow_advice=False, admissible=False)
    services.point_decide(point=p2, actor=world.official, follow_advice=False, admissible=False,
                          reason="Het punt vraagt de Minister de woonvisie zelf te herzien; dat is beleid.")
    p2 = fresh(dispute).points.get(key="p2")
    assert (p2.decision_admissibility, p2.decision_finding, p2.decision_follows_advice) == ("inadmissible", "", False)
    body = letter_text("bindende_uitspraak", fresh(dispute))
    assert "A3 gaat over de inhoud van gemeentelijk beleid" in body
    assert "de woonvisie zelf te herzien" in body


def test_the_minister_may_judge_on_the_merits_a_point_proposed_inadmissible(world):
    dispute = _partly_inadmissible_in_deliberation(world)
    p1, p2 = dispute.points.order_by("number")
    services.point_advise(point=p1, actor=world.chair, finding="not_manifestly_unreasonable")
    services.dispute_issue_advice(dispute=fresh(dispute), actor=world.chair, documents=[pdf("advies")])
    with pytest.raises(ValidationError):  # departing from the proposal needs a reason and a decision
        services.point_decide(point=p2, actor=world.official, follow_advice=False, admissible=True,
                              decision="manifestly_unreasonable")
    services.point_decide(point=p2, actor=world.official, follow_advice=False, admissible=True,
                          decision="manifestly_unreasonable", reason="Het punt gaat over de uitvoering van het beleid.")
    p2 = fresh(dispute).points.get(key="p2")
    assert (p2.admissibility, p2.decision_admissibility, p2.decision_finding) == ("inadmissible", "admissible",
                                                                                   "manifestly_unreasonable")
