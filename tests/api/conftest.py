"""Connected applications for the API tests: ``application(scopes=…, …)`` registers one through the real services
and issues it a key; ``api`` is a client that sends a key."""

import pytest
from django.test import Client

from disputes.models import ApiScope
from disputes.services import api as api_service

ALL_SCOPES = list(ApiScope.values)


class ApiClient:
    """Django's test client with ``Authorization: Bearer <key>`` on every request."""

    def __init__(self, key: str | None = None):
        self.client = Client()
        self.key = key

    def get(self, path, params=None, **extra):
        if self.key is not None:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.key}")
        return self.client.get(path, params or {}, **extra)

    def request(self, method, path, **extra):
        if self.key is not None:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.key}")
        return getattr(self.client, method.lower())(path, **extra)


@pytest.fixture
def application(world):
    """``application(scopes=ALL_SCOPES, max_confidentiality="parties", kinds=(), name=…)`` -> (application, key)."""
    made = []

    def make(scopes=ALL_SCOPES, max_confidentiality="parties", kinds=(), name=None):
        app = api_service.application_register(
            actor=world.secretary, name=name or f"Systeem {len(made) + 1}", scopes=scopes,
            max_confidentiality=max_confidentiality, kinds=kinds)
        issued = api_service.key_issue(actor=world.secretary, application=app)
        made.append(app)
        return app, issued.key

    return make


@pytest.fixture
def api(application):
    """A client with a key of an application holding every scope, cleared up to ``parties``."""
    app, key = application()
    client = ApiClient(key)
    client.application = app
    return client
