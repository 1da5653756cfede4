"""The API's only way in: an application's key as ``Authorization: Bearer gpa_…`` (docs/api.md). The request
then acts as the application's own account (``request.user``); ``request.auth`` is the ``ApiKey``. A missing,
wrong, expired or revoked key is a 401 with ``WWW-Authenticate: Bearer``; sessions do not open the API."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from ..services.api import authenticate_key


class ApplicationKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1", "replace").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Geef één sleutel na 'Bearer'."))
        api_key = authenticate_key(header[1])
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Deze sleutel is onbekend, verlopen of ingetrokken."))
        return api_key.application.user, api_key

    def authenticate_header(self, request):
        return self.keyword
