"""After the binding decision: when the case may close, a received bezwaar, and a herstelbesluit.

- Closing (Awb 6:7, 6:9 lid 2). The objection term is six weeks after the day the decision was sent
  (``DeadlineKind.OBJECTION``, set by ``review._after_decision``). A bezwaarschrift posted before the end of
  that term is still in time when it arrives no later than a week after the term (art. 6:9 lid 2), so the
  case may not close before that week has passed: ``closing_term`` computes that week, with its explanation,
  and is the one answer for ``dispute_close`` and the periodic enforcement. The week is a term set by a wet,
  so the Atw is applied to its end too (a later end never closes a case too early).
- A bezwaar received (``dispute_record_objection``): the date it arrived and the bezwaarschrift are recorded
  (``Dispute.objection_received_at``, event ``objection_recorded``); from then on the case stays open (the
  closing refuses, the enforcement skips it) while the bezwaar is handled outside this product. The dossier
  can still be exported (any state after submission) and sent on.
- A herstelbesluit (``dispute_correct_decision``): the Minister's official corrects an obvious error
  (kennelijke verschrijving) in the decision, with a reason (what was corrected) and its own letter
  (``letters.py``, kind ``herstelbesluit``, generated when no signed version is uploaded) and event
  (``decision_corrected``). Only while the case is ``decided`` (not after closing): the herstelbesluit is a
  besluit with its own objection term, so the case stays open until that term and its week have passed.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import clock
from ..atw import Term, compute_term, format_date_nl
from ..models import DeadlineKind, Dispute, Organisation, Step
from . import deadlines, letters
from ._core import change, lock, on_commit_notify, require_operation, service
from .documents import store_all

#: Awb 6:9 lid 2: "mits het niet later dan een week na afloop van de termijn is ontvangen"
POSTAL_GRACE_WEEKS = 1


# -- when the case may close -------------------------------------------------------------------------------
def _objection_terms(dispute: Dispute):
    return list(dispute.deadlines.filter(kind=DeadlineKind.OBJECTION, closed_at__isnull=True).order_by("due", "pk"))


def closing_term(dispute: Dispute) -> Term | None:
    """The week after the (latest open) objection term in which an objection posted in time may still arrive
    (Awb 6:9 lid 2): ``due`` is its last day, ``explanation`` says how it was reached. ``None`` when no
    objection term runs."""
    terms = _objection_terms(dispute)
    if not terms:
        return None
    objection = terms[-1]
    week = compute_term(objection.due, weeks=POSTAL_GRACE_WEEKS)
    lines = (
        _("bezwaartermijn eindigt op %(due)s (artikel 6:7 en 6:8 Awb)") % {"due": format_date_nl(objection.due)},
        _("een bezwaarschrift dat vóór het einde van de termijn ter post is bezorgd, is tijdig als het niet later "
          "dan een week na afloop van de termijn is ontvangen (artikel 6:9, tweede lid, Awb)"),
        *week.explanation,
        _("het geschil wordt niet afgesloten vóór %(day)s") % {"day": format_date_nl(week.due + timedelta(days=1))},
    )
    return Term(start=objection.due, nominal_end=week.nominal_end, due=week.due, explanation=lines)


def closes_from(dispute: Dispute) -> date | None:
    """The first day on which the case may close (if no bezwaar is received), or ``None``."""
    term = closing_term(dispute)
    return term.due + timedelta(days=1) if term else None


def closing_problems(dispute: Dispute, today: date | None = None) -> list[str]:
    """Why a decided case may not close (yet); empty when it may."""
    today = today or clock.today()
    problems = []
    if dispute.objection_received_at is not None:
        problems.append(
            _("Er is op %(date)s bezwaar ontvangen tegen de bindende uitspraak; het geschil blijft open zolang het "
              "bezwaar loopt.") % {"date": format_date_nl(clock.localdate(dispute.objection_received_at))}
        )
    term = closing_term(dispute)
    if term is not None and today <= term.due:
        problems.append(
            _("Een bezwaarschrift dat op tijd ter post is bezorgd, kan nog binnenkomen tot en met %(due)s "
              "(artikel 6:9, tweede lid, Awb); het geschil wordt niet eerder afgesloten.")
            % {"due": format_date_nl(term.due)}
        )
    return problems


def may_close(dispute: Dispute) -> bool:
    """For the periodic enforcement: the objection term and its week have passed and no bezwaar was received."""
    return not closing_problems(dispute)


# -- a bezwaar received --------------------------------------------------------------------------------------
def objection_timeliness(dispute: Dispute, received_on: date) -> tuple[bool, bool]:
    """(within the objection term, within the week of Awb 6:9 lid 2) for an objection received on that day."""
    dues = list(dispute.deadlines.filter(kind=DeadlineKind.OBJECTION).values_list("due", flat=True))
    term = closing_term(dispute)
    in_time = bool(dues) and received_on <= max(dues)
    within_week = in_time or (term is not None and received_on <= term.due)
    return in_time, within_week


@service
def dispute_record_objection(
    *, dispute: Dispute, actor, received_on: date | None, documents=(), objector: Organisation | None = None,
    note: str = "", expected_version: int | None = None,
) -> Dispute:
    """The ministry records that a bezwaarschrift against the binding decision was received, with the document;
    the case then stays open (``dispute_close`` refuses it)."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "record_objection", actor=actor,
                      message=_("Een ontvangen bezwaar wordt vastgelegd na de bindende uitspraak, zolang het geschil "
                                "nog niet is afgesloten."))
    errors = {}
    decided_on = clock.localdate(dispute.decided_at) if dispute.decided_at else None
    if received_on is None:
        errors["received_on"] = _("Vul de datum in waarop het bezwaarschrift is ontvangen.")
    elif received_on > clock.today():
        errors["received_on"] = _("De datum van ontvangst kan niet in de toekomst liggen.")
    elif decided_on is not None and received_on < decided_on:
        errors["received_on"] = _("Een bezwaar kan niet zijn ontvangen vóór de uitspraak van %(date)s.") % {
            "date": format_date_nl(decided_on)}
    if not documents:
        errors["documents"] = _("Voeg het bezwaarschrift toe.")
    if objector is not None and not dispute.parties.filter(organisation=objector).exists():
        errors["objector"] = _("Deze organisatie is geen partij in dit geschil.")
    if errors:
        raise ValidationError(errors)
    stored = store_all(dispute=dispute, actor=actor, files=documents, step=Step.CLOSING)
    received_at = datetime.combine(received_on, time.min, tzinfo=clock.AMSTERDAM)
    if dispute.objection_received_at is not None:  # a second bezwaar: the case was already kept open
        received_at = min(received_at, dispute.objection_received_at)
    in_time, within_week = objection_timeliness(dispute, received_on)
    event = change(
        dispute, actor=actor, kind="objection_recorded", objection_received_at=received_at,
        payload={"received_on": received_on.isoformat(), "objector": objector.name if objector else "",
                 "documents": [str(d.pk) for d in stored], "in_time": in_time, "within_week": within_week,
                 "note": note},
    )
    on_commit_notify(event)
    return dispute


# -- herstelbesluit ------------------------------------------------------------------------------------------
@service
def dispute_correct_decision(
    *, dispute: Dispute, actor, reason: str, documents=(), expected_version: int | None = None
) -> Dispute:
    """The Minister's official corrects an obvious error in the binding decision (herstelbesluit): the reason says
    what was corrected; the letter is the uploaded signed version or else generated (``letters.py``); the
    herstelbesluit has its own objection term, so the case does not close before it (and its week) has passed."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "correct_decision", actor=actor,
                      message=_("Een herstelbesluit volgt op de bindende uitspraak, zolang het geschil niet is "
                                "afgesloten."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Omschrijf welke kennelijke fout in de uitspraak wordt hersteld.")})
    reason = reason.strip()
    if documents:
        letter = store_all(dispute=dispute, actor=actor, files=documents, step=Step.CLOSING)[0]
    else:  # one copy per party, signed by the official who corrects
        letter = letters.send_system_letter(dispute, "herstelbesluit", actor=actor, signer=actor,
                                            context={"reason": reason})[0].document
    rules = deadlines.rules_of(dispute)
    objection = deadlines.set_term(dispute, DeadlineKind.OBJECTION, start=clock.today(),
                                   weeks=rules.objection_weeks, note="herstelbesluit")
    event = change(
        dispute, actor=actor, kind="decision_corrected",
        payload={"reason": reason, "document": str(letter.pk), "objection_due": objection.due.isoformat()},
    )
    on_commit_notify(event)
    return dispute
