"""Two-factor log-in for staff (TOTP, django-otp).

Staff (secretaries, commission, the Minister's officials, admins) hold the whole case file, so a
password alone is not enough: after the password they enter a code from an authenticator app.
The first time, they set the app up by scanning a QR code. Parties are not asked (eHerkenning
will bring its own second factor). Switched by ``STAFF_TWO_FACTOR`` (on outside debug mode).
"""

import io
import logging

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from . import permissions
from .access_log import record_access
from .models import AccessAction, AccessResult

log = logging.getLogger("disputes.auth")

EXEMPT_URL_NAMES = ("login", "logout", "two-factor-verify", "two-factor-setup", "two-factor-qr")


def needs_second_factor(user) -> bool:
    return bool(
        settings.STAFF_TWO_FACTOR
        and user.is_authenticated
        and (user.is_staff or user.is_superuser or permissions.is_staff_member(user))
        and not user.is_verified()
    )


class StaffTwoFactorMiddleware:
    """Sends staff who have not entered their code yet to the second step (after OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not self._exempt(request.path):
            target = "two-factor-verify" if _device(request.user, confirmed=True) else "two-factor-setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = [reverse(name) for name in EXEMPT_URL_NAMES]
        return path in exempt or path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                                                 else "/" + settings.STATIC_URL)


def _device(user, *, confirmed: bool):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code uit uw authenticator-app"), min_length=6, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(_("Deze code klopt niet of is verlopen. Probeer de volgende code."))
        return token


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else reverse("home")


def _record_failure(request) -> None:
    """A code that was wrong, expired, malformed or throttled (never the code itself)."""
    log.info("second factor failed: user=%r", request.user.get_username())
    record_access(request, AccessAction.SECOND_FACTOR_FAILED, result=AccessResult.DENIED, object=request.path,
                  status_code=200)


@never_cache
@login_required
def verify(request):
    device = _device(request.user, confirmed=True)
    if device is None:
        return redirect("two-factor-setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        log.info("second factor verified: user=%r", request.user.get_username())
        return redirect(_next(request))
    if request.method == "POST":
        _record_failure(request)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def setup(request):
    if _device(request.user, confirmed=True) is not None:
        return redirect("two-factor-verify")
    device = _device(request.user, confirmed=False) or TOTPDevice.objects.create(
        user=request.user, name=_("Authenticator-app"), confirmed=False
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        log.info("second factor set up: user=%r", request.user.get_username())
        return redirect(_next(request))
    if request.method == "POST":
        _record_failure(request)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "registration/two_factor_setup.html",
                  {"form": form, "secret": secret, "next": _next(request)})


@never_cache
@login_required
def qr_code(request):
    device = _device(request.user, confirmed=False)
    if device is None:
        return HttpResponse(status=404)
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response
