"""Staff need a second factor (TOTP or a backup code) after their password; parties do not. The
authenticator app is bound only through a set-up link the secretariat sends (disputes/enrolment.py)."""

import re
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from disputes import enrolment
from disputes.models import AccessAction, AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.STAFF_TWO_FACTOR = True


def let_in(client) -> bool:
    """The home page answers without sending the user to a two-factor step."""
    response = client.get(reverse("home"))
    return response.status_code == 200 or "tweede-stap" not in response.get("Location", "")


def code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def wrong_code(device: TOTPDevice) -> str:
    return "000000" if code(device) != "000000" else "111111"


def link_from_mail(message) -> str:
    """The path of the set-up link in an e-mail."""
    [url] = re.findall(r"https?://\S+/inloggen/tweede-stap/instellen/\S+/", message.body)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def send_link(client, world, user, django_capture_on_commit_callbacks) -> str:
    """The secretary sends ``user`` a set-up link from the staff page; returns the link's path."""
    secretary_client = client.__class__()
    secretary_client.force_login(world.secretary)
    TOTPDevice.objects.get_or_create(user=world.secretary, name="app", confirmed=True)
    _verify(secretary_client, world.secretary)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary_client.post(reverse("workflow:security"), {"action": "link", "link-user": user.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    [message] = mail.outbox
    assert message.to == [user.email]
    return link_from_mail(message)


def _verify(client, user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    device.last_t = -1  # a code is accepted once; this helper may log the same user in twice in one step
    device.throttle_reset()
    assert client.post(reverse("two-factor-verify"), {"token": code(device), "next": "/"}).status_code == 302


# -- without a link, a password binds nothing -------------------------------------------------------


def test_a_password_alone_cannot_bind_an_authenticator(client, world):
    """Whoever logs in first with a (guessed, phished) password must not be able to bind their own app."""
    client.force_login(world.secretary)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("two-factor-setup") in response["Location"]
    page = client.get(reverse("two-factor-setup")).content.decode()
    assert "Vraag het secretariaat om een instellink" in page
    assert "QR-code" not in page and not TOTPDevice.objects.filter(user=world.secretary).exists()
    assert client.get(reverse("two-factor-qr")).status_code == 404
    client.post(reverse("two-factor-setup"), {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=world.secretary).exists()
    assert not let_in(client)


# -- the set-up link -------------------------------------------------------------------------------


def test_the_secretariat_sends_a_link_and_the_staff_member_binds_the_app_with_backup_codes(
        client, world, django_capture_on_commit_callbacks):
    link = send_link(client, world, world.chair, django_capture_on_commit_callbacks)
    assert AccessLogEntry.objects.filter(action=AccessAction.ENROLMENT_LINK_SENT, actor=world.secretary,
                                         object=f"user:{world.chair.username}").exists()
    assert link not in "".join(AccessLogEntry.objects.values_list("object", flat=True))
    client.force_login(world.chair)
    opened = client.get(link)
    assert opened.status_code == 302 and opened["Location"] == reverse("two-factor-setup")
    page = client.get(reverse("two-factor-setup"))
    assert page.status_code == 200 and "QR-code" in page.content.decode()
    qr = client.get(reverse("two-factor-qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=world.chair, confirmed=False)
    wrong = client.post(reverse("two-factor-setup"), {"token": wrong_code(device)})
    assert "klopt niet" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a failed code slows the next try down; the test need not wait
    done = client.post(reverse("two-factor-setup"), {"token": code(device), "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", done.content.decode())
    assert len(codes) == enrolment.BACKUP_CODE_COUNT == 10 and len(set(codes)) == 10
    assert done["Cache-Control"].startswith("max-age=0") or "no-cache" in done["Cache-Control"]
    assert TOTPDevice.objects.get(user=world.chair).confirmed
    assert sorted(StaticToken.objects.filter(device__user=world.chair).values_list("token", flat=True)) == sorted(codes)
    assert let_in(client)
    entry = AccessLogEntry.objects.get(action=AccessAction.SECOND_FACTOR_ENROLLED)
    assert entry.actor == world.chair and entry.result == "allowed"
    assert not any(c in " ".join(AccessLogEntry.objects.values_list("object", flat=True)) for c in codes)


def test_the_link_works_once(client, world, django_capture_on_commit_callbacks):
    link = send_link(client, world, world.chair, django_capture_on_commit_callbacks)
    client.force_login(world.chair)
    client.get(link)
    device = TOTPDevice.objects.get(user=world.chair, confirmed=False)
    client.post(reverse("two-factor-setup"), {"token": code(device)})
    client.logout()
    client.force_login(world.chair)
    again = client.get(link)
    assert again.status_code == 400 and "werkt niet" in again.content.decode()
    assert TOTPDevice.objects.filter(user=world.chair).count() == 1


def test_the_link_is_only_for_its_own_staff_member(client, world, django_capture_on_commit_callbacks):
    link = send_link(client, world, world.chair, django_capture_on_commit_callbacks)
    client.force_login(world.commission_member)
    assert client.get(link).status_code == 400
    assert client.get(reverse("two-factor-qr")).status_code == 404
    client.logout()
    assert client.get(link)["Location"].startswith(reverse("login"))  # and never without a password


def test_the_link_expires(client, world, settings, monkeypatch, django_capture_on_commit_callbacks):
    from django.core import signing

    link = send_link(client, world, world.chair, django_capture_on_commit_callbacks)
    client.force_login(world.chair)
    later = time.time() + settings.TWO_FACTOR_ENROLMENT_HOURS * 3600 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)  # the signer's clock, a minute past the limit
    assert client.get(link).status_code == 400
    monkeypatch.undo()
    assert client.get(link).status_code == 302  # the same link, in time


def test_a_new_link_replaces_the_earlier_one(client, world, django_capture_on_commit_callbacks):
    first = send_link(client, world, world.chair, django_capture_on_commit_callbacks)
    second = send_link(client, world, world.chair, django_capture_on_commit_callbacks)
    client.force_login(world.chair)
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 302


def test_a_forged_or_altered_link_is_refused(client, world, django_capture_on_commit_callbacks):
    link = send_link(client, world, world.chair, django_capture_on_commit_callbacks)
    client.force_login(world.chair)
    token = link.rstrip("/").rsplit("/", 1)[1]
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("two-factor-enrol", args=[altered])).status_code == 400
    assert client.get(reverse("two-factor-enrol", args=["niets"])).status_code == 400


def test_a_lost_phone_is_replaced_through_a_new_link(client, world, django_capture_on_commit_callbacks):
    old = TOTPDevice.objects.create(user=world.chair, name="oude telefoon", confirmed=True)
    link = send_link(client, world, world.chair, django_capture_on_commit_callbacks)
    client.force_login(world.chair)
    assert client.get(link)["Location"] == reverse("two-factor-setup")
    new = TOTPDevice.objects.get(user=world.chair, confirmed=False)
    assert client.post(reverse("two-factor-setup"), {"token": code(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=world.chair)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_only_the_secretariat_sends_links_and_only_to_staff(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.chair)
    TOTPDevice.objects.create(user=world.chair, name="app", confirmed=True)
    _verify(client, world.chair)
    assert client.post(reverse("workflow:security"), {"action": "link", "link-user": world.chair.pk}).status_code == 403
    client.force_login(world.secretary)
    TOTPDevice.objects.create(user=world.secretary, name="app", confirmed=True)
    _verify(client, world.secretary)
    response = client.post(reverse("workflow:security"), {"action": "link", "link-user": world.tenant.pk})
    assert response.status_code == 400 and not TOTPDevice.objects.filter(user=world.tenant).exists()


def test_a_staff_member_without_an_e_mail_address_gets_no_link(client, world):
    world.chair.email = ""
    world.chair.save()
    client.force_login(world.secretary)
    TOTPDevice.objects.create(user=world.secretary, name="app", confirmed=True)
    _verify(client, world.secretary)
    response = client.post(reverse("workflow:security"), {"action": "link", "link-user": world.chair.pk})
    assert response.status_code == 400 and "geen e-mailadres" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.chair).exists() and not mail.outbox


def test_the_first_administrator_gets_a_link_from_manage_py(world, capsys):
    call_command("enrolment_link", world.secretary.username)
    out = capsys.readouterr().out
    assert "/inloggen/tweede-stap/instellen/" in out
    assert TOTPDevice.objects.filter(user=world.secretary, confirmed=False).exists()
    entry = AccessLogEntry.objects.get(action=AccessAction.ENROLMENT_LINK_SENT)
    assert entry.actor is None and entry.username == "manage.py" and entry.object == f"user:{world.secretary.username}"


# -- the second step -----------------------------------------------------------------------------------


def test_a_staff_member_with_an_app_must_enter_a_code_after_the_password(client, world):
    device = TOTPDevice.objects.create(user=world.official, name="app", confirmed=True)
    client.force_login(world.official)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("two-factor-verify") in response["Location"]
    assert client.post(reverse("two-factor-verify"), {"token": "12345"}).status_code == 200  # too short
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(reverse("two-factor-verify"), {"token": code(device), "next": "/"}).status_code == 302
    assert let_in(client)
    entry = AccessLogEntry.objects.get(action=AccessAction.SECOND_FACTOR_PASSED)
    assert (entry.actor, entry.result, entry.object) == (world.official, "allowed", "totp")


def test_a_backup_code_lets_a_staff_member_in_once(client, world):
    TOTPDevice.objects.create(user=world.official, name="app", confirmed=True)
    backup = StaticDevice.objects.create(user=world.official, name="reserve", confirmed=True)
    backup.token_set.create(token="abcd2345")
    backup.token_set.create(token="wxyz6789")
    client.force_login(world.official)
    assert client.post(reverse("two-factor-verify"), {"token": " ABCD-2345 ", "next": "/"}).status_code == 302
    assert let_in(client)
    entry = AccessLogEntry.objects.get(action=AccessAction.SECOND_FACTOR_PASSED)
    assert entry.object == "backup code (1 left)" and "abcd2345" not in entry.object
    client.logout()
    client.force_login(world.official)
    backup.refresh_from_db()
    backup.throttle_reset()
    again = client.post(reverse("two-factor-verify"), {"token": "abcd2345"})
    assert again.status_code == 200 and "klopt niet" in again.content.decode()
    assert not let_in(client)


def test_parties_are_not_asked_for_a_second_factor(client, world):
    client.force_login(world.tenant)
    assert let_in(client)


def test_an_open_redirect_through_next_is_refused(client, world):
    device = TOTPDevice.objects.create(user=world.secretary, name="app", confirmed=True)
    client.force_login(world.secretary)
    response = client.post(reverse("two-factor-verify"), {"token": code(device), "next": "//evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
