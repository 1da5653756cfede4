"""Browser tests: pytest-playwright driving Debian's chromium against Django's live server.

Playwright cannot download its own browser here; `make test` (scripts/test.sh) installs Debian's
`chromium` with apt-get when it is missing. Without it these tests skip with a reason (in CI, ``CI=true``, the run
stops instead). axe-core comes from npm (package.json) and is injected from node_modules, never from the network;
without it only the accessibility checks are left out locally (the journeys run), and in CI that is a failure.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

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

#: WCAG 1.4.10 (reflow): content fits 320 CSS px without scrolling the page sideways; a data table may scroll only
#: inside its own scroller (``<div class="table-scroll" role="region" tabindex="0" aria-label=...>``).
REFLOW_WIDTH = 320
#: The pages `assert_accessible` checked (paths with ids normalised), reported at the end of the run.
REFLOW_PAGES: set[str] = set()
AXE_PAGES: set[str] = set()
CHECKS = {"reflow": 0, "axe": 0}

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def page_path(url: str) -> str:
    """``/werk/zaak/<uuid>/taak/12/`` -> ``/werk/zaak/{id}/taak/{n}/`` (the query string is left off)."""
    path = _UUID.sub("{id}", urlsplit(url).path)
    return re.sub(r"(?<=/)\d+(?=/|$)", "{n}", path)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if UNCHECKED_PAGES:
        terminalreporter.write_line(
            f"axe-core is not installed (npm install): the accessibility check of {len(UNCHECKED_PAGES)} page(s) "
            "was left out; the journeys themselves ran.", yellow=True,
        )
    if CHECKS["reflow"] or CHECKS["axe"]:
        terminalreporter.write_line(
            f"reflow checked at {REFLOW_WIDTH} px: {len(REFLOW_PAGES)} pages ({CHECKS['reflow']} checks); "
            f"axe: {len(AXE_PAGES)} pages ({CHECKS['axe']} runs: all WCAG 2.1 A/AA rules at full width, "
            f"the layout rules again at {REFLOW_WIDTH} px)"
        )
        if config.option.verbose > 0:
            for path in sorted(REFLOW_PAGES | AXE_PAGES):
                terminalreporter.write_line(f"  {path}")


# Page-level sideways scroll, and the elements that stick out past the right edge of the viewport. Elements inside
# a clipping or scrolling box (a table's own scroller, a visually hidden text) do not widen the page and are skipped.
_REFLOW_JS = r"""
async () => {
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const root = document.documentElement;
  const width = root.clientWidth;
  // Inside a clipping or scrolling box (or a fixed one)? An absolutely positioned box escapes every ancestor up to
  // its containing block (the nearest positioned ancestor): those do not clip it.
  const clipped = el => {
    let absolute = getComputedStyle(el).position === "absolute";
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (absolute && style.position === "static" && style.transform === "none") continue;
      if (style.overflowX !== "visible" || style.position === "fixed") return true;
      absolute = style.position === "absolute";
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const offenders = [], others = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 0.5 || (box.width === 0 && box.height === 0)) continue;
    const found = {name: name(el), width: Math.round(box.width), right: Math.round(box.right),
                   text: (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40)};
    // fixed boxes and boxes in a clipping or scrolling ancestor: listed only when the page scrolls and none else is
    (getComputedStyle(el).position === "fixed" || clipped(el) ? others : offenders).push(found);
  }
  const order = (a, b) => b.right - a.right || b.width - a.width;
  offenders.sort(order);
  others.sort(order);
  const scrolls = root.scrollWidth > width;
  return {scrollWidth: root.scrollWidth, clientWidth: width, count: offenders.length,
          offenders: (offenders.length || !scrolls ? offenders : others).slice(0, 8)};
}
"""


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: At 320 px axe-core runs again with only the rules whose outcome the narrow layout can change: contrast (text
#: that now lies over another box), the table scrollers (that must be focusable once they scroll) and links told
#: apart from the text around them. The other rules read the DOM, which is the same at any width. Measured on
#: test_portal.py: 50 s without a second run, 62 s with these rules, 80 s with the whole WCAG set again.
AXE_RULES_AT_320 = ("color-contrast", "scrollable-region-focusable", "link-in-text-block")


@pytest.fixture
def assert_accessible():
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and fail on any violation; then the same page at
    320 CSS px wide (WCAG 1.4.10 reflow): no sideways scrolling of the page (only inside a data table's own
    scroller), nothing sticking out past the right edge, and axe-core's layout rules again at that width."""

    def _axe(page, width: str, rules: tuple[str, ...] = ()):
        if not AXE.exists():
            # Only the accessibility check is left out, not the journey around it; in CI it is a failure.
            if needs.IN_CI:
                pytest.fail("axe-core is not installed (npm install); CI=true: the accessibility checks are required",
                            pytrace=False)
            UNCHECKED_PAGES.append(page.url)
            return
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        only = {"type": "rule", "values": list(rules)} if rules else {"type": "tag", "values": AXE_TAGS}
        result = page.evaluate("async only => await axe.run(document, {runOnly: only})", only)
        AXE_PAGES.add(page_path(page.url))
        CHECKS["axe"] += 1
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]
        ]
        assert not violations, f"axe-core violations on {page.url} ({width}):\n" + "\n".join(violations)

    def _reflow(page):
        size = page.viewport_size
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
        try:
            found = page.evaluate(_REFLOW_JS)
            REFLOW_PAGES.add(page_path(page.url))
            CHECKS["reflow"] += 1
            offenders = "\n".join(
                f"  {o['name']}: {o['width']} px wide, right edge at {o['right']} px ({o['text']!r})"
                for o in found["offenders"]
            )
            assert found["scrollWidth"] <= found["clientWidth"] and not found["count"], (
                f"{page.url} does not reflow at {REFLOW_WIDTH} CSS px (WCAG 1.4.10): the page is "
                f"{found['scrollWidth']} px wide for a {found['clientWidth']} px viewport; "
                f"{found['count']} element(s) stick out past the right edge, the outermost:\n{offenders}"
            )
            _axe(page, f"at {REFLOW_WIDTH} px", AXE_RULES_AT_320)
        finally:
            if size:
                page.set_viewport_size(size)

    def _check(page):
        _axe(page, "full width")
        _reflow(page)

    return _check


def save_screenshot(page, name: str) -> None:
    """Save a full-page screenshot as docs/images/<name>.png, only with SAVE_SCREENSHOTS=1."""
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        images = Path(__file__).resolve().parents[2] / "docs" / "images"
        images.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(images / f"{name}.png"), full_page=True)
