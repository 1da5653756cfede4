"""A party that forgot its password chooses a new one in a real browser: the link on the log-in page, the e-mail
(sent by the worker through the outbox; eager here), the link in it, the new password, and the log-in with it."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "een-nieuw-wachtwoord-2026"


def test_a_party_resets_its_password_and_logs_in_with_the_new_one(page, live_server, world, settings,
                                                                  assert_accessible):
    settings.SITE_URL = live_server.url
    world.tenant.set_password("vergeten-wachtwoord-2026")
    world.tenant.save()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.wait_for_url("**/inloggen/wachtwoord-vergeten/")
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill("anna@example.nl")
    page.get_by_role("button", name="Stuur mij een link").click()
    page.wait_for_url("**/inloggen/wachtwoord-vergeten/verstuurd/")
    assert page.get_by_role("heading", level=1).inner_text() == "Controleer uw e-mail"
    assert_accessible(page)

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/wachtwoord-vergeten/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.wait_for_url("**/set-password/")
    assert_accessible(page)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("kort")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("kort")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert_accessible(page)  # the form again, with the error summary and the errors at the fields
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.wait_for_url("**/inloggen/wachtwoord-vergeten/klaar/")
    assert_accessible(page)

    page.get_by_role("link", name="Naar inloggen").click()
    page.get_by_label("Gebruikersnaam").fill("anna")
    page.get_by_label("Wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    assert "anna" in page.locator("header").inner_text().lower()
