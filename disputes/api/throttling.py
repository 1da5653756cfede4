"""The rate limit per application (docs/api.md): ``API_RATE_LIMIT`` requests a minute for all its keys together,
counted in the shared cache (ADR 0014); over it a 429 with ``Retry-After``."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .. import permissions


class ApplicationRateThrottle(SimpleRateThrottle):
    scope = "application"

    def get_rate(self) -> str:
        return f"{settings.API_RATE_LIMIT}/min"

    def get_cache_key(self, request, view):
        application = permissions.application_of(request.user)
        if application is None:
            return None  # refused anyway (401/403), nothing to count
        return self.cache_format % {"scope": self.scope, "ident": application.pk}
