"""Every error of the API as ``application/problem+json`` (RFC 9457, docs/api.md): ``type``, ``title``, ``status``,
``detail``, ``instance`` and, for a 400, ``errors`` per field.

``exception_handler`` answers DRF's own errors (400, 401, 403, 404, 405, 406, 415, 429) and the domain's
(``NotPermitted`` 403, ``ValidationError`` 400, ``Conflict`` 409); ``ApiMiddleware`` turns any other error answer
under ``/api/`` (an unknown address, a 500) into the same shape."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import Conflict

PROBLEM_TYPE = "application/problem+json"
#: the ``type`` of each status: a page of docs/api.md that explains it (stable identifiers, not fetched)
TYPE_BASE = "https://geschilbeslechting.example/api/v1/problems/"
_TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    406: "Not Acceptable", 409: "Conflict", 415: "Unsupported Media Type", 429: "Too Many Requests",
    500: "Internal Server Error",
}


def problem(status_code: int, detail: str, instance: str, **extra) -> dict:
    slug = _TITLES.get(status_code, "error").lower().replace(" ", "-")
    return {"type": TYPE_BASE + slug, "title": _TITLES.get(status_code, "Error"), "status": status_code,
            "detail": str(detail), "instance": instance, **extra}


def problem_response(status_code: int, detail: str, instance: str, headers=None) -> HttpResponse:
    """A plain Django response (outside DRF: the middleware's)."""
    response = HttpResponse(json.dumps(problem(status_code, detail, instance)), status=status_code,
                            content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        exc = exceptions.APIException(str(exc) or _("Dit conflicteert met de huidige stand."))
        exc.status_code = status.HTTP_409_CONFLICT
    elif isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Niet gevonden."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a 500: the middleware answers it
    request = context.get("request")
    instance = request.path if request is not None else ""
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = _("De aanvraag klopt niet; zie errors.")
        extra["errors"] = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    else:
        detail = _flatten(getattr(exc, "detail", "")) or _TITLES.get(response.status_code, "")
    response.data = problem(response.status_code, detail, instance, **extra)
    response.content_type = PROBLEM_TYPE
    return response


#: the problem documents' schema, for drf-spectacular (the error responses of every operation)
PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status", "detail", "instance"],
}
