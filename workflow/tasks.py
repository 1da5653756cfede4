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
from django.db.models import Q
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


#: The events that send a hearing's calendar entry: the invitation, its update, and its cancellation.
CALENDAR_EVENTS = (*HEARING_EVENTS, "cancel_hearing")


@shared_task(acks_late=True, ignore_result=True)
def send_hearing_invitations(*, event_id: int) -> int:
    """E-mail the hearing invitation with its .ics (RFC 5545/5546) to the parties (their members and approved
    representatives) and to the commission members seated on the case; each address at most once per event.

    A moved hearing (``hearing_rescheduled``) updates the first invitation's calendar entry: same UID, next
    SEQUENCE. A called-off hearing (``cancel_hearing``) cancels it (METHOD:CANCEL, same UID, next SEQUENCE), to
    the same people and to everyone who had an invitation for that entry."""
    from disputes.models import DisputeEvent

    from .ical import CANCEL, REQUEST, hearing_calendar
    from .models import HearingInvitation

    event = DisputeEvent.objects.select_related("dispute").filter(pk=event_id, kind__in=CALENDAR_EVENTS).first()
    if event is None:
        return 0
    dispute = event.dispute
    cancelled = event.kind == "cancel_hearing"
    hearing = _hearing_before(event) if cancelled else event  # the hearing as it stood: moment, place, entry
    if hearing is None:
        return 0
    entry = hearing.payload.get("calendar_event", hearing.pk)
    sequence = hearing.payload.get("sequence", 0) + (1 if cancelled else 0)
    start = datetime.fromisoformat(hearing.payload["hearing_at"])
    place = hearing.payload.get("place", "")
    changed = event.kind == "hearing_rescheduled"
    previous = datetime.fromisoformat(event.payload["previous_at"]) if changed and event.payload.get("previous_at") \
        else None
    context = {"dispute": dispute, "start": start.astimezone(clock.AMSTERDAM), "place": place, "changed": changed,
               "cancelled": cancelled, "previous": previous.astimezone(clock.AMSTERDAM) if previous else None,
               "reason": event.payload.get("reason", ""), "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string("workflow/emails/hearing_subject.txt", context).split())
    bodies = {staff: render_to_string("workflow/emails/hearing_body.txt", {**context, "staff": staff})
              for staff in (False, True)}
    commission = _seated_commission(dispute)
    addresses = _party_addresses(dispute) | commission
    if cancelled:  # everyone who has the entry in their calendar hears that it is off
        addresses |= set(HearingInvitation.objects.filter(
            event__dispute=dispute, event__kind__in=HEARING_EVENTS, event__at__lte=event.at,
        ).filter(Q(event_id=entry) | Q(event__payload__calendar_event=entry)).values_list("recipient", flat=True))
    sent = 0
    for address in sorted(addresses):
        staff = address in commission
        calendar = hearing_calendar(
            # a rescheduled or called-off hearing changes the calendar entry of the first invitation: same UID
            uid=f"hoorzitting-{dispute.pk}-{entry}@geschilbeslechting",
            start=start,
            stamp=event.at,
            summary=subject,
            place=place,
            description=bodies[staff],
            sequence=sequence,
            method=CANCEL if cancelled else REQUEST,
            attendees=[address],
        )
        try:
            with transaction.atomic():
                HearingInvitation.objects.create(event=event, recipient=address, sent_at=clock.now())
                message = EmailMessage(subject, bodies[staff], settings.DEFAULT_FROM_EMAIL, [address])
                # "text/calendar; method=..." without a charset: Django adds the one charset (utf-8) itself
                message.attach("hoorzitting.ics", calendar, f"text/calendar; method={CANCEL if cancelled else REQUEST}")
                message.send()
        except IntegrityError:
            continue  # sent by an earlier run
        sent += 1
    return sent


def _hearing_before(event):
    """The hearing event (planned or moved) that was current when ``event`` was recorded, or None."""
    return (
        event.dispute.events.filter(kind__in=HEARING_EVENTS)
        .filter(Q(at__lt=event.at) | Q(at=event.at, pk__lt=event.pk))
        .order_by("-at", "-pk").first()
    )


def _party_addresses(dispute) -> set[str]:
    """The members and approved representatives of every party (disputes.selectors.acting_for)."""
    from disputes.selectors import acting_for

    return set(
        get_user_model().objects.filter(is_active=True).filter(acting_for(dispute, dispute.organisation_ids()))
        .exclude(email="").values_list("email", flat=True)
    )


def _seated_commission(dispute) -> set[str]:
    """The active users seated on the case's commission (a joined case's commission sits in its lead case, as in
    disputes.permissions._chairs_the_case); a member who declared a conflict of interest (recusal) gets nothing."""
    lead = dispute.joined_to if dispute.joined_to_id else dispute
    recused = Q(recusals__dispute_id__in={dispute.pk, lead.pk})
    return set(
        get_user_model().objects.filter(is_active=True, commission_seats__dispute=lead,
                                         commission_seats__ended_at__isnull=True)
        .exclude(recused).exclude(email="").values_list("email", flat=True)
    )
