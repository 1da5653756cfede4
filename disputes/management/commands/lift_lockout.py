"""python manage.py lift_lockout [--user NAME] [--ip ADDRESS]

Lifts a lock-out of the log-in brake (disputes/auth.py) at once, for a user name (as typed: it is
normalised as at log-in) and/or a client address. The secretariat does the same on the staff page
*Inlogbeveiliging* (/werk/inlogbeveiliging/). Each lifted lock-out is recorded in the access log
(``lockout_cleared``, user name ``manage.py``).
"""

from django.core.management.base import BaseCommand, CommandError

from disputes.auth import is_address_locked, is_name_locked, lift_lockout


class Command(BaseCommand):
    help = "Hef een blokkade van het inloggen op, voor een gebruikersnaam en/of een IP-adres."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="", help="de gebruikersnaam waarvoor het inloggen geblokkeerd is")
        parser.add_argument("--ip", default="", help="het IP-adres waarvoor het inloggen geblokkeerd is")

    def handle(self, *args, user="", ip="", **options):
        if not user.strip() and not ip.strip():
            raise CommandError("Geef --user en/of --ip.")
        was = {"user": bool(user.strip()) and is_name_locked(user), "ip": bool(ip.strip()) and is_address_locked(ip)}
        for what in lift_lockout(username=user, address=ip):
            kind = what.split(":", 1)[0]
            state = "was geblokkeerd" if was[kind] else "was niet geblokkeerd"
            self.stdout.write(f"{what}: {state}; mislukte pogingen vergeten.")
