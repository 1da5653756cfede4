"""Deadlines on a case: computed once by disputes.atw (the Atw calendar), stored with their explanation.

Each kind of deadline has its legal source (``atw.TERM_SOURCES``): the Atw applies to the terms a wet or AMvB
sets (filing, decision, objection); the terms the secretariat sets (remedy, response, information) are
computed as set. The first line of every stored explanation names the source and which of the two it is.
"""

from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from .. import clock
from ..atw import ART_4_LINE, TERM_SOURCES, Term, compute_term, extend_term, format_date_nl, shift_term
from ..models import Deadline, DeadlineKind, Dispute
from ..rules import rule_set_by_code


def rules_of(dispute: Dispute):
    return rule_set_by_code(dispute.rule_set)


def statutory(kind: str) -> bool:
    """Whether the Atw covers this kind of deadline (a term set by a wet or AMvB)."""
    return TERM_SOURCES[kind].statutory


def _term_of(deadline: Deadline) -> Term:
    lawful = statutory(deadline.kind)
    return Term(
        start=deadline.starts_on,
        nominal_end=deadline.nominal_end,
        due=deadline.due,
        explanation=tuple(deadline.explanation),
        atw_applies=lawful and ART_4_LINE not in deadline.explanation,
        statutory=lawful,
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
    """Store a new deadline of ``weeks``/``days`` after ``start``, with its source and how it was computed."""
    term = compute_term(start, weeks=weeks, days=days, atw=statutory(kind))
    return _store(dispute, kind, term, organisation=organisation, note=note)


def store_term(dispute: Dispute, kind: str, term: Term, *, why: tuple[str, ...] = (), note: str = "") -> Deadline:
    """Store a term computed elsewhere (the filing term of ``admissibility.filing_term_for``); ``why`` are the
    lines that say where its start date comes from, stored after the source line."""
    return _store(dispute, kind, term, note=note, why=why)


def set_due_date(dispute: Dispute, kind: str, *, start: date, due: date, organisation=None, note: str = "") -> Deadline:
    """Store a deadline whose date a staff member chose (e.g. the remedy term): the Atw applies only to a
    statutory kind; a term the secretariat sets ends on the chosen day."""
    if due <= start:
        from django.core.exceptions import ValidationError

        raise ValidationError({"deadline": _("De termijn moet na vandaag eindigen.")})
    term = compute_term(start, days=(due - start).days, atw=statutory(kind))
    return _store(dispute, kind, term, organisation=organisation, note=note)


def _store(
    dispute: Dispute, kind: str, term: Term, *, organisation=None, note: str = "", why: tuple[str, ...] = ()
) -> Deadline:
    return Deadline.objects.create(
        dispute=dispute,
        kind=kind,
        organisation=organisation,
        starts_on=term.start,
        nominal_end=term.nominal_end,
        due=term.due,
        explanation=[TERM_SOURCES[kind].line, *why, *term.explanation],
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
    """Move the decision deadline by the days a remedy request was open (Awb 4:15 lid 1 onder a).

    Suspended "met ingang van de dag na" the request "tot de dag" it was completed or the remedy
    term passed unused: from the day after ``requested_on`` up to, NOT including, ``resumed_on``
    (on a lapse the service passes the remedy term's last day). Then the Atw applies again to the
    moved nominal end.
    """
    deadline = open_deadline(dispute, DeadlineKind.DECISION)
    days = (resumed_on - requested_on).days - 1
    if deadline is None or days <= 0:
        return deadline
    with translation.override("nl"):  # stored: the dossier's and the letters' language, whoever's request it is
        reason = _("opgeschort met ingang van %(start)s tot %(end)s wegens verzoek om herstel verzuim "
                   "(Awb art. 4:15)") % {
            "start": format_date_nl(date.fromordinal(requested_on.toordinal() + 1)),
            "end": format_date_nl(resumed_on),
        }
    term = shift_term(_term_of(deadline), suspended_days=days, reason=reason)
    _replace(deadline, term)
    return deadline


def extend_decision_term(dispute: Dispute, *, weeks: int, reason: str) -> Deadline:
    """Extend the decision term by ``weeks``, counted from its nominal end (not its Atw-extended end)."""
    deadline = open_deadline(dispute, DeadlineKind.DECISION)
    term = extend_term(_term_of(deadline), weeks=weeks, reason=reason)
    _replace(deadline, term)
    return deadline


def _replace(deadline: Deadline, term: Term) -> None:
    deadline.nominal_end = term.nominal_end
    deadline.due = term.due
    deadline.explanation = list(term.explanation)
    deadline.save(update_fields=["nominal_end", "due", "explanation"])
