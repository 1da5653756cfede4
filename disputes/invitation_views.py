"""The invitation link (``/uitnodiging/<token>/``, docs/accounts.md "Uitnodigingen"): who invites you to which
organisation, and accepting it.

- Not logged in: the invitee chooses a password (twice, Django's validators); their user name is the invited
  e-mail address (shown on the page). Accepting makes the account and the membership and logs them in; they land
  on the portal's home page, "Mijn geschillen".
- Logged in: one button accepts with the account they are logged in with (a person who already acts for another
  organisation). A member of staff cannot accept (staff never act for a party).
- A link that was used, revoked or has expired gets a page that says so and how to ask the secretariat for a new
  one (410); a forged or mangled link is a 404. Never a 500.

No brake: the token is signed (it cannot be guessed) and no password is checked here; the page answers the same
for every visitor with the link. The token is never logged (not by the view, the access log, the history's
``history_via`` nor Django's request log), is not in the page title, and the answers carry
``Referrer-Policy: same-origin`` so it does not travel on to another site.
"""

import contextlib
import logging

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import invitations, oidc, services
from .access_log import client_ip, record_access
from .models import AccessAction, AccessResult, InvitationKind
from .portal.common import error_summary

log = logging.getLogger("disputes.auth")

BACKEND = "django.contrib.auth.backends.ModelBackend"
#: the path that stands for every invitation link in the access log and the history (never the token)
PATH = "/uitnodiging/"


class AcceptForm(forms.Form):
    anchor = "id_password1"
    first_name = forms.CharField(label=gettext_lazy("Voornaam"), max_length=150, required=False,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=gettext_lazy("Achternaam"), max_length=150, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1 = forms.CharField(label=gettext_lazy("Kies een wachtwoord"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=gettext_lazy("Herhaal het wachtwoord"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        return data


def _closed(request, invitation, state: str):
    return _respond(render(request, "registration/invitation_closed.html",
                           {"invitation": invitation, "state": state}, status=410))


def _respond(response):
    """No Referer with the token to another site (``same-origin``: ``no-referrer`` would make the browser send
    ``Origin: null`` with the form, which the CSRF check refuses); and Django's request log (which writes the path
    of every 4xx answer) leaves these answers alone: the view logs what matters without the token."""
    response["Referrer-Policy"] = "same-origin"
    response._has_been_logged = True
    return response


def _page(request, invitation, form, *, status=200, refusal=""):
    errors = error_summary(form) if form is not None and form.is_bound else []
    if refusal:
        errors = [{"href": "#accept", "text": refusal}]
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "form": form,
        "errors": errors,
        "username": invitation.email.lower(),
        "password_help": password_validators_help_texts(),
        "representative": invitation.kind == InvitationKind.REPRESENTATIVE,
        # with eHerkenning configured, the invitee may log in through it first and accept with that account
        # (a member's invitation: a representative's own eHerkenning names their own firm, not the party)
        "oidc_party": invitation.kind == InvitationKind.MEMBER and "party" in oidc.enabled_routes(),
    }
    return _respond(render(request, "registration/invitation_accept.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        raise Http404(_("Deze uitnodiging bestaat niet."))
    state = invitations.state(invitation)
    if state != invitations.InvitationState.OPEN:
        return _closed(request, invitation, state)
    user = request.user if request.user.is_authenticated else None
    form = None if user is not None else AcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _page(request, invitation, form)
    if form is not None and not form.is_valid():
        return _page(request, invitation, form, status=400)
    try:
        with _path_without_token(request):
            accepted = _accept(invitation, user, form)
    except services.InvitationClosed as exc:
        return _closed(request, invitation, exc.state)
    except PermissionDenied as exc:  # NotPermitted: a member of staff
        record_access(request, AccessAction.ACCESS_DENIED, result=AccessResult.DENIED, object=PATH, status_code=403)
        request._access_logged = True  # not again by the middleware, with the token in the path
        return _page(request, invitation, form, status=403, refusal=str(exc))
    except ValidationError as exc:
        if form is None:
            return _page(request, invitation, form, status=400, refusal=" ".join(exc.messages))
        for field, problems in exc.message_dict.items():
            form.add_error("password1" if field == "password" else None, problems)
        return _page(request, invitation, form, status=400)
    log.info("invitation accepted: invitation=%s user=%r ip=%s", invitation.pk, accepted.get_username(),
             client_ip(request))
    if user is None:
        login(request, accepted, backend=BACKEND)  # a new session
        record_access(request, AccessAction.LOGIN, result=AccessResult.ALLOWED, actor=accepted, object=PATH,
                      status_code=302)
    if invitation.kind == InvitationKind.REPRESENTATIVE:
        # a representative acts in that one case: straight to it
        messages.success(request, _("Welkom. U bent nu gemachtigde namens %(organisation)s in geschil %(case)s.")
                         % {"organisation": invitation.organisation.name, "case": invitation.dispute.case_number})
        return _respond(redirect("portal:dispute", invitation.dispute_id))
    messages.success(request, _("Welkom. U handelt nu namens %(organisation)s.")
                     % {"organisation": invitation.organisation.name})
    return _respond(redirect("home"))


def _accept(invitation, user, form):
    if user is not None:
        return services.invitation_accept(invitation=invitation, user=user)
    return services.invitation_accept(
        invitation=invitation, password=form.cleaned_data["password1"],
        first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"])


@contextlib.contextmanager
def _path_without_token(request):
    """The history rows the service writes say where the change came from (``history_via``: the request's method
    and path): the path without the token."""
    path = request.path
    request.path = PATH
    try:
        yield
    finally:
        request.path = path
