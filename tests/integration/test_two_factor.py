"""Staff need a second factor (TOTP) after their password; parties do not."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def test_staff_are_sent_to_set_up_the_app_then_get_in_with_a_code(client, world):
    client.force_login(world.secretary)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("two-factor-setup") in response["Location"]
    page = client.get(reverse("two-factor-setup"))
    assert page.status_code == 200 and "QR-code" in page.content.decode()
    qr = client.get(reverse("two-factor-qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=world.secretary, confirmed=False)
    wrong = client.post(reverse("two-factor-setup"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert "klopt niet" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a failed code slows the next try down; the test need not wait
    done = client.post(reverse("two-factor-setup"), {"token": code(device), "next": "/"})
    assert done.status_code == 302
    assert let_in(client)


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


def test_parties_are_not_asked_for_a_second_factor(client, world):
    client.force_login(world.tenant)
    assert let_in(client)


def test_an_open_redirect_through_next_is_refused(client, world):
    device = TOTPDevice.objects.create(user=world.secretary, name="app", confirmed=True)
    client.force_login(world.secretary)
    response = client.post(reverse("two-factor-verify"), {"token": code(device), "next": "//evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
