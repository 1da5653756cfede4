"""``/api/``: every call in the security access log, every error as problem+json (docs/api.md, docs/audit.md).

One row per call, whatever its status (``AccessAction.API_CALL``, with the application, the path without its
query string, the status and the origin): a single INSERT. The site-wide ``AccessLogMiddleware`` then leaves the
call alone (``request._access_logged``). An error answer that is not problem+json yet (an unknown address under
``/api/``, a 500, Django's own 400/403) is answered as one here.
"""

import logging

from django.db import transaction
from django.utils import timezone

from ..access_log import clean, client_ip, safe_path
from ..models import AccessAction, AccessLogEntry, AccessResult
from .problems import PROBLEM_TYPE, problem_response

log = logging.getLogger("disputes.api")

PREFIX = "/api/"
_DETAILS = {
    400: "De aanvraag klopt niet.",
    403: "Geen toegang.",
    404: "Dit adres bestaat niet in de API.",
    405: "Deze methode kan hier niet.",
    500: "Er ging iets mis aan onze kant; het is gelogd.",
}


def record_call(request, status_code: int) -> None:
    """One ``AccessLogEntry`` for an API call; never raises into the request."""
    api_key = getattr(request, "auth", None)
    application = getattr(api_key, "application", None)
    user = getattr(request, "user", None)
    actor = user if application is not None and user is not None and user.is_authenticated else None
    try:
        entry = AccessLogEntry(
            at=timezone.now(), actor=actor, username=clean(actor.get_username() if actor else "", 150),
            action=AccessAction.API_CALL,
            result=AccessResult.ALLOWED if status_code < 400 else AccessResult.DENIED,
            object=safe_path(request), status_code=status_code,
            origin=client_ip(request), user_agent=clean(request.META.get("HTTP_USER_AGENT", ""), 300),
            application=application,
        )
        with transaction.atomic():
            entry.save(force_insert=True)
    except Exception:  # the answer matters more than its log line
        log.exception("API access log entry not written: path=%s", safe_path(request))
        return
    request._access_logged = True


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM_TYPE):
            code = response.status_code
            headers = {name: response[name] for name in ("Allow", "Retry-After", "WWW-Authenticate")
                       if name in response}
            response = problem_response(code, _DETAILS.get(code, "Fout."), safe_path(request), headers)
        record_call(request, response.status_code)
        return response
