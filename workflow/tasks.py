"""Periodic orchestration, run by Celery beat every few minutes (workflow/management/commands/
setup_periodic_tasks.py registers it), and the hearing invitations, which the event receiver puts in
the transactional outbox (receivers.py, ADR 0008)."""

import logging
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from disputes import clock
from disputes.services import enforce_deadlines as _enforce
from disputes.services import send_reminders as _remind
from disputes.services.proceedings import HEARING_EVENTS

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def enforce_deadlines() -> dict[str, int]:
    """Apply passed terms (remedy lapses, response rounds close, decided cases close) and send the
    reminders that are due. Idempotent: a second run in the same minute changes and sends nothing.

    The flow follows each transition through the event receiver; ``resync_processes`` repairs any
    case whose to-do list fell out of step (it reports how many it had to touch, normally 0).
    """
    return {**_enforce(), **_remind(), "resync_processes": resync_processes()}


def resync_processes() -> int:
    """Reconcile every open case's process with its state; returns how many needed a change."""
    from disputes.models import Dispute

    from . import sync
    from .flows import expected_nodes, open_node_names

    repaired = 0
    for dispute in Dispute.objects.exclude(state__in=["draft", "closed", "withdrawn", "settled"]).iterator():
        process = sync.process_of(dispute)
        if process is not None and open_node_names(process) == set(expected_nodes(dispute)):
            continue
        with transaction.atomic():
            sync.reconcile(dispute)
        repaired += 1
        log.warning("workflow: resynchronised the process of %s", dispute.case_number)
    return repaired


@shared_task(acks_late=True, ignore_result=True)
def send_hearing_invitations(*, event_id: int) -> int:
    """E-mail every party member the hearing invitation with an .ics; each address at most once."""
    from disputes.models import DisputeEvent

    from .ical import hearing_calendar
    from .models import HearingInvitation

    event = DisputeEvent.objects.select_related("dispute").filter(
        pk=event_id, kind__in=HEARING_EVENTS).first()
    if event is None:
        return 0
    dispute = event.dispute
    start = datetime.fromisoformat(event.payload["hearing_at"])
    place = event.payload.get("place", "")
    changed = event.kind == "hearing_rescheduled"
    previous = datetime.fromisoformat(event.payload["previous_at"]) if changed and event.payload.get("previous_at") \
        else None
    context = {"dispute": dispute, "start": start.astimezone(clock.AMSTERDAM), "place": place, "changed": changed,
               "previous": previous.astimezone(clock.AMSTERDAM) if previous else None,
               "reason": event.payload.get("reason", "")}
    subject = " ".join(render_to_string("workflow/emails/hearing_subject.txt", context).split())
    body = render_to_string("workflow/emails/hearing_body.txt", context)
    calendar = hearing_calendar(
        # a rescheduled hearing updates the calendar entry of the first invitation: same UID, next SEQUENCE
        uid=f"hoorzitting-{dispute.pk}-{event.payload.get('calendar_event', event.pk)}@geschilbeslechting",
        start=start,
        stamp=event.at,
        summary=subject,
        place=place,
        description=body,
        sequence=event.payload.get("sequence", 0),
    )
    addresses = sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, memberships__organisation_id__in=dispute.organisation_ids())
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    sent = 0
    for address in addresses:
        try:
            with transaction.atomic():
                HearingInvitation.objects.create(event=event, recipient=address, sent_at=clock.now())
                message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
                message.attach("hoorzitting.ics", calendar, "text/calendar; charset=utf-8")
                message.send()
        except IntegrityError:
            continue  # sent by an earlier run
        sent += 1
    return sent
