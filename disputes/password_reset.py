"""Password reset for parties (issue 15, item 3; docs/accounts.md "Wachtwoord vergeten").

Django's own views and token generator, with our templates and three additions:

* **Never saying whether an address has an account.** Every well-formed request gets the same redirect to the
  same page and does the same work in the request: one query for the active accounts with that address and one
  message in the outbox (``send_password_reset``, with their ids, none or some, and the page's language); the
  typed address itself is not stored. The worker mails each of them that may reset (below) a link, and nobody
  otherwise. The link (uid and token) is made when the mail is built, so it is never stored.
* **A brake** like the log-in brake (disputes/auth.py, the same digest and counter): at most
  ``PASSWORD_RESET_LIMIT_PER_EMAIL`` requests per e-mail address and ``PASSWORD_RESET_LIMIT_PER_ADDRESS`` per
  client address in ``PASSWORD_RESET_WINDOW`` seconds. A request over either limit gets the same page and no
  e-mail; it is written to the access log as ``rate_limited``.
* **Staff do not reset this way.** Their account guards the whole case file with a second factor that is bound
  only through the secretariat's set-up link (disputes/enrolment.py). The worker mails no staff account, the
  link of an account that became staff meanwhile does not work, and the page tells staff to ask the secretariat.
  A changed password never touches the second factor: a staff member still enters their code after it.

A completed reset lifts a lock-out of the user name (the person proved they hold the mailbox) and logs nobody
in: the new password goes through the log-in form, its brake and, for staff, the second step.
"""

import logging
import unicodedata

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import auth, enrolment, outbox
from .access_log import client_ip, record_access
from .models import AccessAction, AccessResult

log = logging.getLogger("disputes.auth")

TASK = "disputes.password_reset.send_password_reset"


def email_key(email: str) -> str:
    return f"reset:email:{auth.digest(email.strip().casefold())}"


def address_key(address: str) -> str:
    return f"reset:ip:{auth.digest(address.strip())}"


def over_limit(request, email: str) -> bool:
    """Count this request against the e-mail address and the client address; True when either is over its limit
    (both are counted either way, so a run of requests cannot switch between them to go unnoticed)."""
    window = settings.PASSWORD_RESET_WINDOW
    per_email = auth.bump(email_key(email), window)
    per_address = auth.bump(address_key(client_ip(request)), window)
    return (per_email > settings.PASSWORD_RESET_LIMIT_PER_EMAIL
            or per_address > settings.PASSWORD_RESET_LIMIT_PER_ADDRESS)


def may_reset(user) -> bool:
    """Who may set a new password through an e-mailed link: an active party account that has a password."""
    return bool(user.is_active and user.has_usable_password() and not enrolment.is_staff_user(user))


def _same_address(typed: str, stored: str) -> bool:
    """Equal after Unicode case folding, as Django's reset form compares them (so a look-alike letter that the
    database's case-insensitive match lets through does not count)."""
    return unicodedata.normalize("NFKC", typed).casefold() == unicodedata.normalize("NFKC", stored).casefold()


def candidates(email: str) -> list[int]:
    """The active accounts with this e-mail address (one query, whatever it finds): Django's match, the address
    compared case-insensitively in the database and again in Python (Unicode case folding). Who of them may reset
    (a usable password, no staff) is for the worker to check."""
    model = get_user_model()
    field = model.get_email_field_name()
    found = model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True}).values_list("pk", field)
    return [pk for pk, address in found[:20] if address and _same_address(email, address)]


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if over_limit(self.request, email):
            log.warning("password reset refused (rate limit): ip=%s", client_ip(self.request))
            record_access(self.request, AccessAction.RATE_LIMITED, result=AccessResult.DENIED, username=email,
                          object=self.request.path, status_code=302)
        else:
            outbox.enqueue(TASK, user_ids=candidates(email),
                           language=translation.get_language() or settings.LANGUAGE_CODE)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        if form is not None and form.is_bound and form.errors:
            context["errors"] = [{"href": f"#{form['email'].auto_id}", "text": error}
                                 for error in form.errors.get("email", [])]
        return context


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False  # the new password goes through the log-in form (its brake; staff's second step)

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and may_reset(user) else None

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        log.info("password reset: user=%r ip=%s", user.get_username(), client_ip(self.request))
        if auth.is_name_locked(user.get_username()):
            auth.lift_lockout(actor=user, username=user.get_username(), request=self.request)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        if form is not None and form.is_bound and form.errors:
            context["errors"] = [{"href": f"#{form[name].auto_id}", "text": error}
                                 for name in ("new_password1", "new_password2") for error in form.errors.get(name, [])]
        context["password_help"] = password_validation.password_validators_help_texts()
        return context


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


def reset_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


@shared_task(acks_late=True, ignore_result=True)
def send_password_reset(*, user_ids: list[int], language: str = "nl") -> int:
    """Mail a reset link, in ``language``, to each of these accounts that may reset (``may_reset``, checked again
    now); returns how many went out (0 for an address without a party account: the person who asked is told
    nothing either way)."""
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids).order_by("pk"):
        if not (may_reset(user) and user.email):
            continue
        context = {"user": user, "username": user.get_username(), "url": reset_url(user),
                   "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600), "site_url": settings.SITE_URL}
        with translation.override(language):
            subject = " ".join(render_to_string("emails/password_reset_subject.txt", context).split())
            body = render_to_string("emails/password_reset_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    log.info("password reset mail: %d sent", sent)
    return sent
