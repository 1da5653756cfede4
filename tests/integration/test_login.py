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
