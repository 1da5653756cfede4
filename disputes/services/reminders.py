"""Reminders about deadlines: to parties before their own deadline, to staff about the decision term.

Each reminder is recorded once per deadline and kind (``DeadlineReminder``) together with an audit
event in one transaction; the e-mail leaves on commit. Running this twice sends nothing twice.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..atw import working_days_between
from ..models import (
    Confidentiality,
    Deadline,
    DeadlineKind,
    DeadlineReminder,
    Dispute,
    PartyRole,
    ReminderKind,
    StaffRole,
)
from ..states import OPEN_STATES
from ._core import lock, on_commit_notify, record, service
from .deadlines import rules_of

#: which parties must act before a deadline of each kind
_PARTY_DEADLINES = (DeadlineKind.REMEDY, DeadlineKind.RESPONSE, DeadlineKind.INFORMATION)
_OPEN_CASE = Q(dispute__state__in=OPEN_STATES)


def _audience(deadline: Deadline) -> list:
    """The organisations that must act before this deadline."""
    dispute = deadline.dispute
    if deadline.kind == DeadlineKind.REMEDY:
        return [p.organisation_id for p in dispute.parties.all() if p.role == PartyRole.APPLICANT]
    if deadline.kind == DeadlineKind.RESPONSE:
        return [
            p.organisation_id for p in dispute.parties.all()
            if p.role == PartyRole.RESPONDENT and p.responded_at is None
        ]
    return [deadline.organisation_id] if deadline.organisation_id else []


def _send(deadline: Deadline, kind: str, *, audience: dict, visibility: str) -> bool:
    """Record the reminder and its event; False when it was sent before."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(deadline=deadline, kind=kind, sent_at=clock.now())
            event = record(
                deadline.dispute, actor=None, kind="reminder", visibility=visibility,
                payload={"reminder": kind, "deadline": deadline.kind, "due": deadline.due.isoformat(),
                         "audience": audience},
            )
    except IntegrityError:
        return False
    on_commit_notify(event)
    return True


def send_reminders() -> dict[str, int]:
    """Send every reminder that is due today and was not sent before."""
    today = clock.today()
    sent = {ReminderKind.PARTY: 0, ReminderKind.STAFF_NEAR: 0, ReminderKind.STAFF_PASSED: 0}
    open_deadlines = Deadline.objects.filter(_OPEN_CASE, closed_at__isnull=True).select_related("dispute")
    for deadline in open_deadlines.filter(kind__in=_PARTY_DEADLINES, due__gte=today).prefetch_related(
        "dispute__parties"
    ):
        if working_days_between(today, deadline.due) > rules_of(deadline.dispute).party_reminder_working_days:
            continue
        organisations = [str(pk) for pk in _audience(deadline)]
        if organisations and _send(deadline, ReminderKind.PARTY, audience={"organisations": organisations},
                                   visibility=Confidentiality.PARTIES):
            sent[ReminderKind.PARTY] += 1
    staff = {"roles": [StaffRole.SECRETARY.value, StaffRole.MINISTER_OFFICIAL.value]}
    for deadline in open_deadlines.filter(kind=DeadlineKind.DECISION):
        if today > deadline.due:
            kind = ReminderKind.STAFF_PASSED
        elif working_days_between(today, deadline.due) <= rules_of(deadline.dispute).staff_warning_working_days:
            kind = ReminderKind.STAFF_NEAR
        else:
            continue
        if _send(deadline, kind, audience=staff, visibility=Confidentiality.INTERNAL):
            sent[kind] += 1
    return {str(k): v for k, v in sent.items()}


def reminder_deadlines(dispute: Dispute) -> list[Deadline]:
    """The open deadlines of a case a party must still act before, not yet passed: what a reminder
    by hand can be about."""
    today = clock.today()
    deadlines = list(dispute.deadlines.filter(kind__in=_PARTY_DEADLINES, closed_at__isnull=True, due__gte=today)
                     .select_related("organisation").order_by("due", "pk"))
    prefetch_related_objects([dispute], "parties")  # _audience reads them for every deadline
    return [d for d in deadlines if _audience(d)]


@service
def dispute_send_reminder(*, dispute: Dispute, actor, deadline_id: int, expected_version=None) -> Dispute:
    """The secretary reminds the parties that must act before a deadline, by hand, on top of the
    automatic reminder. At most one by hand per deadline per day (a double click sends one)."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_assess(actor, dispute), _("Herinneringen stuurt het secretariaat."))
    deadline = next((d for d in reminder_deadlines(dispute) if d.pk == deadline_id), None)
    if deadline is None:
        raise ValidationError({"deadline": _("Voor deze termijn kan geen herinnering meer worden gestuurd.")})
    today = clock.today()
    earlier = dispute.events.filter(kind="reminder", payload__manual=True, payload__deadline_id=deadline.pk)
    if any(clock.localdate(e.at) == today for e in earlier):
        raise ValidationError({"deadline": _("Over deze termijn is vandaag al een herinnering gestuurd.")})
    organisations = [str(pk) for pk in _audience(deadline)]
    event = record(
        dispute, actor=actor, kind="reminder", visibility=Confidentiality.PARTIES,
        payload={"reminder": ReminderKind.PARTY, "deadline": deadline.kind, "deadline_id": deadline.pk,
                 "due": deadline.due.isoformat(), "audience": {"organisations": organisations}, "manual": True},
    )
    on_commit_notify(event)
    return dispute
