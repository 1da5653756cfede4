"""Small things that got in the way (issue 13, items 9 and 10): whose date the "Vóór welke datum?" box shows,
error pages that say "Fout:" in their title, a favicon on every page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


def _date_box(page: str) -> str:
    """The "Vóór welke datum?" section of a party's case page."""
    start = page.index('id="datum-titel"')
    return page[start:page.index("</section>", start)]


def test_the_date_box_says_the_decision_term_is_the_ministers_not_the_partys(client, world):
    case = case_in_state(world, "deliberation")
    client.force_login(world.tenant)
    box = _date_box(client.get(reverse("portal:dispute", args=[case.pk])).content.decode())
    assert "geen termijn voor u" in box and "dit is de laatste dag" not in box


def test_a_partys_own_term_still_reads_as_its_last_day(client, world):
    case = case_in_state(world, "awaiting_response")
    client.force_login(world.corp_user)
    box = _date_box(client.get(reverse("portal:dispute", args=[case.pk])).content.decode())
    assert "dit is de laatste dag" in box and "geen termijn voor u" not in box


def test_an_error_page_says_fout_in_its_title(client, world):
    client.force_login(world.tenant)
    page = client.get("/portaal/geschillen/00000000-0000-0000-0000-000000000000/").content.decode()
    assert re.search(r"<title>Fout: Niet gevonden - ", page)


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_favicon(client, world):
    client.force_login(world.tenant)
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    assert finders.find("favicon.svg")


def test_the_staff_case_page_shows_words_not_codes(client, world):
    """Issue 13, item 7: a closed term's note, the rule set and the reasons of an inadmissible point in words."""
    from disputes import services
    from disputes.models import Deadline

    case = case_in_state(world, "exchange")
    # a note stored as a code by an older version reads in words too
    Deadline.objects.filter(dispute=case, kind="response").update(note="all_responded")
    client.force_login(world.secretary)
    page = client.get(reverse("workflow:case", args=[case.pk])).content.decode()
    assert "alle verweerders hebben verweer gevoerd" in page and "all_responded" not in page
    assert "Woningwet art. 44 lid 4-5" in page
    other = case_in_state(world, "admissibility_review")
    services.point_decide_admissibility(point=other.points.get(), actor=world.secretary, admissible=False,
                                        reasons=["A3"], note="Gemeentelijk beleid.")
    page = client.get(reverse("workflow:case", args=[other.pk])).content.decode()
    assert "A3 gaat over de inhoud van gemeentelijk beleid" in page


def test_a_dossiers_case_version_reads_in_words():
    from disputes.models.document import case_version_in_words

    assert case_version_in_words("32-22-55") == "stand 32 van het geschil, met 22 documenten en 55 gebeurtenissen"
    assert case_version_in_words("onbekend") == "onbekend"


def test_counts_read_as_dutch_singular_and_plural():
    """Issue 13, item 10: "1 bestand(en)", "5 regel(s)" read as "1 bestand", "5 regels"."""
    from datetime import date

    from disputes.admissibility import Facts, checks_from
    from disputes.portal.wizard import _files_added
    from disputes.rules import rule_set_on

    assert _files_added(1) == "1 bestand toegevoegd." and _files_added(3) == "3 bestanden toegevoegd."
    for count, text in ((1, "Het overleglogboek bevat 1 regel."), (5, "Het overleglogboek bevat 5 regels.")):
        facts = Facts(kind="totstandkoming", arose_on=date(2017, 1, 5), today=date(2017, 1, 16),
                      rules=rule_set_on(date(2017, 1, 16)), effort_count=count)
        assert next(c.message for c in checks_from(facts) if c.code == "effort_log") == text


def test_going_on_from_the_effort_log_keeps_what_was_typed(client, world, at):
    """Issue 13, item 1: "Verder naar documenten" saves a filled-in entry, goes on when nothing was typed, and
    stays with the errors (and the typed text) when the entry is incomplete."""
    from disputes.models import EffortEntry

    at("2017-01-16 10:00")
    draft = world.file()
    client.force_login(world.tenant)
    url = reverse("portal:draft-efforts", args=[draft.pk])
    documents = reverse("portal:draft-documents", args=[draft.pk])
    before = EffortEntry.objects.count()
    assert client.post(url, {"verder": "1"})["Location"] == documents  # nothing typed: on
    half = client.post(url, {"verder": "1", "summary": "Overleg zonder resultaat"})
    assert half.status_code == 200 and "Kies de soort logboekregel." in half.content.decode()
    assert "Overleg zonder resultaat" in half.content.decode() and EffortEntry.objects.count() == before
    full = client.post(url, {"verder": "1", "kind": "meeting", "occurred_on": "15-09-2016",
                             "summary": "Overleg zonder resultaat"})
    assert full["Location"] == documents
    assert EffortEntry.objects.filter(summary="Overleg zonder resultaat").count() == 1


def test_a_staff_task_page_puts_the_error_summary_first_and_links_to_the_field(client, world):
    """Issue 13, item 2: the error summary is at the top of the page, takes focus (data-focus-on-load, as in the
    portal: one template) and links to the field, instead of rendering ~2,300 px down inside its form."""
    from viewflow.workflow.models import Task

    case = case_in_state(world, "exchange")
    task = next(t for t in Task.objects.filter(process__disputeprocess__dispute=case, finished__isnull=True)
                if t.flow_task.name == "plan_hearing")
    client.force_login(world.secretary)
    client.post(reverse("workflow:task-assign", args=[case.pk, task.pk]), {"action": "take"})
    page = client.post(reverse("workflow:task", args=[case.pk, task.pk]), {
        "action": "schedule_hearing", "schedule_hearing-expected_version": case.version,
        "schedule_hearing-place": "Den Haag"}).content.decode()
    summary = page.index('id="error-summary"')
    assert "data-focus-on-load" in page[summary - 200:summary + 200]
    assert summary < page.index('id="action-schedule_hearing"')  # before the first section, right under the title
    assert 'href="#id_schedule_hearing-hearing_at"' in page[summary:page.index("</div>", summary)]
    assert page.count('class="error-summary"') == 1  # one summary, not one per form


def test_a_case_action_page_puts_the_error_summary_first(client, world):
    case = case_in_state(world, "decided")
    client.force_login(world.official)
    page = client.post(reverse("workflow:case-action", args=[case.pk, "herstelbesluit"]), {
        "herstelbesluit-expected_version": case.version, "herstelbesluit-reason": ""}).content.decode()
    summary = page.index('id="error-summary"')
    assert summary < page.index("<form", summary) and 'href="#id_herstelbesluit-reason"' in page[summary:]


def test_the_header_names_the_start_page_of_whoever_is_logged_in(client, world):
    """Issue 13, item 10: the staff header said "Mijn geschillen"; a member of staff starts at the worklist."""
    client.force_login(world.secretary)
    staff_header = client.get(reverse("workflow:worklist")).content.decode().split("</header>")[0]
    assert "Werkvoorraad" in staff_header and "Mijn geschillen" not in staff_header
    client.force_login(world.tenant)
    party_header = client.get(reverse("home")).content.decode().split("</header>")[0]
    assert "Mijn geschillen" in party_header and "Werkvoorraad" not in party_header


def test_a_party_refused_a_staff_page_sees_no_staff_navigation(client, world):
    """Issue 13, item 10: the 403 of a staff page showed a party the staff menu (Werkvoorraad, Mijn taken, ...)."""
    case = case_in_state(world, "exchange")
    client.force_login(world.tenant)
    response = client.get(reverse("workflow:case", args=[case.pk]))
    assert response.status_code == 403
    assert "workflow-nav" not in response.content.decode() and "Mijn taken" not in response.content.decode()
    client.force_login(world.secretary)
    assert "workflow-nav" in client.get(reverse("workflow:case", args=[case.pk])).content.decode()


def test_the_confirmation_checkbox_error_repeats_what_the_box_says(client, world):
    draft = case_in_state(world, "draft")
    client.force_login(world.tenant)
    response = client.post(reverse("portal:draft-review", args=[draft.pk]), {"expected_version": draft.version})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vink aan dat u dit verzoek mag indienen namens uw organisatie" in page
    assert "zeker weet" not in page


def test_the_log_in_page_uses_the_one_error_summary(client, world):
    page = client.post(reverse("login"), {"username": "anna", "password": "fout"}).content.decode()
    summary = page[page.index('id="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert "Er is een probleem" in summary and 'href="#id_username"' in summary
    assert "Gebruikersnaam of wachtwoord klopt niet" in summary
    assert page.count('class="error-summary"') == 1
