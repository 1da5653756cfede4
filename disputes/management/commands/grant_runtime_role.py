"""``manage.py grant_runtime_role <role>``: what the application's database role may do (docs/deployment.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from disputes import dbroles


class Command(BaseCommand):
    help = ("Grant the application's PostgreSQL role read and write on every table, only SELECT and INSERT on "
            "the append-only ones, and nothing it could alter or truncate. Runs as the owner "
            "(DATABASE_MIGRATE_URL when set); `migrate` does this itself for the role of DATABASE_URL.")

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the application connects as (the user of DATABASE_URL)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role: str, database: str, **options):
        if connections[database].vendor != "postgresql":
            raise CommandError("Database roles exist only on PostgreSQL; SQLite has one user (docs/deployment.md).")
        with dbroles.connected_as(dbroles.owner_credentials(), database):
            owner = connections[database].settings_dict["USER"]
            if owner == role:
                raise CommandError(f"{role} owns the tables: the application must connect as another role.")
            statements = dbroles.grant_runtime_role(role, using=database)
        if options["verbosity"] > 1:
            self.stdout.write("\n".join(statements))
        self.stdout.write(f"{role}: privileges of the application granted.")
