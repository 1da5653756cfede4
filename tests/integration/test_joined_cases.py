"""Joined cases (issue 12, defect 9): related disputes about the same agreement handled together, one hearing, one
advice, the decisions at one moment, each case with its own number and points (disputes/services/joined.py)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import clock, services
from disputes.errors import GuardFailed, NotPermitted
from disputes.models import Dispute, LocalAgreement
from tests.factories import case_in_state, moment, pdf

pytestmark = pytest.mark.django_db


def fresh(dispute):
    return Dispute.objects.get(pk=dispute.pk)


@pytest.fixture
def group(world):
    """Two cases about the same agreement in the written round, the second joined to the first."""
    lead, other = case_in_state(world, "exchange"), case_in_state(world, "exchange")
    services.dispute_join_cases(dispute=lead, actor=world.secretary, other=other,
                                reason="Beide geschillen gaan over de nieuwbouwopgave 2017.")
    return fresh(lead), fresh(other)


def test_joining_records_the_lead_on_the_joined_case_and_an_event_on_both(world, group):
    lead, other = group
    assert other.joined_to == lead and lead.joined_to is None
    for case in (lead, other):
        event = case.events.get(kind="cases_joined")
        assert event.payload["lead"] == lead.case_number and event.payload["joined"] == other.case_number
        assert event.payload["reason"].startswith("Beide geschillen")
    assert lead.case_number != other.case_number  # each keeps its own number


def test_only_cases_of_one_agreement_in_the_written_round_are_joined_once(world):
    lead, other = case_in_state(world, "exchange"), case_in_state(world, "exchange")
    with pytest.raises(NotPermitted):
        services.dispute_join_cases(dispute=lead, actor=world.tenant, other=other, reason="Samen")
    with pytest.raises(ValidationError, match="Motiveer"):
        services.dispute_join_cases(dispute=lead, actor=world.secretary, other=other, reason=" ")
    with pytest.raises(ValidationError, match="zichzelf"):
        services.dispute_join_cases(dispute=lead, actor=world.secretary, other=lead, reason="Samen")
    elsewhere = fresh(other)
    Dispute.objects.filter(pk=elsewhere.pk).update(agreement=LocalAgreement.objects.create(
        municipality=world.gemeente, year=2018, overleg_started_on=date(2017, 7, 1)))
    with pytest.raises(ValidationError, match="dezelfde prestatieafspraken"):
        services.dispute_join_cases(dispute=lead, actor=world.secretary, other=fresh(elsewhere), reason="Samen")
    third = case_in_state(world, "exchange")
    services.dispute_join_cases(dispute=fresh(lead), actor=world.secretary, other=third, reason="Samen")
    fourth = case_in_state(world, "exchange")
    with pytest.raises(ValidationError, match="nog eens"):  # no chains: a joined case leads nothing
        services.dispute_join_cases(dispute=fresh(third), actor=world.secretary, other=fourth, reason="Samen")
    deciding = case_in_state(world, "deliberation")
    with pytest.raises(Exception, match="niet mogelijk"):  # only in the written round
        services.dispute_join_cases(dispute=fresh(fourth), actor=world.secretary, other=deciding, reason="Samen")
    assert fresh(fourth).joined_to is None and fresh(deciding).joined_to is None


def test_one_hearing_for_the_group_set_in_the_lead_case(world, group):
    lead, other = group
    with pytest.raises(ValidationError, match=f"gevoegd bij zaak {lead.case_number}"):
        services.dispute_schedule_hearing(dispute=other, actor=world.secretary, hearing_at=moment("2017-03-10 10:00"),
                                          place="Den Haag")
    services.dispute_schedule_hearing(dispute=lead, actor=world.secretary, hearing_at=moment("2017-03-10 10:00"),
                                      place="Den Haag")
    for case in (lead, other):
        assert fresh(case).state == "hearing_scheduled"
        assert case.events.get(kind="schedule_hearing").payload["place"] == "Den Haag"
    clock.set_now(moment("2017-03-10 15:00"))
    services.dispute_record_hearing(dispute=fresh(lead), actor=world.secretary,
                                    documents=[pdf("verslag_hoorzitting", 2)])
    minutes = [fresh(case).documents.get(doc_type="verslag_hoorzitting") for case in (lead, other)]
    assert all(fresh(case).state == "deliberation" for case in (lead, other))
    assert minutes[0].sha256 == minutes[1].sha256 and minutes[0].dispute_id != minutes[1].dispute_id


def test_one_advice_only_when_every_case_of_the_group_has_its_points_advised(world, group):
    lead, other = group
    services.dispute_skip_hearing(dispute=lead, actor=world.chair, reason="De stukken volstaan.")
    assert fresh(other).state == "deliberation"
    for point in lead.points.all():
        services.point_advise(point=point, actor=world.chair, finding="not_manifestly_unreasonable")
    with pytest.raises(GuardFailed, match=f"Gevoegde zaak {other.case_number}"):
        services.dispute_issue_advice(dispute=fresh(lead), actor=world.chair, documents=[pdf("advies")])
    assert fresh(lead).state == "deliberation"  # all or nothing: the lead waits for the joined case
    for point in other.points.all():
        services.point_advise(point=point, actor=world.chair, finding="manifestly_unreasonable")
    services.dispute_issue_advice(dispute=fresh(lead), actor=world.chair, documents=[pdf("advies", 3)])
    assert {fresh(case).state for case in (lead, other)} == {"advice_issued"}
    clock.set_now(moment("2017-03-01 09:00"))
    for case in (lead, other):
        for point in case.points.all():
            services.point_decide(point=point, actor=world.official, follow_advice=True)
    with pytest.raises(ValidationError, match="gevoegd bij zaak"):
        services.dispute_decide(dispute=fresh(other), actor=world.official2, documents=[pdf("bindende_uitspraak")])
    services.dispute_decide(dispute=fresh(lead), actor=world.official2, documents=[pdf("bindende_uitspraak", 2)])
    for case in (lead, other):
        decided = fresh(case)
        assert decided.state == "decided" and decided.decision_adopted_by == world.official2
    # each case its own decision per point: the joined case's finding is its own
    assert other.points.get().decision_finding == "manifestly_unreasonable"
    assert lead.points.get().decision_finding == "not_manifestly_unreasonable"


def test_the_pages_name_the_group(client, world, group):
    lead, other = group
    client.force_login(world.secretary)
    lead_page = client.get(reverse("workflow:case", args=[lead.pk])).content.decode()
    assert "Gevoegde zaken" in lead_page and other.case_number in lead_page
    other_page = client.get(reverse("workflow:case", args=[other.pk])).content.decode()
    assert "Gevoegd bij" in other_page and lead.case_number in other_page
    client.force_login(world.tenant)
    portal = client.get(reverse("portal:dispute", args=[other.pk])).content.decode()
    assert "Samen behandeld met" in portal and f"zaak {lead.case_number}" in portal


def test_the_staff_case_page_joins_cases(client, world):
    lead, other = case_in_state(world, "exchange"), case_in_state(world, "exchange")
    client.force_login(world.secretary)
    url = reverse("workflow:case-action", args=[lead.pk, "zaken-voegen"])
    form = client.get(url).content.decode()
    assert other.case_number in form
    response = client.post(url, {"zaken-voegen-expected_version": fresh(lead).version,
                                 "zaken-voegen-other": other.pk, "zaken-voegen-reason": "Zelfde afspraken."})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert fresh(other).joined_to_id == lead.pk
