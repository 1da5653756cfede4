"""``Idempotency-Key`` for the API's writes (issue 18, docs/api.md "Schrijven").

Every write asks for the header (1 to 100 printable ASCII characters; without it a 400). The first request with a
key does its work and its answer (status, JSON body and ``Location``) is stored in ``IdempotentRequest`` with the
SHA-256 of the request (method, path and body); the same key with the same request answers the stored response
again with ``Idempotent-Replayed: true`` and does nothing; the same key with another request is a 409.

Concurrent duplicates: the key's row is inserted first, in the same transaction as the write. A second request
with the same key waits on the unique constraint (PostgreSQL) until the first commits, then gets the
``IntegrityError`` and answers the stored response: never two exports. Only a write that succeeded (2xx) is
kept; a refused one is rolled back with its key, so the client may correct the request and send it again.
Keys are kept 24 hours (``services.api.idempotency_keys_prune``, the periodic task
``disputes.tasks.prune_idempotency_keys``).
"""

import hashlib
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from .. import clock, permissions
from ..models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEY_PATTERN = re.compile(r"[\x20-\x7e]{1,100}")


class IdempotencyKeyMissing(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Een schrijvend verzoek heeft een Idempotency-Key nodig: 1 tot 100 leesbare tekens.")
    default_code = "idempotency_key_missing"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Deze Idempotency-Key is al gebruikt voor een ander verzoek.")
    default_code = "idempotency_key_reused"


def request_hash(request) -> str:
    """SHA-256 of the method, the path (with its query string) and the body: what makes two requests the same."""
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b"\n" + request.get_full_path().encode() + b"\n")
    digest.update(request.body)  # read before request.data, which parses from the same (cached) bytes
    return digest.hexdigest()


def key_of(request) -> str:
    key = request.headers.get(HEADER, "")
    if not KEY_PATTERN.fullmatch(key):
        raise IdempotencyKeyMissing()
    return key


def _replay(stored: IdempotentRequest, fingerprint: str) -> Response:
    if stored.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    headers = {REPLAYED: "true", **stored.response.get("headers", {})}
    return Response(stored.response.get("body"), status=stored.status_code, headers=headers)


def idempotent(request, write) -> Response:
    """Answer ``request`` once per ``Idempotency-Key``: ``write()`` does the work and returns the ``Response``
    (its ``data`` JSON, its ``Location`` if any); on a repeat the stored answer comes back instead."""
    key = key_of(request)
    fingerprint = request_hash(request)
    application = permissions.application_of(request.user)
    stored = IdempotentRequest.objects.filter(application=application, key=key).first()
    if stored is not None:
        return _replay(stored, fingerprint)
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = IdempotentRequest.objects.create(application=application, key=key,
                                                         request_hash=fingerprint, status_code=0,
                                                         created_at=clock.now())
        except IntegrityError:  # a concurrent request with this key committed first: its answer is ours
            stored = IdempotentRequest.objects.get(application=application, key=key)
            return _replay(stored, fingerprint)
        response = write()
        if not status.is_success(response.status_code):
            transaction.set_rollback(True)  # not kept: the client may send it again
            return response
        headers = {"Location": response["Location"]} if response.has_header("Location") else {}
        claim.status_code = response.status_code
        claim.response = {"body": response.data, "headers": headers}
        claim.save(update_fields=["status_code", "response"])
    return response

