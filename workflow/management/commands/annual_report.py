"""``manage.py annual_report YEAR --out DIR``: the commission's year report as PDF and its figures as CSV
(``workflow.annual_report``; docs/workflow.md, "Jaarverslag"), over every submitted case."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflow import annual_report, dashboard


class Command(BaseCommand):
    help = ("Maakt het jaarverslag van YEAR: jaarverslag-YEAR.pdf (cijfers, grafieken, beslissingen) en "
            "jaarverslag-YEAR.csv (de cijfers) in de map --out.")

    def add_arguments(self, parser):
        parser.add_argument("year", help="het jaar, bijvoorbeeld 2017")
        parser.add_argument("--out", required=True, help="de map waarin de bestanden komen (wordt aangemaakt)")

    def handle(self, *args, year, out, **options):
        try:
            year = annual_report.check_year(year)
        except annual_report.BadYear as exc:
            raise CommandError(str(exc)) from exc
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Kan de map {folder} niet aanmaken: {exc.strerror or exc}") from exc
        pdf_path = folder / f"jaarverslag-{year}.pdf"
        csv_path = folder / f"jaarverslag-{year}.csv"
        try:
            # written next to the target and renamed into place: a failed run leaves no half file
            for path, write in ((pdf_path, self._pdf(year)), (csv_path, self._csv(year))):
                partial = path.with_name(path.name + ".part")
                try:
                    write(partial)
                    partial.replace(path)
                finally:
                    partial.unlink(missing_ok=True)
                self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
        except OSError as exc:
            raise CommandError(f"Kan niet schrijven in {folder}: {exc.strerror or exc}") from exc

    @staticmethod
    def _pdf(year):
        def write(path: Path):
            with path.open("wb") as out:
                annual_report.write_pdf(out, dashboard.ALL_CASES, year)
        return write

    @staticmethod
    def _csv(year):
        def write(path: Path):
            path.write_bytes(annual_report.csv_bytes(dashboard.ALL_CASES, year))
        return write
