"""The services: the whole route through the procedure, permissions, conflicts, deadlines, audit."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_fsm import TransitionNotAllowed

from disputes import clock, permissions, services
from disputes.errors import Conflict, DeadlineError, GuardFailed, ImmutableRecord, NotPermitted
from disputes.models import Deadline, Dispute, DisputeEvent, Document
from tests.factories import case_in_state, moment, pdf

pytestmark = pytest.mark.django_db


def fresh(dispute):
    return Dispute.objects.get(pk=dispute.pk)


def test_full_route_from_filing_to_closing_leaves_one_event_per_step(world):
    dispute = case_in_state(world, "closed")
    kinds = list(dispute.events.values_list("kind", flat=True))
    assert kinds[:3] == ["document_added", "drafted", "submit"]
    for name in ["start_review", "pass_admissibility", "accept", "close_responses", "skip_hearing",
                 "issue_advice", "decide", "close"]:
        assert kinds.count(name) == 1, name
    assert dispute.case_number == "GPA-2017-0001"
    assert dispute.events.filter(kind="close").get().actor is None  # the system closed it


def test_case_numbers_count_per_year(world):
    clock.set_now(moment("2017-01-16 10:00"))
    first = world.file()
    second = world.file()
    services.dispute_submit(dispute=second, actor=world.tenant)
    services.dispute_submit(dispute=first, actor=world.tenant)
    assert fresh(second).case_number == "GPA-2017-0001"
    assert fresh(first).case_number == "GPA-2017-0002"


def test_submission_sets_filing_and_decision_deadlines_with_explanations(world):
    dispute = case_in_state(world, "submitted")  # submitted Monday 16-01-2017, arose 05-01-2017
    decision = Deadline.objects.get(dispute=dispute, kind="decision")
    assert decision.due == date(2017, 3, 13)  # 8 weeks after 16-01-2017, a Monday
    assert decision.explanation
    filing = Deadline.objects.get(dispute=dispute, kind="filing")
    assert filing.due == date(2017, 2, 2) and filing.note == "tijdig ingediend"


def test_remedy_request_suspends_the_decision_term(world):
    dispute = case_in_state(world, "awaiting_remedy")  # requested on 17-01-2017
    clock.set_now(moment("2017-01-27 10:00"))  # completed 10 days later
    services.dispute_supply_remedy(dispute=dispute, actor=world.tenant, documents=[pdf("machtiging")])
    decision = Deadline.objects.get(dispute=dispute, kind="decision")
    # Awb 4:15: suspended from 18-01 until (not including) 27-01, 9 days: 13-03-2017 + 9 = 22-03-2017 (issue 12;
    # it counted 27-01 too, 10 days, 23-03-2017)
    assert decision.due == date(2017, 3, 22)
    assert any("opgeschort" in line for line in decision.explanation)
    assert fresh(dispute).state == "admissibility_review"
    assert fresh(dispute).remedy_supplied is True


def test_remedy_lapses_by_the_periodic_enforcement_and_is_idempotent(world):
    dispute = case_in_state(world, "awaiting_remedy")
    remedy = Deadline.objects.get(dispute=dispute, kind="remedy")
    clock.set_now(moment("2017-02-20 10:00"))
    assert remedy.due < clock.today()
    assert services.enforce_deadlines()["dispute_lapse_remedy"] == 1
    assert services.enforce_deadlines()["dispute_lapse_remedy"] == 0
    dispute = fresh(dispute)
    assert dispute.state == "admissibility_review" and dispute.remedy_supplied is False
    assert dispute.events.filter(kind="lapse_remedy").count() == 1


@pytest.mark.parametrize(
    ("transition", "who"),
    [("start_review", "tenant"), ("start_review", "chair"), ("start_review", "official"),
     ("start_review", "outsider"), ("start_review", "corp_user")],
)
def test_staff_transitions_refuse_actors_without_the_role(world, transition, who):
    dispute = case_in_state(world, "submitted")
    with pytest.raises(NotPermitted):
        services.TRANSITION_SERVICES[transition](dispute=dispute, actor=getattr(world, who))
    assert fresh(dispute).state == "submitted"
    assert not dispute.events.filter(kind=transition).exists()


def test_only_applicants_submit_and_withdraw(world):
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = world.file()
    for intruder in (world.corp_user, world.outsider, world.secretary):
        with pytest.raises(NotPermitted):
            services.dispute_submit(dispute=dispute, actor=intruder)
        with pytest.raises(NotPermitted):
            services.dispute_withdraw(dispute=dispute, actor=intruder)


def test_a_stale_form_is_a_conflict_and_changes_nothing(world):
    dispute = case_in_state(world, "submitted")
    seen = dispute.version
    services.dispute_start_review(dispute=dispute, actor=world.secretary, expected_version=seen)
    events = DisputeEvent.objects.filter(dispute=dispute).count()
    with pytest.raises(Conflict):
        services.dispute_withdraw(dispute=dispute, actor=world.tenant, expected_version=seen)
    assert fresh(dispute).state == "admissibility_review"
    assert DisputeEvent.objects.filter(dispute=dispute).count() == events


def test_the_second_of_two_identical_transitions_is_refused(world):
    dispute = case_in_state(world, "submitted")
    services.dispute_start_review(dispute=dispute, actor=world.secretary)
    with pytest.raises(TransitionNotAllowed):
        services.dispute_start_review(dispute=dispute, actor=world.secretary)
    assert dispute.events.filter(kind="start_review").count() == 1


def test_pass_admissibility_needs_every_point_decided_and_one_admissible(world):
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = world.file(points=("p1", "p2"))
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    services.dispute_start_review(dispute=dispute, actor=world.secretary)
    p1, p2 = fresh(dispute).points.all()
    services.point_decide_admissibility(point=p1, actor=world.secretary, admissible=False, reasons=["A3"])
    with pytest.raises(GuardFailed, match="Nog niet over elk geschilpunt"):
        services.dispute_pass_admissibility(dispute=dispute, actor=world.secretary)
    services.point_decide_admissibility(point=p2, actor=world.secretary, admissible=False, reasons=["A5"])
    with pytest.raises(GuardFailed, match="Geen enkel geschilpunt"):
        services.dispute_pass_admissibility(dispute=dispute, actor=world.secretary)
    with pytest.raises(ValidationError):
        services.point_decide_admissibility(point=p2, actor=world.secretary, admissible=False, reasons=[])
    with pytest.raises(ValidationError):
        services.point_decide_admissibility(point=p2, actor=world.secretary, admissible=False, reasons=["A10"])
    services.point_decide_admissibility(point=p2, actor=world.secretary, admissible=True)
    services.dispute_pass_admissibility(dispute=dispute, actor=world.secretary)
    assert fresh(dispute).state == "effort_review"


def test_decide_needs_a_decision_on_every_admissible_point(world):
    dispute = case_in_state(world, "advice_issued")
    with pytest.raises(GuardFailed):
        services.dispute_decide(dispute=dispute, actor=world.official, documents=[pdf("bindende_uitspraak")])
    assert fresh(dispute).state == "advice_issued"
    assert not Document.objects.filter(dispute=dispute, doc_type="bindende_uitspraak").exists()


def test_departing_from_the_advice_needs_a_reason(world):
    dispute = case_in_state(world, "advice_issued")
    point = dispute.points.get()
    with pytest.raises(ValidationError):
        services.point_decide(point=point, actor=world.official, follow_advice=False,
                              decision="manifestly_unreasonable")
    services.point_decide(point=point, actor=world.official, follow_advice=False, decision="manifestly_unreasonable",
                          reason="De Minister weegt het belang van betaalbaarheid zwaarder.")
    point.refresh_from_db()
    assert point.decision_finding == "manifestly_unreasonable" and point.decision_follows_advice is False


def test_the_drafter_of_a_decision_cannot_adopt_it(world):
    dispute = case_in_state(world, "advice_issued")
    services.point_decide(point=dispute.points.get(), actor=world.official, follow_advice=True)
    services.dispute_draft_decision(dispute=dispute, actor=world.official, documents=[pdf("bindende_uitspraak")])
    with pytest.raises(NotPermitted):
        services.dispute_decide(dispute=dispute, actor=world.official, documents=[pdf("bindende_uitspraak")])
    services.dispute_decide(dispute=dispute, actor=world.official2, documents=[pdf("bindende_uitspraak")])
    assert fresh(dispute).state == "decided"
    assert fresh(dispute).decision_adopted_by == world.official2


def test_responses_close_by_themselves_when_the_last_respondent_files(world):
    dispute = case_in_state(world, "awaiting_response")
    services.dispute_respond(dispute=dispute, actor=world.corp_user, documents=[pdf("verweerschrift")])
    assert fresh(dispute).state == "awaiting_response"
    with pytest.raises(GuardFailed):
        services.dispute_close_responses(dispute=dispute, actor=world.secretary)
    services.dispute_respond(dispute=dispute, actor=world.gem_user, positions={"p1": "Wij zien dat anders."})
    dispute = fresh(dispute)
    assert dispute.state == "exchange"
    assert dispute.events.get(kind="close_responses").actor is None


def test_a_late_response_is_refused_unless_the_secretary_allows_it(world):
    dispute = case_in_state(world, "awaiting_response")  # accepted 18-01-2017, due 15-02-2017
    clock.set_now(moment("2017-02-16 09:00"))
    with pytest.raises(DeadlineError):
        services.dispute_respond(dispute=dispute, actor=world.corp_user, documents=[pdf("verweerschrift")])
    services.dispute_allow_late_response(dispute=dispute, actor=world.secretary, organisation=world.corporatie)
    services.dispute_respond(dispute=dispute, actor=world.corp_user, documents=[pdf("verweerschrift")])
    assert fresh(dispute).parties.get(organisation=world.corporatie).responded_at is not None


def test_extension_adds_at_most_four_weeks_and_only_before_the_term_ends(world):
    dispute = case_in_state(world, "exchange")  # decision due 13-03-2017
    with pytest.raises(ValidationError):
        services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=5)
    services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=4, reason="hoorzitting")
    assert Deadline.objects.get(dispute=dispute, kind="decision").due == date(2017, 4, 10)
    clock.set_now(moment("2017-04-11 09:00"))
    with pytest.raises(DeadlineError):
        services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=2)
    assert dispute.events.filter(kind="extend_decision_term").count() == 1


def test_closing_waits_for_the_objection_term(world):
    dispute = case_in_state(world, "decided")  # decided 01-03-2017; objection due 12-04-2017
    clock.set_now(moment("2017-04-12 12:00"))
    with pytest.raises(GuardFailed):
        services.dispute_close(dispute=dispute, actor=None)
    assert services.enforce_deadlines()["dispute_close"] == 0
    clock.set_now(moment("2017-04-13 00:30"))  # a bezwaar posted in time may still arrive (Awb 6:9 lid 2)
    assert services.enforce_deadlines()["dispute_close"] == 0
    clock.set_now(moment("2017-04-20 00:30"))  # the week after the term has passed
    assert services.enforce_deadlines()["dispute_close"] == 1
    assert fresh(dispute).state == "closed"


def test_settlement_needs_the_settlement_document(world):
    dispute = case_in_state(world, "exchange")
    with pytest.raises(ValidationError):
        services.dispute_settle(dispute=dispute, actor=world.secretary, basis="agreement", documents=[pdf("overig")],
                                signed_by=[world.huurders, world.corporatie, world.gemeente])
    assert fresh(dispute).state == "exchange"


def test_parties_hear_about_transitions_by_email_once(world, django_capture_on_commit_callbacks):
    from disputes.tasks import notify_event

    with django_capture_on_commit_callbacks(execute=True):
        dispute = case_in_state(world, "submitted")
    event = dispute.events.get(kind="submit")
    recipients = sorted(m.to[0] for m in mail.outbox)
    # the party members, and the secretariat: a new filing (issue 16)
    assert recipients == ["anna@example.nl", "bert@example.nl", "gerda@example.nl", "sec@example.nl"]
    assert all(dispute.case_number in m.subject for m in mail.outbox)
    assert notify_event(event_id=event.pk) == 0  # a second run sends nothing
    assert len(mail.outbox) == 4


def test_the_audit_trail_cannot_be_changed_through_the_orm(world):
    dispute = case_in_state(world, "submitted")
    event = dispute.events.first()
    event.kind = "forged"
    with pytest.raises(ImmutableRecord):
        event.save()
    with pytest.raises(ImmutableRecord):
        event.delete()
    with pytest.raises(ImmutableRecord):
        DisputeEvent.objects.filter(pk=event.pk).update(kind="forged")
    with pytest.raises(ImmutableRecord):
        DisputeEvent.objects.all().delete()


def test_who_adds_documents_at_which_level(world):
    from tests.factories import staff

    dispute = case_in_state(world, "exchange")
    member = staff("lid2", "commission_member")
    levels = {name: permissions.upload_levels(user, dispute) for name, user in (
        ("applicant", world.tenant), ("respondent", world.corp_user), ("outsider", world.outsider),
        ("secretary", world.secretary), ("chair", world.chair), ("member", member), ("official", world.official))}
    assert levels == {
        "applicant": ("parties",), "respondent": ("parties",), "outsider": (),
        "secretary": ("parties", "commission", "internal"), "official": ("parties", "commission", "internal"),
        "chair": ("parties", "commission"),  # never a level the chair cannot read
        "member": ("commission",),  # the commission's own notes only
    }


def test_submitted_documents_are_immutable(world):
    dispute = case_in_state(world, "submitted")
    document = dispute.documents.get(doc_type="verzoek")
    document.display_name = "ander.pdf"
    with pytest.raises(ImmutableRecord):
        document.save()
    with pytest.raises(ImmutableRecord):
        document.delete()


@pytest.mark.parametrize("state", ["draft", "decided"])
def test_cases_are_never_hard_deleted(world, state):
    dispute = case_in_state(world, state)
    with pytest.raises(ImmutableRecord):
        dispute.delete()
    with pytest.raises(ImmutableRecord):
        Dispute.objects.filter(pk=dispute.pk).delete()
    assert Dispute.objects.filter(pk=dispute.pk).exists()


@pytest.mark.parametrize("attempt", ["wrong_actor", "wrong_state", "late"])
def test_a_failing_service_leaves_no_partial_writes_or_files(world, private_storage, attempt):
    from pathlib import Path

    dispute = case_in_state(world, "exchange")
    root = Path(private_storage.location)
    files_before = sorted(p for p in root.rglob("*") if p.is_file())
    docs_before, events_before = Document.objects.count(), DisputeEvent.objects.count()
    with pytest.raises((NotPermitted, TransitionNotAllowed, DeadlineError)):
        if attempt == "wrong_actor":
            services.dispute_settle(dispute=dispute, actor=world.tenant, documents=[pdf("vaststellingsovereenkomst")])
        elif attempt == "wrong_state":  # the remedy letter is stored, then the transition is refused
            services.dispute_request_remedy(dispute=dispute, actor=world.secretary, reason="x",
                                            documents=[pdf("verzoek_herstel")])
        else:  # the notice is stored, then the extension turns out to be too late
            clock.set_now(moment("2017-06-01 09:00"))
            services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=2,
                                                  documents=[pdf("verlengingsbericht")])
    assert Document.objects.count() == docs_before
    assert DisputeEvent.objects.count() == events_before
    assert sorted(p for p in root.rglob("*") if p.is_file()) == files_before
