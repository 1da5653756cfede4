"""Log-in through OpenID Connect (disputes/oidc.py, docs/accounts.md) against real providers started by the tests.

Two oidc-provider instances on 127.0.0.1 (tests/oidc_support.py): an eHerkenning broker for parties, whose accounts
carry the organisation's KvK number in a claim, and the ministry's identity provider for staff. The person's side of
the flow is a real HTTP client at the provider; the product's side is Django's test client, whose callback trades
the code for tokens at the provider over HTTP and checks them against the provider's keys.
"""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from disputes import clock, oidc, services
from disputes.models import AccessAction, AccessLogEntry, Membership
from tests.factories import case_in_state, moment, pdf
from tests.oidc_support import KVK_CLAIM, route_for, running_provider, sign_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

RP = "http://testserver"
PARTY_CALLBACK = f"{RP}/inloggen/eherkenning/terug/"
STAFF_CALLBACK = f"{RP}/inloggen/medewerkers/terug/"
KNOWN_KVK = "41234567"

BROKER_ACCOUNTS = {
    # a clerk of the tenants' organisation, as the broker describes them
    "clerk": {KVK_CLAIM: KNOWN_KVK, "given_name": "Karin", "family_name": "de Klerk", "email": "karin@example.nl",
              "email_verified": True},
    "clerk-of-unknown": {KVK_CLAIM: "99999999", "given_name": "Uriel", "family_name": "Onbekend"},
    "no-organisation": {"given_name": "Nora"},
}
IDP_ACCOUNTS = {
    "s-1234": {"email": "secretaris@minbzk.example", "email_verified": True, "name": "Sanne Secretaris"},
    "s-9999": {"email": "iemand@minbzk.example", "email_verified": True},
    "anna-at-idp": {"email": "anna@example.nl", "email_verified": True},  # a party's address: no staff account
}


@pytest.fixture(scope="module")
def broker():
    with running_provider(clients=[{"client_id": "geschil-eh", "client_secret": "eh-secret-voor-de-test",
                                    "redirect_uris": [PARTY_CALLBACK]}], accounts=BROKER_ACCOUNTS) as provider:
        yield provider


@pytest.fixture(scope="module")
def ministry():
    with running_provider(clients=[{"client_id": "geschil-staff", "client_secret": "staff-secret-voor-de-test",
                                    "redirect_uris": [STAFF_CALLBACK]}], accounts=IDP_ACCOUNTS) as provider:
        yield provider


@pytest.fixture
def routes(settings, broker, ministry):
    settings.OIDC_ROUTES = {
        "party": route_for(broker, client_id="geschil-eh", client_secret="eh-secret-voor-de-test",
                           scopes="openid profile email organisation", kvk_claim=KVK_CLAIM),
        "staff": route_for(ministry, client_id="geschil-staff", client_secret="staff-secret-voor-de-test",
                           scopes="openid email", claim="email", match="email"),
    }
    return settings.OIDC_ROUTES


@pytest.fixture
def known_org(world):
    world.huurders.kvk_number = KNOWN_KVK
    world.huurders.save()
    return world.huurders


def log_in(client, route: str, login: str, callback: str, next_url: str = ""):
    """The whole authorisation-code flow: the product sends the browser to the provider, the person signs in there,
    the provider sends them back with a code; returns the product's answer to that."""
    start = client.get(reverse(f"oidc-{route}-login") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    back = sign_in(start["Location"], login, back_to=callback)
    assert "code=" in back and "state=" in back
    return client.get(back.removeprefix(RP))


def test_a_clerk_of_a_known_organisation_logs_in_and_sees_its_cases(client, world, known_org, routes):
    case = case_in_state(world, "submitted")  # the tenants' organisation applied
    with clock.frozen(moment("2017-01-16 11:00")):  # a case between the corporation and the gemeente only
        elsewhere = services.dispute_file(
            actor=world.corp_user, agreement=world.agreement, kind="totstandkoming", applicants=[world.corporatie],
            respondents=[world.gemeente], arose_on=date(2017, 1, 5),
            points=[{"key": "p1", "title": "Huurbeleid", "position": "Ons standpunt"}], documents=[pdf("verzoek")])
        services.dispute_submit(dispute=elsewhere, actor=world.corp_user)
    elsewhere.refresh_from_db()
    assert elsewhere.case_number and str(elsewhere) != str(case)
    users_before = get_user_model().objects.count()

    response = log_in(client, "party", "clerk", PARTY_CALLBACK)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    assert get_user_model().objects.count() == users_before + 1
    assert user.username == oidc.party_username(routes["party"]["issuer"], KNOWN_KVK, "clerk")
    assert (user.first_name, user.last_name, user.email) == ("Karin", "de Klerk", "karin@example.nl")
    assert not user.has_usable_password()  # logs in only through the broker (and gets no reset link)
    assert list(Membership.objects.filter(user=user).values_list("organisation", "ended_at")) == [(known_org.pk, None)]
    home = client.get(reverse("home"), follow=True)
    assert str(case) in home.content.decode()
    assert str(elsewhere) not in home.content.decode()
    assert client.get(reverse("portal:dispute", args=[case.pk])).status_code == 200
    assert client.get(reverse("portal:dispute", args=[elsewhere.pk])).status_code == 404
    entry = AccessLogEntry.objects.filter(action=AccessAction.LOGIN).latest("at")
    assert entry.actor == user and entry.object == "/inloggen/eherkenning/terug/"

    # the next log-in finds the same account and makes no second membership
    client.logout()
    assert log_in(client, "party", "clerk", PARTY_CALLBACK).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert get_user_model().objects.count() == users_before + 1
    assert Membership.objects.filter(user=user).count() == 1


def test_the_next_address_is_kept_through_the_provider(client, world, known_org, routes):
    case = case_in_state(world, "submitted")
    target = reverse("portal:dispute", args=[case.pk])
    response = log_in(client, "party", "clerk", PARTY_CALLBACK, next_url=target)
    assert response.status_code == 302 and response["Location"] == target


def test_an_unknown_kvk_number_gets_a_clear_page_and_no_account(client, world, known_org, routes):
    users_before = get_user_model().objects.count()
    response = log_in(client, "party", "clerk-of-unknown", PARTY_CALLBACK)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Uw organisatie is niet bekend bij het secretariaat" in page and "99999999" in page
    assert get_user_model().objects.count() == users_before
    assert "_auth_user_id" not in client.session
    entry = AccessLogEntry.objects.filter(action=AccessAction.LOGIN_FAILED).latest("at")
    assert entry.username == "kvk:99999999" and entry.actor is None


def test_a_log_in_without_a_kvk_number_gets_the_same_page(client, world, known_org, routes):
    users_before = get_user_model().objects.count()
    response = log_in(client, "party", "no-organisation", PARTY_CALLBACK)
    assert response.status_code == 403 and "geen KvK-nummer" in response.content.decode()
    assert get_user_model().objects.count() == users_before


def test_a_membership_the_secretariat_ended_stays_ended(client, world, known_org, routes):
    from disputes import clock

    log_in(client, "party", "clerk", PARTY_CALLBACK)
    membership = Membership.objects.get(user_id=client.session["_auth_user_id"])
    membership.ended_at = clock.now()
    membership.save()
    client.logout()
    response = log_in(client, "party", "clerk", PARTY_CALLBACK)
    assert response.status_code == 403 and "Uw toegang is beëindigd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    membership.refresh_from_db()
    assert membership.ended_at is not None


def test_a_token_from_another_issuer_is_refused(client, world, known_org, routes, settings):
    """The ID token's ``iss`` must be the configured issuer (mozilla-django-oidc does not check it)."""
    settings.OIDC_ROUTES["party"] = {**routes["party"], "issuer": "http://127.0.0.1:1"}
    users_before = get_user_model().objects.count()
    response = log_in(client, "party", "clerk", PARTY_CALLBACK)
    assert response.status_code == 400 and "Inloggen is niet gelukt" in response.content.decode()
    assert get_user_model().objects.count() == users_before


def test_a_replayed_callback_is_refused(client, world, known_org, routes):
    start = client.get(reverse("oidc-party-login"))
    back = sign_in(start["Location"], "clerk", back_to=PARTY_CALLBACK).removeprefix(RP)
    assert client.get(back).status_code == 302
    client.logout()
    replay = client.get(back)  # the state is spent (and the code too)
    assert replay.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_staff_member_known_to_the_product_logs_in_and_still_needs_the_second_factor(
        client, world, routes, settings):
    settings.STAFF_TWO_FACTOR = True
    world.secretary.email = "Secretaris@minbzk.example"  # matched without regard to case
    world.secretary.save()
    users_before = get_user_model().objects.count()

    response = log_in(client, "staff", "s-1234", STAFF_CALLBACK)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.secretary.pk)
    assert get_user_model().objects.count() == users_before
    # the identity provider's log-in is the first step only: the second is still the product's own
    worklist = client.get(reverse("workflow:worklist"))
    assert worklist.status_code == 302 and worklist["Location"].startswith(reverse("two-factor-setup"))
    assert AccessLogEntry.objects.filter(action=AccessAction.LOGIN, actor=world.secretary,
                                         object="/inloggen/medewerkers/terug/").exists()


def test_someone_unknown_to_the_product_is_refused_at_the_staff_route(client, world, routes):
    users_before = get_user_model().objects.count()
    response = log_in(client, "staff", "s-9999", STAFF_CALLBACK)
    assert response.status_code == 403 and "U bent niet bekend als medewerker" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users_before


def test_a_party_account_is_not_a_staff_account(client, world, routes):
    """The staff route matches staff accounts only: a party member with the same address is refused."""
    assert world.tenant.email == "anna@example.nl"
    response = log_in(client, "staff", "anna-at-idp", STAFF_CALLBACK)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_each_route_talks_to_its_own_provider_only(client, world, known_org, routes):
    """A code from the broker, brought to the staff callback, is refused (the state belongs to the other route's
    session entry, and the ministry's provider does not know the code)."""
    start = client.get(reverse("oidc-party-login"))
    back = sign_in(start["Location"], "clerk", back_to=PARTY_CALLBACK)
    response = client.get(back.replace(PARTY_CALLBACK, STAFF_CALLBACK).removeprefix(RP))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_log_in_page_shows_the_buttons_of_the_configured_routes_only(client, settings):
    settings.OIDC_ROUTES = {}
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met eHerkenning" not in page and "Inloggen voor medewerkers" not in page
    assert client.get("/inloggen/eherkenning/").status_code == 404
    assert client.get("/inloggen/medewerkers/terug/?code=x&state=y").status_code == 404
    settings.OIDC_ROUTES = {"party": {"client_id": "x"}}
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met eHerkenning" in page and "Inloggen voor medewerkers" not in page


def test_the_kvk_number_is_read_as_eight_digits():
    assert oidc.normalise_kvk("4123 4567") == "41234567"
    assert oidc.normalise_kvk(1234567) == "01234567"
    for wrong in ("", "1234567", "123456789", "KVK41234567", None, ["41234567"], True):
        assert oidc.normalise_kvk(wrong) == ""


def _settings_in_a_fresh_process(env: dict) -> subprocess.CompletedProcess:
    code = "import json; from django.conf import settings; print(json.dumps(settings.OIDC_ROUTES))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
                          capture_output=True, text=True, timeout=120)


def test_the_routes_come_from_the_environment_and_are_off_without_it():
    off = _settings_in_a_fresh_process({})
    assert off.returncode == 0, off.stderr
    assert json.loads(off.stdout.strip().splitlines()[-1]) == {}

    party = {f"OIDC_PARTY_{name}": value for name, value in {
        "CLIENT_ID": "geschil", "CLIENT_SECRET": "s", "ISSUER": "https://broker.example",
        "AUTHORIZATION_ENDPOINT": "https://broker.example/auth", "TOKEN_ENDPOINT": "https://broker.example/token",
        "USERINFO_ENDPOINT": "https://broker.example/me", "JWKS_ENDPOINT": "https://broker.example/jwks"}.items()}
    on = _settings_in_a_fresh_process(party)
    assert on.returncode == 0, on.stderr
    routes = json.loads(on.stdout.strip().splitlines()[-1])
    assert list(routes) == ["party"]
    assert routes["party"]["kvk_claim"] == "urn:etoegang:1.9:EntityConcernedID:KvKnr"
    assert routes["party"]["scopes"] == "openid" and routes["party"]["sign_algo"] == "RS256"

    incomplete = _settings_in_a_fresh_process({"OIDC_STAFF_CLIENT_ID": "geschil-staff"})
    assert incomplete.returncode != 0
    assert "OIDC_STAFF_ISSUER" in incomplete.stderr and "OIDC_STAFF_JWKS_ENDPOINT" in incomplete.stderr
