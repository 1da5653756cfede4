"""The dashboard /werk/overzicht/ in a browser: reached from the staff menu, filtered by a year, accessible (axe-core
and reflow at 320 px), its charts drawn and coloured by the site's stylesheet, and no CSP violation (the charts are
inline SVG without script or inline style)."""

import re

import pytest
from playwright.sync_api import expect

from disputes import clock
from tests.e2e.conftest import PASSWORD, save_screenshot
from tests.e2e.test_secretariat import staff_login  # noqa: F401 (a fixture)
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db(transaction=True)


def some_cases(world) -> None:
    world.gemeente.province = "zuid_holland"
    world.gemeente.save()
    for state in ("decided", "decided", "exchange", "awaiting_remedy", "withdrawn", "submitted"):
        case_in_state(world, state)
    clock.set_now(None)


def test_the_dashboard_filtered_by_a_year(world, page, live_server, staff_login, assert_accessible):  # noqa: F811
    some_cases(world)
    staff_login(world.secretary)
    page.get_by_role("link", name="Overzicht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht")
    expect(page.get_by_role("img", name="Zaken per status en soort")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Jaar van indiening").select_option("2017")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(re.compile(r"jaar=2017"))
    expect(page.get_by_role("table", name="Ingediend en beslist per kwartaal")).to_contain_text("2017 K4")
    expect(page.get_by_text("100,0% binnen de termijn beslist")).to_be_visible()  # a Dutch decimal comma
    assert_accessible(page)
    save_screenshot(page, "workflow-dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV downloaden (Doorlooptijd per fase)").click()
    assert download.value.suggested_filename == "overzicht-doorlooptijd-2017.csv"


def test_the_charts_keep_the_csp(world, browser, live_server):
    """In a browser context that enforces the CSP (the other tests bypass it to inject axe-core): no violation is
    reported, and the bars take their colour from the site's stylesheet."""
    some_cases(world)
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    world.official.set_password(PASSWORD)
    world.official.save()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(world.official.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/werk/")
    response = page.goto(f"{live_server.url}/werk/overzicht/")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    chart = page.get_by_role("img", name="Zaken per status en soort")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 100
    fill = page.locator("#chart-status .color-0 .reactive").first.evaluate("e => getComputedStyle(e).fill")
    assert fill == "rgb(21, 66, 115)"
    assert not [m for m in messages if "Content Security Policy" in m], messages
    context.close()
