"""The pre-checks of admissibility (disputes/admissibility.py), mostly as a pure function of facts.

Given the facts of a draft (kind, dates, the effort log, documents, guard problems) and today,
the checks say what is in order, what is a warning the party may file with, and what blocks.
"""

from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse

from disputes.admissibility import ERROR, WARNING, Facts, checks_from, in_window, prechecks
from disputes.portal import guidance
from disputes.rules import rule_set_by_code

OLD = rule_set_by_code("woningwet-2015")
NEW = rule_set_by_code("regie-volkshuisvesting")
ALL_TOTSTANDKOMING = frozenset({"verzoek", "bod", "woonvisie", "verslag_overleg", "concept_prestatieafspraken",
                                "correspondentie"})


def facts(**changes) -> Facts:
    base = Facts(kind="totstandkoming", arose_on=date(2017, 1, 5), today=date(2017, 1, 16), rules=OLD,
                 overleg_started_on=date(2016, 7, 1), effort_count=3, document_types=ALL_TOTSTANDKOMING)
    return replace(base, **changes)


def by_code(checks):
    return {c.code: c for c in checks}


def test_a_complete_timely_filing_passes_every_check():
    checks = checks_from(facts())
    assert all(c.ok for c in checks), [c.message for c in checks if not c.ok]
    assert {"filing_term", "window", "overleg", "effort_log", "documents"} <= set(by_code(checks))


def test_the_filing_term_is_four_weeks_with_its_atw_explanation():
    check = by_code(checks_from(facts()))["filing_term"]
    assert "donderdag 02-02-2017" in check.message
    assert any("Woningwet art. 44 lid 4" in line for line in check.explanation)
    assert any(line.startswith("termijn van 4 weken na donderdag 05-01-2017") for line in check.explanation)


def test_the_filing_term_is_extended_by_the_atw_when_it_ends_on_a_holiday():
    # 4 weeks after 28-11-2016 ends on Monday 26-12-2016 (tweede Kerstdag) -> Tuesday 27-12-2016 (the overleg
    # began in May, so its six months were over before the dispute arose)
    check = by_code(checks_from(facts(arose_on=date(2016, 11, 28), today=date(2016, 12, 27),
                                      overleg_started_on=date(2016, 5, 1))))["filing_term"]
    assert check.ok and "dinsdag 27-12-2016" in check.message
    assert any("Algemene termijnenwet art. 1" in line for line in check.explanation)


def test_a_late_filing_is_a_warning_not_an_error():
    check = by_code(checks_from(facts(today=date(2017, 2, 3))))["filing_term"]
    assert not check.ok and check.severity == WARNING and not check.blocking
    assert "A1" in check.message


@pytest.mark.parametrize(
    ("today", "inside"),
    [(date(2016, 7, 1), True), (date(2017, 1, 29), True), (date(2017, 1, 31), False), (date(2017, 6, 30), False),
     (date(2016, 12, 31), True)],
)
def test_the_window_runs_from_1_july_to_29_january(today, inside):
    assert in_window(today, OLD.window) is inside
    check = by_code(checks_from(facts(arose_on=today, today=today)))["window"]
    assert check.ok is inside and check.severity == WARNING


def test_the_window_does_not_apply_to_nakoming():
    checks = by_code(checks_from(facts(kind="nakoming", rules=NEW, today=date(2026, 3, 1),
                                       arose_on=date(2026, 2, 20), notices=(date(2026, 1, 10),))))
    assert "window" not in checks and "overleg" not in checks


def test_six_months_of_overleg_from_the_agreement_or_the_first_bod():
    # without a typed date the overleg check says it; with one, the filing-term check (see below)
    early = by_code(checks_from(facts(overleg_started_on=date(2016, 9, 1), arose_on=None)))["overleg"]
    assert not early.ok and "woensdag 01-03-2017" in early.message
    typed = by_code(checks_from(facts(overleg_started_on=date(2016, 9, 1))))
    assert "overleg" not in typed and "woensdag 01-03-2017" in typed["filing_term"].message
    from_log = by_code(checks_from(facts(overleg_started_on=None, first_bod_on=date(2016, 6, 30))))["overleg"]
    assert from_log.ok and any("eerste bod in het overleglogboek" in line for line in from_log.explanation)
    unknown = by_code(checks_from(facts(overleg_started_on=None, first_bod_on=None)))["overleg"]
    assert not unknown.ok and "niet bekend" in unknown.message
    assert any("niet verlengd" in line for line in early.explanation)


def test_missing_documents_are_listed_by_name():
    check = by_code(checks_from(facts(document_types=frozenset({"verzoek"}))))["documents"]
    assert not check.ok and check.severity == WARNING
    assert "Bod" in check.message and "Woonvisie / volkshuisvestingsbeleid" in check.message


def test_guard_problems_block_and_come_first():
    checks = checks_from(facts(guard_problems=("Beschrijf ten minste één geschilpunt.",)))
    assert checks[0].blocking and checks[0].severity == ERROR and checks[0].code == "guard"


def test_nakoming_under_a_rule_set_without_it_is_a_warning():
    check = by_code(checks_from(facts(kind="nakoming", notices=(date(2016, 11, 1),))))["rule_set"]
    assert not check.ok and "A4" in " ".join(check.explanation)


def test_nakoming_arises_on_the_answer_or_after_four_weeks_of_silence():
    silent = by_code(checks_from(facts(kind="nakoming", rules=NEW, notices=(date(2026, 1, 5),),
                                       arose_on=date(2026, 2, 3), today=date(2026, 2, 10))))["notice"]
    assert silent.ok and "maandag 02-02-2026" in silent.message
    answered = by_code(checks_from(facts(kind="nakoming", rules=NEW, notices=(date(2026, 1, 5),),
                                         answers=(date(2026, 1, 20),), arose_on=date(2026, 1, 20),
                                         today=date(2026, 2, 10))))["notice"]
    assert answered.ok and "dinsdag 20-01-2026" in answered.message
    before = by_code(checks_from(facts(kind="nakoming", rules=NEW, notices=(date(2026, 1, 5),),
                                       arose_on=date(2025, 12, 1), today=date(2026, 2, 10))))["filing_term"]
    assert not before.ok and "vóór de ingebrekestelling" in before.message


def test_an_empty_effort_log_is_a_warning():
    check = by_code(checks_from(facts(effort_count=0)))["effort_log"]
    assert not check.ok and "leeg" in check.message


@pytest.mark.django_db
def test_prechecks_read_the_draft_its_log_and_documents(world, at):
    at("2017-01-16 10:00")
    draft = world.file(kind="nakoming")
    checks = by_code(prechecks(draft))
    assert checks["guard"].blocking  # the signed agreement is missing
    assert checks["notice"].ok


@pytest.mark.django_db
def test_the_staff_page_shows_exactly_the_portals_prechecks_of_the_filing_day(client, world, at):
    """The secretary sees what the applicant saw on the day of filing, computed by the same function
    (no second implementation, no fallback), even when the filing term has run out since; worded about the
    applicant rather than to it."""
    from viewflow.workflow.models import Task

    from tests.factories import case_in_state

    dispute = case_in_state(world, "submitted")  # filed on Monday 16-01-2017
    at("2017-06-01 10:00")
    task = next(t for t in Task.objects.filter(process__disputeprocess__dispute=dispute, finished__isnull=True)
                if t.flow_task.name == "register")
    client.force_login(world.secretary)
    response = client.get(reverse("workflow:task", args=[dispute.pk, task.pk]))
    assert response.status_code == 200
    shown = response.context["prechecks"]
    assert shown == prechecks(dispute, today=date(2017, 1, 16), reader="staff")
    assert [(c.code, c.ok) for c in shown] == [(c.code, c.ok) for c in prechecks(dispute, today=date(2017, 1, 16))]
    assert by_code(shown)["filing_term"].ok  # on time on the filing day, though not on 01-06-2017
    body = response.content.decode()
    assert "Op tijd ingediend." in body and "Woningwet art. 44 lid 4" in body


def test_every_state_has_guidance_for_both_sides():
    from disputes.states import DisputeState

    for state in DisputeState.values:
        for role in (guidance.APPLICANT, guidance.RESPONDENT, guidance.RESPONDENT_DONE):
            if state == "draft" and role != guidance.APPLICANT:
                continue
            text = guidance.guidance_for(state, role)
            assert text.now and text.expected and text.now != "Het geschil is in behandeling.", (state, role)


def test_guidance_asks_the_respondent_to_respond_before_the_response_deadline():
    g = guidance.guidance_for("awaiting_response", guidance.RESPONDENT)
    assert g.action == "respond" and g.deadline == "response" and "verweerschrift" in str(g.expected)
    assert guidance.guidance_for("awaiting_response", guidance.RESPONDENT_DONE).action is None


# -- one filing-term computation (issue 12, defect 1) -------------------------------------------------------


def test_a_totstandkoming_dispute_typed_before_the_six_month_mark_gets_one_warning_from_that_mark():
    """Arose in October, overleg since 1 July: the term cannot end on 9 November (before the six months are
    over). The term runs from the six-month mark, and one warning says so (not "tot 9-11" plus "too early")."""
    checks = checks_from(facts(arose_on=date(2016, 10, 12), today=date(2016, 10, 20)))
    messages = " ".join(c.message for c in checks)
    assert "09-11-2016" not in messages
    term = by_code(checks)["filing_term"]
    assert not term.ok and term.severity == WARNING
    # six months after 01-07-2016 is Sunday 01-01-2017; four weeks later Sunday 29-01-2017 -> Monday (Atw art. 1)
    assert "zondag 01-01-2017" in term.message and "maandag 30-01-2017" in term.message
    assert "woensdag 12-10-2016" in term.message
    about_the_overleg = [c for c in checks if c.code in ("filing_term", "overleg") and not c.ok]
    assert about_the_overleg == [term]


def test_filing_term_for_returns_the_date_used_its_source_and_the_conflict():
    from disputes.admissibility import filing_term_for

    chosen = filing_term_for(facts(arose_on=date(2016, 10, 12), today=date(2016, 10, 20)))
    assert chosen.used == date(2017, 1, 1) and chosen.source == "six_months" and chosen.typed == date(2016, 10, 12)
    assert chosen.term.due == date(2017, 1, 30) and chosen.conflict
    plain = filing_term_for(facts())
    assert plain.used == date(2017, 1, 5) and plain.source == "typed" and not plain.conflict
    assert plain.term.due == date(2017, 2, 2)


@pytest.mark.parametrize(
    ("today", "inside"),
    [(date(2017, 1, 30), True),    # 29-01-2017 is a Sunday: the window runs on to Monday 30-01 (Atw art. 1)
     (date(2017, 1, 31), False),
     (date(2028, 1, 31), True),    # 29-01-2028 is a Saturday: on to Monday 31-01-2028
     (date(2016, 2, 1), False)],   # 29-01-2016 is a Friday: not extended
)
def test_the_windows_last_day_is_extended_by_the_atw(today, inside):
    check = by_code(checks_from(facts(arose_on=today, today=today, overleg_started_on=date(2015, 7, 1))))["window"]
    assert check.ok is inside, check.message
    if inside:
        assert any("Algemene termijnenwet art. 1" in line for line in (check.message, *check.explanation))


def test_nakoming_typed_later_than_the_log_is_judged_by_the_log():
    """Notice 05-01-2026 unanswered: the dispute arose on Monday 02-02-2026 (four weeks of silence); the term
    ends Monday 02-03-2026. A typed 20-02-2026 must not make a filing on 05-03-2026 look timely."""
    check = by_code(checks_from(facts(kind="nakoming", rules=NEW, notices=(date(2026, 1, 5),),
                                      arose_on=date(2026, 2, 20), today=date(2026, 3, 5))))["filing_term"]
    assert not check.ok and "A1" in check.message
    assert "maandag 02-02-2026" in check.message and "maandag 02-03-2026" in check.message
    assert "U dient op tijd in" not in check.message


def test_nakoming_typed_before_the_notice_uses_the_log_in_one_warning():
    checks = checks_from(facts(kind="nakoming", rules=NEW, notices=(date(2026, 1, 5),),
                               arose_on=date(2025, 12, 1), today=date(2026, 2, 10)))
    warnings = [c for c in checks if c.code in ("filing_term", "notice") and not c.ok]
    assert [c.code for c in warnings] == ["filing_term"]
    assert "maandag 02-02-2026" in warnings[0].message
