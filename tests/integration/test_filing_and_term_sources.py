"""One filing-term computation for the stored FILING deadline, the Atw's reach per term, Awb 4:15 and the
extension from the nominal end, as the services store them (issue 12: defect 1 and "decided silently")."""

from datetime import date

import pytest
from django.urls import reverse

from disputes import admissibility, services
from disputes.models import Deadline, DeadlineKind, Dispute
from disputes.services import deadlines
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


def _filing(dispute) -> Deadline:
    return Deadline.objects.get(dispute=dispute, kind=DeadlineKind.FILING)


def test_the_stored_filing_deadline_runs_from_the_six_month_mark_when_the_typed_date_is_earlier(world, at):
    """Typed 12-10-2016, overleg since 01-07-2016: the term runs from Sunday 01-01-2017 to Monday 30-01-2017,
    so filing on 16-01-2017 is timely (it was stored as due 09-11-2016, "te laat ingediend")."""
    at("2017-01-16 10:00")
    draft = world.file()
    Dispute.objects.filter(pk=draft.pk).update(arose_on=date(2016, 10, 12))
    expected = admissibility.filing_term_for(admissibility.facts_of(Dispute.objects.get(pk=draft.pk)))
    services.dispute_submit(dispute=Dispute.objects.get(pk=draft.pk), actor=world.tenant)
    filing = _filing(draft)
    assert filing.starts_on == date(2017, 1, 1) and filing.due == date(2017, 1, 30) == expected.term.due
    assert filing.note == "tijdig ingediend"
    assert expected.conflict in filing.explanation
    assert filing.explanation[0].startswith("Grondslag: Woningwet art. 44 lid 4")


def test_the_nakoming_filing_term_of_a_draft_follows_the_log_when_the_typed_date_is_later(world, at):
    """Notice 01-11-2016, unanswered: the dispute arose on Tuesday 29-11-2016, the term ended on Tuesday
    27-12-2016 (26-12 is tweede Kerstdag). The typed 05-01-2017 made it end on 02-02-2017."""
    at("2017-01-16 10:00")
    draft = world.file(kind="nakoming")
    facts = admissibility.facts_of(draft)
    chosen = admissibility.filing_term_for(facts)
    assert chosen.used == date(2016, 11, 29) and chosen.source == "log_silence"
    assert chosen.term.due == date(2016, 12, 27) and chosen.conflict


def test_a_remedy_term_chosen_by_the_secretariat_is_kept_as_set(world, at):
    """Awb 4:5: the secretariat sets the remedy term; a Saturday stays a Saturday and the explanation names its
    source without citing Atw art. 1 (it was moved to Monday by Atw art. 1)."""
    dispute = case_in_state(world, "admissibility_review")  # 17-01-2017
    services.dispute_request_remedy(dispute=dispute, actor=world.secretary, deadline=date(2017, 1, 28),
                                    reason="Machtiging ontbreekt")
    remedy = deadlines.open_deadline(dispute, DeadlineKind.REMEDY)
    assert remedy.due == date(2017, 1, 28)
    assert remedy.explanation[0].startswith("Grondslag: Awb art. 4:5")
    assert not any("Algemene termijnenwet art. 1" in line for line in remedy.explanation)


def test_statutory_terms_name_their_source_in_the_stored_explanation(world):
    dispute = case_in_state(world, "submitted")
    decision = deadlines.open_deadline(dispute, DeadlineKind.DECISION)
    assert decision.explanation[0].startswith("Grondslag: Woningwet art. 44 lid 5")
    assert "Algemene termijnenwet is van toepassing" in decision.explanation[0]


def test_the_decision_term_is_suspended_until_not_including_the_day_of_completion(world, at):
    """Awb 4:15: suspended from the day after the request (18-01) until the day of completion (27-01), that
    day not included: 9 days, so Monday 13-03-2017 becomes Wednesday 22-03-2017 (was 23-03, 10 days)."""
    dispute = case_in_state(world, "awaiting_remedy")  # requested 17-01-2017; decision due 13-03-2017
    assert deadlines.open_deadline(dispute, DeadlineKind.DECISION).due == date(2017, 3, 13)
    at("2017-01-27 10:00")
    services.dispute_supply_remedy(dispute=dispute, actor=world.tenant, note="Machtiging bijgevoegd")
    decision = deadlines.open_deadline(dispute, DeadlineKind.DECISION)
    assert decision.nominal_end == decision.due == date(2017, 3, 22)
    assert any("tot vrijdag 27-01-2017" in line and "Awb art. 4:15" in line for line in decision.explanation)
    assert not any("tot en met vrijdag 27-01-2017" in line for line in decision.explanation)


def test_completion_the_day_after_the_request_suspends_nothing(world, at):
    dispute = case_in_state(world, "awaiting_remedy")
    at("2017-01-18 10:00")
    services.dispute_supply_remedy(dispute=dispute, actor=world.tenant, note="Machtiging bijgevoegd")
    assert deadlines.open_deadline(dispute, DeadlineKind.DECISION).due == date(2017, 3, 13)


def test_an_extension_of_the_decision_term_counts_from_its_nominal_end(world, at):
    """Decision term nominally ends on Good Friday 03-04-2026 (due Tuesday 07-04-2026); four more weeks end on
    Friday 01-05-2026, not on Wednesday 06-05-2026 (four weeks after the Tuesday is Bevrijdingsdag)."""
    at("2026-02-06 10:00")
    dispute = world.file()
    deadlines.set_term(dispute, DeadlineKind.DECISION, start=date(2026, 2, 6), weeks=8)
    assert deadlines.open_deadline(dispute, DeadlineKind.DECISION).due == date(2026, 4, 7)
    extended = deadlines.extend_decision_term(dispute, weeks=4, reason="verdaging")
    assert extended.nominal_end == extended.due == date(2026, 5, 1)


def test_the_case_pages_label_each_deadline_with_its_legal_source(client, world):
    dispute = case_in_state(world, "submitted")
    client.force_login(world.tenant)
    portal = client.get(reverse("portal:dispute", args=[dispute.pk])).content.decode()
    assert "Woningwet art. 44 lid 4" in portal and "Woningwet art. 44 lid 5" in portal
    client.force_login(world.secretary)
    staff = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert "Wettelijke termijn" in staff and "Woningwet art. 44 lid 5" in staff


def test_the_wizards_date_step_shows_the_same_filing_term_as_the_review(client, world, at):
    """The date step said "Met deze datum loopt de indieningstermijn tot en met woensdag 09-11-2016" for a
    dispute typed as arisen on 12-10-2016; it now shows the review's one warning and the term from the mark."""
    at("2017-01-16 10:00")
    draft = world.file()
    Dispute.objects.filter(pk=draft.pk).update(arose_on=date(2016, 10, 12))
    client.force_login(world.tenant)
    page = client.get(reverse("portal:draft-date", args=[draft.pk])).content.decode()
    assert "09-11-2016" not in page
    assert "maandag 30-01-2017" in page and "Wij rekenen de indieningstermijn daarom vanaf zondag 01-01-2017" in page


def test_the_staff_case_file_shows_the_one_filing_term_with_its_conflict(client, world, at):
    at("2017-01-16 10:00")
    draft = world.file()
    Dispute.objects.filter(pk=draft.pk).update(arose_on=date(2016, 10, 12))
    services.dispute_submit(dispute=Dispute.objects.get(pk=draft.pk), actor=world.tenant)
    client.force_login(world.secretary)
    page = client.get(reverse("workflow:case", args=[draft.pk])).content.decode()
    assert "Wij rekenen de indieningstermijn daarom vanaf zondag 01-01-2017" in page
    assert "09-11-2016" not in page


def test_every_kind_of_deadline_has_its_legal_source():
    from disputes.atw import TERM_SOURCES

    assert set(TERM_SOURCES) == set(DeadlineKind.values)
