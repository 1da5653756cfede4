"""Issue 12, defect 13: steps in an order the law and common sense allow. A hearing after the decision term, minutes
before the hearing, advice while a question to a party is still open: each is refused, or needs an explicit,
recorded reason (or the secretariat closes the open question first).

The factory's case is received on 16-01-2017: its decision term (eight weeks) ends on Monday 13-03-2017.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task

from disputes import services
from disputes.models import Dispute, DisputeEvent
from tests.factories import case_in_state, moment, pdf

pytestmark = pytest.mark.django_db

TERM_ENDS = date(2017, 3, 13)


def fresh(dispute):
    return Dispute.objects.get(pk=dispute.pk)


def refusal(error: ValidationError, field: str) -> str:
    assert field in error.message_dict, error.message_dict
    return " ".join(error.message_dict[field])


# -- a hearing after the decision term ----------------------------------------------------------------------
def test_a_hearing_after_the_decision_term_is_refused_naming_the_terms_end(world):
    dispute = case_in_state(world, "exchange")
    assert dispute.deadlines.get(kind="decision").due == TERM_ENDS
    with pytest.raises(ValidationError) as error:
        services.dispute_schedule_hearing(dispute=dispute, actor=world.secretary,
                                          hearing_at=moment("2017-03-14 10:00"), place="Den Haag")
    message = refusal(error.value, "hearing_at")
    assert "na het einde van de beslistermijn" in message and "13-03-2017" in message
    assert fresh(dispute).state == "exchange"
    assert not dispute.events.filter(kind="schedule_hearing").exists()


def test_a_hearing_on_the_last_day_of_the_term_needs_no_reason(world):
    dispute = case_in_state(world, "exchange")
    services.dispute_schedule_hearing(dispute=dispute, actor=world.secretary,
                                      hearing_at=moment("2017-03-13 16:00"), place="Den Haag")
    event = DisputeEvent.objects.get(dispute=dispute, kind="schedule_hearing")
    assert "after_term_reason" not in event.payload


def test_a_hearing_after_the_term_with_its_reason_is_planned_and_the_reason_recorded(world):
    dispute = case_in_state(world, "exchange")
    with pytest.raises(ValidationError):  # a reason of only spaces is no reason
        services.dispute_schedule_hearing(dispute=dispute, actor=world.secretary,
                                          hearing_at=moment("2017-03-14 10:00"), place="Den Haag",
                                          after_term_reason="   ")
    services.dispute_schedule_hearing(dispute=dispute, actor=world.secretary, hearing_at=moment("2017-03-14 10:00"),
                                      place="Den Haag", after_term_reason="De verlenging is aangevraagd.")
    assert fresh(dispute).state == "hearing_scheduled"
    event = DisputeEvent.objects.get(dispute=dispute, kind="schedule_hearing")
    assert event.payload["after_term_reason"] == "De verlenging is aangevraagd."
    assert event.payload["decision_due"] == "2017-03-13"


def test_after_an_extension_the_same_hearing_needs_no_reason(world):
    dispute = case_in_state(world, "exchange")
    services.dispute_extend_decision_term(dispute=dispute, actor=world.official, weeks=2,
                                          reason="De hoorzitting kan pas op 20 maart.")
    assert fresh(dispute).deadlines.get(kind="decision").due == date(2017, 3, 27)
    services.dispute_schedule_hearing(dispute=fresh(dispute), actor=world.secretary,
                                      hearing_at=moment("2017-03-20 10:00"), place="Den Haag")
    assert "after_term_reason" not in DisputeEvent.objects.get(dispute=dispute, kind="schedule_hearing").payload


def test_moving_the_hearing_past_the_term_is_refused_unless_a_reason_is_recorded(world):
    dispute = case_in_state(world, "hearing_scheduled")  # planned on 10-03-2017, within the term
    with pytest.raises(ValidationError) as error:
        services.dispute_reschedule_hearing(dispute=dispute, actor=world.secretary,
                                            hearing_at=moment("2017-03-15 10:00"), place="Den Haag",
                                            reason="Zaal niet beschikbaar")
    assert "13-03-2017" in refusal(error.value, "hearing_at")
    assert not dispute.events.filter(kind="hearing_rescheduled").exists()
    services.dispute_reschedule_hearing(dispute=fresh(dispute), actor=world.secretary,
                                        hearing_at=moment("2017-03-15 10:00"), place="Den Haag",
                                        reason="Zaal niet beschikbaar", after_term_reason="Partijen stemden in.")
    moved = DisputeEvent.objects.get(dispute=dispute, kind="hearing_rescheduled")
    assert moved.payload["after_term_reason"] == "Partijen stemden in."
    assert moved.payload["reason"] == "Zaal niet beschikbaar"


# -- minutes before the hearing -------------------------------------------------------------------------------
def test_the_minutes_cannot_be_recorded_before_the_hearing_has_taken_place(world, at):
    dispute = case_in_state(world, "hearing_scheduled")  # the hearing: 10-03-2017 10:00
    at("2017-03-10 09:59")
    with pytest.raises(ValidationError) as error:
        services.dispute_record_hearing(dispute=dispute, actor=world.secretary,
                                        documents=[pdf("verslag_hoorzitting", 2)])
    assert "10-03-2017 10:00" in refusal(error.value, "hearing_at")
    assert fresh(dispute).state == "hearing_scheduled"
    assert not dispute.documents.filter(doc_type="verslag_hoorzitting").exists()
    at("2017-03-10 15:00")
    services.dispute_record_hearing(dispute=fresh(dispute), actor=world.secretary,
                                    documents=[pdf("verslag_hoorzitting", 2)])
    assert fresh(dispute).state == "deliberation"


def test_minutes_added_to_the_case_before_the_hearing_do_not_count_as_its_minutes(world, at):
    dispute = case_in_state(world, "hearing_scheduled")
    doc_type, file = pdf("verslag_hoorzitting")
    services.document_upload(dispute=dispute, actor=world.secretary, uploaded=file, doc_type=doc_type)
    at("2017-03-10 15:00")
    with pytest.raises(ValidationError) as error:
        services.dispute_record_hearing(dispute=fresh(dispute), actor=world.secretary)
    assert "verslag" in refusal(error.value, "documents")
    assert fresh(dispute).state == "hearing_scheduled"


# -- advice while an information request is open ----------------------------------------------------------------
def deliberating_with_an_open_question(world, at):
    """A case in deliberation whose question to the corporation (asked in the written round) is unanswered."""
    dispute = case_in_state(world, "exchange")
    services.dispute_request_information(dispute=dispute, actor=world.secretary, party=world.corporatie,
                                         question="Stuur de begroting 2017.")
    at("2017-02-21 09:00")
    services.dispute_skip_hearing(dispute=fresh(dispute), actor=world.chair, reason="Schriftelijk volstaat")
    for point in dispute.points.all():
        services.point_advise(point=point, actor=world.chair, finding="not_manifestly_unreasonable")
    return fresh(dispute)


def test_advice_is_refused_while_an_information_request_is_open(world, at):
    dispute = deliberating_with_an_open_question(world, at)
    with pytest.raises(ValidationError) as error:
        services.dispute_issue_advice(dispute=dispute, actor=world.chair, documents=[pdf("advies")])
    message = refusal(error.value, "open_requests_reason")
    assert "vraag om inlichtingen" in message and "Rijnhart Wonen" in message and "06-03-2017" in message
    assert fresh(dispute).state == "deliberation"
    assert not dispute.documents.filter(doc_type="advies").exists()


def test_advice_follows_once_the_secretariat_has_registered_the_answer(world, at):
    dispute = deliberating_with_an_open_question(world, at)
    question = dispute.deadlines.get(kind="information")
    services.dispute_answer_information(dispute=dispute, actor=world.secretary, deadline_id=question.pk,
                                        answer="Per post ontvangen: de begroting 2017.")
    services.dispute_issue_advice(dispute=fresh(dispute), actor=world.chair, documents=[pdf("advies")])
    assert fresh(dispute).state == "advice_issued"
    assert "open_requests_reason" not in DisputeEvent.objects.get(dispute=dispute, kind="issue_advice").payload


def test_advice_with_an_open_request_and_a_reason_records_the_reason_and_the_request(world, at):
    dispute = deliberating_with_an_open_question(world, at)
    question = dispute.deadlines.get(kind="information")
    services.dispute_issue_advice(dispute=dispute, actor=world.chair, documents=[pdf("advies")],
                                  open_requests_reason="De begroting verandert het advies niet.")
    assert fresh(dispute).state == "advice_issued"
    payload = DisputeEvent.objects.get(dispute=dispute, kind="issue_advice").payload
    assert payload["open_requests_reason"] == "De begroting verandert het advies niet."
    assert payload["open_requests"] == [{"deadline": question.pk, "party": "Rijnhart Wonen", "due": "2017-03-06"}]


# -- the staff forms offer the reasons --------------------------------------------------------------------------
@pytest.fixture
def _strict(settings):
    settings.WORKFLOW_STRICT = True


def take(client, user, dispute, name) -> Task:
    client.force_login(user)
    task = next(t for t in Task.objects.filter(process__disputeprocess__dispute=dispute, finished__isnull=True)
                if t.flow_task.name == name)
    client.post(reverse("workflow:task-assign", args=[dispute.pk, task.pk]), {"action": "take"})
    return task


def section_form(response, action: str):
    forms = [s.get("form") for s in response.context["sections"]]
    return next(form for form in forms if form is not None and form.prefix == action)


@pytest.mark.usefixtures("_strict")
def test_the_hearing_form_refuses_a_date_after_the_term_and_takes_the_reason(client, world):
    dispute = case_in_state(world, "exchange")
    task = take(client, world.secretary, dispute, "plan_hearing")
    url = reverse("workflow:task", args=[dispute.pk, task.pk])
    data = {"action": "schedule_hearing", "schedule_hearing-expected_version": fresh(dispute).version,
            "schedule_hearing-hearing_at": "2017-03-14T10:00", "schedule_hearing-place": "Den Haag"}
    response = client.post(url, data)
    assert response.status_code == 200
    form = section_form(response, "schedule_hearing")
    assert "after_term_reason" in form.fields
    assert "13-03-2017" in " ".join(form.errors["hearing_at"])
    response = client.post(url, {**data, "schedule_hearing-after_term_reason": "Eerder kan de commissie niet."})
    assert response.status_code == 302
    event = DisputeEvent.objects.get(dispute=dispute, kind="schedule_hearing")
    assert event.payload["after_term_reason"] == "Eerder kan de commissie niet."


@pytest.mark.usefixtures("_strict")
def test_the_advice_form_refuses_an_open_request_and_takes_the_reason(client, world, at):
    dispute = deliberating_with_an_open_question(world, at)
    task = take(client, world.chair, dispute, "prepare_advice")
    url = reverse("workflow:task", args=[dispute.pk, task.pk])
    data = {"action": "issue_advice", "issue_advice-expected_version": fresh(dispute).version}
    response = client.post(url, data)
    assert response.status_code == 200
    form = section_form(response, "issue_advice")
    assert "Rijnhart Wonen" in " ".join(form.errors["open_requests_reason"])
    services.document_upload(dispute=fresh(dispute), actor=world.chair, uploaded=pdf("advies")[1], doc_type="advies")
    data["issue_advice-expected_version"] = fresh(dispute).version
    response = client.post(url, {**data, "issue_advice-open_requests_reason": "Het antwoord verandert niets."})
    assert response.status_code == 302
    assert fresh(dispute).state == "advice_issued"
    assert DisputeEvent.objects.get(dispute=dispute, kind="issue_advice").payload["open_requests_reason"] == (
        "Het antwoord verandert niets.")


def test_the_staff_case_page_shows_the_recorded_reason_with_its_event(client, world):
    dispute = case_in_state(world, "exchange")
    services.dispute_schedule_hearing(dispute=dispute, actor=world.secretary, hearing_at=moment("2017-03-14 10:00"),
                                      place="Den Haag", after_term_reason="De zaal <b>is</b> pas dan vrij.")
    client.force_login(world.secretary)
    page = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert "Waarom na de beslistermijn: De zaal &lt;b&gt;is&lt;/b&gt; pas dan vrij." in page
