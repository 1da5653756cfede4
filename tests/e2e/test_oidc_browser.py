"""A party logs in with eHerkenning in a real browser, through a real OpenID Connect provider (tests/oidc_support.py)
standing in for the broker: the log-in page's button, the provider's own sign-in page, and back to the product,
which shows the organisation's cases. An unknown KvK number gets the clear page and no account. A member of staff logs
in through the ministry's identity provider (a second real provider) and reaches the worklist; someone the product
does not know as staff is refused.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.e2e.conftest import save_screenshot
from tests.factories import case_in_state
from tests.oidc_support import KVK_CLAIM, route_for, running_provider

pytestmark = pytest.mark.django_db(transaction=True)

KNOWN_KVK = "41234567"


@pytest.fixture(scope="module")
def broker(live_server):
    accounts = {
        "clerk": {KVK_CLAIM: KNOWN_KVK, "given_name": "Karin", "family_name": "de Klerk"},
        "stranger": {KVK_CLAIM: "99999999", "given_name": "Uriel", "family_name": "Onbekend"},
    }
    clients = [{"client_id": "geschil-eh", "client_secret": "eh-secret-voor-de-test",
                "redirect_uris": [f"{live_server.url}/inloggen/eherkenning/terug/"]}]
    with running_provider(clients=clients, accounts=accounts) as provider:
        yield provider


@pytest.fixture
def eherkenning(settings, broker, world):
    world.huurders.kvk_number = KNOWN_KVK
    world.huurders.save()
    settings.OIDC_ROUTES = {"party": route_for(broker, client_id="geschil-eh", client_secret="eh-secret-voor-de-test",
                                               scopes="openid profile organisation", kvk_claim=KVK_CLAIM)}
    return broker


def sign_in_at_the_broker(page, login: str):
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("wat-dan-ook")
    page.get_by_role("button", name="Sign-in").click()


def test_a_clerk_logs_in_with_eherkenning_and_sees_the_cases_of_the_organisation(
        page, live_server, world, eherkenning, assert_accessible):
    case = case_in_state(world, "submitted")
    page.goto(f"{live_server.url}/inloggen/")
    assert_accessible(page)
    save_screenshot(page, "login-eherkenning")
    page.get_by_role("link", name="Inloggen met eHerkenning").click()
    page.wait_for_url(f"{eherkenning.issuer}/**")  # the broker's own page
    sign_in_at_the_broker(page, "clerk")
    page.wait_for_url(f"{live_server.url}/**")
    assert "Karin de Klerk" in page.locator("header").inner_text()
    page.get_by_role("link", name=str(case)).first.click()
    page.wait_for_url(f"**/{case.pk}/**")
    assert page.get_by_role("heading", level=1).is_visible()


def test_a_clerk_of_an_unknown_organisation_gets_the_clear_page(page, live_server, world, eherkenning,
                                                                assert_accessible):
    users = get_user_model().objects.count()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_role("link", name="Inloggen met eHerkenning").click()
    page.wait_for_url(f"{eherkenning.issuer}/**")
    sign_in_at_the_broker(page, "stranger")
    page.wait_for_url(f"{live_server.url}/inloggen/eherkenning/terug/**")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Uw organisatie is niet bekend bij het secretariaat"
    assert "99999999" in page.locator("main").inner_text()
    assert_accessible(page)
    save_screenshot(page, "eherkenning-unknown-organisation")
    assert get_user_model().objects.count() == users
    page.get_by_role("link", name="Terug naar inloggen").click()
    page.wait_for_url(f"{live_server.url}/inloggen/")


@pytest.fixture(scope="module")
def identity_provider(live_server):
    accounts = {
        "s-1234": {"email": "secretaris@minbzk.example", "email_verified": True, "name": "Sanne Secretaris"},
        "s-9999": {"email": "iemand@minbzk.example", "email_verified": True},
    }
    clients = [{"client_id": "geschil-staff", "client_secret": "staff-secret-voor-de-test",
                "redirect_uris": [f"{live_server.url}/inloggen/medewerkers/terug/"]}]
    with running_provider(clients=clients, accounts=accounts) as provider:
        yield provider


@pytest.fixture
def ministry_login(settings, identity_provider, world):
    world.secretary.email = "secretaris@minbzk.example"
    world.secretary.save()
    settings.STAFF_TWO_FACTOR = False  # the second step has its own tests (test_oidc_login, test_two_factor)
    settings.OIDC_ROUTES = {"staff": route_for(identity_provider, client_id="geschil-staff",
                                               client_secret="staff-secret-voor-de-test", scopes="openid email",
                                               claim="email", match="email")}
    return identity_provider


def test_a_member_of_staff_logs_in_through_the_ministrys_identity_provider(page, live_server, world, ministry_login,
                                                                          assert_accessible):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_role("link", name="Inloggen voor medewerkers (ministerie)").click()
    page.wait_for_url(f"{ministry_login.issuer}/**")  # the identity provider's own page
    sign_in_at_the_broker(page, "s-1234")
    page.wait_for_url(f"{live_server.url}/werk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Werkvoorraad"
    assert world.secretary.username in page.locator("header").inner_text()
    assert_accessible(page)


def test_someone_the_product_does_not_know_as_staff_is_refused(page, live_server, world, ministry_login,
                                                               assert_accessible):
    users = get_user_model().objects.count()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_role("link", name="Inloggen voor medewerkers (ministerie)").click()
    page.wait_for_url(f"{ministry_login.issuer}/**")
    sign_in_at_the_broker(page, "s-9999")
    page.wait_for_url(f"{live_server.url}/inloggen/medewerkers/terug/**")
    assert page.get_by_role("heading", level=1).inner_text() == "U bent niet bekend als medewerker"
    assert_accessible(page)
    assert get_user_model().objects.count() == users
