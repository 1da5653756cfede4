"""python manage.py enrolment_link USERNAME [--send]

A set-up link for a staff member's authenticator app (disputes/enrolment.py), for when nobody can
send one from the staff page yet: the first administrator or secretary of a new installation, or a
secretariat that has locked itself out. Prints the link (or, with ``--send``, e-mails it as the
staff page does). Any earlier link of that staff member stops working. Recorded in the access log
(``enrolment_link_sent``, user name ``manage.py``).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from disputes import enrolment


class Command(BaseCommand):
    help = "Maak een instellink voor de authenticator-app van een medewerker (eenmalig, met vervaldatum)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="gebruikersnaam van de medewerker")
        parser.add_argument("--send", action="store_true", help="de link per e-mail versturen in plaats van tonen")

    def handle(self, *args, username, send=False, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Geen actieve gebruiker {username!r}.")
        try:
            with transaction.atomic():
                device = enrolment.enrolment_start(user=user, send=send)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        hours = enrolment.link_seconds() // 3600
        if send:
            self.stdout.write(f"Instellink verstuurd naar {user.email} (geldig {hours} uur, werkt één keer).")
        else:
            self.stdout.write(f"Instellink voor {username} (geldig {hours} uur, werkt één keer; eerst inloggen):")
            self.stdout.write(enrolment.enrolment_url(device))
