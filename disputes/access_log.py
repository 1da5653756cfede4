"""Writing the security access log (``AccessLogEntry``, docs/audit.md).

``record_access`` is called by the log-in view, the two-factor steps and the downloads, by the
``user_logged_out`` signal, and by ``AccessLogMiddleware`` for refused requests (403, 404 on case
addresses, 429). It never raises into the request: a failure to write is logged and swallowed.

What is stored is chosen so that it holds no secret: the path without its query string (a query
string may carry a token), the user name typed at log-in but never the password, no session id or
cookie, and every text cut to its column and stripped of control characters (no forged log lines).

Transactions: the row is written in its own savepoint, so a failed write does not break a
transaction the caller is in. ``ATOMIC_REQUESTS`` is off (config/settings.py), so the view-level
calls run in autocommit and the row is committed at once; the middleware records after the view has
returned or raised, i.e. after a view's own transaction (also under ``ATOMIC_REQUESTS``) has been
committed or rolled back, so a refused request that rolls back does not take its log row with it.
"""

import logging
import re

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from .models import AccessAction, AccessLogEntry, AccessResult

log = logging.getLogger("disputes.access_log")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: Where a 404 is worth recording: the addresses that name a case, a document or a task.
CASE_AREAS = ("/portaal/", "/werk/", "/dossier/", "/geschillen/")
#: Never recorded: files and probes that say nothing about access to cases.
SKIPPED = ("/static/", "/favicon.ico", "/robots.txt", "/.well-known/", "/apple-touch-icon")


def clean(text, limit: int) -> str:
    """``text`` as a single line of at most ``limit`` characters."""
    return _CONTROL.sub("", str(text or ""))[:limit]


def client_ip(request) -> str:
    """The address the request came from.

    Without trusted proxies (``TRUSTED_PROXY_COUNT`` 0) that is ``REMOTE_ADDR``; ``X-Forwarded-For``
    is not read, since a client can write that header itself. Behind N proxies that each append the
    address they saw, it is the N-th entry from the right: the one our own nearest proxy wrote, whatever
    a client put in front of it. A header shorter than that falls back to ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            remote = hops[-proxies]
    return clean(remote, 45)


def safe_path(request) -> str:
    """The requested path, without the query string."""
    return clean(getattr(request, "path", "").split("?", 1)[0], 300)


def _actor(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record_access(request, action, *, result, object="", status_code=None, username="", actor=None):
    """Append one ``AccessLogEntry``; returns it, or None when it could not be written.

    ``actor`` defaults to the logged-in user of the request; ``username`` to the actor's user name
    (pass the typed name for a failed log-in, never the password).
    """
    try:
        actor = actor if actor is not None else _actor(request)
        username = username or (actor.get_username() if actor is not None else "")
        entry = AccessLogEntry(
            at=timezone.now(),
            actor=actor,
            username=clean(username, 150),
            action=AccessAction(action),
            result=AccessResult(result),
            object=clean(str(object).split("?", 1)[0], 300),
            status_code=status_code,
            origin=client_ip(request),
            user_agent=clean(request.META.get("HTTP_USER_AGENT", ""), 300),
        )
        with transaction.atomic():
            entry.save(force_insert=True)
    except Exception:  # never into the request: the answer matters more than its log line
        log.exception("access log entry not written: action=%s path=%s", action, safe_path(request))
        return None
    request._access_logged = True
    return entry


@receiver(user_logged_out, dispatch_uid="disputes.access_log.logout")
def _record_logout(sender, request, user, **kwargs):
    if user is None or not user.is_authenticated or request is None:
        return
    record_access(request, AccessAction.LOGOUT, result=AccessResult.ALLOWED, actor=user, status_code=None)


class AccessLogMiddleware:
    """Records refused requests: 403 anywhere, 404 on case addresses, 429 anywhere.

    A request whose view has already written its own entry (``login_locked``) is not recorded twice.
    A 404 outside the case areas (typing errors, scanners looking for ``/wp-admin``) is not recorded:
    it says nothing about access to a case and would drown the log.
    """

    ACTIONS = {403: AccessAction.ACCESS_DENIED, 404: AccessAction.NOT_FOUND, 429: AccessAction.RATE_LIMITED}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        action = self.ACTIONS.get(response.status_code)
        if action is not None and not getattr(request, "_access_logged", False) and self._recorded(request, action):
            record_access(request, action, result=AccessResult.DENIED, object=safe_path(request),
                          status_code=response.status_code)
        return response

    @staticmethod
    def _recorded(request, action) -> bool:
        path = request.path
        if path.startswith(SKIPPED):
            return False
        if action == AccessAction.NOT_FOUND:
            return path.startswith(CASE_AREAS)
        return True
