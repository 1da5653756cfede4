"""CloudEvents for change notifications, signed with HMAC (issue 18, item 5; docs/api.md).

Pure building and signing: no database writes, no network. ``disputes.services.webhooks`` decides who gets an
event and delivers it; this module says what the message is.

- The body is a CloudEvents 1.0 event in the *structured* JSON mode (``application/cloudevents+json``).
- ``data`` names the case and the change, never a person: who acted, documents' names and free texts stay in the
  product (an application that needs more reads ``/api/v1/cases/{id}/``, where its own rights apply).
- The signature follows the Standard Webhooks specification: ``webhook-id``, ``webhook-timestamp`` and
  ``webhook-signature: v1,<base64 HMAC-SHA256 over "<id>.<timestamp>.<body>">``, the secret being the
  subscription's own (``whsec_…``; its base64 part is the key).
"""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

#: the CloudEvents ``type`` of an audit event is this prefix and the event's kind (``EventKind``)
TYPE_PREFIX = "nl.prestatieafspraken.geschil."
CONTENT_TYPE = "application/cloudevents+json"
SPECVERSION = "1.0"
#: a subscription's secret starts so (Standard Webhooks); the rest is base64 of 32 random bytes
SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"


def event_type(kind: str) -> str:
    return f"{TYPE_PREFIX}{kind}"


def build(*, delivery_id, event, site_url: str) -> dict:
    """The CloudEvent for one delivery of one audit event (``DisputeEvent``, with its ``dispute``)."""
    dispute = event.dispute
    api = f"{site_url.rstrip('/')}/api/v1"
    return {
        "specversion": SPECVERSION,
        "id": str(delivery_id),
        "source": api,
        "type": event_type(event.kind),
        "subject": str(dispute.pk),
        "time": _rfc3339(event.at),
        "datacontenttype": "application/json",
        "data": {
            "case": {
                "id": str(dispute.pk),
                "number": dispute.case_number or "",
                "kind": dispute.kind,
                "url": f"{api}/cases/{dispute.pk}/",
            },
            "event": {
                "id": event.pk,
                "kind": event.kind,
                "from_state": event.from_state or None,
                "to_state": event.to_state or None,
                "at": _rfc3339(event.at),
            },
            "state": dispute.state,
        },
    }


def body(cloud_event: dict) -> bytes:
    """The bytes that are sent (and signed): compact JSON, UTF-8."""
    return json.dumps(cloud_event, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(raw, validate=True)
    except ValueError:  # not base64 (a secret made by hand): its bytes are the key
        return raw.encode()


def signature(*, secret: str, message_id: str, timestamp: int, payload: bytes) -> str:
    """``v1,<base64>``: HMAC-SHA256 with the secret's key over ``<message_id>.<timestamp>.<payload>``."""
    signed = f"{message_id}.{timestamp}.".encode() + payload
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def verify(*, secret: str, headers: dict, payload: bytes) -> bool:
    """Whether ``headers`` (lower-case names) carry a valid signature of ``payload``: what a receiver does
    (docs/api.md shows the same in a few lines). The timestamp's age is the receiver's check, not this one's."""
    try:
        expected = signature(secret=secret, message_id=headers["webhook-id"],
                             timestamp=int(headers["webhook-timestamp"]), payload=payload)
    except (KeyError, ValueError):
        return False
    return any(hmac.compare_digest(expected, given) for given in headers.get("webhook-signature", "").split())


def headers(*, secret: str, message_id: str, timestamp: int, payload: bytes) -> dict:
    """The HTTP headers of one attempt."""
    return {
        "content-type": CONTENT_TYPE,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret=secret, message_id=message_id, timestamp=timestamp, payload=payload),
    }


def _rfc3339(moment: datetime) -> str:
    """RFC 3339 in UTC (``2017-01-16T09:05:00Z``), as CloudEvents' ``time``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
