"""The archive /werk/archief/ in a browser: reached from the staff menu, filtered by its end state, accessible
(axe-core and reflow at 320 px), and an ended case opening read-only on the case page with a way back."""

import re

import pytest
from playwright.sync_api import expect

from disputes import clock
from tests.e2e.test_secretariat import staff_login  # noqa: F401 (a fixture)
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_archive_filtered_and_a_case_opened_read_only(world, page, live_server, staff_login,  # noqa: F811
                                                         assert_accessible):
    cases = {state: case_in_state(world, state) for state in ("decided", "withdrawn", "settled", "exchange")}
    clock.set_now(None)
    staff_login(world.secretary)
    page.get_by_role("link", name="Archief").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archief")
    expect(page.get_by_role("status")).to_have_text("3 afgeronde geschillen")
    table = page.get_by_role("table", name=re.compile("Beëindigd op"))
    expect(table).to_contain_text(cases["withdrawn"].case_number)
    expect(table).not_to_contain_text(cases["exchange"].case_number)
    assert_accessible(page)
    page.get_by_label("Afloop").select_option("settled")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(re.compile(r"afloop=settled"))
    expect(page.get_by_role("status")).to_have_text("1 afgerond geschil met deze filters")
    page.get_by_role("link", name=cases["settled"].case_number).click()
    notice = page.get_by_role("note").filter(has_text="Deze zaak is afgesloten")
    expect(notice).to_contain_text("Geschikt")
    expect(page.get_by_role("link", name="Schikking vastleggen")).to_have_count(0)
    assert_accessible(page)
    notice.get_by_role("link", name="Naar het archief").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archief")
    page.goto(f"{live_server.url}/werk/archief/?jaar=1999")  # an old bookmark: said, not a crash
    expect(page.get_by_role("alert")).to_contain_text("Er is een probleem")
    assert_accessible(page)
