"""Following the domain: every audit event may move the case, so the flow follows it.

``disputes.signals.event_recorded`` is sent inside the service's transaction after each event.
The flow's bookkeeping (viewflow tasks) is updated in that same transaction, so the state and the
to-do list commit together. A hearing invitation is written to the transactional outbox in that
transaction too (ADR 0008): it leaves after the commit, and a broker that is down then only delays it. So is
the cancellation of the calendar entry when a hearing is called off (``cancel_hearing``, tasks.CALENDAR_EVENTS).

The law comes first: if updating the to-do list fails (a bug, not a user error), the legal step
still goes through, the failure is logged, and the periodic task (tasks.resync_processes) brings
the process back in step. With ``settings.WORKFLOW_STRICT = True`` (the tests) the error is raised.
"""

import logging

from django.conf import settings
from django.db import transaction

from disputes import outbox
from disputes.signals import case_destroyed, event_recorded

from . import sync
from .models import HearingInvitation
from .tasks import CALENDAR_EVENTS

log = logging.getLogger(__name__)


def follow_event(sender, *, dispute, event, **kwargs) -> None:
    try:
        with transaction.atomic():
            sync.on_event(dispute, event)
    except Exception:
        if getattr(settings, "WORKFLOW_STRICT", False):
            raise
        log.exception("workflow: could not follow event %s (%s) of %s", event.pk, event.kind, dispute.pk)
    if event.kind in CALENDAR_EVENTS:  # the invitation, its update or its cancellation, with the .ics
        outbox.enqueue("workflow.tasks.send_hearing_invitations", event_id=event.pk)


def forget_destroyed_case(sender, *, dispute, **kwargs) -> None:
    """A destroyed case (docs/archive.md, "Vernietiging"): the workflow's rows about it that hold personal data go
    with it, in the destruction's transaction. Those are the sent hearing invitations (their recipients' e-mail
    addresses); the process and its tasks say only who of the staff did which step when, and stay."""
    HearingInvitation.objects.filter(event__dispute_id=dispute.pk).delete()


def connect() -> None:
    event_recorded.connect(follow_event, dispatch_uid="workflow.follow_event")
    case_destroyed.connect(forget_destroyed_case, dispatch_uid="workflow.forget_destroyed_case")
