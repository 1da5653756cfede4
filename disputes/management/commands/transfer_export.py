"""python manage.py transfer_export <zaaknummer> <uitvoer.zip> --user <gebruikersnaam>

The transfer package of a case to be kept (docs/archive.md, "Overbrenging (MDTO)"): the ZIP with the files, their
MDTO metadata and the SHA-256 manifest, made by the record manager named with ``--user`` (the service checks the
role and records the transfer on the case).
"""

import shutil

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from disputes.errors import NotPermitted
from disputes.models import Dispute
from disputes.services.retention import transfer_export


class Command(BaseCommand):
    help = "Maak het overbrengingspakket (ZIP met MDTO) van een blijvend te bewaren zaak."

    def add_arguments(self, parser):
        parser.add_argument("case_number", help="zaaknummer")
        parser.add_argument("output", help="pad van het ZIP-bestand")
        parser.add_argument("--user", required=True, help="gebruikersnaam van de recordmanager")

    def handle(self, *args, case_number, output, user, **options):
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Gebruiker {user!r} bestaat niet.") from exc
        try:
            dispute = Dispute.objects.get(case_number=case_number)
        except Dispute.DoesNotExist as exc:
            raise CommandError(f"Zaak {case_number!r} bestaat niet.") from exc
        try:
            path = transfer_export(actor=actor, dispute=dispute)
        except NotPermitted as exc:
            raise CommandError(f"{user} is geen recordmanager: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            shutil.move(path, output)
        finally:
            path.unlink(missing_ok=True)
        self.stdout.write(f"Overbrengingspakket van {case_number} geschreven naar {output}.")
