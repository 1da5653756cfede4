"""Log-in with a brake on guessing: after too many failures for one user name or one address,
further attempts are refused for a while (quality.md; OWASP ASVS 2.2.1). Successes and failures
are logged without the password.

The brake counts the user name as Django's log-in form reads it (``UsernameField``: surrounding
white space stripped, Unicode NFKC), case-folded: ``anna ``, ``\tanna`` and full-width ``ａｎｎａ`` all
guess anna's password, so they all count against anna. The counters live in the default cache,
which production shares between all gunicorn workers (the database or Redis, ``DJANGO_CACHE_URL``;
ADR 0014). The secretariat lifts a lock-out with ``lift_lockout`` (the staff page *Inlogbeveiliging*
or ``manage.py lift_lockout``).
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UsernameField
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import oidc
from .access_log import client_ip as _client_ip
from .access_log import record_access
from .models import AccessAction, AccessResult

log = logging.getLogger("disputes.auth")


def normalise_username(typed) -> str:
    """The name the log-in form looks the user up by (stripped, NFKC), case-folded."""
    return UsernameField().to_python(typed).casefold()


def digest(text: str) -> str:
    """A fixed-length key of safe characters for every cache backend, whatever was typed."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def name_key(typed: str) -> str:
    return f"login-fail:user:{digest(normalise_username(typed))}"


def address_key(address: str) -> str:
    return f"login-fail:ip:{digest(address.strip())}"


def _keys(request, username: str) -> list[str]:
    return [name_key(username), address_key(_client_ip(request))]


def _locked(key: str) -> bool:
    return (cache.get(key) or 0) >= settings.LOGIN_FAILURE_LIMIT


def is_locked(request, username: str) -> bool:
    return any(_locked(key) for key in _keys(request, username))


def is_name_locked(username: str) -> bool:
    return _locked(name_key(username))


def is_address_locked(address: str) -> bool:
    return _locked(address_key(address))


def lift_lockout(*, actor=None, username: str = "", address: str = "", request=None) -> list[str]:
    """Forget the failures counted against a user name and/or an address, so log-in works again at
    once; each lifted lock-out is recorded as ``lockout_cleared`` in the access log (by ``actor``;
    without a request, e.g. from ``manage.py lift_lockout``, with no origin). Returns what was lifted,
    as ``user:<name>`` / ``ip:<address>`` (also when no failures were counted: lifting is idempotent).
    """
    request = request if request is not None else HttpRequest()
    lifted = []
    if normalise_username(username):
        cache.delete(name_key(username))
        lifted.append(f"user:{normalise_username(username)}")
    if address.strip():
        cache.delete(address_key(address))
        lifted.append(f"ip:{address.strip()}")
    for what in lifted:
        log.info("lock-out lifted: %s by=%r", what, actor.get_username() if actor is not None else "manage.py")
        record_access(request, AccessAction.LOCKOUT_CLEARED, result=AccessResult.ALLOWED, actor=actor,
                      username="" if actor is not None else "manage.py", object=what)
    return lifted


def bump(key: str, timeout: int) -> int:
    """Count one more against ``key`` (a new counter lives ``timeout`` seconds); returns the count now. Shared by
    the log-in brake and the password-reset brake (disputes/password_reset.py)."""
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def register_failure(request, username: str) -> None:
    for key in _keys(request, username):
        bump(key, settings.LOGIN_LOCKOUT_SECONDS)


class RateLimitedLoginView(auth_views.LoginView):
    """Django's log-in view, refusing (HTTP 429) once the failure limit is reached."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if is_locked(request, username):
            log.warning("login refused (locked): user=%r ip=%s", username[:150], _client_ip(request))
            record_access(request, AccessAction.LOGIN_LOCKED, result=AccessResult.DENIED, username=username,
                          object=request.path, status_code=429)
            form = self.get_form()
            form.errors.clear()
            context = self.get_context_data(form=form, locked=True,
                                             lockout_message=_(
                                                 "Te veel mislukte pogingen. Probeer het over %(minutes)d minuten "
                                                 "opnieuw of neem contact op met het secretariaat."
                                             ) % {"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60})
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        """The one error summary of every page (templates/_error_summary.html): what went wrong, linked to the
        user name field, never which of the two was wrong."""
        context = super().get_context_data(**kwargs)
        context["oidc_routes"] = oidc.enabled_routes()  # the OpenID Connect buttons, only for configured routes
        form = context.get("form")
        if context.get("locked"):
            context["errors"] = [{"href": "#id_username", "text": context["lockout_message"]}]
        elif form is not None and form.is_bound and form.errors:
            context["errors"] = [{"href": "#id_username",
                                  "text": _("Gebruikersnaam of wachtwoord klopt niet. Probeer het opnieuw.")}]
        return context

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        register_failure(self.request, username)
        log.info("login failed: user=%r ip=%s", username[:150], _client_ip(self.request))
        record_access(self.request, AccessAction.LOGIN_FAILED, result=AccessResult.DENIED, username=username,
                      object=self.request.path, status_code=200)
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        log.info("login: user=%r ip=%s", user.get_username(), _client_ip(self.request))
        response = super().form_valid(form)  # logs in: a new session, the old one is gone
        record_access(self.request, AccessAction.LOGIN, result=AccessResult.ALLOWED, actor=user,
                      object=self.request.path, status_code=response.status_code)
        return response


@require_POST
def session_keepalive(request):
    """Renew the session ("Ingelogd blijven"); the session is saved on every request."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(status=204)


class UploadRateLimitMiddleware:
    """At most ``UPLOAD_RATE_LIMIT`` upload requests (multipart POSTs) per user in
    ``UPLOAD_RATE_WINDOW`` seconds; beyond that HTTP 429 with a Dutch explanation (quality.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            key = f"uploads:user:{request.user.pk}"
            if cache.add(key, 1, timeout=settings.UPLOAD_RATE_WINDOW):
                count = 1
            else:
                try:
                    count = cache.incr(key)
                except ValueError:
                    cache.set(key, 1, timeout=settings.UPLOAD_RATE_WINDOW)
                    count = 1
            if count > settings.UPLOAD_RATE_LIMIT:
                log.warning("upload refused (rate limit): user=%r", request.user.get_username())
                return HttpResponse(
                    _("U heeft in korte tijd erg veel bestanden verstuurd. Wacht een paar minuten en probeer het "
                      "dan opnieuw."),
                    status=429, content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with our own wording: Django 5.2's Dutch catalogue lacks this message, so a Dutch
    page said it in English (AUTH_PASSWORD_VALIDATORS)."""

    def get_error_message(self) -> str:
        return ngettext("Dit wachtwoord is te kort. Het moet minstens %(min_length)d teken bevatten.",
                        "Dit wachtwoord is te kort. Het moet minstens %(min_length)d tekens bevatten.",
                        self.min_length) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext("Uw wachtwoord moet minstens %(min_length)d teken bevatten.",
                        "Uw wachtwoord moet minstens %(min_length)d tekens bevatten.",
                        self.min_length) % {"min_length": self.min_length}
