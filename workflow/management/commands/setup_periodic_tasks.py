"""Register the periodic tasks with django-celery-beat (idempotent; run on every deploy)."""

from django.core.management.base import BaseCommand
from django_celery_beat.models import IntervalSchedule, PeriodicTask

PERIODIC_TASKS = {
    # name: (task, every N minutes)
    "Termijnen bewaken": ("workflow.tasks.enforce_deadlines", 5),
    "Uitgaande berichten doorsturen": ("disputes.tasks.relay_outbox", 1),
    "Integriteit documenten controleren": ("disputes.tasks.check_integrity", 24 * 60),
}


class Command(BaseCommand):
    help = "Registreert de periodieke taken (termijnbewaking, integriteitscontrole) in django-celery-beat."

    def handle(self, *args, **options):
        for name, (task, minutes) in PERIODIC_TASKS.items():
            schedule, _ = IntervalSchedule.objects.get_or_create(every=minutes, period=IntervalSchedule.MINUTES)
            _, created = PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "interval": schedule, "enabled": True}
            )
            self.stdout.write(f"{'aangemaakt' if created else 'bijgewerkt'}: {name} ({task}, elke {minutes} min)")
