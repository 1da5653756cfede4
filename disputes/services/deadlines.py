"""Deadlines on a case: computed once by disputes.atw (the Atw calendar), stored with their explanation."""

from datetime import date

from django.utils.translation import gettext as _

from .. import clock
from ..atw import Term, compute_term, extend_term, format_date_nl, shift_term
from ..models import Deadline, DeadlineKind, Dispute
from ..rules import rule_set_by_code


def rules_of(dispute: Dispute):
    return rule_set_by_code(dispute.rule_set)


def _term_of(deadline: Deadline) -> Term:
    return Term(
        start=deadline.starts_on,
        nominal_end=deadline.nominal_end,
        due=deadline.due,
        explanation=tuple(deadline.explanation),
    )


def open_deadline(dispute: Dispute, kind: str, organisation=None) -> Deadline | None:
    """The open deadline of this kind (for this party), if any."""
    qs = dispute.deadlines.filter(kind=kind, closed_at__isnull=True)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-created_at", "-pk").first()


def current(dispute: Dispute, kind: str) -> Deadline | None:
    """The latest deadline of this kind, open or closed."""
    return dispute.deadlines.filter(kind=kind).order_by("-created_at", "-pk").first()


def set_term(
    dispute: Dispute, kind: str, *, start: date, weeks: int = 0, days: int = 0, organisation=None, note: str = ""
) -> Deadline:
    """Store a new deadline of ``weeks``/``days`` after ``start``, with its Atw explanation."""
    term = compute_term(start, weeks=weeks, days=days)
    return _store(dispute, kind, term, organisation=organisation, note=note)


def set_due_date(dispute: Dispute, kind: str, *, start: date, due: date, organisation=None, note: str = "") -> Deadline:
    """Store a deadline whose date a staff member chose (e.g. the remedy term), Atw applied to it."""
    if due <= start:
        from django.core.exceptions import ValidationError

        raise ValidationError({"deadline": _("De termijn moet na vandaag eindigen.")})
    term = compute_term(start, days=(due - start).days)
    return _store(dispute, kind, term, organisation=organisation, note=note)


def _store(dispute: Dispute, kind: str, term: Term, *, organisation=None, note: str = "") -> Deadline:
    return Deadline.objects.create(
        dispute=dispute,
        kind=kind,
        organisation=organisation,
        starts_on=term.start,
        nominal_end=term.nominal_end,
        due=term.due,
        explanation=list(term.explanation),
        created_at=clock.now(),
        note=note,
    )


def close(deadline: Deadline | None, note: str = "") -> None:
    if deadline is not None and deadline.closed_at is None:
        deadline.closed_at = clock.now()
        if note:  # keep what the deadline was for (e.g. the remedy asked), add how it ended
            deadline.note = (f"{deadline.note} - {note}" if deadline.note else note)[:300]
        deadline.save(update_fields=["closed_at", "note"])


def suspend_decision_term(dispute: Dispute, *, requested_on: date, resumed_on: date) -> Deadline | None:
    """Move the decision deadline by the days a remedy request was open (Awb 4:15 by analogy).

    Suspended from the day after the request up to and including the day it was completed or
    lapsed; then the Atw applies again to the moved date.
    """
    deadline = open_deadline(dispute, DeadlineKind.DECISION)
    days = (resumed_on - requested_on).days
    if deadline is None or days <= 0:
        return deadline
    reason = _("opgeschort van %(start)s tot en met %(end)s wegens verzoek om herstel verzuim") % {
        "start": format_date_nl(date.fromordinal(requested_on.toordinal() + 1)),
        "end": format_date_nl(resumed_on),
    }
    term = shift_term(_term_of(deadline), suspended_days=days, reason=reason)
    _replace(deadline, term)
    return deadline


def extend_decision_term(dispute: Dispute, *, weeks: int, reason: str) -> Deadline:
    deadline = open_deadline(dispute, DeadlineKind.DECISION)
    term = extend_term(_term_of(deadline), weeks=weeks, reason=reason)
    _replace(deadline, term)
    return deadline


def _replace(deadline: Deadline, term: Term) -> None:
    deadline.nominal_end = term.nominal_end
    deadline.due = term.due
    deadline.explanation = list(term.explanation)
    deadline.save(update_fields=["nominal_end", "due", "explanation"])
