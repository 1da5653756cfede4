"""Connected applications: registration, keys, subscriptions, and their writes (issue 18; docs/api.md).

The secretariat registers an application with its scopes and highest confidentiality; the application acts
through an account of its own that holds no role and cannot log in on the web. A key is shown once
(``IssuedKey.key``) and stored as its SHA-256; it expires and can be revoked, and so can the application.
Who did what is kept by the history of these rows (``disputes.history``, docs/audit.md).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..models import ApiApplication, ApiKey, ApiScope, Confidentiality, DisputeKind, IdempotentRequest

#: every key starts so, which lets secret scanners (and people) recognise one: ``gpa_<8 hex>_<secret>``
KEY_PREFIX = "gpa_"
#: ``ApiKey.prefix``: ``gpa_`` and 8 hex characters
PREFIX_LENGTH = len(KEY_PREFIX) + 8
#: how long a key lives unless the secretariat chooses otherwise
DEFAULT_KEY_DAYS = 365
MAX_KEY_DAYS = 2 * 365
#: how long a write's ``Idempotency-Key`` is remembered (disputes/api/idempotency.py)
IDEMPOTENCY_KEPT = timedelta(hours=24)


def key_hash(key: str) -> str:
    """The stored form of a key: its SHA-256 (a key is 256 random bits; ADR 0021)."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    #: the key itself: shown once, never stored
    key: str


def _require_manager(actor) -> None:
    permissions.require(permissions.can_manage_applications(actor),
                        _("Gekoppelde applicaties beheert het secretariaat."))


def _clean_scopes(scopes) -> list[str]:
    unknown = set(scopes) - set(ApiScope.values)
    if unknown or not scopes:
        raise ValidationError(_("Kies een of meer bekende rechten."))
    return [scope for scope in ApiScope.values if scope in scopes]


@transaction.atomic
def application_register(*, actor, name: str, scopes, max_confidentiality: str = Confidentiality.PARTIES,
                         kinds=(), contact: str = "") -> ApiApplication:
    """A new connected application with its own account (no role, no usable password)."""
    _require_manager(actor)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError(_("Geef de applicatie een naam van hoogstens 200 tekens."))
    if ApiApplication.objects.filter(name__iexact=name).exists():
        raise ValidationError(_("Er is al een applicatie met deze naam."))
    if max_confidentiality not in Confidentiality.values:
        raise ValidationError(_("Kies een bekende vertrouwelijkheid."))
    if set(kinds) - set(DisputeKind.values):
        raise ValidationError(_("Kies bekende soorten geschil."))
    user_model = get_user_model()
    account = user_model(username=f"api-{secrets.token_hex(6)}", first_name=name[:150], is_active=True)
    account.set_unusable_password()
    account.save()
    return ApiApplication.objects.create(
        name=name, contact=contact, scopes=_clean_scopes(scopes), max_confidentiality=max_confidentiality,
        kinds=[kind for kind in DisputeKind.values if kind in kinds],
        user=account, created_by=actor, created_at=clock.now(),
    )


@transaction.atomic
def key_issue(*, actor, application: ApiApplication, days: int = DEFAULT_KEY_DAYS) -> IssuedKey:
    """A new key for the application, valid for ``days``; the caller shows ``IssuedKey.key`` once."""
    _require_manager(actor)
    if application.revoked_at is not None:
        raise ValidationError(_("Deze applicatie is ingetrokken."))
    if not 1 <= int(days) <= MAX_KEY_DAYS:
        raise ValidationError(_("Een sleutel is 1 tot %(max)s dagen geldig.") % {"max": MAX_KEY_DAYS})
    prefix = KEY_PREFIX + secrets.token_hex(4)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    now = clock.now()
    api_key = ApiKey.objects.create(application=application, prefix=prefix, hashed=key_hash(key),
                                    created_by=actor, created_at=now, expires_at=now + timedelta(days=int(days)))
    return IssuedKey(api_key=api_key, key=key)


@transaction.atomic
def key_revoke(*, actor, api_key: ApiKey) -> ApiKey:
    _require_manager(actor)
    if api_key.revoked_at is None:
        api_key.revoked_at = clock.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


@transaction.atomic
def application_revoke(*, actor, application: ApiApplication) -> ApiApplication:
    """The application and all its keys stop working; its subscriptions stop."""
    _require_manager(actor)
    now = clock.now()
    if application.revoked_at is None:
        application.revoked_at = now
        application.save(update_fields=["revoked_at"])
    for api_key in application.keys.filter(revoked_at__isnull=True):
        api_key.revoked_at = now
        api_key.save(update_fields=["revoked_at"])
    for subscription in application.subscriptions.filter(active=True):
        subscription.active = False
        subscription.save(update_fields=["active"])
    return application


def authenticate_key(key: str) -> ApiKey | None:
    """The live key ``key`` is (not expired, not revoked, its application not revoked), or None. The hash is
    compared in constant time."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    api_key = (ApiKey.objects.select_related("application__user")
               .filter(prefix=key[:PREFIX_LENGTH]).first())
    if api_key is None or not secrets.compare_digest(api_key.hashed, key_hash(key)):
        return None
    now = clock.now()
    if api_key.revoked_at is not None or api_key.expires_at <= now or api_key.application.revoked_at is not None:
        return None
    if api_key.last_used_at is None or now - api_key.last_used_at > timedelta(minutes=5):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)  # at most every five minutes
    return api_key


def idempotency_keys_prune() -> int:
    """Forget the writes' ``Idempotency-Key``s older than 24 hours (the periodic task
    ``disputes.tasks.prune_idempotency_keys``); returns how many. A key sent again after that is a new request."""
    deleted, _counts = IdempotentRequest.objects.filter(created_at__lt=clock.now() - IDEMPOTENCY_KEPT).delete()
    return deleted
