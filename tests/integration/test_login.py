"""Log-in: a brake on guessing passwords, per user name and per address."""

import io

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


# -- the brake counts the name Django logs in with, not the bytes that were typed --------------------


@pytest.mark.parametrize("typed", [
    "anna ",  # a trailing space
    " anna",  # a leading space
    "\tanna",  # a tab
    "anna\n",  # a newline
    "ａｎｎａ",  # full-width letters (NFKC: anna)
    "ANNA",  # capitals
])
def test_the_brake_counts_every_spelling_of_a_name_as_that_name(client, world, settings, typed):
    """Django's form strips the name and normalises it (NFKC) before it looks the user up, so every
    variant guesses anna's password: the brake must count them all against anna."""
    world.tenant.set_password("juist-wachtwoord-2026")
    world.tenant.save()
    for i in range(settings.LOGIN_FAILURE_LIMIT - 1):
        attempt(client, "anna", "fout", ip=f"192.0.2.{i + 1}")
    # the last failure before the lock-out comes through the variant, from yet another address
    assert attempt(client, typed, "fout", ip="192.0.2.99").status_code == 200
    locked = attempt(client, "anna", "juist-wachtwoord-2026", ip="192.0.2.100")
    assert locked.status_code == 429
    # and the variant is refused too, even with the right password
    assert attempt(client, typed, "juist-wachtwoord-2026", ip="192.0.2.101").status_code == 429


def test_a_variant_of_the_name_logs_in_like_the_name_itself(client, world):
    """The normalisation is Django's own: what the brake counts is what the form logs in with."""
    world.tenant.set_password("juist-wachtwoord-2026")
    world.tenant.save()
    assert attempt(client, " ａｎｎａ\t", "juist-wachtwoord-2026").status_code == 302


@pytest.mark.django_db(transaction=True)  # the owner's connection (PostgreSQL stage) cannot join a test transaction
def test_the_counters_are_shared_by_every_worker_through_the_database_cache(client, world, settings, as_table_owner):
    """Production's default cache is a table in the database (made by ``migrate``): what one gunicorn
    worker counted, another worker, with its own cache connection, sees."""
    from django.core.cache.backends.db import DatabaseCache

    from disputes import apps, auth

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "django_cache"}}
    with as_table_owner():  # what migrate runs after the migrations, as the owner of the tables
        apps._create_cache_table(sender=None, using="default")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, "anna", "fout")
    other_worker = DatabaseCache("django_cache", {})
    assert other_worker.get(auth.name_key(" ANNA")) == settings.LOGIN_FAILURE_LIMIT
    assert attempt(client, "anna", "wat-dan-ook", ip="192.0.2.50").status_code == 429


# -- the secretariat lifts a lock-out ------------------------------------------------------------------


def lock_out_anna(client, settings, ip="198.51.100.20"):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, "anna", "fout", ip=ip)
    assert attempt(client, "anna", "juist-wachtwoord-2026", ip=ip).status_code == 429


def test_the_secretariat_sees_the_lock_out_and_lifts_it(client, world, settings):
    from disputes.models import AccessAction, AccessLogEntry

    world.tenant.set_password("juist-wachtwoord-2026")
    world.tenant.save()
    lock_out_anna(client, settings)
    staff = client.__class__()
    staff.force_login(world.secretary)
    page = staff.get(reverse("workflow:security"))
    body = page.content.decode()
    assert page.status_code == 200 and "<code>anna</code>" in body and "<code>198.51.100.20</code>" in body
    lifted = staff.post(reverse("workflow:security"), {"action": "lift", "lift-username": "ａｎｎａ "})
    assert lifted.status_code == 302
    assert "Blokkade opgeheven voor: anna" in staff.get(reverse("workflow:security")).content.decode()
    entry = AccessLogEntry.objects.get(action=AccessAction.LOCKOUT_CLEARED)
    assert (entry.actor, entry.object, entry.result) == (world.secretary, "user:anna", "allowed")
    # the name is free again from another address; the guessing address itself is still locked
    assert attempt(client, "anna", "juist-wachtwoord-2026", ip="198.51.100.21").status_code == 302
    assert attempt(client, "anna", "juist-wachtwoord-2026", ip="198.51.100.20").status_code == 429
    staff.post(reverse("workflow:security"), {"action": "lift", "lift-address": "198.51.100.20"})
    assert attempt(client, "anna", "juist-wachtwoord-2026", ip="198.51.100.20").status_code == 302


def test_lifting_needs_a_name_or_a_valid_address(client, world):
    client.force_login(world.secretary)
    empty = client.post(reverse("workflow:security"), {"action": "lift", "lift-username": " "})
    assert empty.status_code == 400 and "Vul een gebruikersnaam of een IP-adres in" in empty.content.decode()
    wrong = client.post(reverse("workflow:security"), {"action": "lift", "lift-address": "999.1.1.1"})
    assert wrong.status_code == 400 and "IP" in wrong.content.decode()
    odd = client.post(reverse("workflow:security"), {"action": "iets-anders"})
    assert odd.status_code == 400


def test_only_the_secretariat_lifts_lock_outs(client, world, settings):
    lock_out_anna(client, settings)
    for user in (world.chair, world.official, world.tenant):
        client.force_login(user)
        assert client.post(reverse("workflow:security"), {"action": "lift", "lift-username": "anna"}).status_code == 403
    assert attempt(client, "anna", "wat-dan-ook", ip="192.0.2.77").status_code == 429


def test_an_operator_lifts_a_lock_out_from_the_shell(client, world, settings):
    from django.core.management import call_command

    from disputes.models import AccessAction, AccessLogEntry

    world.tenant.set_password("juist-wachtwoord-2026")
    world.tenant.save()
    lock_out_anna(client, settings)
    out = io.StringIO()
    call_command("lift_lockout", "--user", "\tAnna", stdout=out)
    assert "user:anna: was geblokkeerd" in out.getvalue()
    assert attempt(client, "anna", "juist-wachtwoord-2026", ip="192.0.2.78").status_code == 302
    entry = AccessLogEntry.objects.get(action=AccessAction.LOCKOUT_CLEARED)
    assert entry.actor is None and entry.username == "manage.py"
