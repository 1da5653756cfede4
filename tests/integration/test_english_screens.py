"""Issue 13, item 8: in English, the screens' dates, deadline explanations and "tijdig ingediend" are English.

The deadlines are stored with a Dutch explanation (the dossier's and the letters' text); a screen in English
writes them again in English (disputes/termwords.py). Letters and e-mails stay Dutch.
"""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from disputes import clock, services
from disputes.models import Dispute
from disputes.services import deadlines
from tests.factories import case_in_state, moment

pytestmark = pytest.mark.django_db

DUTCH = ("vrijdag", "maandag", "woensdag", "verschoven", "opgeschort", "tijdig ingediend", "Grondslag",
         "eindigt op", "Goede Vrijdag")


@pytest.fixture
def case(world):
    """A case whose filing term closed "tijdig ingediend", whose decision term was suspended for a remedy request
    (18 to 25 January 2017), with a statutory term the Atw moved past Good Friday and Easter Monday 2017."""
    case = case_in_state(world, "awaiting_remedy")
    clock.set_now(moment("2017-01-25 10:00"))
    services.dispute_supply_remedy(dispute=Dispute.objects.get(pk=case.pk), actor=world.tenant, note="Hierbij")
    # six weeks after Friday 3 March 2017 is Good Friday 14 April; the Atw moves it to Tuesday 18 April
    deadlines.set_term(case, "objection", start=date(2017, 3, 3), weeks=6)
    return case


def _text(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _in_english(client):
    client.post(reverse("set_language"), {"language": "en"})


def _assert_english(page: str):
    # the dates: weekday and month in words
    assert "Monday 20 March 2017" in page  # the decision term, moved by the suspension
    assert "Tuesday 18 April 2017" in page  # the term the Atw moved
    # the explanations
    assert "period suspended for 7 days" in page
    assert "suspended from Wednesday 18 January 2017 until Wednesday 25 January 2017" in page
    assert "end date moved from Monday 13 March 2017 to Monday 20 March 2017" in page
    assert "ends on Friday 14 April 2017 (Good Friday); moved to Tuesday 18 April 2017" in page
    assert "period of 6 weeks after Friday 3 March 2017" in page
    assert "submitted in time" in page
    for word in DUTCH:
        assert word not in page, f"{word!r} on an English page"


def test_the_party_case_page_in_english_has_english_dates_and_explanations(client, world, case):
    _in_english(client)
    client.force_login(world.tenant)
    page = _text(client.get(reverse("portal:dispute", args=[case.pk])))
    _assert_english(page)
    box = page[page.index("By what date?"):]
    assert box.split("This is")[0].strip().endswith("Monday 20 March 2017")  # the "Vóór welke datum?" box


def test_the_staff_case_page_in_english_has_english_dates_and_explanations(client, world, case):
    _in_english(client)
    client.force_login(world.secretary)
    _assert_english(_text(client.get(reverse("workflow:case", args=[case.pk]))))


def test_in_dutch_the_screens_show_the_stored_dutch(client, world, case):
    client.force_login(world.secretary)
    page = _text(client.get(reverse("workflow:case", args=[case.pk])))
    assert "einddatum verschoven van maandag 13-03-2017 naar maandag 20-03-2017" in page
    assert "eindigt op vrijdag 14-04-2017 (Goede Vrijdag); verlengd tot dinsdag 18-04-2017" in page
    assert "tijdig ingediend" in page
    client.force_login(world.tenant)
    page = _text(client.get(reverse("portal:dispute", args=[case.pk])))
    assert "maandag 20-03-2017" in page and "tijdig ingediend" in page


def test_the_stored_explanation_stays_dutch_and_letters_keep_dutch_dates(world, case):
    """The shared helpers: what is stored and what letters print does not follow the screen's language."""
    from disputes.atw import format_date_nl

    with translation.override("en"):
        decision = deadlines.open_deadline(case, "decision")
        assert any("verschoven" in line for line in decision.explanation)
        assert format_date_nl(date(2027, 1, 15)) == "vrijdag 15-01-2027"


def test_a_date_follows_the_language():
    from disputes.termwords import format_date

    with translation.override("nl"):
        assert format_date(date(2027, 1, 15)) == "vrijdag 15-01-2027"
    with translation.override("en"):
        assert format_date(date(2027, 1, 15)) == "Friday 15 January 2027"


def test_every_line_the_atw_writes_is_recognised():
    """Each kind of line ``atw`` stores is written again in English, none is left as stored."""
    from disputes.atw import compute_term, extend_term, shift_term
    from disputes.termwords import recognises

    terms = [
        compute_term(date(2017, 3, 3), weeks=6),  # art. 1, Good Friday
        compute_term(date(2017, 4, 12), days=3),  # art. 1 twice over Easter
        compute_term(date(2016, 12, 29), days=3),  # art. 2: two working days
        compute_term(date(2017, 1, 1), months=6),  # art. 4
        compute_term(date(2017, 1, 1), weeks=2, atw=False),  # as set
        extend_term(compute_term(date(2017, 3, 3), weeks=6), weeks=4, reason="ingewikkelde zaak"),
        shift_term(compute_term(date(2017, 1, 16), weeks=8), suspended_days=1, reason=""),
    ]
    lines = {line for term in terms for line in term.explanation}
    unknown = [line for line in lines if not recognises(line)]
    assert not unknown, unknown


def test_after_the_decision_the_closing_date_and_its_explanation_are_english(client, world):
    case = case_in_state(world, "decided")
    _in_english(client)
    client.force_login(world.tenant)
    response = client.get(reverse("portal:dispute", args=[case.pk]))
    html = response.content.decode()
    start = html.index('id="na-uitspraak-titel"')
    section = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:html.index("</section>", start)]))
    assert "How was this date calculated?" in section
    assert re.search(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ 2017", section)
    for weekday in ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"):
        assert weekday not in section, f"{weekday!r} in {section!r}"
