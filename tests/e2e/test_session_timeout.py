"""The session time-out warns first and lets the user stay logged in (quality.md)."""

import pytest

from tests.factories import case_in_state

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_warning_appears_before_the_end_and_staying_logged_in_works(world, login, settings, live_server,
                                                                         assert_accessible):
    settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_WARNING_SECONDS = 8  # warn after 4 seconds
    case_in_state(world, "submitted")
    page = login(world.tenant)
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_role("button", name="Ingelogd blijven").wait_for(state="visible", timeout=15000)
    assert "verloopt bijna" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Ingelogd blijven"  # focus moved
    assert_accessible(page)
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=5000)
    # the session was renewed: after the original 12 seconds the user is still logged in
    page.wait_for_timeout(9000)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn geschillen"


def test_without_renewal_the_page_says_the_session_has_ended(world, login, settings, live_server):
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_WARNING_SECONDS = 3
    page = login(world.tenant)
    page.get_by_text("Uw sessie is verlopen").wait_for(state="visible", timeout=15000)
    page.get_by_role("link", name="Opnieuw inloggen").click()
    page.wait_for_url("**/inloggen/**")
