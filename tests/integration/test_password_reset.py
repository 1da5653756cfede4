"""Password reset for parties (disputes/password_reset.py, docs/accounts.md "Wachtwoord vergeten").

Django's views and tokens with our brake, the e-mail through the outbox and worker, never a word on whether an
address has an account, and no way for staff to get around the secretariat's set-up link.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from disputes import auth, password_reset
from disputes.models import AccessAction, AccessLogEntry, OutboxMessage

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "nieuw-wachtwoord-van-anna-2026"
RESET = "/inloggen/wachtwoord-vergeten/"


def ask(client, email: str, **extra):
    return client.post(RESET, {"email": email}, **extra)


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def link_in(message) -> str:
    found = re.search(r"http://\S+/inloggen/wachtwoord-vergeten/\S+/", message.body)
    assert found, message.body
    return found.group(0)


def test_the_urls_are_dutch():
    assert reverse("password_reset") == RESET
    assert reverse("password_reset_done") == "/inloggen/wachtwoord-vergeten/verstuurd/"
    assert reverse("password_reset_complete") == "/inloggen/wachtwoord-vergeten/klaar/"
    assert reverse("password_reset_confirm", args=["MQ", "abc-123"]) == "/inloggen/wachtwoord-vergeten/MQ/abc-123/"


def test_the_log_in_page_links_to_it(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{RESET}"' in page and "Wachtwoord vergeten?" in page


def test_a_party_resets_its_password_through_the_link_in_the_mail(client, world, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "ANNA@example.nl")  # the address as the person types it
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.nl"]
    assert message.subject == "Een nieuw wachtwoord kiezen"
    assert "Uw gebruikersnaam is: anna" in message.body and "2 uur geldig" in message.body
    link = link_in(message).removeprefix("http://testserver")

    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Kies een nieuw wachtwoord" in form.content.decode()
    set_password_url = form.redirect_chain[-1][0]
    assert "set-password" in set_password_url  # the token left the address bar (Django's own step)

    weak = client.post(set_password_url, {"new_password1": "anna", "new_password2": "anna"})
    assert weak.status_code == 200 and "Er is een probleem" in weak.content.decode()  # Django's validators
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert "_auth_user_id" not in client.session  # not logged in by the reset: the log-in form does that

    logged_in = client.post(reverse("login"), {"username": "anna", "password": NEW_PASSWORD})
    assert logged_in.status_code == 302 and logged_in["Location"] == reverse("home")

    # the link worked once
    client.logout()
    again = client.get(link, follow=True)
    assert "Deze link werkt niet" in again.content.decode()


def test_an_address_without_an_account_gets_the_same_answer_and_no_mail(client, world,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, "anna@example.nl")
    known_page = without_csrf(client.get(known["Location"]).content.decode())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = ask(client, "niemand@example.nl")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert without_csrf(client.get(unknown["Location"]).content.decode()) == known_page
    assert mail.outbox == []


def test_the_request_does_the_same_work_with_or_without_an_account(client, world, django_assert_num_queries):
    """In the request both addresses cost the same two queries (one look-up, one outbox message): nothing to time.
    The address typed is not stored, only the ids found (none for a stranger)."""
    ask(client, "warm-up@example.nl")
    with django_assert_num_queries(2) as known:
        ask(client, "anna@example.nl")
    with django_assert_num_queries(2) as unknown:
        ask(client, "niemand@example.nl")
    assert [q["sql"].split()[0] for q in known.captured_queries] == ["SELECT", "INSERT"]
    assert [q["sql"].split()[0] for q in unknown.captured_queries] == ["SELECT", "INSERT"]
    messages = OutboxMessage.objects.filter(task=password_reset.TASK).order_by("pk")
    assert [m.kwargs["user_ids"] for m in messages] == [[], [world.tenant.pk], []]
    assert not any("example.nl" in str(m.kwargs) for m in messages)


def test_staff_get_no_link(client, world, django_capture_on_commit_callbacks):
    world.secretary.email = "secretaris@example.nl"
    world.secretary.set_password("oud-wachtwoord-2026")
    world.secretary.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "secretaris@example.nl")
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    assert "vraag het secretariaat om een nieuw wachtwoord" in client.get(RESET).content.decode()


def test_a_link_for_a_staff_account_does_not_work(client, world):
    """Even a link that was made before the account became staff: the confirm view refuses staff."""
    secretary = world.secretary
    secretary.set_password("oud-wachtwoord-2026")
    secretary.save()
    uid = urlsafe_base64_encode(force_bytes(secretary.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(secretary)])
    page = client.get(link, follow=True)
    assert "Deze link werkt niet" in page.content.decode()
    secretary.refresh_from_db()
    assert secretary.check_password("oud-wachtwoord-2026")


def test_the_brake_per_address_sends_nothing_more_and_says_nothing_more(client, world, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert ask(client, "anna@example.nl")["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        braked = ask(client, " Anna@Example.NL")  # the same address, however typed
    assert braked.status_code == 302 and braked["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 3
    entry = AccessLogEntry.objects.get(action=AccessAction.RATE_LIMITED)
    assert entry.object == RESET and entry.username.strip() == "Anna@Example.NL"


def test_the_brake_per_client_address(client, world, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    for n in range(2):
        ask(client, f"iemand{n}@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "anna@example.nl")  # a new e-mail address, from the same client address
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "anna@example.nl", REMOTE_ADDR="192.0.2.7")  # another client address
    assert len(mail.outbox) == 1


def test_an_account_without_a_password_gets_no_link(client, world, django_capture_on_commit_callbacks):
    """An account that logs in only through eHerkenning (disputes/oidc.py) has no password to reset."""
    world.tenant.set_unusable_password()
    world.tenant.save()
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "anna@example.nl")
    assert mail.outbox == []


def test_a_completed_reset_lifts_the_lock_out_of_the_user_name(client, world, settings,
                                                               django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "anna", "password": "fout"}, REMOTE_ADDR="192.0.2.99")
    assert auth.is_name_locked("anna")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "anna@example.nl")
    form = client.get(link_in(mail.outbox[0]).removeprefix("http://testserver"), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not auth.is_name_locked("anna")
    assert client.post(reverse("login"), {"username": "anna", "password": NEW_PASSWORD}).status_code == 302
    assert AccessLogEntry.objects.filter(action=AccessAction.LOCKOUT_CLEARED, actor=world.tenant).exists()


def test_a_malformed_address_gets_the_form_back_with_the_error_summary(client):
    response = ask(client, "geen-adres")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Er is een probleem" in page and 'href="#id_email"' in page
    assert OutboxMessage.objects.count() == 0


def test_the_worker_mails_each_party_account_of_the_address(client, world, django_capture_on_commit_callbacks):
    other = get_user_model().objects.create_user("anna2", email="Anna@example.nl", password="x-wachtwoord-2026")
    world.tenant.set_password("y-wachtwoord-2026")
    world.tenant.save()
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "anna@example.nl")
    assert sorted(m.to[0] for m in mail.outbox) == ["Anna@example.nl", "anna@example.nl"]
    assert {re.search(r"gebruikersnaam is: (\S+)", m.body).group(1) for m in mail.outbox} == {"anna", other.username}



def test_a_too_short_password_is_refused_in_the_page_language():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    for language, expected in (("nl", "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten."),
                               ("en", "This password is too short. It must contain at least 12 characters.")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            validate_password("kort")
        assert expected in refused.value.messages
