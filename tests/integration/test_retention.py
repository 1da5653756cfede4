"""Issue 17, item 5: every ended case gets its retention rule from the selectielijst table when it ends
(disputes/services/retention.py, disputes/retention.py; docs/archive.md, "Bewaartermijnen (selectielijst)")."""

from datetime import date

import pytest
from django.core.management import call_command

from disputes import clock, services
from disputes.models import CaseRetention, Dispute, DocumentRetention, Nomination, RetentionRule
from disputes.retention import action_date
from disputes.states import DisputeState
from tests.factories import case_in_state, moment

pytestmark = pytest.mark.django_db


def retention_of(dispute) -> CaseRetention:
    return CaseRetention.objects.get(dispute=dispute)


def inadmissible_case(world):
    """A case whose only point the Minister declared inadmissible (the whole request)."""
    dispute = case_in_state(world, "admissibility_review")
    clock.set_now(moment("2017-01-20 09:00"))
    point = dispute.points.get()
    services.point_decide_admissibility(point=point, actor=world.secretary, admissible=False, reasons=["A2"],
                                        note="Gaat over een huurcontract.")
    services.dispute_declare_inadmissible(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.official,
                                          reasons=["A2"])
    return Dispute.objects.get(pk=dispute.pk)


def test_a_decided_case_gets_the_rule_for_a_decision_on_the_merits(world):
    dispute = case_in_state(world, "decided")  # decided on 2017-03-01 09:00
    retention = retention_of(dispute)
    assert (retention.outcome, retention.category, retention.nomination, retention.years) == (
        "uitspraak", "GPA-1", Nomination.KEEP, 20)
    assert retention.source_date == date(2017, 3, 1)
    assert retention.action_date == date(2037, 3, 1)
    event = dispute.events.get(kind="retention_assigned")
    assert event.actor is None and event.visibility == "internal"
    assert event.payload == {"outcome": "uitspraak", "nomination": Nomination.KEEP, "category": "GPA-1",
                             "years": 20, "action_date": "2037-03-01", "documents": 1}


def test_a_case_declared_inadmissible_gets_the_inadmissibility_rule(world):
    dispute = inadmissible_case(world)
    assert dispute.state == DisputeState.DECIDED
    retention = retention_of(dispute)
    assert (retention.outcome, retention.category, retention.nomination, retention.years) == (
        "niet-ontvankelijk", "GPA-2", Nomination.DESTROY, 10)
    assert (retention.source_date, retention.action_date) == (date(2017, 1, 20), date(2027, 1, 20))


def test_a_settled_and_a_withdrawn_case_get_their_rules(world):
    settled = case_in_state(world, "settled")  # settled in the written round, 2017-02-20
    withdrawn = case_in_state(world, "withdrawn")  # withdrawn right after submission, 2017-01-16
    assert (retention_of(settled).outcome, retention_of(settled).category) == ("geschikt", "GPA-3")
    assert retention_of(settled).source_date == date(2017, 2, 20)
    assert retention_of(withdrawn).outcome == "ingetrokken"
    assert retention_of(withdrawn).nomination == Nomination.DESTROY
    assert (retention_of(withdrawn).source_date, retention_of(withdrawn).action_date) == (
        date(2017, 1, 16), date(2022, 1, 16))


def test_a_draft_withdrawn_before_filing_gets_no_rule(world):
    clock.set_now(moment("2017-01-16 10:00"))
    draft = world.file()
    services.dispute_withdraw(dispute=draft, actor=world.tenant)
    assert Dispute.objects.get(pk=draft.pk).state == DisputeState.WITHDRAWN
    assert not CaseRetention.objects.filter(dispute=draft).exists()


def test_a_case_closed_after_its_decision_keeps_its_first_rule(world):
    dispute = case_in_state(world, "closed")  # decided 2017-03-01, closed 2017-04-20
    retention = retention_of(dispute)
    assert retention.source_date == date(2017, 3, 1)  # the decision's day, not the closing's
    assert retention.assigned_at == moment("2017-03-01 09:00")
    assert dispute.events.filter(kind="retention_assigned").count() == 1


def test_a_later_change_of_the_table_does_not_change_a_case(world):
    dispute = case_in_state(world, "decided")
    RetentionRule.objects.filter(scope="case", key="uitspraak").update(category="GPA-99", years=7,
                                                                        nomination=Nomination.DESTROY)
    other = case_in_state(world, "decided")
    assert (retention_of(dispute).category, retention_of(dispute).years) == ("GPA-1", 20)
    assert (retention_of(other).category, retention_of(other).years) == ("GPA-99", 7)
    assert retention_of(other).nomination == Nomination.DESTROY


def test_documents_with_a_shorter_term_get_their_own_date(world):
    dispute = case_in_state(world, "decided")
    acknowledgement = dispute.documents.get(doc_type="ontvangstbevestiging")
    own = DocumentRetention.objects.get(document=acknowledgement)
    assert (own.category, own.years, own.action_date) == ("GPA-9", 1, date(2018, 3, 1))
    # the other documents follow the case's term
    assert set(DocumentRetention.objects.filter(document__dispute=dispute).values_list("document__doc_type",
                                                                                        flat=True)) == {
        "ontvangstbevestiging"}


def test_29_february_goes_to_28_february():
    assert action_date(date(2016, 2, 29), 1) == date(2017, 2, 28)
    assert action_date(date(2016, 2, 29), 4) == date(2020, 2, 29)
    assert action_date(date(2017, 3, 1), 20) == date(2037, 3, 1)


def test_the_command_gives_the_cases_without_a_rule_theirs(world, capsys):
    decided, withdrawn = case_in_state(world, "decided"), case_in_state(world, "withdrawn")
    closed = case_in_state(world, "closed")
    running = case_in_state(world, "exchange")
    # cases that ended before the archive existed: their rules gone (a PROTECT relation: delete the rows)
    CaseRetention.objects.filter(dispute__in=[decided, withdrawn, closed]).delete()
    DocumentRetention.objects.all().delete()
    call_command("assign_retention")
    assert "Bewaartermijn vastgesteld: 3 zaak/zaken." in capsys.readouterr().out
    assert retention_of(decided).outcome == "uitspraak"
    assert retention_of(decided).source_date == date(2017, 3, 1)
    # a case closed after its decision: from the decision's day (2017-03-01), not the closing's (2017-04-20)
    assert (retention_of(closed).outcome, retention_of(closed).source_date) == ("uitspraak", date(2017, 3, 1))
    assert retention_of(withdrawn).outcome == "ingetrokken"
    assert not CaseRetention.objects.filter(dispute=running).exists()
    assert DocumentRetention.objects.filter(document__dispute=decided).count() == 1
    call_command("assign_retention")  # nothing left to do
    assert "Bewaartermijn vastgesteld: 0 zaak/zaken." in capsys.readouterr().out
    assert CaseRetention.objects.count() == 3
