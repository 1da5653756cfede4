"""Two-factor log-in for staff (TOTP and backup codes, django-otp).

Staff (secretaries, commission, the Minister's officials, admins) hold the whole case file, so a
password alone is not enough: after the password they enter a code from an authenticator app, or
one of their backup codes. The app is bound only through a set-up link from the secretariat
(disputes/enrolment.py): without a bound app and without a link, a staff member is asked to request
one. Parties are not asked (eHerkenning will bring its own second factor). Switched by
``STAFF_TWO_FACTOR`` (on outside debug mode). Passed checks are recorded in the access log.
"""

import io
import logging

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from . import enrolment
from .access_log import record_access
from .models import AccessAction, AccessResult

log = logging.getLogger("disputes.auth")

EXEMPT_URL_NAMES = ("login", "logout", "two-factor-verify", "two-factor-setup", "two-factor-qr", "two-factor-enrol",
                    "set_language")
#: The session key that holds the device a valid set-up link was opened for.
ENROL_SESSION_KEY = "two_factor_enrol_device"


def needs_second_factor(user) -> bool:
    """Staff, and the archive's roles (record manager, reviewer, archivist: they decide what is destroyed)."""
    return bool(
        settings.STAFF_TWO_FACTOR
        and user.is_authenticated
        and enrolment.is_staff_user(user)  # the archive's roles included
        and not user.is_verified()
    )


class StaffTwoFactorMiddleware:
    """Sends staff who have not entered their code yet to the second step (after OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not self._exempt(request):
            target = "two-factor-verify" if _device(request.user, confirmed=True) else "two-factor-setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        if request.path.startswith(static):
            return True
        try:
            return resolve(request.path_info).url_name in EXEMPT_URL_NAMES
        except Resolver404:
            return False


def _device(user, *, confirmed: bool):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def _enrolling_device(request):
    """The device the set-up link opened in this session was for, while that link is still good."""
    pk = request.session.get(ENROL_SESSION_KEY)
    if not isinstance(pk, int):
        return None
    device = TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()
    if device is None:
        request.session.pop(ENROL_SESSION_KEY, None)
    return device


def _clean(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


class TokenForm(forms.Form):
    """A code from the app (six digits) for ``device``; with ``backup`` also one of the backup codes."""

    token = forms.CharField(
        label=gettext_lazy("Code uit uw authenticator-app"), min_length=6, max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false",
                                      "autocapitalize": "off"}),
    )

    def __init__(self, *args, device=None, backup=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.backup = backup
        self.used = None  # the device whose code was accepted
        if backup is not None:
            self.fields["token"].label = gettext_lazy("Code uit uw authenticator-app of een reservecode")
            self.fields["token"].help_text = gettext_lazy(
                "Zes cijfers uit de app, of een reservecode van acht tekens als u uw telefoon niet bij de hand hebt.")
            self.fields["token"].widget.attrs["aria-describedby"] = "token-hint"

    def clean_token(self):
        token = _clean(self.cleaned_data["token"])
        if token.isdigit():
            if self.device is not None and self.device.verify_token(token):
                self.used = self.device
                return token
        elif self.backup is not None and self.backup.verify_token(token):
            self.used = self.backup
            return token
        raise forms.ValidationError(_("Deze code klopt niet of is verlopen. Probeer de volgende code."))


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
    backup = StaticDevice.objects.filter(user=request.user, confirmed=True).first()
    form = TokenForm(request.POST or None, device=device, backup=backup)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.used)
        what = "totp" if form.used == device else f"backup code ({form.used.token_set.count()} left)"
        log.info("second factor verified: user=%r with=%s", request.user.get_username(), what)
        record_access(request, AccessAction.SECOND_FACTOR_PASSED, result=AccessResult.ALLOWED, object=what,
                      status_code=302)
        return redirect(_next(request))
    if request.method == "POST":
        _record_failure(request)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})


@require_GET
@never_cache
@login_required
def enrol(request, token):
    """The set-up link from the secretariat: for its own staff member, logged in, once, in time. The
    link's device is kept in the session and the browser goes on to the set-up page, so the token
    does not stay in the address bar or travel on in a Referer."""
    device = enrolment.device_for_token(token, request.user)
    if device is None:
        log.info("enrolment link refused: user=%r", request.user.get_username())
        return render(request, "registration/two_factor_no_link.html", {"invalid_link": True}, status=400)
    request.session[ENROL_SESSION_KEY] = device.pk
    return redirect("two-factor-setup")


@never_cache
@login_required
def setup(request):
    device = _enrolling_device(request)
    if device is None:
        if _device(request.user, confirmed=True) is not None:
            return redirect("two-factor-verify")
        return render(request, "registration/two_factor_no_link.html", {"invalid_link": False})
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        codes = enrolment.enrolment_finish(request=request, device=device)
        request.session.pop(ENROL_SESSION_KEY, None)
        otp_login(request, device)
        # shown once, in this answer only (never_cache): not stored anywhere they could be read again
        return render(request, "registration/two_factor_backup_codes.html", {"codes": codes, "next": _next(request)})
    if request.method == "POST":
        _record_failure(request)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "registration/two_factor_setup.html",
                  {"form": form, "secret": secret, "next": _next(request)})


@never_cache
@login_required
def qr_code(request):
    device = _enrolling_device(request)
    if device is None:
        return HttpResponse(status=404)
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response
