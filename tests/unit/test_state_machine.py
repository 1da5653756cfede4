"""Every (state x transition) pair of procedure.md §5: allowed with the right target, or refused.

The expectations below are written out from procedure.md by hand, independently of
disputes/states.py, so a slip in the code's table is caught here.
"""

from datetime import date

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from disputes.models import CaseSeat, Dispute, DisputePoint
from disputes.states import TRANSITIONS, DisputeState
from tests import factories

OPEN = ["submitted", "admissibility_review", "awaiting_remedy", "effort_review", "awaiting_response",
        "exchange", "hearing_scheduled", "deliberation", "advice_issued"]
SAME = object()

EXPECTED: dict[str, dict[str, object]] = {
    "submit": {"draft": "submitted"},
    "start_review": {"submitted": "admissibility_review"},
    "request_remedy": {"admissibility_review": "awaiting_remedy", "effort_review": "awaiting_remedy"},
    # the fixture's remedy request came from effort_review, so that is where it returns
    "supply_remedy": {"awaiting_remedy": "effort_review"},
    "lapse_remedy": {"awaiting_remedy": "effort_review"},
    "pass_admissibility": {"admissibility_review": "effort_review"},
    "accept": {"effort_review": "awaiting_response"},
    "declare_inadmissible": {"admissibility_review": "decided", "effort_review": "decided"},
    "close_responses": {"awaiting_response": "exchange"},
    "request_information": {"exchange": "exchange"},
    "schedule_hearing": {"exchange": "hearing_scheduled"},
    "record_hearing": {"hearing_scheduled": "deliberation"},
    "cancel_hearing": {"hearing_scheduled": "exchange"},
    "skip_hearing": {"exchange": "deliberation"},
    "issue_advice": {"deliberation": "advice_issued"},
    "decide": {"advice_issued": "decided"},
    "extend_decision_term": {s: SAME for s in OPEN},
    "withdraw": {s: "withdrawn" for s in ["draft", *OPEN]},
    "settle": {s: "settled" for s in OPEN if s != "submitted"},
    "close": {"decided": "closed"},
}

KWARGS = {
    "submit": lambda: {"submitted_at": timezone.now(), "case_number": "GPA-2017-0001"},
    "declare_inadmissible": lambda: {"reasons": ["A1"], "decided_at": timezone.now(), "adopted_by": None},
    "skip_hearing": lambda: {"reason": "schriftelijk"},
    "decide": lambda: {"decided_at": timezone.now(), "adopted_by": None},
    "withdraw": lambda: {"at": timezone.now()},
    "settle": lambda: {"at": timezone.now()},
    "close": lambda: {"at": timezone.now()},
}


def test_the_expectations_cover_exactly_the_transitions_of_the_code():
    assert set(EXPECTED) == set(TRANSITIONS)


@pytest.fixture
def ready_cases(world):
    """One case per state whose guards all hold, so only the state decides."""
    cases = {}
    for state in DisputeState.values:
        dispute = world.file(points=("p1",))
        DisputePoint.objects.filter(dispute=dispute).update(
            admissibility="admissible", advice_finding="upheld", decision_finding="upheld",
            decision_admissibility="admissible",
        )
        Dispute.objects.filter(pk=dispute.pk).update(
            state=state, efforts_sufficient=True, remedy_return_state="effort_review", arose_on=date(2017, 1, 5)
        )
        CaseSeat.objects.bulk_create([  # the commission seated for the case (the advice's guard)
            CaseSeat(dispute=dispute, user=user, role=role, appointed_at=timezone.now(), appointed_by=world.secretary)
            for user, role in ((world.chair, "chair"), (world.commission_member, "member"),
                               (world.commission_member2, "member"))
        ])
        cases[state] = dispute.pk
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_transition_from_every_state(ready_cases, name):
    for state in DisputeState.values:
        dispute = Dispute.objects.get(pk=ready_cases[state])
        method = getattr(dispute, name)
        expected = EXPECTED[name].get(state)
        if expected is None:
            with pytest.raises(TransitionNotAllowed):
                method(**KWARGS.get(name, dict)())
            assert dispute.state == state
        else:
            method(**KWARGS.get(name, dict)())
            assert dispute.state == (state if expected is SAME else expected), (name, state)


@pytest.mark.django_db
def test_state_cannot_be_assigned_directly(world):
    dispute = world.file()
    with pytest.raises(AttributeError):
        dispute.state = "decided"


@pytest.mark.django_db
def test_a_nakoming_case_without_notice_and_signed_agreement_cannot_be_submitted(world):
    from django.core.exceptions import ValidationError

    from disputes import services

    dispute = services.dispute_file(
        actor=world.tenant, agreement=world.agreement, kind="nakoming", applicants=[world.huurders],
        respondents=[world.corporatie], arose_on=date(2017, 1, 5), points=[{"title": "Nakoming nieuwbouw"}],
    )
    with pytest.raises(ValidationError) as err:
        services.dispute_submit(dispute=dispute, actor=world.tenant)
    text = " ".join(err.value.messages)
    assert "ingebrekestelling" in text and "ondertekende prestatieafspraken" in text
    assert Dispute.objects.get(pk=dispute.pk).state == "draft"
    assert Dispute.objects.get(pk=dispute.pk).case_number is None


@pytest.mark.django_db
def test_a_nakoming_case_with_notice_and_signed_agreement_is_submitted(world):
    from disputes import services

    dispute = world.file(kind="nakoming", documents=[factories.pdf("verzoek"),
                                                     factories.pdf("ondertekende_prestatieafspraken")])
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    assert Dispute.objects.get(pk=dispute.pk).state == "submitted"
