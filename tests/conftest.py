"""Shared fixtures: the clock, users with roles, and a case ready at any state of the procedure."""

import os
from datetime import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from disputes import clock
from tests import factories, needs

# Production is the default of config/settings.py (HTTPS redirect, a cache shared through the database).
# The test client and the live server speak plain HTTP, and the brakes count in this process's memory
# (tests that need the database cache or the redirect switch them on themselves).
django_settings.SECURE_SSL_REDIRECT = False
django_settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                      "OPTIONS": {"MAX_ENTRIES": 100_000}}}


@pytest.fixture(autouse=True)
def _eager_celery_and_private_storage(settings, tmp_path, monkeypatch):
    """Tasks run eagerly, mail stays in memory, and documents go to this test's own folder."""
    from django.core.cache import cache
    from django.core.files.storage import FileSystemStorage

    from disputes.models import Document, DossierExport

    cache.clear()  # the log-in and upload brakes count per user id, and ids repeat between tests
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STAFF_TWO_FACTOR = False  # tests/integration/test_two_factor.py switches it on
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # FileField resolves its storage once, when the model class is built: replace it on the field.
    private = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Document._meta.get_field("file"), "storage", private)
    for name in ("pdf_file", "zip_file"):  # a dossier export's own files, in the same private storage
        monkeypatch.setattr(DossierExport._meta.get_field(name), "storage", private)
    yield private
    clock.set_now(None)
    # a request in English (LocaleMiddleware activates the language for the thread) must not make the next
    # test run in English
    translation.deactivate()


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


# -- the PostgreSQL stage runs as the application's role, which owns nothing (docs/deployment.md) -------------------

RUNTIME_ROLE = os.environ.get("DATABASE_RUNTIME_ROLE", "")


@pytest.fixture
def as_table_owner():
    """``with as_table_owner(): ...`` runs the block connected as the owner of the tables (the user of
    DATABASE_URL), for a test that shows what even the owner cannot do (the append-only triggers).
    Without DATABASE_RUNTIME_ROLE the suite is connected as the owner already."""
    import dj_database_url

    from disputes import dbroles

    def connect():
        if not RUNTIME_ROLE:
            return dbroles.connected_as(None)
        owner = dj_database_url.parse(os.environ["DATABASE_URL"])
        return dbroles.connected_as({"USER": owner["USER"], "PASSWORD": owner.get("PASSWORD", "")})

    return connect

if RUNTIME_ROLE:

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_setup, django_db_blocker):
        """The owner (the user of DATABASE_URL) creates and migrates the test database, as ``migrate`` does in
        production; then it grants DATABASE_RUNTIME_ROLE the application's privileges and every test connects
        as that role. Emptying the database after a transactional test (one TRUNCATE of every table) is the
        owner's privilege, so only that statement runs as the owner."""
        from django.db import connection
        from django.db.backends.postgresql.operations import DatabaseOperations

        from disputes import dbroles

        owner = {"USER": connection.settings_dict["USER"], "PASSWORD": connection.settings_dict["PASSWORD"]}
        runtime = {"USER": RUNTIME_ROLE, "PASSWORD": os.environ.get("DATABASE_RUNTIME_PASSWORD", "")}
        with django_db_blocker.unblock():
            dbroles.grant_runtime_role(RUNTIME_ROLE)
        flush = DatabaseOperations.execute_sql_flush

        def flush_as_owner(self, sql_list):
            with dbroles.connected_as(owner, self.connection.alias):
                flush(self, sql_list)

        DatabaseOperations.execute_sql_flush = flush_as_owner
        connection.close()
        connection.settings_dict.update(runtime)  # the same dict new threads' connections are made from
        yield
        connection.close()
        connection.settings_dict.update(owner)
        DatabaseOperations.execute_sql_flush = flush
