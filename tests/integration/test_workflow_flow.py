"""Every route through the procedure keeps the flow (viewflow tasks) in step with the legal state.

Staff steps are done through the task pages (as a secretary, chair or official would) or through
the services directly (as the scenario runner and the portal do); party and system steps go
through the services and the periodic task. After every step the open tasks of the case's process
must be exactly the ones its state calls for (``assert_in_step``).
"""

from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from disputes import clock, services
from disputes.models import Dispute, DisputeEvent
from tests.factories import case_in_state, moment, pdf, pdf_bytes
from workflow import sync
from workflow.flows import expected_nodes, open_node_names
from workflow.tasks import enforce_deadlines, resync_processes

pytestmark = pytest.mark.django_db

#: what a case in each state must have open (written out, not derived, so the mapping is tested too)
OPEN = {
    "submitted": {"register"},
    "admissibility_review": {"assess_admissibility"},
    "awaiting_remedy": {"await_remedy"},
    "effort_review": {"review_efforts"},
    "awaiting_response": {"await_responses"},
    "exchange": {"plan_hearing", "choose_written_procedure"},
    "hearing_scheduled": {"record_hearing"},
    "deliberation": {"prepare_advice"},
    "advice_issued": {"draft_decision"},
    "decided": {"await_objection"},
    "withdrawn": set(),
    "settled": set(),
    "closed": set(),
}


@pytest.fixture(autouse=True)
def _strict(settings):
    settings.WORKFLOW_STRICT = True


def fresh(dispute) -> Dispute:
    return Dispute.objects.get(pk=dispute.pk)


def assert_in_step(dispute, state: str, tasks: set[str] | None = None) -> Dispute:
    """The case is in ``state`` and its process has exactly the expected open tasks."""
    dispute = fresh(dispute)
    assert dispute.state == state
    process = sync.process_of(dispute)
    assert process is not None, "a submitted case has a process"
    wanted = OPEN[state] if tasks is None else tasks
    assert open_node_names(process) == wanted, (state, open_node_names(process), wanted)
    assert set(expected_nodes(dispute)) == wanted
    process.refresh_from_db()
    if state in ("withdrawn", "settled", "closed"):
        assert process.status == PROCESS.DONE and process.finished is not None
    else:
        assert process.status != PROCESS.DONE
    return dispute


def open_task(dispute, name: str) -> Task:
    return next(
        t for t in Task.objects.filter(process__disputeprocess__dispute=dispute, finished__isnull=True)
        if t.flow_task.name == name
    )


def upload(doc_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{doc_type}.pdf", pdf_bytes(1, doc_type), content_type="application/pdf")


class Desk:
    """A staff member working through the task pages with the test client."""

    def __init__(self, client, user):
        self.client, self.user = client, user

    def take(self, dispute, name: str):
        self.client.force_login(self.user)
        task = open_task(dispute, name)
        response = self.client.post(reverse("workflow:task-assign", args=[dispute.pk, task.pk]), {"action": "take"})
        assert response.status_code == 302
        return task

    def do(self, dispute, name: str, action: str, point=None, **data):
        self.client.force_login(self.user)
        task = open_task(dispute, name)
        prefix = action if point is None else f"{action}-p{point}"
        payload = {"action": action, f"{prefix}-expected_version": fresh(dispute).version}
        if point is not None:
            payload["point"] = point
        payload.update({f"{prefix}-{key}": value for key, value in data.items()})
        return self.client.post(reverse("workflow:task", args=[dispute.pk, task.pk]), payload)

    def ok(self, *args, **kwargs):
        response = self.do(*args, **kwargs)
        assert response.status_code == 302, response.content.decode()[:4000]
        return response


def test_happy_path_with_hearing_through_the_task_pages(client, world, django_capture_on_commit_callbacks):
    """Filing to closing: every staff step on its task page, parties and the system through services."""
    sec, chair, official, official2 = (Desk(client, u) for u in (world.secretary, world.chair, world.official,
                                                                  world.official2))
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = world.file(points=("p1", "p2"))
    assert sync.process_of(dispute) is None, "a draft has no process"
    clock.set_now(moment("2017-01-16 10:05"))
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    dispute = assert_in_step(dispute, "submitted")
    assert open_task(dispute, "register").status == STATUS.NEW  # in the secretariat's queue

    clock.set_now(moment("2017-01-17 09:00"))
    sec.take(dispute, "register")
    assert open_task(dispute, "register").owner == world.secretary
    sec.ok(dispute, "register", "start_review")
    dispute = assert_in_step(dispute, "admissibility_review")
    assert open_task(dispute, "assess_admissibility").owner == world.secretary, "the case worker keeps the case"

    sec.ok(dispute, "assess_admissibility", "point_admissibility", point=1, admissible="1")
    assert_in_step(dispute, "admissibility_review")  # the task stays open between the points
    sec.ok(dispute, "assess_admissibility", "point_admissibility", point=2, admissible="1", note="Binnen de termijn")
    sec.ok(dispute, "assess_admissibility", "pass_admissibility")
    dispute = assert_in_step(dispute, "effort_review")

    clock.set_now(moment("2017-01-18 09:00"))
    sec.ok(dispute, "review_efforts", "assess_efforts", sufficient="1", reason="Logboek toont overleg en mediation")
    assert_in_step(dispute, "effort_review")
    sec.ok(dispute, "review_efforts", "accept")
    dispute = assert_in_step(dispute, "awaiting_response")
    # the secretary seats the commission for the case on its case-action page (ADR 0017)
    client.force_login(world.secretary)
    response = client.post(reverse("workflow:case-action", args=[dispute.pk, "commissie"]), {
        "commissie-expected_version": fresh(dispute).version, "commissie-chair": world.chair.pk,
        "commissie-members": [world.commission_member.pk, world.commission_member2.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]

    clock.set_now(moment("2017-02-01 10:00"))
    services.dispute_respond(dispute=dispute, actor=world.corp_user, documents=[pdf("verweerschrift")])
    dispute = assert_in_step(dispute, "awaiting_response")
    services.dispute_respond(dispute=dispute, actor=world.gem_user, positions={"p1": "Wij zien het anders"})
    dispute = assert_in_step(dispute, "exchange")  # the last response closed the round by itself
    assert open_task(dispute, "plan_hearing").owner == world.secretary
    assert open_task(dispute, "choose_written_procedure").owner is None  # the chair's queue

    sec.ok(dispute, "plan_hearing", "request_information", party=str(world.corporatie.pk),
           question="Stuur de begroting 2017.", deadline="2017-02-15")
    assert_in_step(dispute, "exchange")  # asking for information keeps the task open
    with django_capture_on_commit_callbacks(execute=True):
        sec.ok(dispute, "plan_hearing", "schedule_hearing", hearing_at="2017-03-06T10:00",
               place="Den Haag, Turfmarkt 147", invitation=upload("uitnodiging_hoorzitting"))
    dispute = assert_in_step(dispute, "hearing_scheduled")
    assert Task.objects.get(process__disputeprocess__dispute=dispute, flow_task_type="HUMAN",
                            status=STATUS.CANCELED).flow_task.name == "choose_written_procedure"
    invitations = [m for m in mail.outbox if m.attachments and m.attachments[0][0] == "hoorzitting.ics"]
    assert sorted(m.to[0] for m in invitations) == ["anna@example.nl", "bert@example.nl", "chair@example.nl",
                                                    "gerda@example.nl", "lid2@example.nl", "lid@example.nl"]

    clock.set_now(moment("2017-03-06 15:00"))
    sec.ok(dispute, "record_hearing", "record_hearing", minutes=upload("verslag_hoorzitting"))
    dispute = assert_in_step(dispute, "deliberation")

    chair.take(dispute, "prepare_advice")
    for number in (1, 2):
        chair.ok(dispute, "prepare_advice", "point_advise", point=number, finding="not_manifestly_unreasonable",
                 recommendation="Hervat het overleg")
    # the question of the written round was never answered: the chair says why the commission advises now
    chair.ok(dispute, "prepare_advice", "issue_advice", advice=upload("advies"),
             open_requests_reason="De begroting is voor het advies niet nodig.")
    dispute = assert_in_step(dispute, "advice_issued")

    clock.set_now(moment("2017-03-08 09:00"))
    official.take(dispute, "draft_decision")
    official.ok(dispute, "draft_decision", "point_decide", point=1, follow_advice="1")
    official.ok(dispute, "draft_decision", "point_decide", point=2, follow_advice="0",
                decision="manifestly_unreasonable", reason="De corporatie heeft het bod niet onderbouwd")
    official.ok(dispute, "draft_decision", "draft_decision", draft=upload("bindende_uitspraak"))
    dispute = assert_in_step(dispute, "advice_issued", {"adopt_decision"})
    adopt = open_task(dispute, "adopt_decision")
    assert adopt.owner is None, "the adoption goes to the queue, not back to the drafter"
    client.force_login(world.official)
    refused = client.post(reverse("workflow:task-assign", args=[dispute.pk, adopt.pk]), {"action": "take"})
    assert refused.status_code == 403, "the drafter cannot take the adoption (four eyes)"

    official2.take(dispute, "adopt_decision")
    official2.ok(dispute, "adopt_decision", "decide", decision=upload("bindende_uitspraak"))
    dispute = assert_in_step(dispute, "decided")
    assert dispute.decision_adopted_by == world.official2

    # the objection term (6 weeks, until 19-04) and the week of Awb 6:9 lid 2 after it (until 26-04) have passed
    clock.set_now(moment("2017-04-27 09:00"))
    enforce_deadlines()
    assert_in_step(dispute, "closed")
    done = Task.objects.filter(process__disputeprocess__dispute=dispute, flow_task_type="HUMAN", status=STATUS.DONE)
    assert {t.flow_task.name: t.owner.username for t in done} == {
        "register": "sec", "assess_admissibility": "sec", "review_efforts": "sec", "plan_hearing": "sec",
        "record_hearing": "sec", "prepare_advice": "chair", "draft_decision": "official",
        "adopt_decision": "official2",
    }


def test_without_hearing_through_the_services_as_the_scenario_runner_does(world):
    """The chair's written procedure; every step by a direct service call, the flow follows each one."""
    dispute = case_in_state(world, "exchange")
    assert_in_step(dispute, "exchange")
    services.dispute_skip_hearing(dispute=dispute, actor=world.chair, reason="De stukken zijn duidelijk")
    dispute = assert_in_step(dispute, "deliberation")
    skipped = Task.objects.get(process__disputeprocess__dispute=dispute, status=STATUS.DONE,
                               flow_task_type="HUMAN", owner=world.chair)
    assert skipped.flow_task.name == "choose_written_procedure", "done through another door, owner recorded"
    for point in dispute.points.all():
        services.point_advise(point=point, actor=world.chair, finding="not_manifestly_unreasonable")
    assert_in_step(dispute, "deliberation")
    services.dispute_issue_advice(dispute=dispute, actor=world.chair, documents=[pdf("advies")])
    dispute = assert_in_step(dispute, "advice_issued")
    for point in dispute.points.all():
        services.point_decide(point=point, actor=world.official, follow_advice=True)
    services.dispute_draft_decision(dispute=dispute, actor=world.official, documents=[pdf("bindende_uitspraak")])
    dispute = assert_in_step(dispute, "advice_issued", {"adopt_decision"})
    services.dispute_decide(dispute=dispute, actor=world.official2, documents=[pdf("bindende_uitspraak")])
    dispute = assert_in_step(dispute, "decided")
    clock.set_now(moment("2017-04-20 09:00"))
    services.dispute_close(dispute=dispute, actor=None)
    assert_in_step(dispute, "closed")


def test_inadmissible_as_a_whole(client, world):
    """Every point inadmissible: the official gets a task next to the secretary's, and decides."""
    dispute = case_in_state(world, "admissibility_review")
    sec, official = Desk(client, world.secretary), Desk(client, world.official)
    sec.ok(dispute, "assess_admissibility", "point_admissibility", point=1, admissible="0", reasons=["A1", "A3"])
    dispute = assert_in_step(dispute, "admissibility_review", {"assess_admissibility", "declare_inadmissible"})
    response = sec.do(dispute, "assess_admissibility", "pass_admissibility")
    assert response.status_code == 400 and "Geen enkel geschilpunt is ontvankelijk" in response.content.decode()
    official.take(dispute, "declare_inadmissible")
    page = client.get(reverse("workflow:task", args=[dispute.pk, open_task(dispute, "declare_inadmissible").pk]))
    assert page.context["sections"][0]["form"].initial["p1_reasons"] == ["A1", "A3"]  # proposed from the points
    # the Minister's decision gives the reasons per point in words (Awb 3:46; issue 12)
    response = official.do(dispute, "declare_inadmissible", "declare_inadmissible", p1_reasons=["A1", "A3"],
                           notice=upload("mededeling_ontvankelijkheid"))
    assert response.status_code in (200, 400) and "Motiveer in woorden" in response.content.decode()
    official.ok(dispute, "declare_inadmissible", "declare_inadmissible", p1_reasons=["A1", "A3"],
                p1_note="Te laat ingediend, en het gaat over de inhoud van het gemeentelijk beleid.",
                notice=upload("mededeling_ontvankelijkheid"))
    dispute = assert_in_step(dispute, "decided")
    assert dispute.inadmissibility_reasons == ["A1", "A3"]
    canceled = Task.objects.get(process__disputeprocess__dispute=dispute, status=STATUS.CANCELED)
    assert canceled.flow_task.name == "assess_admissibility"


def test_revising_a_point_withdraws_the_officials_task_again(world):
    dispute = case_in_state(world, "admissibility_review")
    point = dispute.points.get()
    services.point_decide_admissibility(point=point, actor=world.secretary, admissible=False, reasons=["A2"])
    assert_in_step(dispute, "admissibility_review", {"assess_admissibility", "declare_inadmissible"})
    services.point_decide_admissibility(point=point, actor=world.secretary, admissible=True)
    assert_in_step(dispute, "admissibility_review")


def test_partly_inadmissible(world):
    """One point out (A3), the other judged on the merits, like Rotterdam/De Brug 2020."""
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = world.file(points=("investeringen", "beleid"))
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    services.dispute_start_review(dispute=dispute, actor=world.secretary)
    invest, policy = dispute.points.order_by("number")
    services.point_decide_admissibility(point=invest, actor=world.secretary, admissible=True)
    services.point_decide_admissibility(point=policy, actor=world.secretary, admissible=False, reasons=["A3"])
    assert_in_step(dispute, "admissibility_review")  # not all inadmissible: no task for the official
    services.dispute_pass_admissibility(dispute=dispute, actor=world.secretary)
    assert_in_step(dispute, "effort_review")
    services.dispute_assess_efforts(dispute=dispute, actor=world.secretary, sufficient=True, reason="Voldoende")
    services.dispute_accept(dispute=dispute, actor=world.secretary)
    assert_in_step(dispute, "awaiting_response")
    services.dispute_compose_commission(dispute=fresh(dispute), actor=world.secretary, chair=world.chair,
                                        members=[world.commission_member, world.commission_member2])
    clock.set_now(moment("2017-02-16 09:00"))  # response term passed without any response
    enforce_deadlines()
    assert_in_step(dispute, "exchange")
    services.dispute_skip_hearing(dispute=dispute, actor=world.chair, reason="Schriftelijk")
    services.point_advise(point=invest, actor=world.chair, finding="not_manifestly_unreasonable")
    services.dispute_issue_advice(dispute=dispute, actor=world.chair, documents=[pdf("advies")])
    services.point_decide(point=invest, actor=world.official, follow_advice=True)
    # the secretariat's verdict on the policy point is a proposal: the Minister decides it too (issue 12)
    services.point_decide(point=policy, actor=world.official, follow_advice=True)
    services.dispute_decide(dispute=dispute, actor=world.official2, documents=[pdf("bindende_uitspraak")])
    assert_in_step(dispute, "decided")


def test_remedy_supplied_returns_to_the_same_review(client, world):
    dispute = case_in_state(world, "admissibility_review")
    Desk(client, world.secretary).ok(
        dispute, "assess_admissibility", "request_remedy", reason="De machtiging ontbreekt", deadline="2017-02-03",
        letter=upload("verzoek_herstel"),
    )
    dispute = assert_in_step(dispute, "awaiting_remedy")
    clock.set_now(moment("2017-01-25 11:00"))
    services.dispute_supply_remedy(dispute=dispute, actor=world.tenant, documents=[pdf("machtiging")])
    dispute = assert_in_step(dispute, "admissibility_review")
    assert open_task(dispute, "assess_admissibility").owner == world.secretary
    assert fresh(dispute).remedy_supplied is True


def test_remedy_lapsed_in_the_effort_review(world):
    dispute = case_in_state(world, "effort_review")
    services.dispute_request_remedy(dispute=dispute, actor=world.secretary, reason="Verslag overleg ontbreekt",
                                    deadline=date(2017, 1, 31))
    assert_in_step(dispute, "awaiting_remedy")
    clock.set_now(moment("2017-02-01 09:00"))
    enforce_deadlines()
    dispute = assert_in_step(dispute, "effort_review")
    assert dispute.remedy_supplied is False
    wait = Task.objects.get(process__disputeprocess__dispute=dispute, status=STATUS.DONE, flow_task_type="FUNCTION")
    assert wait.flow_task.name == "await_remedy" and wait.data["completed_by_event"] == "lapse_remedy"


def test_insufficient_efforts_give_the_official_a_task_until_reassessed(world):
    dispute = case_in_state(world, "effort_review")
    services.dispute_assess_efforts(dispute=dispute, actor=world.secretary, sufficient=False, reason="Geen overleg")
    assert_in_step(dispute, "effort_review", {"review_efforts", "declare_inadmissible"})
    services.dispute_assess_efforts(dispute=dispute, actor=world.secretary, sufficient=True, reason="Toch wel")
    assert_in_step(dispute, "effort_review")
    services.dispute_assess_efforts(dispute=dispute, actor=world.secretary, sufficient=False, reason="Toch niet")
    services.dispute_declare_inadmissible(dispute=dispute, actor=world.official, reasons=["A6"])
    assert_in_step(dispute, "decided")


@pytest.mark.parametrize("state", ["submitted", "awaiting_remedy", "exchange", "hearing_scheduled", "advice_issued"])
def test_withdrawal_in_any_open_state_ends_the_process(world, state):
    dispute = case_in_state(world, state)
    assert_in_step(dispute, state, None if state != "advice_issued" else {"draft_decision"})
    were_open = list(Task.objects.filter(process__disputeprocess__dispute=dispute, finished__isnull=True))
    services.dispute_withdraw(dispute=dispute, actor=world.tenant, reason="Overleg hervat")
    assert_in_step(dispute, "withdrawn")
    for task in were_open:
        task.refresh_from_db()
        assert task.status == STATUS.CANCELED and task.data["canceled_by"] == "withdraw"


def test_settled_on_the_case_page(client, world):
    dispute = case_in_state(world, "hearing_scheduled")
    client.force_login(world.secretary)
    url = reverse("workflow:case-action", args=[dispute.pk, "schikking"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"schikking-expected_version": dispute.version, "schikking-basis": "agreement",
                                 "schikking-signed_by": [world.huurders.pk, world.corporatie.pk, world.gemeente.pk],
                                 "schikking-document": upload("vaststellingsovereenkomst")})
    assert response.status_code == 302
    assert_in_step(dispute, "settled")


def test_extension_in_time_keeps_the_tasks_and_a_late_one_is_refused_on_the_page(client, world):
    dispute = case_in_state(world, "exchange")  # decision due Monday 13-03-2017
    client.force_login(world.official)
    url = reverse("workflow:case-action", args=[dispute.pk, "verlengen"])
    response = client.post(url, {"verlengen-expected_version": dispute.version, "verlengen-weeks": 4,
                                 "verlengen-reason": "Hoorzitting"})
    assert response.status_code == 302
    assert_in_step(dispute, "exchange")
    clock.set_now(moment("2017-04-11 09:00"))  # the extended term ended on 10-04-2017
    late = client.post(url, {"verlengen-expected_version": fresh(dispute).version, "verlengen-weeks": 2,
                             "verlengen-reason": "Advies"})
    assert late.status_code == 400
    assert "verlengen kan alleen vóór het einde van de termijn" in late.content.decode()
    assert DisputeEvent.objects.filter(dispute=dispute, kind="extend_decision_term").count() == 1
    assert_in_step(dispute, "exchange")


def test_the_periodic_task_repairs_a_process_that_fell_out_of_step(world):
    dispute = case_in_state(world, "effort_review")
    task = open_task(dispute, "review_efforts")
    task.flow_task.activation_class(task).cancel()  # e.g. canceled by hand in the admin
    assert open_node_names(sync.process_of(dispute)) == set()
    assert enforce_deadlines()["resync_processes"] == 1
    assert_in_step(dispute, "effort_review")
    assert enforce_deadlines()["resync_processes"] == 0


@pytest.mark.parametrize(
    ("before", "when", "end", "left_open", "kind", "ended_as"),
    [
        ("admissibility_review", "2017-01-18 09:00", lambda w, d: services.dispute_withdraw(dispute=d, actor=w.tenant),
         {"assess_admissibility"}, "withdraw", STATUS.CANCELED),
        ("exchange", "2017-02-21 09:00", lambda w, d: services.dispute_settle(
            dispute=d, actor=w.secretary, basis="agreement", signed_by=[w.huurders, w.corporatie, w.gemeente],
            documents=[pdf("vaststellingsovereenkomst")]),
         {"plan_hearing", "choose_written_procedure"}, "settle", STATUS.CANCELED),
        ("decided", "2017-04-20 09:00", lambda w, d: services.dispute_close(dispute=d, actor=None),
         {"await_objection"}, "close", STATUS.DONE),
    ],
    ids=["withdrawn", "settled", "closed"],
)
def test_the_periodic_task_ends_the_process_of_a_case_that_ended_while_its_follow_up_failed(
    world, settings, monkeypatch, before, when, end, left_open, kind, ended_as
):
    """Given a case that ended (withdrawn, settled, closed) while following its event failed (a bug: the
    legal step commits, the receiver logs), so its tasks stayed open and its process running, when the
    periodic task runs, then the tasks end as the follow-up would have ended them (canceled by the event,
    or completed by it as the closing completes the wait for objections), the process is done, and a
    second run changes nothing."""
    dispute = case_in_state(world, before)
    settings.WORKFLOW_STRICT = False

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in following the event")

    monkeypatch.setattr(sync, "on_event", broken)
    clock.set_now(moment(when))
    end(world, fresh(dispute))
    monkeypatch.undo()
    dispute = fresh(dispute)
    process = sync.process_of(dispute)
    assert open_node_names(process) == left_open and process.status != PROCESS.DONE  # the follow-up failed

    settings.WORKFLOW_STRICT = True
    assert resync_processes() == 1
    assert_in_step(dispute, dispute.state)
    for task in Task.objects.filter(process_id=process.pk, flow_task_type__in=["HUMAN", "FUNCTION"]):
        if task.flow_task.name in left_open:
            assert task.status == ended_as, (task.flow_task.name, task.status)
            assert kind in (task.data.get("canceled_by"), task.data.get("completed_by_event")), task.data
    assert resync_processes() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks only exist on PostgreSQL")
def test_a_task_page_and_a_party_racing_on_one_case_give_one_winner_and_a_flow_in_step(client, world):
    """The flow lock takes the dispute row first, like the services: no deadlock, one winner, a 409."""
    import threading

    dispute = case_in_state(world, "admissibility_review")
    task = open_task(dispute, "assess_admissibility")
    client.force_login(world.secretary)
    version = fresh(dispute).version
    moment_now = clock.now()
    barrier = threading.Barrier(2)
    results = [None, None]

    def page():
        clock.set_now(moment_now)
        barrier.wait()
        try:
            results[0] = client.post(reverse("workflow:task", args=[dispute.pk, task.pk]), {
                "action": "request_remedy", "request_remedy-expected_version": version,
                "request_remedy-reason": "Machtiging ontbreekt"}).status_code
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    def party():
        clock.set_now(moment_now)
        barrier.wait()
        try:
            results[1] = services.dispute_withdraw(dispute=dispute, actor=world.tenant, expected_version=version)
        except Exception as exc:  # noqa: BLE001 - inspected below
            results[1] = exc
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    threads = [threading.Thread(target=page), threading.Thread(target=party)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    page_won = results[0] == 302
    party_won = isinstance(results[1], Dispute)
    assert page_won != party_won, results
    assert results[0] in (302, 409)
    assert_in_step(dispute, "awaiting_remedy" if page_won else "withdrawn")
