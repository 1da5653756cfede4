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
    """Bring every process that is not done in step with its case's state; returns how many needed a change.

    That includes a case that ended (withdrawn, settled, closed) while following its event failed: its
    tasks are still open and its process runs, although nothing is expected of anyone. The repair replays
    the event that brought the case to its state, so the tasks end as the follow-up would have ended them
    (completed when that event finishes them, such as the closing for the wait for objections, otherwise
    canceled by it) and an ended case's process is done. Processes already done are not read again.
    A case that cannot be repaired is logged and skipped (raised with ``settings.WORKFLOW_STRICT``).
    """
    from viewflow.workflow.status import PROCESS

    from disputes.models import Dispute
    from disputes.states import TERMINAL_STATES, DisputeState

    from . import sync
    from .flows import expected_nodes, open_node_names
    from .models import DisputeProcess

    done = DisputeProcess.objects.filter(status__in=(PROCESS.DONE, PROCESS.CANCELED)).values("dispute_id")
    repaired = 0
    for dispute in Dispute.objects.exclude(state=DisputeState.DRAFT).exclude(pk__in=done).iterator():
        process = sync.process_of(dispute)
        in_step = process is not None and open_node_names(process) == set(expected_nodes(dispute))
        if in_step and dispute.state not in TERMINAL_STATES:
            continue
        try:
            with transaction.atomic():
                sync.reconcile(dispute, event=_last_transition(dispute))
        except Exception:
            if getattr(settings, "WORKFLOW_STRICT", False):
                raise
            log.exception("workflow: could not resynchronise the process of %s", dispute.case_number)
            continue  # the other cases are still repaired; this one is tried again next run
        repaired += 1
        log.warning("workflow: resynchronised the process of %s", dispute.case_number)
    return repaired


def _last_transition(dispute):
    """The audit event that brought the case to its present state (None if there is none)."""
    return (
        dispute.events.filter(to_state=dispute.state).exclude(from_state=dispute.state)
        .select_related("actor").order_by("-at", "-pk").first()
    )


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
            .objects.filter(is_active=True, memberships__organisation_id__in=dispute.organisation_ids(),
                            memberships__ended_at__isnull=True)
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
