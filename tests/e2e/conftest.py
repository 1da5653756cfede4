"""Browser tests: pytest-playwright driving Debian's chromium against Django's live server.

Playwright cannot download its own browser here; `make test` (scripts/test.sh) installs Debian's
`chromium` with apt-get when it is missing. Without it these tests skip with a reason. axe-core comes from
npm (package.json) and is injected from node_modules, never from the network.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (setting up users and cases) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "e2e-wachtwoord-2026"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason="Debian chromium is not installed (apt-get install -y chromium)")
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


@pytest.fixture
def assert_accessible():
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and fail on any violation."""

    def _check(page):
        if not AXE.exists():
            pytest.skip("axe-core is not installed (npm install)")
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
