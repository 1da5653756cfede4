"""The session time-out warns first and lets the user stay logged in (quality.md).

The real settings (an hour, a warning five minutes before the end), in the page's own time: Playwright's
clock (``page.clock``) moves the page's timers forward, so nothing waits in real time. The server's side
is read where it is kept: the session's end in the session table (``SESSION_SAVE_EVERY_REQUEST`` moves it
with every request, the "stay logged in" request included).
"""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import case_in_state

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = 60 * 60
WARNING = 5 * 60


@pytest.fixture
def hour_with_warning(settings):
    settings.SESSION_COOKIE_AGE = HOUR
    settings.SESSION_WARNING_SECONDS = WARNING


def session_end(page, settings):
    """When the server ends this browser's session."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    return Session.objects.get(session_key=key).expire_date


def test_the_warning_appears_before_the_end_and_staying_logged_in_works(
        world, login, page, settings, hour_with_warning, live_server, assert_accessible):
    case_in_state(world, "submitted")
    page.clock.install()  # before the first page, so its timers run on the clock
    login(world.tenant)
    dialog = page.get_by_role("alertdialog")
    stay = dialog.get_by_role("button", name="Ingelogd blijven")
    page.clock.fast_forward("54:50")
    assert stay.is_hidden()  # not yet: the warning comes five minutes before the end
    page.clock.fast_forward("00:20")  # 55:10 after the last request
    stay.wait_for(state="visible", timeout=5000)
    assert "verloopt bijna" in dialog.inner_text() and "Over 5 minuten" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Ingelogd blijven"  # focus moved
    assert_accessible(page)
    original_end = session_end(page, settings)
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=5000)
    # The server renewed the session: it ends an hour after the renewal, later than it would have.
    assert session_end(page, settings) > original_end
    # The page counts again from the renewal: past the original end, no "session ended".
    page.clock.fast_forward("10:00")  # 65:10 after the log-in, 10:00 after the renewal
    assert dialog.is_hidden()
    page.clock.fast_forward("45:10")  # 55:10 after the renewal: the next warning
    stay.wait_for(state="visible", timeout=5000)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn geschillen"


def test_without_renewal_the_page_says_the_session_has_ended(
        world, login, page, settings, hour_with_warning, live_server):
    page.clock.install()
    login(world.tenant)
    loaded = timezone.now()
    # The server ends the session an hour after the last request, as the page counts.
    assert loaded + timedelta(seconds=HOUR - 30) < session_end(page, settings) <= loaded + timedelta(seconds=HOUR)
    ended = page.get_by_text("Uw sessie is verlopen")
    page.clock.fast_forward("59:50")
    assert ended.is_hidden()
    assert page.get_by_role("button", name="Ingelogd blijven").is_visible()  # the warning, not the end
    page.clock.fast_forward("00:20")
    ended.wait_for(state="visible", timeout=5000)
    page.get_by_role("link", name="Opnieuw inloggen").click()
    page.wait_for_url("**/inloggen/**")
