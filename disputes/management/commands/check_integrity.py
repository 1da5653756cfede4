"""python manage.py check_integrity [--since YYYY-MM-DD] [--no-mail]

The daily integrity check (disputes/integrity.py) run synchronously, for an operator or cron: every
stored file is hashed again and compared with the SHA-256 taken on receipt. A missing or changed
file is recorded on its case (``integrity_failure``) and, unless ``--no-mail``, the secretariat is
e-mailed, as the periodic task does. Prints a summary; the exit code is 1 when anything is wrong.
"""

from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError

from disputes import clock
from disputes.services.integrity import MISSING, run_check


class Command(BaseCommand):
    help = "Controleer de SHA-256 van alle opgeslagen documenten (exitcode 1 bij een probleem)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="alleen documenten geüpload op of na deze datum (JJJJ-MM-DD)")
        parser.add_argument("--no-mail", action="store_true", help="het secretariaat niet e-mailen")

    def handle(self, *args, since=None, no_mail=False, **options):
        start = None
        if since:
            try:
                start = datetime.combine(date.fromisoformat(since), time.min, tzinfo=clock.AMSTERDAM)
            except ValueError as exc:
                raise CommandError(f"Ongeldige datum {since!r}; gebruik JJJJ-MM-DD.") from exc
        report = run_check(since=start, mail=not no_mail)
        for problem in report.problems:
            reason = "ontbreekt of onleesbaar" if problem.reason == MISSING else "gewijzigd"
            self.stdout.write(f"document {problem.document_id}: {reason}")
        self.stdout.write(report.summary())
        if not report.clean:
            raise SystemExit(1)
