"""Staff roles as groups, and the append-only audit trail enforced by PostgreSQL itself.

The trigger refuses UPDATE and DELETE row by row. TRUNCATE is left to privileges (the application's
database role in production has no TRUNCATE on this table, see docs/deployment.md); the test
runner needs it to empty the database between tests.
"""

from django.db import migrations

ROLES = ["secretary", "commission_member", "commission_chair", "minister_official"]

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION disputes_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'disputes_disputeevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER disputes_event_append_only
    BEFORE UPDATE OR DELETE ON disputes_disputeevent
    FOR EACH ROW EXECUTE FUNCTION disputes_event_append_only();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS disputes_event_append_only ON disputes_disputeevent;
DROP FUNCTION IF EXISTS disputes_event_append_only();
"""


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def install_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("disputes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(install_trigger, remove_trigger),
    ]
