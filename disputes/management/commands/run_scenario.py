"""Play a case scenario (shared/docs/scenarios.md) through the real services.

python manage.py run_scenario scenarios/leiderdorp-2017.yaml [--json] [--export-dir DIR]
"""

import contextlib
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from disputes.scenarios import ScenarioError, format_summary, load_file, run_scenario


class Command(BaseCommand):
    help = "Speel een scenario (YAML) af via de services en toon de samenvatting."

    def add_arguments(self, parser):
        parser.add_argument("path", help="het scenariobestand (YAML)")
        parser.add_argument(
            "--json", action="store_true", help="de samenvatting als één JSON-object op stdout"
        )
        parser.add_argument("--export-dir", help="map voor het dossier van de stap export_dossier")
        parser.add_argument(
            "--password", help="wachtwoord voor de gebruikers die het scenario aanmaakt (anders onbruikbaar)"
        )

    def handle(self, *args, **options):
        as_json = options["json"]
        verbosity = options["verbosity"]

        def log(message: str) -> None:
            if verbosity >= 1:
                # with --json stdout carries the summary only; progress goes to stderr
                (self.stderr if as_json else self.stdout).write(message)

        try:
            data = load_file(options["path"])
            # Anything else that writes to stdout during the run (e.g. the console e-mail backend)
            # must not corrupt the JSON.
            redirect = contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext()
            with redirect:
                summary = run_scenario(
                    data, password=options.get("password"), export_dir=options.get("export_dir"), log=log
                )
        except ScenarioError as exc:
            raise CommandError(f"{options['path']}: {exc}") from exc
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(format_summary(summary, str(data.get("name") or options["path"])))
