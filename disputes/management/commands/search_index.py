"""Build staff search's index (disputes/search.py, docs/search.md).

    python manage.py search_index [--all] [--batch 1000]

Writes the search entry of every case that has none (``--all``: of every case) and reads the text of the
documents not read yet. The worker keeps the index current after each event; this command fills it after an
upgrade (cases from before search existed) or after ``seed_bulk``. Safe to run at any time and more than once.
"""

import time

from django.core.management.base import BaseCommand

from disputes import search


class Command(BaseCommand):
    help = "Bouwt de zoekindex: zaken zonder zoekgegevens en documenten waarvan de tekst nog niet is gelezen."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="alle zaken opnieuw, niet alleen die zonder")
        parser.add_argument("--batch", type=int, default=1000, help="zaken per keer")

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done):
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {done} zaken ({time.monotonic() - started:.1f} s)")

        cases, documents = search.index_missing(batch=max(1, options["batch"]), everything=options["all"],
                                                progress=progress)
        self.stdout.write(f"Zoekindex: {cases} zaken en {documents} documenten in {time.monotonic() - started:.1f} s.")
