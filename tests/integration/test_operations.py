"""What each person may do on a case, from the one operations table (issue 11), as the services apply it."""

import pytest

from disputes import clock, permissions, services
from disputes.errors import NotPermitted, OperationNotAllowed
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


def test_available_actions_in_the_response_round_per_person(world):
    dispute = case_in_state(world, "awaiting_response")
    available = {name: permissions.available_actions(getattr(world, name), dispute)
                 for name in ("tenant", "corp_user", "secretary", "chair", "commission_member", "official", "outsider")}
    # and each party authorises representatives (gemachtigden) for the case and ends them
    representatives = {"request_representation", "end_representation"}
    assert available["tenant"] == {"withdraw", "record_effort", "add_document", "submit_documents", *representatives}
    assert available["corp_user"] == {"respond", "record_effort", "add_document", "submit_documents",
                                      *representatives}
    assert available["secretary"] == {"settle", "close_responses", "allow_late_response", "send_reminder",
                                      "add_document", "compose_commission", "replace_commission_seat",
                                      "check_representation", "end_representation", "send_letter"}
    assert available["chair"] == {"add_document", "recuse"}
    assert available["commission_member"] == {"add_document", "recuse"}
    assert available["official"] == {"extend_decision_term", "add_document", "send_letter"}
    assert available["outsider"] == set()


def test_available_actions_follow_the_state(world):
    dispute = case_in_state(world, "hearing_scheduled")
    assert {"reschedule_hearing", "record_hearing"} <= permissions.available_actions(world.secretary, dispute)
    assert "schedule_hearing" not in permissions.available_actions(world.secretary, dispute)
    decided = case_in_state(world, "decided")
    # after the decision a party can still end a representation (so the person sees the case no more)
    assert permissions.available_actions(world.tenant, decided) == {"end_representation"}
    assert "add_document" in permissions.available_actions(world.secretary, decided)


def test_an_operation_out_of_its_states_is_refused_as_such_and_a_stranger_as_not_permitted(world):
    dispute = case_in_state(world, "exchange")
    with pytest.raises(OperationNotAllowed, match="verweerronde"):
        services.dispute_allow_late_response(dispute=dispute, actor=world.secretary,
                                             organisation=world.corporatie)
    with pytest.raises(NotPermitted):
        services.dispute_allow_late_response(dispute=dispute, actor=world.chair, organisation=world.corporatie)


@pytest.mark.parametrize("operation", ["allow_late_response", "recuse"])
def test_every_change_to_a_case_makes_open_forms_stale(world, operation):
    """ADR 0005: the version goes up with every change; these two forgot it."""
    dispute = case_in_state(world, "awaiting_response")
    before = dispute.version
    if operation == "allow_late_response":
        services.dispute_allow_late_response(dispute=dispute, actor=world.secretary, organisation=world.corporatie)
    else:
        services.dispute_recuse(dispute=dispute, actor=world.commission_member, reason="Eerder adviseur geweest")
    dispute.refresh_from_db()
    assert dispute.version == before + 1
    assert dispute.events.order_by("-at", "-pk").first().kind in {"late_response_allowed", "recused"}


def test_a_question_is_paired_with_its_own_deadline_by_id(world, at):
    """Another information deadline between two questions (here: one set by hand, as a data repair would)
    used to shift the pairing by order: the second question showed the first party's deadline."""
    from datetime import date

    from disputes import selectors
    from disputes.models import Deadline, DeadlineKind

    dispute = case_in_state(world, "exchange")
    services.dispute_request_information(dispute=dispute, actor=world.secretary, party=world.corporatie,
                                         question="Welke woningen zijn verkocht?")
    Deadline.objects.create(dispute=dispute, kind=DeadlineKind.INFORMATION, organisation=world.gemeente,
                            starts_on=date(2017, 2, 1), nominal_end=date(2017, 2, 15), due=date(2017, 2, 15),
                            explanation=["met de hand"], created_at=clock.now())
    services.dispute_request_information(dispute=dispute, actor=world.secretary, party=world.huurders,
                                         question="Wanneer was het laatste overleg?")
    requests = selectors.information_requests(dispute)
    assert [(r.question, r.deadline.organisation) for r in requests] == [
        ("Welke woningen zijn verkocht?", world.corporatie),
        ("Wanneer was het laatste overleg?", world.huurders),
    ]


def test_the_secretary_calls_off_a_planned_hearing(client, world, django_capture_on_commit_callbacks):
    """The example of a new operation (issue 11): one row in TRANSITIONS, one service, this test."""
    from django.core import mail
    from django.urls import reverse
    from django_fsm import TransitionNotAllowed
    from viewflow.workflow.models import Task

    from disputes.models import Dispute

    dispute = case_in_state(world, "hearing_scheduled")
    client.force_login(world.tenant)
    action = reverse("workflow:case-action", args=[dispute.pk, "hoorzitting-afzeggen"])
    assert client.get(action).status_code in (403, 404)  # a party never sees the staff pages
    client.force_login(world.secretary)
    assert "hoorzitting-afzeggen" in client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    form = {"hoorzitting-afzeggen-expected_version": dispute.version, "hoorzitting-afzeggen-reason": ""}
    refused = client.post(action, form)  # a reason is required
    assert refused.status_code == 200 and "verplicht" in refused.content.decode()
    assert Dispute.objects.get(pk=dispute.pk).state == "hearing_scheduled"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, {**form, "hoorzitting-afzeggen-reason": "De voorzitter is ziek"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == "exchange"
    assert dispute.events.filter(kind="cancel_hearing", payload__reason="De voorzitter is ziek").count() == 1
    open_tasks = {t.flow_task.name for t in Task.objects.filter(process__disputeprocess__dispute=dispute,
                                                                  finished__isnull=True)}
    assert open_tasks == {"plan_hearing", "choose_written_procedure"}
    told = [m for m in mail.outbox if "hoorzitting gaat niet door" in m.subject]
    assert len(told) == 3 and all("De voorzitter is ziek" in m.body for m in told)  # every party member
    with pytest.raises(TransitionNotAllowed):  # nothing planned any more
        services.dispute_cancel_hearing(dispute=dispute, actor=world.secretary, reason="nog eens")
