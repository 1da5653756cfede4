"""Change notifications: subscriptions, the fan-out of every audit event, and its delivery (issue 18, item 5;
docs/api.md "Wijzigingen ontvangen (webhooks)").

- An application with the scope ``notifications`` subscribes a callback URL (``subscription_add``); the secret
  that signs its messages is shown once. It ends a subscription with ``subscription_remove`` (the row stays,
  inactive: its deliveries refer to it). The history of the rows (disputes/history) names who did it.
- ``fan_out`` receives ``signals.event_recorded`` inside the service's transaction: one ``WebhookDelivery`` per
  subscription that may hear of the event, and the delivery task in the outbox (ADR 0008), so nothing leaves
  before the case's change commits and nothing is lost when the broker is down.
- ``deliver`` makes one attempt: a CloudEvent (disputes/cloudevents.py) POSTed with a 5 s timeout and no
  redirects; a 2xx answer delivers it, anything else is tried again after 1 min, 5 min, 30 min, 2 h and 12 h
  (``BACKOFF``), then given up. ``retry_due`` (the periodic task ``retry_webhooks``) sends what is due.

Server-side request forgery: a callback URL is https (plain http only to this machine, and only in debug mode
or with ``WEBHOOK_ALLOW_LOOPBACK``), carries no user name or password, and may not name an address inside a
private network; at each attempt the host name is resolved again and a private, loopback, link-local or
otherwise non-public address is refused, so a name that later points inward reaches nothing.
"""

import base64
import ipaddress
import logging
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import clock, cloudevents, outbox, permissions, signals
from ..errors import NotPermitted
from ..models import (
    ApiScope,
    Confidentiality,
    DeliveryStatus,
    EventKind,
    WebhookDelivery,
    WebhookSubscription,
)
from ..states import DisputeState

log = logging.getLogger(__name__)

#: the waits after the 1st, 2nd, … failed attempt; after the last one the delivery is given up (``failed``)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=12))
#: an attempt's timeout, connecting and reading alike
TIMEOUT_SECONDS = 5.0
#: while an attempt runs its delivery is not due again (two workers never post the same delivery at once)
LEASE = timedelta(minutes=1)
#: active subscriptions per application: enough for any ministry system, few enough that one cannot make the
#: product post every event a thousand times
MAX_SUBSCRIPTIONS = 10
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]", "::1"}
DELIVER_TASK = "disputes.tasks.deliver_webhook"


def loopback_allowed() -> bool:
    """Whether callbacks may go to this machine: in debug mode or with ``WEBHOOK_ALLOW_LOOPBACK`` (the tests)."""
    return bool(settings.DEBUG or getattr(settings, "WEBHOOK_ALLOW_LOOPBACK", False))


def _address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return loopback_allowed()
    return address.is_global and not address.is_multicast


def clean_callback_url(url: str) -> str:
    """The callback URL, or a ``ValidationError`` saying why not (see the module's SSRF paragraph)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError as exc:
        raise ValidationError(_("Geef een geldig https-adres.")) from exc
    host = (parts.hostname or "").lower()
    if len(url) > 500 or not host or parts.scheme not in {"https", "http"}:
        raise ValidationError(_("Geef een geldig https-adres."))
    if parts.username or parts.password:
        raise ValidationError(_("Een callback-adres bevat geen gebruikersnaam of wachtwoord."))
    if parts.fragment:
        raise ValidationError(_("Een callback-adres heeft geen #-deel."))
    loopback = host in LOOPBACK_NAMES or host.endswith(".localhost")
    if parts.scheme == "http" and not (loopback and loopback_allowed()):
        raise ValidationError(_("Een callback-adres begint met https://."))
    if loopback and not loopback_allowed():
        raise ValidationError(_("Dit adres is niet bereikbaar vanaf het internet."))
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None and not _address_allowed(literal):
        raise ValidationError(_("Dit adres is niet bereikbaar vanaf het internet."))
    return url


def refused_address(url: str) -> str:
    """Why an attempt may not go to ``url`` now (its host resolves to an address that is not public), or ""."""
    parts = urlsplit(url)
    host = (parts.hostname or "").strip("[]")
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except OSError as exc:
        return f"DNS: {exc}"
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not _address_allowed(address):
            return f"refused: {host} resolves to {address}, not a public address"
    return ""


def _require_notifications(actor):
    permissions.require(permissions.application_may(actor, ApiScope.NOTIFICATIONS),
                        _("Deze applicatie heeft geen recht op wijzigingsberichten."))
    return permissions.application_of(actor)


def new_secret() -> str:
    """``whsec_`` and 32 random bytes in base64 (Standard Webhooks)."""
    return cloudevents.SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True)
class IssuedSubscription:
    subscription: WebhookSubscription
    #: the signing secret, shown to the application once (it is kept, to sign with)
    secret: str


@transaction.atomic
def subscription_add(*, actor, callback_url: str, kinds=()) -> IssuedSubscription:
    """A subscription of the acting application to the events ``kinds`` (``EventKind``; none: every kind)."""
    application = _require_notifications(actor)
    url = clean_callback_url(callback_url)
    kinds = list(kinds or ())
    if not all(isinstance(kind, str) for kind in kinds) or set(kinds) - set(EventKind.values):
        raise ValidationError(_("Kies bekende soorten gebeurtenissen."))
    active = WebhookSubscription.objects.select_for_update().filter(application=application, active=True)
    if len(active) >= MAX_SUBSCRIPTIONS:
        raise ValidationError(_("Een applicatie heeft hoogstens %(max)s abonnementen.") % {"max": MAX_SUBSCRIPTIONS})
    secret = new_secret()
    subscription = WebhookSubscription(
        application=application, callback_url=url, secret=secret,
        kinds=[kind for kind in EventKind.values if kind in kinds], created_at=clock.now(),
    )
    subscription._history_user = actor  # the history names the application's account (disputes/history)
    subscription.save()
    return IssuedSubscription(subscription=subscription, secret=secret)


@transaction.atomic
def subscription_remove(*, actor, subscription: WebhookSubscription) -> WebhookSubscription:
    """End a subscription of the acting application: nothing more is sent to it; pending deliveries are given
    up. Another application's subscription is refused as not existing."""
    application = _require_notifications(actor)
    if subscription.application_id != application.pk:
        raise NotPermitted(_("Dit abonnement bestaat niet."))
    if subscription.active:
        subscription.active = False
        subscription._history_user = actor
        subscription.save(update_fields=["active"])
        subscription.deliveries.filter(status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED, next_attempt_at=None, last_error="subscription ended")
    return subscription


def subscriptions_of(actor):
    """The acting application's active subscriptions."""
    application = _require_notifications(actor)
    return WebhookSubscription.objects.filter(application=application, active=True)


# -- fan-out -------------------------------------------------------------------------------------------------------

_RANK = {level: rank for rank, level in enumerate(Confidentiality.values)}


def may_hear(subscription: WebhookSubscription, dispute, event) -> bool:
    """Whether the subscription's application may hear of ``event``: it holds ``notifications`` and is not
    revoked, the case is filed and of a kind it may see, the event is no more confidential than it may read, and
    the subscription asked for this kind of event."""
    application = subscription.application
    return (subscription.active
            and application.revoked_at is None
            and ApiScope.NOTIFICATIONS in application.scopes
            and dispute.state != DisputeState.DRAFT
            and (not application.kinds or dispute.kind in application.kinds)
            and _RANK.get(event.visibility, len(_RANK)) <= _RANK.get(application.max_confidentiality, -1)
            and (not subscription.kinds or event.kind in subscription.kinds))


def fan_out(sender, *, dispute, event, **kwargs) -> None:
    """Receiver of ``signals.event_recorded`` (connected in ``DisputesConfig.ready``): a delivery per
    subscription that may hear of the event, in the service's transaction. One query when nobody subscribed
    (none for a draft). Like the workflow's receiver, a failure here is logged and does not stop the legal step
    (``WORKFLOW_STRICT`` raises it, as in the tests)."""
    if dispute.state == DisputeState.DRAFT:
        return
    try:
        hearing = [subscription for subscription in WebhookSubscription.objects.select_related("application")
                   .filter(active=True, application__revoked_at__isnull=True)
                   if may_hear(subscription, dispute, event)]
        if not hearing:
            return
        now = clock.now()
        with transaction.atomic():
            for subscription in hearing:
                delivery = WebhookDelivery.objects.create(subscription=subscription, event=event, created_at=now)
                outbox.enqueue(DELIVER_TASK, delivery_id=str(delivery.pk))
    except Exception:
        if getattr(settings, "WORKFLOW_STRICT", False):
            raise
        log.exception("webhooks: could not fan out event %s (%s) of %s", event.pk, event.kind, dispute.pk)


def connect() -> None:
    """Called by ``DisputesConfig.ready``."""
    signals.event_recorded.connect(fan_out, dispatch_uid="disputes.webhooks.fan_out")


# -- delivery ------------------------------------------------------------------------------------------------------


def _claim(delivery_id, now) -> bool:
    """Take the delivery for one attempt if it is pending and due; False if it is not (or another worker has it)."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(WebhookDelivery.objects.filter(due, pk=delivery_id, status=DeliveryStatus.PENDING)
                .update(next_attempt_at=now + LEASE))


def deliver(delivery_id) -> str:
    """One attempt at a delivery; returns its status afterwards ("" if it was not due or does not exist)."""
    now = clock.now()
    if not _claim(delivery_id, now):
        return ""
    delivery = (WebhookDelivery.objects.select_related("subscription__application", "event__dispute")
                .get(pk=delivery_id))
    try:
        return _attempt(delivery, now)
    except Exception as exc:  # a bug, not the receiver: counted as an attempt, so it ends after the last one
        log.exception("webhooks: delivery %s failed in the product", delivery.pk)
        return _finish(delivery, now, status_code=None, error=f"internal: {type(exc).__name__}")


def _attempt(delivery: WebhookDelivery, now) -> str:
    subscription, event = delivery.subscription, delivery.event
    if not may_hear(subscription, event.dispute, event):  # ended or revoked since, or its rights narrowed
        return _finish(delivery, now, status_code=None, error="subscription ended or no longer entitled",
                       final=True)
    cloud_event = cloudevents.build(delivery_id=delivery.pk, event=event, site_url=settings.SITE_URL)
    payload = cloudevents.body(cloud_event)
    headers = cloudevents.headers(secret=subscription.secret, message_id=str(delivery.pk),
                                  timestamp=int(now.timestamp()), payload=payload)
    refused = refused_address(subscription.callback_url)
    if refused:
        return _finish(delivery, now, status_code=None, error=refused)
    try:  # the answer's status is all that counts: its body is never read (a huge one costs nothing)
        # HTTPS_PROXY in the environment (the ministry's egress proxy, docs/api.md) is honoured
        with (httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client,
              client.stream("POST", subscription.callback_url, content=payload, headers=headers) as response):
            status_code = response.status_code
    except httpx.HTTPError as exc:
        return _finish(delivery, now, status_code=None, error=f"{type(exc).__name__}: {exc}")
    if 200 <= status_code < 300:
        return _finish(delivery, now, status_code=status_code, error="", delivered=True)
    return _finish(delivery, now, status_code=status_code, error=f"HTTP {status_code}")


def _finish(delivery: WebhookDelivery, now, *, status_code, error: str, delivered: bool = False,
            final: bool = False) -> str:
    attempts = delivery.attempts + (0 if final else 1)
    if delivered:
        status, next_at = DeliveryStatus.DELIVERED, None
    elif final or attempts > len(BACKOFF):
        status, next_at = DeliveryStatus.FAILED, None
    else:
        status, next_at = DeliveryStatus.PENDING, now + BACKOFF[attempts - 1]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status, attempts=attempts, last_status_code=status_code, last_error=error[:500],
        next_attempt_at=next_at, delivered_at=now if delivered else None,
    )
    if not delivered:
        log.info("webhooks: delivery %s attempt %s: %s", delivery.pk, attempts, error or status)
    return status


def retry_due(*, limit: int = 500) -> int:
    """Put the deliveries whose next attempt is due in the outbox again (the periodic task ``retry_webhooks``);
    returns how many."""
    now = clock.now()
    due = list(WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    with transaction.atomic():
        for pk in due:
            outbox.enqueue(DELIVER_TASK, delivery_id=str(pk))
    return len(due)
