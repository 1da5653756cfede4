"""The owner migrates, the application's role owns nothing (docs/deployment.md "Database", ADR 0012).

What the role may do is proven on PostgreSQL in test_postgres.py; these are the configuration's guards.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def _settings_with(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.DATABASE_MIGRATE_URL)"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True, text=True, timeout=60,
    )


def test_the_migration_url_must_name_the_same_database_as_the_applications():
    same = _settings_with(DATABASE_URL="postgres://gpa_app@db:5432/gpa",
                          DATABASE_MIGRATE_URL="postgres://gpa_owner:geheim@db:5432/gpa")
    assert same.returncode == 0, same.stderr
    other = _settings_with(DATABASE_URL="postgres://gpa_app@db:5432/gpa",
                           DATABASE_MIGRATE_URL="postgres://gpa_owner@db:5432/andere")
    assert other.returncode != 0 and "DATABASE_MIGRATE_URL must name the same database" in other.stderr


@pytest.mark.django_db
def test_migrate_refuses_one_role_for_both(settings, monkeypatch):
    from django.db import connection

    settings.DATABASE_MIGRATE_URL = f"postgres://{connection.settings_dict['USER'] or ''}@db:5432/x"
    monkeypatch.setitem(connection.settings_dict, "USER", connection.settings_dict["USER"] or "")
    with pytest.raises(CommandError, match="same role"):
        call_command("migrate", "--check", verbosity=0)


@pytest.mark.sqlite  # on PostgreSQL the whole suite exercises the grants; in CI its skip there is allowed
@pytest.mark.django_db
def test_granting_a_role_needs_postgresql():
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the grants are exercised by the whole suite (tests/conftest.py)")
    with pytest.raises(CommandError, match="only on PostgreSQL"):
        call_command("grant_runtime_role", "gpa_app")
