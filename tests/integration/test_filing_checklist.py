"""The filing pre-checks and the document checklist (issue 13, items 4 and 5).

Given a draft whose agreement's effort log already holds a *verslag overleg*, the checklist counts it (shown as
"in het overleglogboek") so the party need not upload it twice. Given an open dispute by the same applicant
about the same agreement and kind, a second draft gets a warning naming the open case, which does not block.
"""

from datetime import date

import pytest
from django.urls import reverse

from disputes import admissibility
from disputes.admissibility import WARNING, prechecks
from disputes.models import Dispute
from disputes.portal import wizard
from disputes.services import drafts
from tests.factories import case_in_state, pdf
from tests.integration.test_workflow_flow import open_task

pytestmark = pytest.mark.django_db

#: the required totstandkoming documents, except the verslag overleg
WITHOUT_VERSLAG = ("verzoek", "bod", "woonvisie", "concept_prestatieafspraken", "correspondentie")


def by_code(checks):
    return {c.code: c for c in checks}


def log_verslag(world, doc_type="verslag_overleg"):
    return drafts.effort_record_with_documents(
        agreement=world.agreement, actor=world.tenant, kind="meeting", occurred_on=date(2016, 9, 1),
        summary="Overleg over de nieuwbouwopgave", documents=[pdf(doc_type)])


# -- item 4: an effort-log attachment counts for the checklist ------------------------------------------------


def test_a_verslag_overleg_in_the_effort_log_satisfies_the_checklist(client, world, at):
    at("2017-01-16 10:00")
    draft = world.file(documents=[pdf(t) for t in WITHOUT_VERSLAG])
    assert not by_code(prechecks(draft))["documents"].ok  # before: the verslag overleg is missing
    log_verslag(world)

    check = by_code(prechecks(draft))["documents"]
    assert check.ok, check.message
    assert any("overleglogboek" in line and "Verslag overleg" in line for line in check.explanation)
    assert wizard.completion(Dispute.objects.get(pk=draft.pk))["documents"]

    client.force_login(world.tenant)
    response = client.get(reverse("portal:draft-documents", args=[draft.pk]))
    assert response.status_code == 200
    row = next(r for r in response.context["checklist"] if r["code"] == "verslag_overleg")
    assert row["count"] == 0 and row["in_log"] == 1
    body = response.content.decode()
    verslag_row = body[body.index("<strong>Verslag overleg</strong>"):]
    verslag_row = verslag_row[:verslag_row.index("</tr>")]
    assert "in het overleglogboek" in verslag_row and "Ontbreekt nog" not in verslag_row


def test_a_log_document_of_another_type_does_not_count_for_the_verslag(world, at):
    at("2017-01-16 10:00")
    draft = world.file(documents=[pdf(t) for t in WITHOUT_VERSLAG])
    log_verslag(world, doc_type="uitnodiging_overleg")
    check = by_code(prechecks(draft))["documents"]
    assert not check.ok and "Verslag overleg" in check.message


# -- item 5: a second open dispute about the same agreement and kind ------------------------------------------


def test_a_second_open_dispute_about_the_same_agreement_and_kind_is_warned_and_shows_the_open_one(
        client, world, at):
    open_case = case_in_state(world, "admissibility_review")
    at("2017-01-20 10:00")
    draft = world.file()

    check = by_code(prechecks(draft))["duplicate"]
    assert not check.ok and check.severity == WARNING and not check.blocking
    assert open_case.case_number in check.message
    assert check.cases == ((str(open_case.pk), open_case.case_number),)

    client.force_login(world.tenant)
    response = client.get(reverse("portal:draft-review", args=[draft.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert open_case.case_number in body
    assert f'href="{reverse("portal:dispute", args=[open_case.pk])}"' in body
    assert 'id="indienen"' in body  # a warning: the party may still file


def test_the_open_case_itself_another_kind_or_a_concluded_case_gives_no_warning(world, at):
    open_case = case_in_state(world, "submitted")
    assert "duplicate" not in by_code(prechecks(open_case))  # not a duplicate of itself (the staff page)
    at("2017-01-20 10:00")
    other_kind = world.file(kind="nakoming")
    assert "duplicate" not in by_code(prechecks(other_kind))


@pytest.mark.parametrize("state", ["withdrawn", "settled", "decided"])
def test_a_concluded_case_is_not_open(world, at, state):
    case_in_state(world, state)
    at("2017-04-10 10:00")
    assert "duplicate" not in by_code(prechecks(world.file()))


def test_the_duplicate_check_is_a_pure_function_of_the_facts():
    facts = admissibility.Facts(kind="totstandkoming", arose_on=date(2017, 1, 5), today=date(2017, 1, 16),
                                rules=admissibility.rule_set_on(date(2017, 1, 16)),
                                open_cases=(("abc", "2017-0001"),))
    check = by_code(admissibility.checks_from(facts))["duplicate"]
    assert "2017-0001" in check.message and not check.blocking


def test_the_staff_page_of_the_second_case_shows_the_warning_with_a_link_to_the_open_one(client, world, at):
    from viewflow.workflow.models import Task

    from disputes import services

    open_case = case_in_state(world, "admissibility_review")
    at("2017-01-20 10:00")
    second = Dispute.objects.get(pk=services.dispute_submit(dispute=world.file(), actor=world.tenant).pk)
    task = next(t for t in Task.objects.filter(process__disputeprocess__dispute=second, finished__isnull=True)
                if t.flow_task.name == "register")
    client.force_login(world.secretary)
    response = client.get(reverse("workflow:task", args=[second.pk, task.pk]))
    assert response.status_code == 200
    assert "duplicate" in by_code(response.context["prechecks"])
    body = response.content.decode()
    assert open_case.case_number in body and f'href="{reverse("workflow:case", args=[open_case.pk])}"' in body


def test_the_first_of_two_open_cases_is_not_warned_about_the_second(world, at):
    from disputes import services

    open_case = case_in_state(world, "admissibility_review")
    at("2017-01-20 10:00")
    services.dispute_submit(dispute=world.file(), actor=world.tenant)
    assert "duplicate" not in by_code(prechecks(Dispute.objects.get(pk=open_case.pk)))


# -- item 10: the staff read about the applicant; the applicant is addressed -------------------------------------


def test_the_staff_pre_checks_speak_about_the_applicant_not_to_the_secretary(client, world, at):
    at("2017-01-16 10:00")
    case = case_in_state(world, "admissibility_review")
    applicant = {c.code: c.message for c in prechecks(case)}
    staff = {c.code: c.message for c in admissibility.prechecks(case, reader=admissibility.STAFF)}
    assert applicant["filing_term"].startswith("U dient op tijd in")
    assert staff["filing_term"].startswith("Op tijd ingediend")
    assert staff.keys() == applicant.keys()
    client.force_login(world.secretary)
    task = open_task(case, "assess_admissibility")
    page = client.get(reverse("workflow:task", args=[case.pk, task.pk])).content.decode()
    assert "Op tijd ingediend" in page
    assert "U dient" not in page and "U kunt toch indienen" not in page
