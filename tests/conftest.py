"""Shared fixtures: the clock, users with roles, and a case ready at any state of the procedure."""

from datetime import datetime

import pytest

from disputes import clock
from tests import factories


@pytest.fixture(autouse=True)
def _eager_celery_and_private_storage(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    from django.core.files.storage import storages

    storages._storages = {}
    yield
    storages._storages = {}
    clock.set_now(None)


@pytest.fixture
def at():
    """Freeze the clock: ``at("2017-01-16 10:00")`` (Europe/Amsterdam)."""

    def _set(text: str):
        moment = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=clock.AMSTERDAM)
        clock.set_now(moment)
        return moment

    return _set


@pytest.fixture
def world(db):
    """Organisations, an agreement, party users and staff users (one per role)."""
    return factories.World.create()
