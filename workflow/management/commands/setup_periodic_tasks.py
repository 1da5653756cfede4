"""Register the periodic tasks with django-celery-beat (idempotent; run on every deploy)."""

from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

#: The clock of the daily runs: the ministry's working day, summer and winter time included.
TIMEZONE = "Europe/Amsterdam"

PERIODIC_TASKS = {
    # name: (task, every N minutes | "minute hour" once a day, Amsterdam time)
    "Termijnen bewaken": ("workflow.tasks.enforce_deadlines", 5),
    "Uitgaande berichten doorsturen": ("disputes.tasks.relay_outbox", 1),
    # change notifications (webhooks) whose next attempt is due: the back-off's shortest wait is a minute
    "Wijzigingsberichten opnieuw versturen": ("disputes.tasks.retry_webhooks", 1),
    # the API writes' Idempotency-Keys are kept 24 hours (docs/api.md "Schrijven")
    "Idempotency-Keys opruimen": ("disputes.tasks.prune_idempotency_keys", 60),
    # at night, when reading every stored file does not compete with the users
    "Integriteit documenten controleren": ("disputes.tasks.check_integrity", "30 2"),
}


class Command(BaseCommand):
    help = "Registreert de periodieke taken (termijnbewaking, integriteitscontrole) in django-celery-beat."

    def handle(self, *args, **options):
        for name, (task, when) in PERIODIC_TASKS.items():
            if isinstance(when, int):
                interval, _ = IntervalSchedule.objects.get_or_create(every=when, period=IntervalSchedule.MINUTES)
                schedule, described = {"interval": interval, "crontab": None}, f"elke {when} min"
            else:
                minute, hour = when.split()
                crontab, _ = CrontabSchedule.objects.get_or_create(
                    minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone=TIMEZONE
                )
                schedule, described = {"crontab": crontab, "interval": None}, f"dagelijks om {hour}:{minute:0>2}"
            _, created = PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "enabled": True, **schedule}
            )
            self.stdout.write(f"{'aangemaakt' if created else 'bijgewerkt'}: {name} ({task}, {described})")
