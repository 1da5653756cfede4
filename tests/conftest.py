"""Shared fixtures: the clock, users with roles, and a case ready at any state of the procedure."""

import os
from datetime import datetime

import pytest

from disputes import clock
from tests import factories, needs


@pytest.fixture(autouse=True)
def _eager_celery_and_private_storage(settings, tmp_path, monkeypatch):
    """Tasks run eagerly, mail stays in memory, and documents go to this test's own folder."""
    from django.core.cache import cache
    from django.core.files.storage import FileSystemStorage

    from disputes.models import Document

    cache.clear()  # the log-in and upload brakes count per user id, and ids repeat between tests
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STAFF_TWO_FACTOR = False  # tests/integration/test_two_factor.py switches it on
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # FileField resolves its storage once, when the model class is built: replace it on the field.
    private = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Document._meta.get_field("file"), "storage", private)
    yield private
    clock.set_now(None)


@pytest.fixture
def private_storage(_eager_celery_and_private_storage):
    return _eager_celery_and_private_storage


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """CI must not go green by skipping (tests/needs.py): a skip in CI is a failure unless the test belongs to a
    stage that ``make test`` runs later (PostgreSQL, broker) and this run is not that stage."""
    outcome = yield
    report = outcome.get_result()
    if not (needs.IN_CI and report.skipped) or hasattr(report, "wasxfail"):
        return
    from django.db import connection

    if needs.skip_is_a_later_stage(item, vendor=connection.vendor,
                                   broker_url=os.environ.get("CELERY_BROKER_URL", "")):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    report.outcome = "failed"
    report.longrepr = f"CI=true: this test was skipped, and in CI a skip is a failure: {reason}"
