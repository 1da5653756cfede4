"""Browser tests: pytest-playwright driving Debian's chromium against Django's live server.

Playwright cannot download its own browser here; `make test` (scripts/test.sh) installs Debian's
`chromium` with apt-get when it is missing. Without it these tests skip with a reason (in CI, ``CI=true``, the run
stops instead). axe-core comes from npm (package.json) and is injected from node_modules, never from the network;
without it only the accessibility checks are left out locally (the journeys run), and in CI that is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests import needs

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (setting up users and cases) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "e2e-wachtwoord-2026"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    reason = "Debian chromium is not installed (apt-get install -y chromium)"
    if needs.IN_CI:
        raise pytest.UsageError(f"CI=true: {reason}; the browser tests cannot be skipped in CI")
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp only lets the test inject axe-core; the pages' own CSP forbids inline script
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam", "bypass_csp": True}


@pytest.fixture
def login(page, live_server):
    """Log a user in through the real log-in form; returns the page on the home screen."""

    def _login(user):
        user.set_password(PASSWORD)
        user.save()
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login


#: Pages whose accessibility check was left out because axe-core is missing (never in CI); reported at the end.
UNCHECKED_PAGES: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if UNCHECKED_PAGES:
        terminalreporter.write_line(
            f"axe-core is not installed (npm install): the accessibility check of {len(UNCHECKED_PAGES)} page(s) "
            "was left out; the journeys themselves ran.", yellow=True,
        )


@pytest.fixture
def assert_accessible():
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and fail on any violation."""

    def _check(page):
        if not AXE.exists():
            # Only the accessibility check is left out, not the journey around it; in CI it is a failure.
            if needs.IN_CI:
                pytest.fail("axe-core is not installed (npm install); CI=true: the accessibility checks are required",
                            pytrace=False)
            UNCHECKED_PAGES.append(page.url)
            return
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]
        ]
        assert not violations, "axe-core violations on " + page.url + ":\n" + "\n".join(violations)

    return _check


def save_screenshot(page, name: str) -> None:
    """Save a full-page screenshot as docs/images/<name>.png, only with SAVE_SCREENSHOTS=1."""
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        images = Path(__file__).resolve().parents[2] / "docs" / "images"
        images.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(images / f"{name}.png"), full_page=True)
