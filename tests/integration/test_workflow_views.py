"""The staff pages under /werk/: access, the worklist, assignment, errors, recusal, invitations."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from disputes import clock, selectors, services
from disputes.atw import format_date_nl
from disputes.errors import NotPermitted, OperationNotAllowed
from disputes.models import Dispute, DisputeEvent
from tests.factories import case_in_state, moment, pdf, pdf_bytes, staff
from workflow import ical, worklist
from workflow.models import CommissionSeat, HearingInvitation
from workflow.tasks import send_hearing_invitations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _strict(settings):
    settings.WORKFLOW_STRICT = True


def open_task(dispute, name: str) -> Task:
    return next(
        t for t in Task.objects.filter(process__disputeprocess__dispute=dispute, finished__isnull=True)
        if t.flow_task.name == name
    )


def task_url(dispute, task) -> str:
    return reverse("workflow:task", args=[dispute.pk, task.pk])


def take(client, user, dispute, name):
    client.force_login(user)
    task = open_task(dispute, name)
    client.post(reverse("workflow:task-assign", args=[dispute.pk, task.pk]), {"action": "take"})
    return task


# -- access --------------------------------------------------------------------------------------
def test_the_staff_pages_are_for_staff_only(client, world):
    dispute = case_in_state(world, "submitted")
    urls = [reverse("workflow:worklist"), reverse("workflow:inbox"), reverse("workflow:roster"),
            reverse("workflow:case", args=[dispute.pk])]
    for url in urls:
        assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(world.tenant)  # a party member of this very case
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(world.secretary)
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_case_that_does_not_exist_is_a_404(client, world):
    import uuid

    client.force_login(world.secretary)
    assert client.get(reverse("workflow:case", args=[uuid.uuid4()])).status_code == 404
    dispute = case_in_state(world, "submitted")
    other = case_in_state(world, "exchange")
    task = open_task(dispute, "register")
    assert client.get(reverse("workflow:task", args=[other.pk, task.pk])).status_code == 404  # wrong case


def test_state_changes_need_a_post(client, world):
    dispute = case_in_state(world, "submitted")
    task = take(client, world.secretary, dispute, "register")
    client.get(task_url(dispute, task) + "?action=start_review")
    assert Dispute.objects.get(pk=dispute.pk).state == "submitted"


# -- the worklist --------------------------------------------------------------------------------
def test_the_worklist_puts_near_and_passed_decision_terms_on_top_with_text(client, world):
    near = case_in_state(world, "exchange")  # decision due 13-03-2017
    services.dispute_extend_decision_term(dispute=near, actor=world.official, weeks=2, reason="Drukte")  # 27-03
    passed = case_in_state(world, "deliberation")  # decision due 13-03-2017
    clock.set_now(moment("2017-03-01 10:00"))
    calm = world.file()
    calm = services.dispute_submit(dispute=calm, actor=world.tenant)  # decision due 26-04-2017
    clock.set_now(moment("2017-03-14 09:00"))
    client.force_login(world.secretary)
    body = client.get(reverse("workflow:worklist")).content.decode()
    top = body[body.index("urgent-title"):body.index("all-title")]
    assert passed.case_number in top and near.case_number in top and calm.case_number not in top
    assert top.index(passed.case_number) < top.index(near.case_number), "passed first, then near"
    assert "Beslistermijn verstreken" in top
    assert "Beslistermijn nadert: nog 9 werkdagen" in top
    urgent, rows = worklist.worklist(world.secretary)
    assert [r.urgency for r in urgent] == ["passed", "near"]


def test_the_worklist_filters_and_sorts(client, world):
    first = case_in_state(world, "submitted")
    second = case_in_state(world, "effort_review")
    client.force_login(world.secretary)
    url = reverse("workflow:worklist")
    body = client.get(url, {"state": "effort_review"}).content.decode()
    assert second.case_number in body and first.case_number not in body
    body = client.get(url, {"kind": "nakoming"}).content.decode()
    assert second.case_number not in body
    body = client.get(url, {"gemeente": "Gemeente Leiderdorp", "sort": "-zaak"}).content.decode()
    assert body.index(second.case_number) < body.index(first.case_number)
    assert 'aria-sort="descending"' in body
    body = client.get(url, {"sort": "zaak"}).content.decode()
    assert body.index(first.case_number) < body.index(second.case_number)
    assert "Registreren: in de wachtrij" in body  # who holds the task


def test_the_worklist_lists_the_planned_hearings_soonest_first(client, world):
    later = case_in_state(world, "exchange")
    # both after the decision term (13-03-2017): planned with a reason (issue 12, defect 13)
    services.dispute_schedule_hearing(dispute=later, actor=world.secretary, hearing_at=moment("2017-03-20 10:00"),
                                      place="Den Haag, zaal 3", after_term_reason="Verlenging volgt")
    sooner = case_in_state(world, "exchange")
    services.dispute_schedule_hearing(dispute=sooner, actor=world.secretary, hearing_at=moment("2017-03-27 10:00"),
                                      place="Utrecht", after_term_reason="Verlenging volgt")
    services.dispute_reschedule_hearing(dispute=Dispute.objects.get(pk=sooner.pk), actor=world.secretary,
                                        hearing_at=moment("2017-03-13 14:00"), place="https://video.example.nl/7",
                                        reason="Eerder kan ook")
    client.force_login(world.secretary)
    body = client.get(reverse("workflow:worklist")).content.decode()
    section = body[body.index("Geplande hoorzittingen"):body.index("Alle lopende geschillen")]
    assert section.index(sooner.case_number) < section.index(later.case_number)
    assert "13-03-2017 14:00" in section and "https://video.example.nl/7" in section and "gewijzigd" in section
    assert "Utrecht" not in section and "27-03-2017" not in section  # the hearing as it now stands
    assert "20-03-2017 10:00" in section and "Den Haag, zaal 3" in section


def test_the_worklist_query_count_does_not_grow_with_the_number_of_cases(client, world, django_assert_max_num_queries):
    client.force_login(world.secretary)
    url = reverse("workflow:worklist")
    case_in_state(world, "submitted")
    client.get(url)  # warm up (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for state in ("admissibility_review", "exchange", "hearing_scheduled", "decided", "awaiting_remedy"):
        case_in_state(world, state)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).content.decode().count("/werk/geschillen/") >= 6


# -- assignment ----------------------------------------------------------------------------------
def test_a_secretary_reassigns_a_task_to_a_colleague_with_an_audit_event_and_an_e_mail(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    colleague = staff("sec2", "secretary")
    dispute = case_in_state(world, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        task = take(client, world.secretary, dispute, "register")
    assert open_task(dispute, "register").owner == world.secretary
    assert mailoutbox == []  # taking a task yourself sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workflow:task-assign", args=[dispute.pk, task.pk]),
                               {"action": "assign", "assignee": colleague.pk})
    assert response.status_code == 302
    assert open_task(dispute, "register").owner == colleague
    event = DisputeEvent.objects.filter(dispute=dispute, kind="task_assigned").last()
    assert event.payload == {"task": "register", "task_pk": task.pk, "title": "Registreren", "to": "sec2",
                             "from": "sec", "notify_users": [colleague.pk]}
    assert event.visibility == "commission"  # never in the parties' timeline
    [message] = mailoutbox
    assert message.to == [colleague.email]
    assert message.subject == f'Geschil {dispute.case_number}: de taak "Registreren" staat op uw naam'
    assert reverse("workflow:task", args=[dispute.pk, task.pk]) in message.body
    client.force_login(colleague)
    assert [t.pk for t in worklist.inbox(colleague)] == [task.pk]
    assert worklist.inbox(world.secretary) == []


def test_a_task_cannot_go_to_someone_without_the_role(client, world):
    dispute = case_in_state(world, "submitted")
    task = take(client, world.secretary, dispute, "register")
    response = client.post(reverse("workflow:task-assign", args=[dispute.pk, task.pk]),
                           {"action": "assign", "assignee": world.chair.pk})
    assert response.status_code == 403
    assert open_task(dispute, "register").owner == world.secretary


def test_only_the_holder_can_use_the_forms_of_a_task(client, world):
    dispute = case_in_state(world, "submitted")
    task = open_task(dispute, "register")
    client.force_login(world.secretary)
    response = client.post(task_url(dispute, task), {"action": "start_review",
                                                      "start_review-expected_version": dispute.version})
    assert response.status_code == 403
    assert Dispute.objects.get(pk=dispute.pk).state == "submitted"
    client.force_login(world.chair)
    assert client.post(reverse("workflow:task-assign", args=[dispute.pk, task.pk]),
                       {"action": "take"}).status_code == 403


def test_the_inbox_and_the_queue(client, world):
    dispute = case_in_state(world, "exchange")
    client.force_login(world.chair)
    body = client.get(reverse("workflow:inbox")).content.decode()
    assert "Schriftelijke afdoening overwegen" in body and dispute.case_number in body
    assert [t.flow_task.name for t in worklist.queue(world.chair)] == ["choose_written_procedure"]
    assert [t.flow_task.name for t in worklist.inbox(world.secretary)] == ["plan_hearing"]
    assert worklist.queue(world.official) == []


# -- errors --------------------------------------------------------------------------------------
def test_a_stale_form_gets_a_409_and_changes_nothing(client, world):
    dispute = case_in_state(world, "submitted")
    task = take(client, world.secretary, dispute, "register")
    stale = dispute.version
    services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=1,
                                          reason="Drukte")  # someone else
    response = client.post(task_url(dispute, task), {"action": "start_review",
                                                      "start_review-expected_version": stale})
    assert response.status_code == 409
    assert "Het geschil is intussen gewijzigd" in response.content.decode()
    assert Dispute.objects.get(pk=dispute.pk).state == "submitted"
    assert open_task(dispute, "register").pk == task.pk


def test_a_guard_that_fails_is_explained_on_the_page(client, world):
    dispute = case_in_state(world, "admissibility_review")
    task = open_task(dispute, "assess_admissibility")
    client.force_login(world.secretary)
    response = client.post(task_url(dispute, task), {"action": "pass_admissibility",
                                                      "pass_admissibility-expected_version": dispute.version})
    assert response.status_code == 400
    assert "Nog niet over elk geschilpunt is de ontvankelijkheid beoordeeld." in response.content.decode()


def test_service_validation_lands_on_the_form_field(client, world):
    dispute = case_in_state(world, "deliberation")
    task = take(client, world.chair, dispute, "prepare_advice")
    point = dispute.points.get()
    services.point_advise(point=point, actor=world.chair, finding="not_manifestly_unreasonable")
    dispute = Dispute.objects.get(pk=dispute.pk)
    response = client.post(task_url(dispute, task), {"action": "issue_advice",
                                                      "issue_advice-expected_version": dispute.version})
    assert response.status_code == 200
    form = response.context["sections"][1]["form"]
    assert form.errors["advice"] == ["Voeg het advies van de adviescommissie toe."]
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_broken_upload_is_refused_with_a_message_not_a_500(client, world):
    dispute = case_in_state(world, "hearing_scheduled")
    clock.set_now(moment("2017-03-10 15:00"))  # after the hearing: the minutes may be recorded
    task = open_task(dispute, "record_hearing")
    client.force_login(world.secretary)
    broken = SimpleUploadedFile("verslag.pdf", b"%PDF-1.7 this is not a pdf", content_type="application/pdf")
    response = client.post(task_url(dispute, task), {"action": "record_hearing",
                                                      "record_hearing-expected_version": dispute.version,
                                                      "record_hearing-minutes": broken})
    assert response.status_code == 200
    assert response.context["sections"][0]["form"].errors["minutes"]
    assert Dispute.objects.get(pk=dispute.pk).state == "hearing_scheduled"


def test_departing_from_the_advice_needs_a_reason(client, world):
    dispute = case_in_state(world, "advice_issued")
    task = take(client, world.official, dispute, "draft_decision")
    response = client.post(task_url(dispute, task), {
        "action": "point_decide", "point": 1, "point_decide-p1-expected_version": dispute.version,
        "point_decide-p1-follow_advice": "0", "point_decide-p1-decision": "manifestly_unreasonable",
    })
    assert response.status_code == 200
    assert "Wie van het advies afwijkt, moet dat motiveren." in response.content.decode()


# -- commission integrity ------------------------------------------------------------------------
def test_a_recused_member_finds_the_case_nowhere(client, world):
    dispute = case_in_state(world, "exchange")
    other = case_in_state(world, "deliberation")
    client.force_login(world.chair)
    assert dispute.case_number in client.get(reverse("workflow:worklist")).content.decode()
    task = take(client, world.chair, dispute, "choose_written_procedure")
    assert task.pk in [t.pk for t in worklist.inbox(world.chair)]
    recuse = reverse("workflow:case-action", args=[dispute.pk, "verschonen"])
    response = client.post(recuse, {"verschonen-expected_version": Dispute.objects.get(pk=dispute.pk).version,
                                    "verschonen-reason": "Eerder adviseur van de corporatie"})
    assert response.status_code == 302 and response["Location"] == reverse("workflow:worklist")
    worklist_body = client.get(reverse("workflow:worklist")).content.decode()
    assert dispute.case_number not in worklist_body and other.case_number in worklist_body
    inbox_body = client.get(reverse("workflow:inbox")).content.decode()
    assert dispute.case_number not in inbox_body
    assert dispute.pk not in {t.dispute.pk for t in worklist.inbox(world.chair) + worklist.queue(world.chair)}
    assert other.pk in {t.dispute.pk for t in worklist.inbox(world.chair)}
    assert client.get(reverse("workflow:case", args=[dispute.pk])).status_code == 404
    assert client.get(task_url(dispute, task)).status_code == 404
    released = open_task(dispute, "choose_written_procedure")
    assert released.owner is None and released.status == STATUS.NEW, "back in the queue for another chair"
    event = DisputeEvent.objects.get(dispute=dispute, kind="recused")
    assert event.visibility == "commission"


def test_commission_notes_are_invisible_to_parties(client, world):
    dispute = case_in_state(world, "deliberation")
    client.force_login(world.chair)
    url = reverse("workflow:case-action", args=[dispute.pk, "document"])
    response = client.post(url, {
        "document-expected_version": dispute.version, "document-doc_type": "overig",
        "document-confidentiality": "commission",
        "document-file": SimpleUploadedFile("aantekeningen.pdf", pdf_bytes(1, "notities"),
                                            content_type="application/pdf"),
    })
    assert response.status_code == 302
    assert "aantekeningen.pdf" in client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert not selectors.documents_for(world.tenant, dispute).filter(display_name="aantekeningen.pdf").exists()
    form = client.get(url).context["form"]
    assert [c[0] for c in form.fields["confidentiality"].choices] == ["parties", "commission"]


def test_the_secretary_records_an_answer_that_came_in_by_post(client, world, django_capture_on_commit_callbacks,
                                                             mailoutbox):
    dispute = case_in_state(world, "exchange")
    case_page = reverse("workflow:case", args=[dispute.pk])
    url = reverse("workflow:case-action", args=[dispute.pk, "inlichtingen-ontvangen"])
    client.force_login(world.secretary)
    assert url not in client.get(case_page).content.decode()  # nothing asked, nothing to record
    services.dispute_request_information(dispute=dispute, actor=world.secretary, party=world.gemeente,
                                         question="Wanneer is de woonvisie vastgesteld?")
    dispute = Dispute.objects.get(pk=dispute.pk)
    deadline = dispute.deadlines.get(kind="information")
    assert url in client.get(case_page).content.decode()
    form = client.get(url).context["form"]
    assert [c[0] for c in form.fields["request"].choices] == [deadline.pk]
    empty = client.post(url, {"inlichtingen-ontvangen-expected_version": dispute.version,
                              "inlichtingen-ontvangen-request": deadline.pk})
    assert "Vat het antwoord samen" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {
            "inlichtingen-ontvangen-expected_version": dispute.version,
            "inlichtingen-ontvangen-request": deadline.pk,
            "inlichtingen-ontvangen-answer": "Per brief: vastgesteld op 12 maart 2024.",
            "inlichtingen-ontvangen-letter": SimpleUploadedFile("brief-gemeente.pdf", pdf_bytes(1, "brief"),
                                                                content_type="application/pdf"),
        })
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.closed_at is not None
    event = DisputeEvent.objects.get(dispute=dispute, kind="information_answered")
    assert event.actor == world.secretary and event.payload["on_behalf"] is True
    assert dispute.documents.get(doc_type="antwoord").display_name == "brief-gemeente.pdf"
    page = client.get(case_page).content.decode()
    section = page[page.index("Vragen om inlichtingen"):]
    assert "Wanneer is de woonvisie vastgesteld?" in section and "Per brief: vastgesteld op 12 maart 2024." in section
    assert "(vastgelegd door het secretariaat)" in section
    assert world.gem_user.email in {a for m in mailoutbox for a in m.to}
    # a party member cannot use the staff action
    client.force_login(world.gem_user)
    assert client.get(url).status_code in (403, 404)


def test_a_commission_member_adds_notes_only_at_the_commission_level(client, world):
    member = staff("lid", "commission_member")
    dispute = case_in_state(world, "deliberation")
    client.force_login(member)
    url = reverse("workflow:case-action", args=[dispute.pk, "document"])
    assert url in client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    form = client.get(url).context["form"]
    assert [c[0] for c in form.fields["confidentiality"].choices] == ["commission"]
    def post(level):
        return client.post(url, {
            "document-expected_version": Dispute.objects.get(pk=dispute.pk).version, "document-doc_type": "overig",
            "document-confidentiality": level,
            "document-file": SimpleUploadedFile(f"notitie-{level}.pdf", pdf_bytes(1, level),
                                                content_type="application/pdf"),
        })
    assert post("parties").status_code == 200  # not offered: a field error, nothing stored
    assert not dispute.documents.filter(display_name="notitie-parties.pdf").exists()
    assert post("commission").status_code == 302
    note = dispute.documents.get(display_name="notitie-commission.pdf")
    assert note.confidentiality == "commission" and note.uploaded_by == member
    with pytest.raises(NotPermitted):  # the service holds the line too
        services.document_upload(
            dispute=dispute, actor=member, doc_type="overig", confidentiality="parties",
            uploaded=SimpleUploadedFile("x.pdf", pdf_bytes(1, "x"), content_type="application/pdf"))


def test_the_secretary_sends_a_reminder_by_hand_once_a_day(client, world, django_capture_on_commit_callbacks,
                                                          mailoutbox):
    dispute = case_in_state(world, "awaiting_remedy")
    remedy = dispute.deadlines.get(kind="remedy", closed_at__isnull=True)
    url = reverse("workflow:case-action", args=[dispute.pk, "herinnering"])
    client.force_login(world.secretary)
    assert url in client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    form = client.get(url).context["form"]
    assert [c[0] for c in form.fields["deadline"].choices] == [remedy.pk]
    data = {"herinnering-expected_version": dispute.version, "herinnering-deadline": remedy.pk}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    [message] = mailoutbox
    assert message.to == [world.tenant.email]  # only the applicant has to act before the remedy term
    assert f"loopt af op {format_date_nl(remedy.due)}" in message.body
    event = DisputeEvent.objects.get(dispute=dispute, kind="reminder")
    assert event.actor == world.secretary and event.payload["manual"] is True
    data["herinnering-expected_version"] = Dispute.objects.get(pk=dispute.pk).version
    again = client.post(url, data)
    assert "vandaag al een herinnering" in again.content.decode()
    assert DisputeEvent.objects.filter(dispute=dispute, kind="reminder").count() == 1
    # once the term has passed there is nothing to remind of; a party cannot send reminders
    clock.set_now(moment(f"{remedy.due + timedelta(days=1):%Y-%m-%d} 09:00"))
    assert url not in client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    with pytest.raises(NotPermitted):
        services.dispute_send_reminder(dispute=dispute, actor=world.tenant, deadline_id=remedy.pk)


def test_the_roster_lists_members_and_deputies(client, world):
    deputy = staff("plv", "commission_member")
    deputy.first_name, deputy.last_name = "Petra", "Plaatsvervanger"
    deputy.save()
    CommissionSeat.objects.create(user=deputy, role="commission_member", deputy=True, nominated_by="Woonbond")
    client.force_login(world.secretary)
    body = client.get(reverse("workflow:roster")).content.decode()
    assert "Petra Plaatsvervanger" in body and "ja, plaatsvervangend" in body and "Woonbond" in body
    assert body.index(">chair<") < body.index(">lid<") < body.index("Petra Plaatsvervanger")


# -- pages and documents -------------------------------------------------------------------------
@pytest.mark.parametrize("state,node,user", [
    ("submitted", "register", "secretary"),
    ("admissibility_review", "assess_admissibility", "secretary"),
    ("effort_review", "review_efforts", "secretary"),
    ("exchange", "plan_hearing", "secretary"),
    ("exchange", "choose_written_procedure", "chair"),
    ("hearing_scheduled", "record_hearing", "secretary"),
    ("deliberation", "prepare_advice", "chair"),
    ("advice_issued", "draft_decision", "official"),
])
def test_every_task_page_renders_with_its_forms(client, world, state, node, user):
    dispute = case_in_state(world, state)
    task = open_task(dispute, node)
    actor = getattr(world, user)
    if task.owner is None:
        take(client, actor, dispute, node)
    client.force_login(actor)
    response = client.get(task_url(dispute, task))
    assert response.status_code == 200
    assert response.context["can_execute"] and response.context["sections"]
    body = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in body and "expected_version" in body
    if node in ("register", "assess_admissibility"):
        assert "Voorcontroles" in body and "indienen binnen 4 weken" in body
    if node == "review_efforts":
        assert "Overleglogboek" in body


def test_the_case_page_shows_the_whole_case(client, world):
    dispute = case_in_state(world, "hearing_scheduled")
    client.force_login(world.secretary)
    body = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    for text in ("Geschilpunt p1", "Ontvankelijk", "Ons standpunt", "Beslistermijn", "eindigt op",
                 "Verslag hoorzitting vastleggen", "bij sec", "Hoorzitting plannen", "Schikking vastleggen",
                 "Document toevoegen", "Overleglogboek", "Verloop", "Indiening"):
        assert text in body, text


def test_decisions_per_point_stay_internal_until_the_decision(client, world):
    dispute = case_in_state(world, "advice_issued")
    point = dispute.points.get()
    services.point_decide(point=point, actor=world.official, follow_advice=False,
                          decision="manifestly_unreasonable", reason="Anders")
    client.force_login(world.chair)
    assert "wijkt af van het advies" not in client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    client.force_login(world.secretary)
    assert "wijkt af van het advies" in client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()


def test_letters_are_offered_to_the_secretariat_as_a_starting_point(client, world):
    dispute = case_in_state(world, "submitted")
    client.force_login(world.secretary)
    response = client.get(reverse("workflow:letter", args=[dispute.pk, "ontvangstbevestiging"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.chair)
    assert client.get(reverse("workflow:letter", args=[dispute.pk, "ontvangstbevestiging"])).status_code == 403


# -- hearing invitations -------------------------------------------------------------------------
#: who is invited to a hearing of the world's case: the parties' members and the commission seated on the case
INVITED = sorted(["anna@example.nl", "bert@example.nl", "gerda@example.nl",
                  "chair@example.nl", "lid@example.nl", "lid2@example.nl"])


def test_hearing_invitations_carry_an_rfc5545_calendar_and_go_out_once(world, django_capture_on_commit_callbacks):
    dispute = case_in_state(world, "exchange")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_schedule_hearing(dispute=dispute, actor=world.secretary,
                                          hearing_at=moment("2017-03-06 10:00"), place="Den Haag; zaal 3, Turfmarkt")
    invitations = [m for m in mail.outbox if m.attachments]
    # the parties' members and the commission seated on the case (chair and two members)
    assert sorted(m.to[0] for m in invitations) == INVITED
    name, content, mimetype = invitations[0].attachments[0]
    assert name == "hoorzitting.ics" and mimetype == "text/calendar; method=REQUEST"
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:") and text.endswith("END:VCALENDAR\r\n")
    assert "\r\nMETHOD:REQUEST\r\n" in text and "\r\nSTATUS:CONFIRMED\r\n" in text
    assert "mailto:geschilbeslechting@example.nl" in text.replace("\r\n ", "")  # ORGANIZER: the secretariat
    assert "\r\nDTSTART:20170306T090000Z\r\n" in text  # 10:00 in Amsterdam (CET) is 09:00 UTC
    assert "\r\nDTEND:20170306T110000Z\r\n" in text
    assert re.search(r"\r\nDTSTAMP:2017\d{4}T\d{6}Z\r\n", text)
    unfolded = text.replace("\r\n ", "")  # ids grow with the database's sequences: the UID may be folded
    assert re.search(r"\r\nUID:hoorzitting-[0-9a-f-]+-\d+@geschilbeslechting\r\n", unfolded)
    assert "LOCATION:Den Haag\\; zaal 3\\, Turfmarkt" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "Invitation" not in invitations[0].subject and dispute.case_number in invitations[0].subject
    event = DisputeEvent.objects.get(dispute=dispute, kind="schedule_hearing")
    assert send_hearing_invitations(event_id=event.pk) == 0, "a rerun sends nothing twice"
    assert HearingInvitation.objects.filter(event=event).count() == len(INVITED)


def test_a_rescheduled_hearing_replaces_the_invitation_and_the_calendar_entry(
    client, world, django_capture_on_commit_callbacks
):
    dispute = case_in_state(world, "exchange")
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_schedule_hearing(dispute=dispute, actor=world.secretary,
                                          hearing_at=moment("2017-03-06 10:00"), place="Den Haag, zaal 3")
    first = DisputeEvent.objects.get(dispute=dispute, kind="schedule_hearing")
    dispute = Dispute.objects.get(pk=dispute.pk)
    url = reverse("workflow:case-action", args=[dispute.pk, "hoorzitting-wijzigen"])
    client.force_login(world.secretary)
    form = client.get(url).context["form"]
    assert form.initial["hearing_at"] == "2017-03-06T10:00" and form.initial["place"] == "Den Haag, zaal 3"
    data = {"hoorzitting-wijzigen-expected_version": dispute.version,
            "hoorzitting-wijzigen-hearing_at": "2017-03-06T10:00", "hoorzitting-wijzigen-place": "Den Haag, zaal 3",
            "hoorzitting-wijzigen-reason": "Zaal niet beschikbaar"}
    assert "niet gewijzigd" in client.post(url, data).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "hoorzitting-wijzigen-hearing_at": "2017-03-13T14:00",
                                     "hoorzitting-wijzigen-place": "https://video.example.nl/kamer/7"})
    assert response.status_code == 302
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.state == "hearing_scheduled"
    moved = DisputeEvent.objects.get(dispute=dispute, kind="hearing_rescheduled")
    assert moved.payload["previous_at"] == first.payload["hearing_at"] and moved.payload["sequence"] == 1
    invitations = [m for m in mail.outbox if m.attachments]
    assert sorted(m.to[0] for m in invitations) == INVITED
    assert invitations[0].subject == f"Gewijzigd: uitnodiging hoorzitting geschil {dispute.case_number}"
    assert "Zaal niet beschikbaar" in invitations[0].body and "maandag 6 maart 2017, 10:00" in invitations[0].body
    text = invitations[0].attachments[0][1]
    text = (text.decode() if isinstance(text, bytes) else text).replace("\r\n ", "")
    assert f"UID:hoorzitting-{dispute.pk}-{first.pk}@geschilbeslechting" in text  # the same calendar entry
    assert "\r\nSEQUENCE:1\r\n" in text and "\r\nDTSTART:20170313T130000Z\r\n" in text
    client.force_login(world.tenant)
    body = client.get(reverse("portal:dispute", args=[dispute.pk])).content.decode()
    assert "De hoorzitting is verplaatst naar" in body and "Zaal niet beschikbaar" in body
    # once held, there is nothing to move: the operation is not possible in this state (not a form error)
    with pytest.raises(OperationNotAllowed, match="geen geplande hoorzitting"):
        services.dispute_reschedule_hearing(dispute=case_in_state(world, "deliberation"), actor=world.secretary,
                                            hearing_at=moment("2017-04-03 10:00"), place="Utrecht", reason="x")


def test_ical_folding_and_escaping():
    from datetime import datetime

    calendar = ical.hearing_calendar(
        uid="x@y", start=datetime(2017, 7, 3, 10, tzinfo=clock.AMSTERDAM),
        stamp=datetime(2017, 6, 1, 9, tzinfo=clock.AMSTERDAM), summary="Hoorzitting, geschil; é" * 6,
        place="https://video.example.nl/kamer/123", description="Regel één\nRegel twee",
    ).decode()
    assert "DTSTART:20170703T080000Z" in calendar  # summer time: UTC+2
    assert "URL:https://video.example.nl/kamer/123" in calendar
    assert "DESCRIPTION:Regel één\\nRegel twee" in calendar
    lines = calendar.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = calendar.replace("\r\n ", "")
    assert "SUMMARY:" + "Hoorzitting\\, geschil\\; é" * 6 in unfolded


def test_services_feed_the_flow_even_for_a_case_loaded_before_the_workflow_existed(world):
    """A case without a process (older data) gets one at its next event."""
    from workflow.models import DisputeProcess

    dispute = case_in_state(world, "exchange")
    process = DisputeProcess.objects.get(dispute=dispute)
    Task.objects.filter(process=process).delete()
    DisputeProcess.objects.filter(pk=process.pk).delete()
    services.document_upload(dispute=dispute, actor=world.secretary, uploaded=pdf("overig")[1], doc_type="overig")
    process = DisputeProcess.objects.get(dispute=dispute)
    assert {t.flow_task.name for t in Task.objects.filter(process=process, finished__isnull=True)} == {
        "plan_hearing", "choose_written_procedure"}


#: every URL under /werk/ and who may use it; a new URL without a row here fails the test below
ACCESS = {
    "worklist": {"case": False},
    "inbox": {"case": False},
    "archive": {"case": False},  # the ended cases (test_archive)
    "roster": {"case": False},
    "security": {"case": False},  # the secretariat only; other staff 403 (test_two_factor, test_login)
    "dashboard": {"case": False},  # the secretariat and the ministry; the commission 403 (test_dashboard)
    "annual-report": {"case": False},  # as the dashboard (test_annual_report)
    "search": {"case": False},  # every staff role; results pass the case pages' visibility (test_search)
    "case": {"case": True},
    "task": {"case": True, "task": True},
    "task-assign": {"case": True, "task": True, "post_only": True},
    "case-action": {"case": True, "action": "document"},
    "letter": {"case": True, "kind": "ontvangstbevestiging"},
    # a case's letters: draft, check, send (the secretariat and the ministry; the commission 403: test_case_letters_ui)
    "letter-draft": {"case": True, "post_only": True},
    "letter-edit": {"case": True, "letter": True},
    "letter-preview": {"case": True, "letter": True, "n": 1},
    "letter-send": {"case": True, "letter": True},
    "letter-discard": {"case": True, "letter": True, "post_only": True},
    # the party organisations: the secretariat only; other staff 403 (test_organisations, test_invitations)
    "organisations": {"case": False},
    "organisation-new": {"case": False},
    "organisation": {"case": False, "organisation": True},
    "organisation-edit": {"case": False, "organisation": True},
    "organisation-invite": {"case": False, "organisation": True},
    "membership-end": {"case": False, "organisation": True, "membership": True},
    "invitation-revoke": {"case": False, "organisation": True, "invitation": True, "post_only": True},
    # the wording of the letters: the secretariat only; other staff 403 (test_letter_templates_ui)
    "letter-templates": {"case": False},
    "letter-template": {"case": False, "kind": "ontvangstbevestiging"},
    "letter-template-preview": {"case": False, "kind": "ontvangstbevestiging"},
    "letter-template-reset": {"case": False, "kind": "ontvangstbevestiging"},
    # a representative's machtiging, checked and ended by the secretariat on the case page (test_representatives)
    "representation-check": {"case": True, "representation": True, "post_only": True},
    "representation-end": {"case": True, "representation": True, "post_only": True},
    # the publication of a decided case: the secretariat only; other staff 403 (test_publication_review_ui)
    "publication": {"case": True},
    "publication-prepare": {"case": True, "post_only": True},
    "publication-replacement-add": {"case": True, "post_only": True},
    "publication-replacement-undo": {"case": True, "replacement": True, "post_only": True},
    "publication-approve": {"case": True, "post_only": True},
    "publication-withdraw": {"case": True, "post_only": True},
    # destruction lists: the archive's roles only, no staff role; staff 403 too (test_destruction_ui)
    "destruction-lists": {"case": False},
    "destruction-list-new": {"case": False},
    "destruction-list": {"case": False, "list": True},
    "destruction-list-submit": {"case": False, "list": True, "post_only": True},
    "destruction-list-review": {"case": False, "list": True, "post_only": True},
    "destruction-list-update": {"case": False, "list": True, "post_only": True},
    "destruction-list-approve": {"case": False, "list": True, "post_only": True},
    "destruction-list-destroy": {"case": False, "list": True},
    "destruction-list-certificate": {"case": False, "list": True},
    # the transfer of cases to be kept: the record manager only; staff 403 (test_transfer)
    "transfer": {"case": False},
    "transfer-export": {"case": False, "transfer": True, "post_only": True},
    # connected applications and their keys: the secretariat only; other staff 403 (tests/api/test_applications)
    "applications": {"case": False},
    "application-new": {"case": False},
    "application": {"case": False, "application": True},
    "application-key-new": {"case": False, "application": True},
    "application-key-revoke": {"case": False, "application": True, "key": True},
    "application-revoke": {"case": False, "application": True},
}


def test_every_workflow_url_is_for_staff_only_and_hides_unknown_cases(client, world):
    import uuid

    from workflow import urls

    assert {p.name for p in urls.urlpatterns} == set(ACCESS)
    dispute = case_in_state(world, "submitted")
    task = open_task(dispute, "register")
    invitation = services.invitation_send(actor=world.secretary, organisation=world.corporatie, email="k@r.nl")
    representation = services.representation_request(dispute=dispute, actor=world.corp_user, name="Mr. X",
                                                      email="x@advocaten.nl", authorisation=pdf("machtiging")[1])
    letter = services.letter_draft(dispute=dispute, actor=world.secretary, kind="ontvangstbevestiging")

    def url(name, spec, pk):
        args = []
        if spec.get("organisation"):
            args.append(world.corporatie.pk)
        if spec.get("membership"):
            args.append(world.corp_user.memberships.get(organisation=world.corporatie).pk)
        if spec.get("invitation"):
            args.append(invitation.pk)
        if spec.get("case"):
            args.append(pk)
        if spec.get("letter"):
            args.append(letter.pk)
        if "n" in spec:
            args.append(spec["n"])
        if spec.get("representation"):
            args.append(representation.pk)
        if spec.get("replacement"):
            args.append(1)  # a replacement (none on this case: the case is checked first)
        if spec.get("list"):
            args.append(uuid.uuid4())  # a destruction list: a party is refused before the list is looked up
        if spec.get("transfer"):
            args.append(pk)  # the case itself: a party of it is refused (403), of another case 404 (test_transfer)
        if spec.get("application"):
            args.append(uuid.uuid4())  # an application: a party is refused before it is looked up
        if spec.get("key"):
            args.append(1)
        if spec.get("task"):
            args.append(task.pk)
        if "action" in spec:
            args.append(spec["action"])
        if "kind" in spec:
            args.append(spec["kind"])
        return reverse(f"workflow:{name}", args=args)

    for name, spec in ACCESS.items():
        real = url(name, spec, dispute.pk)
        method = client.post if spec.get("post_only") else client.get
        client.logout()
        assert method(real).status_code == 302, name  # to the log-in page
        client.force_login(world.tenant)
        assert method(real).status_code == 403, name  # a party, even of this case
        if spec.get("case"):
            client.force_login(world.secretary)
            assert method(url(name, spec, uuid.uuid4())).status_code == 404, name
