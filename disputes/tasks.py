"""Side effects of the domain that leave the process: e-mail to the parties.

Services schedule these with ``transaction.on_commit``. Every mail is recorded as a
``Notification`` first (unique per event and recipient), so running a task twice sends nothing twice.
"""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from . import clock
from .models import DisputeEvent, Notification
from .states import TRANSITIONS

#: Event kinds the parties hear about by e-mail.
NOTIFY_KINDS = set(TRANSITIONS) | {"responded"}


def recipients_for(event: DisputeEvent) -> list[str]:
    """Members of every party organisation of the case (never staff-only events)."""
    if event.visibility != "parties" or event.kind not in NOTIFY_KINDS:
        return []
    org_ids = event.dispute.organisation_ids()
    users = get_user_model().objects.filter(memberships__organisation_id__in=org_ids, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


@shared_task(acks_late=True, ignore_result=True)
def notify_event(*, event_id: int) -> int:
    """E-mail the parties about one event. Returns the number of messages sent by this run."""
    event = DisputeEvent.objects.select_related("dispute").filter(pk=event_id).first()
    if event is None:
        return 0
    context = {"event": event, "dispute": event.dispute, "transition": TRANSITIONS.get(event.kind)}
    subject = " ".join(render_to_string("emails/event_subject.txt", context).split())
    body = render_to_string("emails/event_body.txt", context)
    sent = 0
    for address in recipients_for(event):
        try:
            with transaction.atomic():
                Notification.objects.create(
                    event=event, recipient=address, subject=subject[:300], body=body, sent_at=clock.now()
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except IntegrityError:
            continue  # already sent by an earlier run
        sent += 1
    return sent
