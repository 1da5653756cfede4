"""The deadline engine on cases: suspension, repeated extension, enforcement and reminders."""

from datetime import date

import pytest
from django.core import mail

from disputes import clock, services
from disputes.errors import DeadlineError
from disputes.models import Deadline, Dispute, DisputeEvent
from tests.factories import case_in_state, moment, pdf
from workflow.tasks import enforce_deadlines

pytestmark = pytest.mark.django_db


def decision_due(dispute) -> date:
    return Deadline.objects.get(dispute=dispute, kind="decision").due


def test_repeated_extensions_each_add_up_to_four_weeks_and_are_explained(world):
    dispute = case_in_state(world, "exchange")  # decision due Monday 13-03-2017
    services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=4, reason="hoorzitting")
    assert decision_due(dispute) == date(2017, 4, 10)
    clock.set_now(moment("2017-04-10 16:00"))  # the last day of the term: still in time
    services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=2, reason="advies")
    # 10-04 + 2 weeks = 24-04-2017, a Monday after Easter Monday 17-04: no Atw extension needed
    assert decision_due(dispute) == date(2017, 4, 24)
    explanation = Deadline.objects.get(dispute=dispute, kind="decision").explanation
    assert sum("verlengd met" in line for line in explanation) == 2
    events = DisputeEvent.objects.filter(dispute=dispute, kind="extend_decision_term")
    assert [e.payload["due"] for e in events] == ["2017-04-10", "2017-04-24"]


def test_an_extension_after_the_term_is_refused_and_changes_nothing(world):
    dispute = case_in_state(world, "exchange")
    clock.set_now(moment("2017-03-14 09:00"))
    with pytest.raises(DeadlineError, match="verstreken"):
        services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=1)
    assert decision_due(dispute) == date(2017, 3, 13)


def test_extension_notice_reaches_every_party(world, django_capture_on_commit_callbacks):
    dispute = case_in_state(world, "exchange")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=3, reason="drukte")
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.nl", "bert@example.nl", "gerda@example.nl"]


def test_the_periodic_task_closes_the_response_round_after_its_deadline_once(world):
    dispute = case_in_state(world, "awaiting_response")  # response due 15-02-2017
    clock.set_now(moment("2017-02-15 23:00"))
    enforce_deadlines()
    assert Dispute.objects.get(pk=dispute.pk).state == "awaiting_response"
    clock.set_now(moment("2017-02-16 00:05"))
    first = enforce_deadlines()
    second = enforce_deadlines()
    assert first["dispute_close_responses"] == 1 and second["dispute_close_responses"] == 0
    assert Dispute.objects.get(pk=dispute.pk).state == "exchange"
    assert DisputeEvent.objects.filter(dispute=dispute, kind="close_responses").count() == 1


def test_parties_are_reminded_three_working_days_before_their_deadline_once(
    world, django_capture_on_commit_callbacks
):
    dispute = case_in_state(world, "awaiting_response")  # response due Wednesday 15-02-2017
    services.dispute_respond(dispute=dispute, actor=world.gem_user, documents=[pdf("verweerschrift")])
    mail.outbox.clear()
    clock.set_now(moment("2017-02-09 08:00"))  # Thursday: 4 working days left
    with django_capture_on_commit_callbacks(execute=True):
        assert enforce_deadlines()["party"] == 0
    clock.set_now(moment("2017-02-10 08:00"))  # Friday: 3 working days left (Mon, Tue, Wed)
    with django_capture_on_commit_callbacks(execute=True):
        assert enforce_deadlines()["party"] == 1
        assert enforce_deadlines()["party"] == 0
    # only the respondent that has not answered yet
    assert [m.to for m in mail.outbox] == [["bert@example.nl"]]
    assert "15-02-2017" in mail.outbox[0].body


def test_staff_are_warned_when_the_decision_deadline_nears_and_when_it_passed(
    world, django_capture_on_commit_callbacks
):
    dispute = case_in_state(world, "exchange")  # decision due 13-03-2017
    mail.outbox.clear()
    clock.set_now(moment("2017-02-27 08:00"))  # 10 working days before 13-03
    with django_capture_on_commit_callbacks(execute=True):
        result = enforce_deadlines()
    assert result["staff_near"] == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["official2@example.nl", "official@example.nl", "sec@example.nl"]
    clock.set_now(moment("2017-03-14 08:00"))
    with django_capture_on_commit_callbacks(execute=True):
        assert enforce_deadlines()["staff_passed"] == 1
        assert enforce_deadlines()["staff_passed"] == 0
    staff_events = DisputeEvent.objects.filter(dispute=dispute, kind="reminder")
    assert set(staff_events.values_list("visibility", flat=True)) == {"internal"}
