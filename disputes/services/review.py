"""The secretariat's review: registration, remedy requests, admissibility, efforts, acceptance."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..models import Admissibility, DeadlineKind, Dispute, DisputePoint, InadmissibilityReason, Step
from . import deadlines
from ._core import change, fire, lock, on_commit_notify, require_operation, service
from .documents import store_all


def _clean_reasons(reasons) -> list[str]:
    reasons = list(dict.fromkeys(reasons or []))
    unknown = [r for r in reasons if r not in InadmissibilityReason.values]
    if unknown:
        raise ValidationError({"reasons": _("Onbekende redencode(s): %(codes)s") % {"codes": ", ".join(unknown)}})
    return reasons


@service
def dispute_start_review(*, dispute: Dispute, actor, expected_version=None) -> Dispute:
    dispute = lock(dispute, expected_version=expected_version)
    fire(dispute, "start_review", actor=actor)
    return dispute


@service
def dispute_request_remedy(
    *, dispute: Dispute, actor, deadline: date | None = None, reason: str = "", documents=(), expected_version=None
) -> Dispute:
    """Ask the applicant to complete the request before a deadline; the decision term is suspended."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "request_remedy"))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan wat er ontbreekt.")})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.ADMISSIBILITY)
    event = fire(dispute, "request_remedy", actor=actor, payload={"reason": reason})
    today = clock.today()
    rules = deadlines.rules_of(dispute)
    if deadline is None:
        deadlines.set_term(dispute, DeadlineKind.REMEDY, start=today, weeks=rules.remedy_weeks, note=reason[:300])
    else:
        deadlines.set_due_date(dispute, DeadlineKind.REMEDY, start=today, due=deadline, note=reason[:300])
    on_commit_notify(event)
    return dispute


def _end_remedy(dispute: Dispute, *, resumed_on: date, note: str) -> None:
    remedy = deadlines.open_deadline(dispute, DeadlineKind.REMEDY)
    if remedy is not None:
        requested_on = clock.localdate(remedy.created_at)
        deadlines.close(remedy, note=note)
        deadlines.suspend_decision_term(dispute, requested_on=requested_on, resumed_on=resumed_on)


@service
def dispute_supply_remedy(*, dispute: Dispute, actor, documents=(), note: str = "", expected_version=None) -> Dispute:
    """The applicant completes the request (aanvulling); the case returns to where it was."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "supply_remedy"))
    if not documents and not note.strip():
        raise ValidationError(_("Voeg de gevraagde stukken toe of licht uw aanvulling toe."))
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.ADMISSIBILITY)
    event = fire(
        dispute, "supply_remedy", actor=actor, organisation=permissions.acting_organisation(actor, dispute),
        payload={"note": note},
    )
    _end_remedy(dispute, resumed_on=clock.today(), note="hersteld")
    on_commit_notify(event)
    return dispute


@service
def dispute_lapse_remedy(*, dispute: Dispute, actor=None) -> Dispute:
    """The remedy term passed without completion: back to review, marked 'not remedied'."""
    dispute = lock(dispute)
    remedy = deadlines.open_deadline(dispute, DeadlineKind.REMEDY)
    if remedy is not None and clock.today() <= remedy.due:
        from ..errors import DeadlineError

        raise DeadlineError(_("De hersteltermijn loopt nog tot en met %(due)s.") % {"due": f"{remedy.due:%d-%m-%Y}"})
    event = fire(dispute, "lapse_remedy", actor=actor, payload={"remedied": False})
    _end_remedy(dispute, resumed_on=remedy.due if remedy else clock.today(), note="niet hersteld")
    on_commit_notify(event)
    return dispute


@service
def point_decide_admissibility(
    *, point: DisputePoint, actor, admissible: bool, reasons=(), note: str = "", expected_version=None
) -> DisputePoint:
    """Decide one point's admissibility; an inadmissible point needs at least one reason code."""
    dispute = lock(point.dispute, expected_version=expected_version)
    require_operation(dispute, "decide_point_admissibility", actor=actor,
                      message=_("Over de ontvankelijkheid wordt beslist tijdens de beoordeling."))
    reasons = _clean_reasons(reasons)
    if not admissible and not reasons:
        raise ValidationError({"reasons": _("Geef ten minste één reden (A1-A9) voor niet-ontvankelijkheid.")})
    point = DisputePoint.objects.get(pk=point.pk)
    point.admissibility = Admissibility.ADMISSIBLE if admissible else Admissibility.INADMISSIBLE
    point.inadmissibility_reasons = [] if admissible else reasons
    point.admissibility_note = note
    point.save(update_fields=["admissibility", "inadmissibility_reasons", "admissibility_note"])
    change(
        dispute, actor=actor, kind="point_admissibility",
        payload={"point": point.key, "admissibility": point.admissibility, "reasons": reasons, "note": note},
    )
    return point


@service
def dispute_pass_admissibility(*, dispute: Dispute, actor, expected_version=None) -> Dispute:
    dispute = lock(dispute, expected_version=expected_version)
    fire(dispute, "pass_admissibility", actor=actor)
    return dispute


@service
def dispute_assess_efforts(*, dispute: Dispute, actor, sufficient: bool, reason: str, expected_version=None) -> Dispute:
    """The effort review: were all means exhausted? Recorded with reasons."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "assess_efforts", actor=actor,
                      message=_("De inspanningen worden getoetst in de stap 'Toets inspanningen'."))
    if not reason.strip():
        raise ValidationError({"reason": _("Motiveer de beoordeling van de inspanningen.")})
    change(dispute, actor=actor, kind="efforts_assessed", payload={"sufficient": sufficient, "reason": reason},
           efforts_sufficient=sufficient, efforts_reason=reason)
    return dispute


@service
def dispute_accept(*, dispute: Dispute, actor, expected_version=None) -> Dispute:
    """Take the case into treatment and open the response round for every respondent."""
    dispute = lock(dispute, expected_version=expected_version)
    event = fire(dispute, "accept", actor=actor)
    rules = deadlines.rules_of(dispute)
    deadlines.set_term(dispute, DeadlineKind.RESPONSE, start=clock.today(), weeks=rules.response_weeks)
    on_commit_notify(event)
    return dispute


@service
def dispute_declare_inadmissible(
    *, dispute: Dispute, actor, reasons, documents=(), expected_version=None
) -> Dispute:
    """The Minister's official declares the whole request inadmissible, with reason codes."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "declare_inadmissible"))
    reasons = _clean_reasons(reasons)
    if not reasons:
        raise ValidationError({"reasons": _("Geef ten minste één reden (A1-A9).")})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.DECISION)
    event = fire(
        dispute, "declare_inadmissible", actor=actor, reasons=reasons, decided_at=clock.now(), adopted_by=actor,
        payload={"reasons": reasons},
    )
    _after_decision(dispute)
    on_commit_notify(event)
    return dispute


def _after_decision(dispute: Dispute) -> None:
    """A decision ends the decision term and starts the objection term (6 weeks after sending)."""
    deadlines.close(deadlines.open_deadline(dispute, DeadlineKind.DECISION), note="beslist")
    for deadline in dispute.deadlines.filter(closed_at__isnull=True).exclude(kind=DeadlineKind.DECISION):
        deadlines.close(deadline, note="beslist")
    rules = deadlines.rules_of(dispute)
    deadlines.set_term(dispute, DeadlineKind.OBJECTION, start=clock.today(), weeks=rules.objection_weeks)
