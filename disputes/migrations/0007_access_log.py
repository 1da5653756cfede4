"""The security access log (``AccessLogEntry``), append-only like the audit trail.

As in 0002, PostgreSQL itself refuses UPDATE and DELETE row by row; TRUNCATE is left to privileges
(the test runner needs it to empty the database between tests). On SQLite only the ORM guard holds.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION disputes_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'disputes_accesslogentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER disputes_access_log_append_only
    BEFORE UPDATE OR DELETE ON disputes_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION disputes_access_log_append_only();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS disputes_access_log_append_only ON disputes_accesslogentry;
DROP FUNCTION IF EXISTS disputes_access_log_append_only();
"""


def install_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('disputes', '0006_outbox'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessLogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, verbose_name='tijdstip (UTC)')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='ingevoerde gebruikersnaam')),
                ('action', models.CharField(choices=[('login', 'Ingelogd'), ('login_failed', 'Inloggen mislukt'), ('login_locked', 'Inloggen geblokkeerd (te veel pogingen)'), ('logout', 'Uitgelogd'), ('second_factor_failed', 'Tweede stap mislukt'), ('access_denied', 'Toegang geweigerd'), ('not_found', 'Niet gevonden'), ('rate_limited', 'Te veel verzoeken'), ('confidential_download', 'Vertrouwelijk document gedownload')], db_index=True, max_length=32, verbose_name='handeling')),
                ('result', models.CharField(choices=[('allowed', 'Toegestaan'), ('denied', 'Geweigerd')], max_length=16, verbose_name='resultaat')),
                ('object', models.CharField(blank=True, max_length=300, verbose_name='object')),
                ('status_code', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='HTTP-status')),
                ('origin', models.CharField(blank=True, max_length=45, verbose_name='herkomst (IP-adres)')),
                ('user_agent', models.CharField(blank=True, max_length=300, verbose_name='browser')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker')),
            ],
            options={
                'verbose_name': 'toegangslogregel',
                'verbose_name_plural': 'toegangslogboek',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.RunPython(install_trigger, remove_trigger),
    ]
