"""Log-in through OpenID Connect (issue 15, item 5; docs/accounts.md), with mozilla-django-oidc.

Two routes, each configured only by environment variables and off until its ``CLIENT_ID`` is set
(config/settings.py, ``OIDC_ROUTES``). Off, its addresses answer 404 and the log-in page shows no button.

**party** (``OIDC_PARTY_*``): a person logs in at an eHerkenning broker, which vouches that they act for an
organisation and names it by its KvK number in a claim (``OIDC_PARTY_KVK_CLAIM``). The KvK number finds the
``Organisation`` (``kvk_number``); an unknown number gets a clear page and no account. A known one logs in the
account of that person *for that organisation*: its user name is a digest of the issuer, the KvK number and the
subject (``sub``), so the same subject acting for another organisation is another account, and one log-in never
shows another organisation's cases. The first log-in makes the account (no password: it logs in only this way)
and its membership of the organisation, since eHerkenning has just vouched for that; a membership the secretariat
ended stays ended (the page says to ask the secretariat). Names and e-mail address come from the claims when the
broker gives them.

**staff** (``OIDC_STAFF_*``): the ministry's identity provider. The claim ``OIDC_STAFF_CLAIM`` (the e-mail address
by default) must match exactly one active staff account (``OIDC_STAFF_MATCH``: its e-mail address or user name);
no account is ever made and roles stay managed in the product. The second factor is still ours: after this
log-in a staff member enters the code from their authenticator app like after a password (disputes/twofactor.py),
and binds it only through the secretariat's set-up link. The provider's own MFA is not taken on trust: the product
cannot check what stands behind an ``amr`` or ``acr`` value.

Beyond mozilla-django-oidc's checks (signature, nonce, state, PKCE) the ID token must come from the configured
issuer for this client (``iss``, ``aud``), and the userinfo must be about the same subject. Every log-in and every
refusal is written to the access log (``login`` / ``login_failed``), the callback's address saying which route.
"""

import hashlib
import logging
import re

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import enrolment
from .access_log import client_ip, record_access
from .models import AccessAction, AccessResult, Membership, Organisation

log = logging.getLogger("disputes.auth")

PARTY = "party"
STAFF = "staff"
#: Sessions log in through Django's model backend: once the provider has vouched, the account is an ordinary one.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
KVK = re.compile(r"^[0-9]{8}$")

#: mozilla-django-oidc's setting names -> the keys of a route in ``settings.OIDC_ROUTES``
_ROUTE_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_endpoint",
    "OIDC_RP_CLIENT_ID": "client_id",
    "OIDC_RP_CLIENT_SECRET": "client_secret",
    "OIDC_RP_SIGN_ALGO": "sign_algo",
    "OIDC_RP_SCOPES": "scopes",
}
#: the same for every route, whatever else the settings hold
_FIXED = {
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_RP_IDP_SIGN_KEY": None,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_VERIFY_SSL": True,
    "OIDC_VERIFY_KID": True,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_CREATE_USER": False,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
    "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
    "OIDC_PROXY": None,
}


def route_settings(route: str) -> dict | None:
    return (getattr(settings, "OIDC_ROUTES", None) or {}).get(route)


def enabled(route: str) -> bool:
    return route_settings(route) is not None


def enabled_routes() -> list[str]:
    return [route for route in (PARTY, STAFF) if enabled(route)]


def normalise_kvk(value) -> str:
    """The KvK number of a claim: eight digits (spaces and dots left out), else ''."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:08d}"
    if not isinstance(value, str):
        return ""
    digits = re.sub(r"[\s.]", "", value)
    return digits if KVK.match(digits) else ""


def party_username(issuer: str, kvk: str, subject: str) -> str:
    """The account of ``subject`` at ``issuer`` acting for the organisation ``kvk``: no personal data in the name."""
    return "eh-" + hashlib.sha256(f"{issuer}\x00{kvk}\x00{subject}".encode()).hexdigest()[:40]


class Refused(Exception):
    """The provider vouched for someone this product does not let in; ``reason`` picks the page's text."""

    def __init__(self, reason: str, *, who: str = "", organisation=None):
        super().__init__(reason)
        self.reason = reason
        self.who = who
        self.organisation = organisation


class _RouteSettings:
    """mozilla-django-oidc reads each setting through ``get_settings``: here from the route's configuration."""

    route = ""

    def get_settings(self, attr, *args):
        if attr in _ROUTE_KEYS:
            return (route_settings(self.route) or {}).get(_ROUTE_KEYS[attr])
        if attr == "OIDC_AUTHENTICATION_CALLBACK_URL":
            return f"oidc-{self.route}-callback"
        if attr == "OIDC_TIMEOUT":
            return settings.OIDC_TIMEOUT_SECONDS
        if attr in _FIXED:
            return _FIXED[attr]
        return import_from_settings(attr, *args)


class _Backend(_RouteSettings, OIDCAuthenticationBackend):
    """Not in ``AUTHENTICATION_BACKENDS``: only its own callback view calls it, so a password log-in never reaches
    a provider and one route's callback never asks the other provider."""

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        conf = route_settings(self.route)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if payload.get("iss") != conf["issuer"] or conf["client_id"] not in audiences:
            raise SuspiciousOperation("OIDC token from another issuer or for another client")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not payload.get("sub") or userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("OIDC userinfo is about another subject than the ID token")
        return self.user_for({**payload, **userinfo})

    def user_for(self, claims: dict):
        raise NotImplementedError


class PartyBackend(_Backend):
    route = PARTY

    def user_for(self, claims: dict):
        conf = route_settings(PARTY)
        kvk = normalise_kvk(claims.get(conf["kvk_claim"]))
        if not kvk:
            raise Refused("no_kvk")
        organisation = Organisation.objects.filter(kvk_number=kvk).first()
        if organisation is None:
            raise Refused("unknown_kvk", who=f"kvk:{kvk}")
        username = party_username(conf["issuer"], kvk, claims["sub"])
        wanted = _from_claims(claims)
        with transaction.atomic():
            # no password: this account logs in only through the broker (and so gets no reset link either)
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={**wanted, "password": make_password(None)})
            if not user.is_active or enrolment.is_staff_user(user):
                raise Refused("inactive", who=f"kvk:{kvk}", organisation=organisation)
            membership, _made = Membership.objects.get_or_create(user=user, organisation=organisation)
            if membership.ended_at is not None:
                raise Refused("membership_ended", who=f"kvk:{kvk}", organisation=organisation)
            changed = {field: value for field, value in wanted.items() if getattr(user, field) != value}
            if changed:
                for field, value in changed.items():
                    setattr(user, field, value)
                user.save(update_fields=list(changed))
        if created:
            log.info("oidc party account made: user=%r organisation=%r", username, organisation.name)
        return user


def _from_claims(claims: dict) -> dict:
    """Names and e-mail address from the claims, where the broker gives them (a verified address only)."""
    first, last = claims.get("given_name"), claims.get("family_name")
    if not (isinstance(first, str) or isinstance(last, str)) and isinstance(claims.get("name"), str):
        first, last = claims["name"], ""
    wanted = {}
    if isinstance(first, str) or isinstance(last, str):
        wanted["first_name"] = str(first or "").strip()[:150]
        wanted["last_name"] = str(last or "").strip()[:150]
    email = claims.get("email")
    if isinstance(email, str) and "@" in email and claims.get("email_verified") is not False:
        wanted["email"] = email.strip()[:254]
    return wanted


class StaffBackend(_Backend):
    route = STAFF

    def user_for(self, claims: dict):
        conf = route_settings(STAFF)
        value = claims.get(conf["claim"])
        value = value.strip() if isinstance(value, str) else ""
        if conf["claim"] == "email" and claims.get("email_verified") is False:
            value = ""
        if not value:
            raise Refused("staff_unknown")
        field = "email" if conf["match"] == "email" else "username"
        found = list(enrolment.staff_users().filter(**{f"{field}__iexact": value})[:2])
        if len(found) != 1:  # none, or two accounts with one address: never a guess
            raise Refused("staff_unknown", who=f"{field}:{value}")
        return found[0]


class _Login(_RouteSettings, OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE verifier kept in the session)."""

    def dispatch(self, request, *args, **kwargs):
        if not enabled(self.route):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PartyLogin(_Login):
    route = PARTY


class StaffLogin(_Login):
    route = STAFF


#: what each refusal's page says (the title, then the explanation)
REFUSALS = {
    "unknown_kvk": (_("Uw organisatie is niet bekend bij het secretariaat"),
                    _("Volgens eHerkenning handelt u voor de organisatie met KvK-nummer %(kvk)s, maar die "
                      "organisatie is niet bekend bij het secretariaat van de geschilbeslechting. Er is geen account "
                      "voor u gemaakt. Is uw organisatie partij in een geschil, of wil zij een geschil indienen? "
                      "Neem dan contact op met het secretariaat; dat legt uw organisatie vast met haar KvK-nummer.")),
    "no_kvk": (_("Uw organisatie is niet bekend bij het secretariaat"),
               _("Uw inlogmiddel gaf geen KvK-nummer van een organisatie door. Log in met eHerkenning voor de "
                 "organisatie waarvoor u handelt, of neem contact op met het secretariaat.")),
    "membership_ended": (_("Uw toegang is beëindigd"),
                         _("Het secretariaat heeft uw toegang namens %(organisation)s beëindigd. Neem contact op met "
                           "het secretariaat als u weer namens deze organisatie wilt handelen.")),
    "inactive": (_("Uw account is geblokkeerd"),
                 _("Met dit account kunt u niet inloggen. Neem contact op met het secretariaat.")),
    "staff_unknown": (_("U bent niet bekend als medewerker"),
                      _("De identity provider van het ministerie heeft u herkend, maar er is geen account van een "
                        "medewerker dat daarbij hoort. Er is geen account voor u gemaakt. Vraag het secretariaat "
                        "om uw account.")),
    "cancelled": (_("Inloggen is afgebroken"),
                  _("Het inloggen is niet afgemaakt. U kunt het opnieuw proberen.")),
    "failed": (_("Inloggen is niet gelukt"),
               _("Het inloggen kon niet worden afgerond: de link was verlopen of al gebruikt, of de inlogdienst gaf "
                 "een antwoord dat wij niet konden controleren. Probeer het opnieuw.")),
    "unreachable": (_("Inloggen is niet gelukt"),
                    _("De inlogdienst is op dit moment niet bereikbaar. Probeer het over een paar minuten opnieuw.")),
}


class _Callback(_RouteSettings, OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend trades it for the tokens and the
    claims, and maps them to an account (or refuses, with a page that says why)."""

    backend_class = _Backend

    def dispatch(self, request, *args, **kwargs):
        if not enabled(self.route):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        states = request.session.get("oidc_states")
        entry = states.pop(request.GET.get("state", ""), None) if isinstance(states, dict) else None
        if entry is not None:
            request.session.modified = True  # the state is spent: a replayed callback finds nothing
        if request.GET.get("error"):
            return self.refuse("cancelled", status=200, detail=request.GET.get("error", ""))
        if entry is None or not request.GET.get("code"):
            return self.refuse("failed", status=400, detail="state")
        try:
            user = self.backend_class().authenticate(request, nonce=entry.get("nonce"),
                                                     code_verifier=entry.get("code_verifier"))
        except Refused as refused:
            return self.refuse(refused.reason, status=403, who=refused.who, organisation=refused.organisation)
        except requests.HTTPError as exc:  # the provider refused the code (spent, expired, another client's)
            log.warning("oidc %s: the provider refused: %s", self.route, exc)
            return self.refuse("failed", status=400, detail=type(exc).__name__)
        except requests.RequestException as exc:
            log.warning("oidc %s: provider unreachable: %s", self.route, exc)
            return self.refuse("unreachable", status=502, detail=type(exc).__name__)
        except (SuspiciousOperation, jwt.PyJWTError) as exc:
            log.warning("oidc %s: token refused: %s", self.route, exc)
            return self.refuse("failed", status=400, detail=str(exc))
        if user is None or not user.is_active:
            return self.refuse("failed", status=400, detail="no user")
        next_url = request.session.get("oidc_login_next")
        auth.login(request, user, backend=SESSION_BACKEND)  # a new session: the old one is gone
        log.info("login (oidc %s): user=%r ip=%s", self.route, user.get_username(), client_ip(request))
        record_access(request, AccessAction.LOGIN, result=AccessResult.ALLOWED, actor=user, object=request.path,
                      status_code=302)
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))

    def refuse(self, reason: str, *, status: int, who: str = "", organisation=None, detail: str = ""):
        log.info("login refused (oidc %s): %s %s %s ip=%s", self.route, reason, who, detail[:100],
                 client_ip(self.request))
        record_access(self.request, AccessAction.LOGIN_FAILED, result=AccessResult.DENIED,
                      username=who or f"oidc:{self.route}", object=f"{self.request.path} ({reason})",
                      status_code=status)
        title, text = REFUSALS[reason]
        kvk = who.removeprefix("kvk:") if who.startswith("kvk:") else ""
        context = {"title": title, "text": text % {"kvk": kvk, "organisation": getattr(organisation, "name", "")},
                   "reason": reason, "route": self.route}
        return render(self.request, "registration/oidc_refused.html", context, status=status)


class PartyCallback(_Callback):
    route = PARTY
    backend_class = PartyBackend


class StaffCallback(_Callback):
    route = STAFF
    backend_class = StaffBackend
