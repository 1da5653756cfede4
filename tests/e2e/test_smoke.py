"""A party logs in and sees their case; the pages pass axe-core; the keyboard alone suffices."""

import pytest

from tests.factories import case_in_state

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_party_logs_in_and_opens_their_case(world, login, assert_accessible, live_server):
    case = case_in_state(world, "submitted")
    page = login(world.tenant)
    assert_accessible(page)
    page.get_by_role("link", name=case.case_number).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Geschil {case.case_number}"
    assert_accessible(page)


def test_the_login_works_with_the_keyboard_alone(world, page, live_server):
    world.tenant.set_password("e2e-wachtwoord-2026")
    world.tenant.save()
    page.goto(f"{live_server.url}/inloggen/")
    # the username field has focus on arrival (autofocus); from there on only keys
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type(world.tenant.username)
    page.keyboard.press("Tab")
    page.keyboard.type("e2e-wachtwoord-2026")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn geschillen"
    # the first Tab reaches the skip link, which leads to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
