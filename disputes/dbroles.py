"""Two database roles on PostgreSQL: the owner runs the migrations, the application owns nothing.

A role that owns a table can ``ALTER TABLE ... DISABLE TRIGGER`` and then update or delete the audit
trail, whatever trigger ADR 0004 installed. So the application connects (``DATABASE_URL``) as a role
that owns no table; ``manage.py migrate`` connects with the owner's credentials from
``DATABASE_MIGRATE_URL`` and afterwards grants the application's role what it needs
(``grant_runtime_role``): read and write on every table, but on the append-only tables (the audit
trail, the access log, and the history tables of the ``history`` app when installed) only
``SELECT`` and ``INSERT`` (plus ``UPDATE`` of the audit trail's ``payload`` column, which its trigger allows only
to erase a destroyed case's details), and nowhere ``TRUNCATE``, ``TRIGGER`` or ``REFERENCES``. See
docs/deployment.md and ADR 0012.
"""

from contextlib import contextmanager

import dj_database_url
from django.apps import apps
from django.conf import settings
from django.db import connections

#: Tables the application may only read and append to (on top of the triggers of migrations 0002 and 0007).
APPEND_ONLY_MODELS = ("disputes.DisputeEvent", "disputes.AccessLogEntry")
#: Apps whose every table is append-only: the history of memberships, organisations and seats (docs/audit.md).
APPEND_ONLY_APPS = ("history",)


def append_only_tables() -> list[str]:
    models = [apps.get_model(label) for label in APPEND_ONLY_MODELS]
    for label in APPEND_ONLY_APPS:
        if apps.is_installed(f"disputes.{label}"):
            models.extend(apps.get_app_config(label).get_models())
    return sorted(m._meta.db_table for m in models)


def owner_credentials() -> dict | None:
    """The owner's ``USER`` and ``PASSWORD`` from ``DATABASE_MIGRATE_URL``, or None when it is not set.

    Only the credentials are taken (settings checked that the URL names the same database), so a
    test run, which renames the database to ``test_...``, migrates its own database and no other.
    """
    if not settings.DATABASE_MIGRATE_URL:
        return None
    owner = dj_database_url.parse(settings.DATABASE_MIGRATE_URL)
    return {"USER": owner.get("USER", ""), "PASSWORD": owner.get("PASSWORD", "")}


@contextmanager
def connected_as(credentials: dict | None, using: str = "default"):
    """Reconnect ``using`` with other credentials for the duration of the block (None: leave it as it is)."""
    if not credentials:
        yield
        return
    connection = connections[using]
    saved = {key: connection.settings_dict.get(key, "") for key in credentials}
    connection.close()
    connection.settings_dict.update(credentials)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def grant_runtime_role(role: str, *, using: str = "default") -> list[str]:
    """Give ``role`` exactly what the application needs; run as the owner, again after every migration.

    Returns the statements it ran. Idempotent: grants are set, never accumulated.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    q = connection.ops.quote_name
    who = q(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
        # tables a later migration creates get the same, until this runs again and narrows the append-only ones
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {who}",
        # the application reads which migrations ran; only the owner records them
        f"REVOKE INSERT, UPDATE, DELETE ON TABLE django_migrations FROM {who}",
    ]
    statements += [f"REVOKE UPDATE, DELETE ON TABLE {q(table)} FROM {who}" for table in append_only_tables()]
    # a destroyed case's events lose their details (``DisputeEventQuerySet.erase_details``, docs/archive.md): the
    # payload column alone, and migration 0021's trigger lets through only the erased value
    statements.append(f"GRANT UPDATE (payload) ON TABLE {q('disputes_disputeevent')} TO {who}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
