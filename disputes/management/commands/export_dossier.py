"""python manage.py export_dossier GPA-2017-0001 --out DIR [--party-version]

Writes exactly one PDF and one ZIP of the case into DIR (see docs/dossier.md). Meant for the
secretariat and for archiving: it reads the case directly and records nothing on it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disputes.dossier import DossierIntegrityError, export_dossier
from disputes.models import Dispute


class Command(BaseCommand):
    help = "Exporteer het dossier van een geschil (PDF en ZIP met manifest)."

    def add_arguments(self, parser):
        parser.add_argument("case_number", help="zaaknummer, bijvoorbeeld GPA-2017-0001")
        parser.add_argument("--out", required=True, help="map waarin de PDF en de ZIP komen")
        parser.add_argument("--party-version", action="store_true",
                            help="partijversie: zonder stukken en gebeurtenissen voor commissie of ministerie")

    def handle(self, *args, case_number, out, party_version, **options):
        dispute = Dispute.objects.filter(case_number=case_number.strip()).first()
        if dispute is None:
            raise CommandError(f"Geen geschil met zaaknummer {case_number!r} gevonden.")
        audience = "party" if party_version else "full"

        def progress(percent):
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"{percent}%")

        try:
            result = export_dossier(dispute, Path(out), audience=audience, progress=progress)
        except DossierIntegrityError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"PDF: {result['pdf']} ({result['pages']} pagina's)")
        self.stdout.write(f"ZIP: {result['zip']}")
