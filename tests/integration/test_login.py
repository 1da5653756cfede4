"""Log-in: a brake on guessing passwords, per user name and per address."""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def attempt(client, username, password, ip="203.0.113.5"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_correct_password_logs_in(client, world):
    world.tenant.set_password("juist-wachtwoord-2026")
    world.tenant.save()
    assert attempt(client, "anna", "juist-wachtwoord-2026").status_code == 302


def test_after_five_failures_even_the_right_password_is_refused_for_a_while(client, world, settings):
    world.tenant.set_password("juist-wachtwoord-2026")
    world.tenant.save()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = attempt(client, "anna", "fout")
        assert response.status_code == 200 and "klopt niet" in response.content.decode()
    locked = attempt(client, "anna", "juist-wachtwoord-2026")
    assert locked.status_code == 429
    assert "Te veel mislukte pogingen" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_brake_also_holds_per_address_across_user_names(client, world, settings):
    for i in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, f"gok{i}", "fout", ip="198.51.100.7")
    assert attempt(client, "anna", "wat-dan-ook", ip="198.51.100.7").status_code == 429
    assert attempt(client, "anna", "wat-dan-ook", ip="198.51.100.8").status_code == 200


def test_keepalive_renews_a_session_and_refuses_strangers(client, world):
    assert client.post(reverse("session-keepalive")).status_code == 401
    client.force_login(world.tenant)
    assert client.post(reverse("session-keepalive")).status_code == 204
    assert client.get(reverse("session-keepalive")).status_code == 405


def test_pages_carry_the_time_out_warning_for_logged_in_users_only(client, world, settings):
    body = client.get(reverse("login")).content.decode()
    assert 'id="session-timeout"' not in body
    client.force_login(world.tenant)
    body = client.get(reverse("home")).content.decode()
    assert f'data-seconds="{settings.SESSION_COOKIE_AGE}"' in body and "Ingelogd blijven" in body


def test_uploads_are_braked_per_user(client, world, settings):
    from tests.factories import pdf

    settings.UPLOAD_RATE_LIMIT = 3
    client.force_login(world.tenant)
    url = reverse("portal:new")  # any page: the brake sits in front of every multipart POST
    statuses = [client.post(url, {"file": pdf()[1]}).status_code for _ in range(4)]
    assert 429 not in statuses[:3] and statuses[3] == 429
    client.force_login(world.corp_user)  # another user is not affected
    assert client.post(url, {"file": pdf()[1]}).status_code != 429
