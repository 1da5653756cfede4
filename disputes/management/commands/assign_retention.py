"""python manage.py assign_retention

Gives every ended case that has no retention rule yet its rule from the selectielijst table (for cases that ended
before the archive existed; a case that ends now gets its rule at once: disputes/services/retention.py). A case
that has one keeps it. Prints the counts.
"""

from django.core.management.base import BaseCommand

from disputes.services.retention import assign_missing


class Command(BaseCommand):
    help = "Geef elke afgeronde zaak zonder bewaartermijn haar regel uit de selectielijst."

    def handle(self, *args, **options):
        counts = assign_missing()
        self.stdout.write(f"Bewaartermijn vastgesteld: {counts['assigned']} zaak/zaken.")
        if counts["without_rule"]:
            self.stdout.write(f"Zonder regel in de selectielijst (niet vastgesteld): {counts['without_rule']} "
                              "zaak/zaken; vul de tabel aan in het beheer en draai het commando opnieuw.")
