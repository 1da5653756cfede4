"""The secretariat's review: registration, remedy requests, admissibility, efforts, acceptance."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..atw import compute_term, format_date_nl
from ..errors import DeadlineError
from ..models import (
    Admissibility,
    Confidentiality,
    DeadlineKind,
    Dispute,
    DisputePoint,
    DocumentType,
    InadmissibilityReason,
    PartyRole,
    Step,
)
from . import deadlines, letters
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
    *, dispute: Dispute, actor, deadline: date | None = None, reason: str = "", requested=(), documents=(),
    expected_version=None,
) -> Dispute:
    """Ask the applicant to complete the request before a deadline; the decision term is suspended.

    ``requested`` names the document types asked for, as many as are missing (the event's payload keeps
    them, in this order, for the party's remedy page and the e-mail); ``reason`` says in words what is missing.
    """
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "request_remedy"))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan wat er ontbreekt.")})
    requested = list(dict.fromkeys(requested or ()))
    unknown = [t for t in requested if t not in DocumentType.values]
    if unknown:
        raise ValidationError({"requested": _("Onbekende documentsoort: %(type)s") % {"type": ", ".join(unknown)}})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.ADMISSIBILITY)
    event = fire(dispute, "request_remedy", actor=actor, payload={"reason": reason, "documents": requested})
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


#: Awb 4:5 lid 4: the decision not to treat an incomplete request is made known within four weeks after the
#: request was completed or the remedy term passed unused; after that it can no longer be taken.
NOT_TREATING_WEEKS = 4
#: the reason code of "incomplete and not remedied": the one ground that rests on Awb 4:5
NOT_REMEDIED = "A8"


@dataclass(frozen=True)
class RemedyRequest:
    """The latest remedy request as the applicant reads it: what is missing in words, and each document type
    asked for with its label and whether a party has added a document of that type since the request."""

    reason: str
    requested: list[tuple[str, str, bool]]

    @property
    def missing(self) -> list[str]:
        return [label for _code, label, supplied in self.requested if not supplied]


def remedy_request(dispute: Dispute) -> RemedyRequest | None:
    """The latest remedy request of the case (``None`` when none was made)."""
    event = dispute.events.filter(kind="request_remedy").order_by("-at", "-pk").first()
    if event is None:
        return None
    codes = [c for c in event.payload.get("documents", []) if c in DocumentType.values]
    supplied = set(
        dispute.documents.current().filter(doc_type__in=codes, organisation__isnull=False, uploaded_at__gte=event.at)
        .values_list("doc_type", flat=True)
    )
    return RemedyRequest(
        reason=event.payload.get("reason", ""),
        requested=[(c, str(DocumentType(c).label), c in supplied) for c in codes],
    )


def late_remedy(dispute: Dispute) -> list:
    """Documents an applicant added after the remedy term passed unused (``lapse_remedy``), before the
    decision: a remedy that came late but must still be weighed (Awb 4:5; the staff page shows them)."""
    if dispute.remedy_supplied is not False:
        return []
    lapsed = dispute.events.filter(kind="lapse_remedy").order_by("-at", "-pk").first()
    if lapsed is None:
        return []
    applicants = dispute.organisation_ids(PartyRole.APPLICANT)
    return list(
        dispute.documents.current()
        .filter(organisation_id__in=applicants, uploaded_at__gt=lapsed.at)
        .exclude(confidentiality__in=(Confidentiality.INTERNAL, Confidentiality.COMMISSION))
        .order_by("uploaded_at", "pk")
    )


def not_treating_deadline(dispute: Dispute) -> date | None:
    """The last day on which the request may be left untreated for want of a remedy (Awb 4:5 lid 4, the Atw
    applied: a statutory term): four weeks after the remedy term passed unused, or after the request was
    completed. ``None`` when no remedy was asked and ended."""
    remedy = deadlines.current(dispute, DeadlineKind.REMEDY)
    if remedy is None or remedy.closed_at is None:
        return None
    ended = remedy.due if dispute.remedy_supplied is False else clock.localdate(remedy.closed_at)
    return compute_term(ended, weeks=NOT_TREATING_WEEKS).due


def case_grounds(dispute: Dispute) -> dict[str, str]:
    """Grounds of inadmissibility the secretariat or the rules found for the request as a whole, with their
    reasons in words: insufficient own efforts (A6, the effort review) and nakoming under rules without
    nakoming (A4). Each is consistent with every point, whatever the point's own verdict."""
    grounds = {}
    if dispute.efforts_sufficient is False:
        grounds[InadmissibilityReason.A6] = dispute.efforts_reason.strip() or _(
            "Partijen hebben niet aantoonbaar alles gedaan om het geschil zelf op te lossen.")
    covers = getattr(dispute, "rules_cover_kind", None)
    if covers is not None and not covers():
        grounds[InadmissibilityReason.A4] = _(
            "De regels die golden op de dag van indienen (regelset %(code)s) kennen geen geschillen over "
            "%(kind)s; daarover kan de Minister geen bindende uitspraak doen."
        ) % {"code": dispute.rule_set or "-", "kind": dispute.get_kind_display()}
    return grounds


def _inadmissibility_per_point(dispute: Dispute, given: dict) -> tuple[dict, list[str]]:
    """The Minister's decision on every point of a request declared inadmissible as a whole, and what is
    missing. A point not in ``given`` adopts the secretariat's verdict (its codes and note); a point the
    secretariat found admissible is declared inadmissible only by an explicit, reasoned departure
    (``depart`` with codes and a note), or on a ground found for the request as a whole (``case_grounds``)."""
    points = list(dispute.points.order_by("number"))
    unknown = set(given) - {p.key for p in points}
    if unknown:
        raise ValidationError(
            {"points": _("Onbekend(e) geschilpunt(en): %(keys)s") % {"keys": ", ".join(sorted(unknown))}})
    grounds = case_grounds(dispute)
    decided, problems = {}, []
    for point in points:
        entry = given.get(point.key) or {}
        if not isinstance(entry, dict):
            raise ValidationError({"points": _("Per geschilpunt: redenen, toelichting en zo nodig afwijking.")})
        codes = _clean_reasons(entry.get("reasons"))
        note = str(entry.get("note") or "").strip()
        departs = bool(entry.get("depart")) and point.admissibility == Admissibility.ADMISSIBLE
        number = point.number
        if point.admissibility == Admissibility.INADMISSIBLE:
            codes = codes or list(point.inadmissibility_reasons)
            # a ground of the request as a whole (A4 for a kind the rule set does not cover) has its own words
            note = note or point.admissibility_note.strip() or "\n".join(grounds[c] for c in codes if c in grounds)
        elif not departs and grounds and set(codes) <= set(grounds):
            codes = codes or sorted(grounds)
            note = note or "\n".join(grounds[code] for code in codes)
        elif point.admissibility == Admissibility.ADMISSIBLE and not departs:
            problems.append(_(
                "Geschilpunt %(n)d is door het secretariaat ontvankelijk bevonden. Wie het toch "
                "niet-ontvankelijk verklaart, wijkt daar uitdrukkelijk en gemotiveerd van af."
            ) % {"n": number})
            continue
        if not codes:
            problems.append(_("Geef voor geschilpunt %(n)d ten minste één reden (A1-A9).") % {"n": number})
        if not note:
            problems.append(_("Motiveer in woorden waarom geschilpunt %(n)d niet-ontvankelijk is.") % {"n": number})
        decided[point.key] = {"point": point, "reasons": codes, "note": note, "departs": departs}
    return decided, problems


@service
def dispute_declare_inadmissible(
    *, dispute: Dispute, actor, reasons=(), points: dict | None = None, late_remedy_weighed: str = "",
    documents=(), expected_version=None,
) -> Dispute:
    """The Minister declares the whole request inadmissible: a decision (Awb 3:46) with reasons in words for
    every point, consistent with the secretariat's verdicts per point unless it departs from them with a
    reason, sent to the parties with its letter (the mededeling, generated unless uploaded).

    ``points`` maps a point's key to ``{"reasons": [...], "note": "...", "depart": bool}``; a point left out
    adopts the secretariat's verdict. ``reasons`` (optional) are codes for the case as a whole; each must be
    the reason of some point. A remedy an applicant sent after the remedy term, before this decision, must be
    weighed (``late_remedy_weighed``); not treating the request for a missing piece (A8) is refused four
    weeks after the remedy term (Awb 4:5 lid 4).
    """
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "declare_inadmissible"))
    decided, problems = _inadmissibility_per_point(dispute, points or {})
    all_codes = sorted({code for entry in decided.values() for code in entry["reasons"]})
    errors = {"points": problems} if problems else {}
    stray = [code for code in _clean_reasons(reasons) if code not in all_codes]
    if stray:
        errors["reasons"] = _("Reden(en) %(codes)s horen bij geen enkel geschilpunt.") % {"codes": ", ".join(stray)}
    late = late_remedy(dispute)
    if late and not late_remedy_weighed.strip():
        errors["late_remedy_weighed"] = _(
            "Na het verstrijken van de hersteltermijn heeft de verzoeker nog stukken gestuurd (%(docs)s). "
            "Leg vast hoe die zijn gewogen."
        ) % {"docs": ", ".join(d.display_name for d in late)}
    if errors:
        raise ValidationError(errors)
    if NOT_REMEDIED in all_codes:
        last_day = not_treating_deadline(dispute)
        if last_day is None:
            raise ValidationError({"reasons": _(
                "Niet-ontvankelijk wegens een niet hersteld verzuim (A8) kan alleen nadat om herstel is gevraagd "
                "en de hersteltermijn voorbij is (artikel 4:5 Awb)."
            )})
        if clock.today() > last_day:
            raise DeadlineError(_(
                "Het verzoek niet behandelen wegens een niet hersteld verzuim (A8) kon tot en met %(due)s: binnen "
                "vier weken na afloop van de hersteltermijn (artikel 4:5, vierde lid, Awb). Nu moet het verzoek "
                "worden behandeld."
            ) % {"due": format_date_nl(last_day)})
    for entry in decided.values():
        point = entry["point"]
        point.decision_admissibility = Admissibility.INADMISSIBLE
        point.decision_reason = entry["note"]
        point.decision_finding = ""
        point.decision_follows_advice = None
        point.inadmissibility_reasons = entry["reasons"]
        point.save(update_fields=["decision_admissibility", "decision_reason", "decision_finding",
                                  "decision_follows_advice", "inadmissibility_reasons"])
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.DECISION)
    payload = {
        "reasons": all_codes,
        "points": {key: {"reasons": e["reasons"], "note": e["note"], "departs": e["departs"]}
                   for key, e in decided.items()},
    }
    if late:
        payload["late_remedy"] = [d.display_name for d in late]
        payload["late_remedy_weighed"] = late_remedy_weighed.strip()
    event = fire(
        dispute, "declare_inadmissible", actor=actor, reasons=all_codes, decided_at=clock.now(), adopted_by=actor,
        payload=payload,
    )
    if not any(doc_type == "mededeling_ontvankelijkheid" for doc_type, _file in documents):
        letters.send_system_letter(dispute, "niet_ontvankelijk", context={
            "late_remedy_weighed": late_remedy_weighed.strip(), "late_remedy": [d.display_name for d in late]})
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
