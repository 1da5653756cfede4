"""Small things that got in the way (issue 13, items 9 and 10): whose date the "Vóór welke datum?" box shows,
error pages that say "Fout:" in their title, a favicon on every page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


def test_the_date_box_says_the_decision_term_is_the_ministers_not_the_partys(client, world):
    case = case_in_state(world, "deliberation")
    client.force_login(world.tenant)
    page = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    box = page[page.index('id="datum-titel"'):page.index("</section>", page.index('id="datum-titel"'))]
    assert "geen termijn voor u" in box and "dit is de laatste dag" not in box


def test_a_partys_own_term_still_reads_as_its_last_day(client, world):
    case = case_in_state(world, "awaiting_response")
    client.force_login(world.corp_user)
    page = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    box = page[page.index('id="datum-titel"'):page.index("</section>", page.index('id="datum-titel"'))]
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
