"""Connected applications and their keys (issue 18, docs/api.md "Applicaties en sleutels"): the secretariat
registers an application and issues a key that is shown once and stored as its SHA-256; an expired or revoked key,
or one of a revoked application, opens nothing (401). The staff pages at /werk/applicaties/ are the secretariat's.
"""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import clock
from disputes.errors import NotPermitted
from disputes.models import ApiApplication, ApiKey, ApiScope
from disputes.services import api as api_services

pytestmark = pytest.mark.django_db

#: an API address that needs only a valid key and a scope (the application's own write; 404 for a made-up case
#: once the key is accepted, 401 before)
PROBE = "/api/v1/cases/00000000-0000-0000-0000-000000000000/exports/"


def register(world, **overrides) -> ApiApplication:
    fields = {"name": "Zaaksysteem BZK", "scopes": [ApiScope.READ_CASES, ApiScope.REQUEST_EXPORTS],
              "contact": "beheer@bzk.example"} | overrides
    return api_services.application_register(actor=world.secretary, **fields)


def probe(client, key: str):
    return client.post(PROBE, {"audience": "party"}, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_IDEMPOTENCY_KEY="probe-1")


def test_a_key_is_shown_once_and_stored_as_its_sha256(world):
    application = register(world)
    issued = api_services.key_issue(actor=world.secretary, application=application, days=30)
    stored = ApiKey.objects.get(pk=issued.api_key.pk)
    assert issued.key.startswith(stored.prefix + "_")
    assert stored.hashed == hashlib.sha256(issued.key.encode()).hexdigest()
    # the key itself is in no column of the row
    assert issued.key not in {str(value) for value in ApiKey.objects.filter(pk=stored.pk).values().first().values()}
    assert api_services.authenticate_key(issued.key).pk == stored.pk
    assert api_services.authenticate_key(issued.key[:-1] + ("A" if issued.key[-1] != "A" else "B")) is None


def test_the_application_acts_through_an_own_account_without_role_or_password(world):
    application = register(world)
    account = application.user
    assert not account.has_usable_password()
    assert not account.groups.exists() and not account.is_staff and not account.is_superuser


def test_only_the_secretariat_registers(world):
    with pytest.raises(NotPermitted):
        api_services.application_register(actor=world.official, name="X", scopes=[ApiScope.READ_CASES])
    with pytest.raises(ValidationError):
        register(world, scopes=["everything"])


def test_a_valid_key_opens_the_api_and_expired_or_revoked_ones_do_not(world, client):
    application = register(world)
    live = api_services.key_issue(actor=world.secretary, application=application, days=30)
    assert probe(client, live.key).status_code == 404  # let in: the made-up case is not found

    expired = api_services.key_issue(actor=world.secretary, application=application, days=1)
    clock.set_now(clock.now() + timedelta(days=1, minutes=1))
    response = probe(client, expired.key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert probe(client, live.key).status_code == 404

    api_services.key_revoke(actor=world.secretary, api_key=live.api_key)
    assert probe(client, live.key).status_code == 401


def test_a_revoked_application_opens_nothing(world, client):
    application = register(world)
    issued = api_services.key_issue(actor=world.secretary, application=application, days=30)
    assert probe(client, issued.key).status_code == 404
    api_services.application_revoke(actor=world.secretary, application=application)
    assert probe(client, issued.key).status_code == 401
    assert ApiKey.objects.get(pk=issued.api_key.pk).revoked_at is not None


def test_a_session_does_not_open_the_api(world, client):
    client.force_login(world.secretary)
    response = client.post(PROBE, {"audience": "party"}, content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="probe-1")
    assert response.status_code == 401


# -- the staff pages ----------------------------------------------------------------------------------------------
PAGES = ["workflow:applications", "workflow:application-new"]


@pytest.mark.parametrize("who", ["official", "chair", "commission_member"])
def test_other_staff_get_403(world, client, who):
    application = register(world)
    api_key = api_services.key_issue(actor=world.secretary, application=application).api_key
    client.force_login(getattr(world, who))
    urls = [reverse(name) for name in PAGES] + [
        reverse("workflow:application", args=[application.pk]),
        reverse("workflow:application-key-new", args=[application.pk]),
        reverse("workflow:application-key-revoke", args=[application.pk, api_key.pk]),
        reverse("workflow:application-revoke", args=[application.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"days": 10, "name": "Y", "scopes": ["cases:read"]}).status_code == 403, url
    assert ApiApplication.objects.count() == 1
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is None


def test_parties_get_403_and_anonymous_the_login(world, client):
    client.force_login(world.tenant)
    assert client.get(reverse("workflow:applications")).status_code == 403
    client.logout()
    response = client.get(reverse("workflow:applications"))
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_the_secretariat_registers_issues_a_key_once_and_revokes(world, client):
    client.force_login(world.secretary)
    assert 'href="/werk/applicaties/"' in client.get(reverse("workflow:worklist")).content.decode()
    # an incomplete form: the error summary, nothing made
    response = client.post(reverse("workflow:application-new"), {"name": "", "max_confidentiality": "parties"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_name"' in page
    assert not ApiApplication.objects.exists()

    response = client.post(reverse("workflow:application-new"), {
        "name": "Postkamer", "contact": "post@bzk.example", "scopes": ["letters:write", "cases:read"],
        "max_confidentiality": "commission", "kinds": ["nakoming"]})
    application = ApiApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workflow:application",
                                                                           args=[application.pk])
    assert application.scopes == ["cases:read", "letters:write"] and application.kinds == ["nakoming"]
    assert application.created_by == world.secretary

    response = client.post(reverse("workflow:application-key-new", args=[application.pk]), {"days": "90"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    [key] = re.findall(r'id="api-key" value="(gpa_[^"]+)"', page)
    assert "nooit meer op te vragen" in page
    api_key = ApiKey.objects.get()
    assert api_key.hashed == hashlib.sha256(key.encode()).hexdigest()
    # never again: not on the application's page, nor in the list
    for url in (reverse("workflow:application", args=[application.pk]), reverse("workflow:applications")):
        shown = client.get(url).content.decode()
        assert key not in shown and api_key.prefix in shown

    # revoking asks first, then the key stops working
    revoke_key = reverse("workflow:application-key-revoke", args=[application.pk, api_key.pk])
    assert "Weet u zeker" in client.get(revoke_key).content.decode()
    assert ApiKey.objects.get().revoked_at is None
    assert client.post(revoke_key).status_code == 302
    assert ApiKey.objects.get().revoked_at is not None
    assert api_services.authenticate_key(key) is None

    revoke = reverse("workflow:application-revoke", args=[application.pk])
    assert "Weet u zeker" in client.get(revoke).content.decode()
    assert client.post(revoke).status_code == 302
    assert ApiApplication.objects.get().revoked_at is not None
    # a revoked application gets no new key
    assert client.post(reverse("workflow:application-key-new", args=[application.pk]), {"days": "5"}).status_code \
        == 400


def test_a_key_of_too_many_days_is_refused_on_the_form(world, client):
    application = register(world)
    client.force_login(world.secretary)
    response = client.post(reverse("workflow:application-key-new", args=[application.pk]), {"days": "9999"})
    assert response.status_code == 400
    assert 'href="#id_days"' in response.content.decode()
    assert not ApiKey.objects.exists()
