"""``manage.py migrate`` as the owner of the tables, when ``DATABASE_MIGRATE_URL`` is set (docs/deployment.md).

Django's own command, run with the owner's credentials; afterwards the role of ``DATABASE_URL`` (the
application, which owns nothing) is granted what it needs on the tables the migrations made
(``disputes.dbroles.grant_runtime_role``). Without ``DATABASE_MIGRATE_URL`` it is Django's command.
"""

from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import connections

from disputes import dbroles


class Command(migrate.Command):
    def handle(self, *args, **options):
        owner = dbroles.owner_credentials()
        database = options["database"]
        runtime_role = connections[database].settings_dict["USER"]
        if owner and owner["USER"] == runtime_role:
            raise CommandError("DATABASE_MIGRATE_URL and DATABASE_URL name the same role: the application "
                               "must connect as a role that owns nothing (docs/deployment.md).")
        with dbroles.connected_as(owner, database):
            super().handle(*args, **options)
            if owner:
                dbroles.grant_runtime_role(runtime_role, using=database)
                if options["verbosity"] >= 1:
                    self.stdout.write(f"  {runtime_role}: privileges of the application granted.")
