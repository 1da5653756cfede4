"""The commission's advice, the Minister's binding decision, extension, settlement and closing."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..atw import format_date_nl
from ..errors import DeadlineError, GuardFailed
from ..models import Confidentiality, DeadlineKind, Dispute, DisputePoint, Finding, Recusal, Step
from ..states import DisputeState
from . import deadlines
from ._core import change, fire, lock, on_commit_notify, require_operation, service
from .documents import store_all
from .review import _after_decision


@service
def dispute_recuse(*, dispute: Dispute, actor, reason: str, expected_version: int | None = None) -> None:
    """A commission member declares a conflict of interest; from now on the case is hidden from them."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "recuse", actor=actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van verschoning.")})
    Recusal.objects.create(dispute=dispute, user=actor, reason=reason, declared_at=clock.now())
    change(dispute, actor=actor, kind="recused", payload={"reason": reason}, visibility=Confidentiality.COMMISSION)


def _point_in(dispute: Dispute, point: DisputePoint) -> DisputePoint:
    point = DisputePoint.objects.get(pk=point.pk)
    if point.dispute_id != dispute.pk:
        raise ValidationError({"point": _("Dit geschilpunt hoort niet bij dit geschil.")})
    if point.admissibility != "admissible":
        raise ValidationError({"point": _("Alleen ontvankelijke geschilpunten worden inhoudelijk beoordeeld.")})
    return point


def _require_finding(finding: str) -> None:
    if finding not in Finding.values:
        raise ValidationError({"finding": _("Kies een bevinding.")})


@service
def point_advise(*, point: DisputePoint, actor, finding: str, recommendation: str = "", expected_version=None):
    """The chair records the commission's finding and recommendation on one point (in deliberation)."""
    dispute = lock(point.dispute, expected_version=expected_version)
    require_operation(dispute, "advise_point", actor=actor,
                      message=_("Het advies per geschilpunt wordt opgesteld tijdens de beraadslaging."))
    point = _point_in(dispute, point)
    _require_finding(finding)
    point.advice_finding = finding
    point.advice_recommendation = recommendation
    point.save(update_fields=["advice_finding", "advice_recommendation"])
    change(dispute, actor=actor, kind="point_advised", payload={"point": point.key, "finding": finding},
           visibility=Confidentiality.COMMISSION)
    return point


@service
def dispute_issue_advice(*, dispute: Dispute, actor, documents=(), expected_version=None) -> Dispute:
    """The chair adopts the advice and sends it to the Minister, with the advice document."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "issue_advice"))
    if not documents and not dispute.documents.current().filter(doc_type="advies").exists():
        raise ValidationError({"documents": _("Voeg het advies van de adviescommissie toe.")})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.ADVICE)
    event = fire(dispute, "issue_advice", actor=actor)
    on_commit_notify(event)
    return dispute


@service
def point_decide(
    *, point: DisputePoint, actor, follow_advice: bool, decision: str = "", reason: str = "", expected_version=None
) -> DisputePoint:
    """The Minister's decision on one point: follow the advice, or depart from it with a reason.

    The official who records the decisions is its drafter and cannot also adopt it.
    """
    dispute = lock(point.dispute, expected_version=expected_version)
    require_operation(dispute, "decide_point", actor=actor,
                      message=_("Over de geschilpunten wordt beslist nadat het advies is uitgebracht."))
    point = _point_in(dispute, point)
    if follow_advice:
        decision, reason = point.advice_finding, reason
    else:
        _require_finding(decision)
        if not reason.strip():
            raise ValidationError({"reason": _("Wie van het advies afwijkt, moet dat motiveren.")})
    point.decision_follows_advice = follow_advice
    point.decision_finding = decision
    point.decision_reason = reason
    point.save(update_fields=["decision_follows_advice", "decision_finding", "decision_reason"])
    change(dispute, actor=actor, kind="point_decided", visibility=Confidentiality.INTERNAL,
           payload={"point": point.key, "decision": decision, "follows_advice": follow_advice})
    return point


@service
def dispute_draft_decision(*, dispute: Dispute, actor, documents, expected_version: int | None = None) -> Dispute:
    """Upload the draft binding decision (internal); its drafter cannot adopt it (four eyes)."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "draft_decision", actor=actor, message=_("Een ontwerpuitspraak volgt op het advies."))
    store_all(
        dispute=dispute, actor=actor, files=documents, step=Step.DECISION, confidentiality=Confidentiality.INTERNAL
    )
    change(dispute, actor=actor, kind="decision_drafted", visibility=Confidentiality.INTERNAL,
           decision_drafted_by=actor)
    return dispute


@service
def dispute_decide(*, dispute: Dispute, actor, documents=(), expected_version=None) -> Dispute:
    """Adopt the binding decision and send it to all parties; the objection term starts."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "decide"))
    permissions.require(
        dispute.decision_drafted_by_id != actor.pk,
        _("Wie de uitspraak heeft opgesteld, kan haar niet zelf vaststellen."),
    )
    if not documents and not dispute.documents.current().filter(
        doc_type="bindende_uitspraak", confidentiality=Confidentiality.PARTIES
    ).exists():
        raise ValidationError({"documents": _("Voeg de bindende uitspraak toe.")})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.DECISION)
    event = fire(dispute, "decide", actor=actor, decided_at=clock.now(), adopted_by=actor)
    _after_decision(dispute)
    on_commit_notify(event)
    return dispute


@service
def dispute_extend_decision_term(
    *, dispute: Dispute, actor, weeks: int, reason: str = "", documents=(), expected_version=None
) -> Dispute:
    """Extend the decision term by at most the rule set's maximum, before it ends; notify all parties."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "extend_decision_term"))
    maximum = deadlines.rules_of(dispute).extension_max_weeks
    if not 1 <= weeks <= maximum:
        raise ValidationError({"weeks": _("Verlengen kan met 1 tot en met %(max)d weken.") % {"max": maximum}})
    term = deadlines.open_deadline(dispute, DeadlineKind.DECISION)
    if term is not None and clock.today() > term.due:
        raise DeadlineError(
            _("De beslistermijn is verstreken op %(due)s; verlengen kan alleen vóór het einde van de termijn.")
            % {"due": format_date_nl(term.due)}
        )
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.TERM)
    previous_due = term.due if term else None
    event_payload = {"weeks": weeks, "reason": reason}
    if term is not None:
        term = deadlines.extend_decision_term(dispute, weeks=weeks, reason=reason)
        event_payload.update(previous_due=previous_due.isoformat(), due=term.due.isoformat())
    event = fire(dispute, "extend_decision_term", actor=actor, payload=event_payload)
    on_commit_notify(event)
    return dispute


@service
def dispute_settle(*, dispute: Dispute, actor, documents=(), note: str = "", expected_version=None) -> Dispute:
    """The parties reached agreement after all; recorded with the settlement document."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "settle"))
    if not any(t == "vaststellingsovereenkomst" for t, _f in documents):
        raise ValidationError({"documents": _("Voeg de vaststellingsovereenkomst toe.")})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.CLOSING)
    event = fire(dispute, "settle", actor=actor, at=clock.now(), payload={"note": note})
    for deadline in dispute.deadlines.filter(closed_at__isnull=True):
        deadlines.close(deadline, note="geschikt")
    on_commit_notify(event)
    return dispute


@service
def dispute_close(*, dispute: Dispute, actor=None, expected_version=None) -> Dispute:
    """Close a decided case once the objection term has passed; it becomes read-only."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "close"))
    objection = deadlines.open_deadline(dispute, DeadlineKind.OBJECTION)
    if dispute.state == DisputeState.DECIDED and objection is not None and clock.today() <= objection.due:
        raise GuardFailed(
            [_("De bezwaartermijn loopt nog tot en met %(due)s.") % {"due": format_date_nl(objection.due)}]
        )
    fire(dispute, "close", actor=actor, at=clock.now())
    deadlines.close(objection, note="verstreken")
    return dispute
