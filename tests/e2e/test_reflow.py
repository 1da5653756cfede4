"""Reflow (WCAG 1.4.10, issue 13 item 6): the main pages of the secretariat and of a party, with their data tables,
at 320 CSS px wide. `assert_accessible` runs axe-core at full width, then checks the page at 320 px for sideways
scrolling (only a data table's own scroller may scroll) and runs axe-core again. The journeys reach only some of
these pages; here they are filled with the long words that break a layout (a URL, a long compound word).
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from disputes import clock, services
from disputes.models import Dispute
from tests.e2e.conftest import save_screenshot
from tests.e2e.test_secretariat import staff_login  # noqa: F401 (a fixture)
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db(transaction=True)

LONG_URL = "https://www.example.nl/prestatieafspraken/leiderdorp/2017/verslag-bestuurlijk-overleg-nieuwbouwopgave.pdf"
LONG_WORD = "Huurdersbelangenorganisatieprestatieafsprakenoverlegvergadering"


def cases(world) -> tuple[Dispute, Dispute]:
    """A case just submitted (a registration task) and one with a hearing, an effort log and a commission."""
    submitted = case_in_state(world, "submitted")
    heard = case_in_state(world, "hearing_scheduled")
    clock.set_now(None)
    Dispute.objects.filter(pk=heard.pk).update(title=f"{LONG_WORD} zie {LONG_URL}")
    services.effort_record(agreement=world.agreement, actor=world.tenant, kind="meeting",
                           occurred_on=date(2016, 12, 1), summary=f"Overleg; verslag op {LONG_URL}",
                           participants=LONG_WORD)
    return submitted, heard


def at_320(page, name: str) -> None:
    """A screenshot of the page at 320 CSS px for the documentation (only with SAVE_SCREENSHOTS=1)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    save_screenshot(page, name)
    page.set_viewport_size(size)


def test_the_secretariat_pages_reflow(world, page, live_server, staff_login, assert_accessible):  # noqa: F811
    submitted, heard = cases(world)
    staff_login(world.secretary)
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")
    expect(page.locator(".table-scroll").first).to_be_visible()
    assert_accessible(page)  # the worklist: urgent cases, hearings, all cases
    for path in ("taken/", f"geschillen/{heard.pk}/", f"geschillen/{submitted.pk}/", "commissie/",
                 "inlogbeveiliging/"):
        page.goto(f"{live_server.url}/werk/{path}")
        assert_accessible(page)  # the inbox, two case pages, the roster, the log-in security page
    page.goto(f"{live_server.url}/werk/geschillen/{heard.pk}/")
    at_320(page, "workflow-case-320")
    page.goto(f"{live_server.url}/werk/taken/")
    page.get_by_role("link", name="Registreren").first.click()
    expect(page.get_by_role("button", name="Taak oppakken")).to_be_visible()
    assert_accessible(page)  # a task page


def test_the_party_pages_reflow(world, login, live_server, assert_accessible):
    submitted, heard = cases(world)
    page = login(world.tenant)
    assert_accessible(page)  # the portal list
    page.get_by_role("link", name=heard.case_number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Geschil {heard.case_number}")
    assert_accessible(page)  # the portal case page
    at_320(page, "portal-case-320")
    for path in (f"portaal/geschillen/{heard.pk}/logboek/", f"portaal/overleg/{world.agreement.pk}/logboek/",
                 f"portaal/geschillen/{submitted.pk}/", f"portaal/geschillen/{heard.pk}/stukken-toevoegen/"):
        page.goto(f"{live_server.url}/{path}")
        assert_accessible(page)
    # the remedy page with the documents the secretariat asked for, one file field each
    asked = case_in_state(world, "admissibility_review")
    services.dispute_request_remedy(dispute=asked, actor=world.secretary, reason="Twee stukken ontbreken",
                                    requested=["machtiging", "verslag_overleg"])
    clock.set_now(None)
    page.goto(f"{live_server.url}/portaal/geschillen/{asked.pk}/herstel/")
    expect(page.get_by_label("Verslag overleg")).to_be_visible()
    assert_accessible(page)


def test_a_table_too_wide_scrolls_in_its_own_scroller_only(world, page, live_server, staff_login):  # noqa: F811
    """At 320 px the worklist's table is wider than the screen: its scroller scrolls, the page does not; the
    scroller is in the tab order (tabindex 0), has a name, and scrolls with the arrow keys."""
    cases(world)
    staff_login(world.secretary)
    page.set_viewport_size({"width": 320, "height": 800})
    save_screenshot(page, "workflow-worklist-320")
    scroller = page.locator("section[aria-labelledby=all-title] .table-scroll")
    widths = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1], "the table fits at 320 px; this test no longer tests a scroller"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    expect(scroller).to_have_attribute("role", "region")
    expect(scroller).to_have_attribute("tabindex", "0")
    expect(scroller).to_have_accessible_name("Alle lopende geschillen Klik op een kolomkop om te sorteren.")
    # the keyboard reaches the scroller and scrolls it; the page stays put
    scroller.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    expect(scroller).not_to_have_js_property("scrollLeft", 0)
    assert page.evaluate("window.scrollX") == 0
