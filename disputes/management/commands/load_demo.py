"""Load the demo cases: every scenarios/*.yaml, in sorted order, once.

    python manage.py load_demo [--password PW]

Does nothing when any dispute exists already, so ``make run`` can call it every time.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from disputes.models import Dispute, StaffRole
from disputes.scenarios import ScenarioError, load_file, run_scenario

DEFAULT_PASSWORD = "demo-geschil-2026"


class Command(BaseCommand):
    help = "Laad de demogegevens (alle scenario's in scenarios/), alleen als er nog geen geschillen zijn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"wachtwoord van de demogebruikers (standaard {DEFAULT_PASSWORD})",
        )
        parser.add_argument(
            "--scenarios",
            default=str(Path(settings.BASE_DIR) / "scenarios"),
            help="map met de scenario's (YAML)",
        )

    def handle(self, *args, **options):
        if Dispute.objects.exists():
            self.stdout.write("De demogegevens zijn er al (er bestaan al geschillen); er is niets geladen.")
            return
        paths = sorted(Path(options["scenarios"]).glob("*.yaml"))
        if not paths:
            raise CommandError(f"Geen scenario's gevonden in {options['scenarios']}.")
        password = options["password"]
        logins: dict[str, str] = {}
        lines = []
        # All or nothing: a scenario that fails leaves no half-loaded demo behind.
        with transaction.atomic():
            for path in paths:
                try:
                    data = load_file(path)
                    summary = run_scenario(data, password=password)
                except ScenarioError as exc:
                    raise CommandError(f"{path.name}: {exc}") from exc
                lines.append(f"{path.name}: {summary['case'] or 'concept'} - {summary['state']}")
                logins.update(_logins(data))
        self.stdout.write("Demogegevens geladen:")
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        self.stdout.write("Demo-accounts:")
        width = max(len(name) for name in logins)
        for username, role in sorted(logins.items(), key=lambda item: (not item[1].startswith("*"), item[0])):
            self.stdout.write(f"  {username.ljust(width)}  {role.lstrip('*')}")
        self.stdout.write(f"Wachtwoord voor alle demo-accounts: {password}")


def _logins(data: dict) -> dict[str, str]:
    """username -> what the account is (staff roles are marked with '*' so they sort first)."""
    organisations = {str(k): v.get("name", k) for k, v in (data.get("organisations") or {}).items()}
    logins = {}
    for key, spec in (data.get("users") or {}).items():
        spec = spec or {}
        if spec.get("role"):
            role = spec["role"]
            label = str(StaffRole(role).label) if role in StaffRole.values else role
            logins[str(key)] = f"*{label}"
        else:
            logins[str(key)] = (
                f"lid van {organisations.get(str(spec.get('organisation')), spec.get('organisation'))}"
            )
    return logins
