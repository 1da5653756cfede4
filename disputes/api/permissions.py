"""Which scope each endpoint needs (issue 18, docs/api.md): one place for the API's 403.

Every view names its ``required_scope`` (``ApiScope``); ``ScopePermission`` refuses a request whose application
does not hold it (403), and anyone who is not an application at all (401 without a key). Which objects the
application then sees is ``disputes.api.visibility``; an object it may not see is a 404.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions as drf_permissions

from .. import permissions


class ScopePermission(drf_permissions.BasePermission):
    message = _("Deze applicatie heeft niet het recht voor deze gegevens.")

    def has_permission(self, request, view) -> bool:
        if permissions.application_of(request.user) is None:
            return False  # no key: DRF answers 401 (the authenticator's header), a person: 403
        scope = getattr(view, "required_scope", None)
        if scope is None:  # a view that forgot to say: refused, never open by default
            return False
        return permissions.application_may(request.user, scope)


def application(request):
    """The application of an authenticated API request (ScopePermission has checked there is one)."""
    return permissions.application_of(request.user)
