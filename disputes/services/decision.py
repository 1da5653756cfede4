"""The commission's advice, the Minister's binding decision, extension, settlement and closing."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import clock, outbox, permissions
from ..atw import format_date_nl
from ..errors import DeadlineError, GuardFailed
from ..models import Admissibility, Confidentiality, DeadlineKind, Dispute, DisputePoint, Finding, Recusal, Step
from ..states import DisputeState
from . import commission, deadlines, letters
from ._core import change, fire, lock, on_commit_notify, require_operation, service
from .documents import store_all
from .joined import joint_step
from .review import _after_decision, _clean_reasons


@service
def dispute_recuse(*, dispute: Dispute, actor, reason: str, expected_version: int | None = None) -> None:
    """A commission member declares a conflict of interest; from now on the case is hidden from them."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "recuse", actor=actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van verschoning.")})
    Recusal.objects.create(dispute=dispute, user=actor, reason=reason, declared_at=clock.now())
    seat_ended = commission.end_seat_on_recusal(dispute, actor, reason=reason)
    change(dispute, actor=actor, kind="recused", payload={"reason": reason, "seat_ended": seat_ended},
           visibility=Confidentiality.COMMISSION)


def _point_in(dispute: Dispute, point: DisputePoint) -> DisputePoint:
    point = DisputePoint.objects.get(pk=point.pk)
    if point.dispute_id != dispute.pk:
        raise ValidationError({"point": _("Dit geschilpunt hoort niet bij dit geschil.")})
    return point


def _require_finding(finding: str, dispute: Dispute, field: str = "finding") -> None:
    """A finding on the merits that fits the dispute's kind (``Finding.for_kind``)."""
    fitting = Finding.for_kind(dispute.kind)
    if finding not in Finding.values:
        raise ValidationError({field: _("Kies een bevinding.")})
    if finding not in fitting:
        raise ValidationError({field: _("'%(finding)s' past niet bij een geschil over de %(kind)s; kies '%(first)s' "
                                        "of '%(second)s'.") % {
            "finding": Finding(finding).label, "kind": dispute.get_kind_display().lower(),
            "first": fitting[0].label, "second": fitting[1].label}})


def _admissibility(admissible: bool | None, default: str) -> str:
    if admissible is None:
        return default
    return Admissibility.ADMISSIBLE if admissible else Admissibility.INADMISSIBLE


def _advised_reasons(dispute: Dispute, point: DisputePoint) -> list[str]:
    """The reason codes of the commission's latest advice that the point is inadmissible (in its event)."""
    for event in dispute.events.filter(kind="point_advised").order_by("-at", "-pk"):
        if event.payload.get("point") == point.key:
            return list(event.payload.get("reasons") or [])
    return []


@service
def point_advise(
    *, point: DisputePoint, actor, finding: str = "", recommendation: str = "", admissible: bool | None = None,
    reasons=(), expected_version=None,
):
    """The chair records the commission's advice on one point (in deliberation).

    The secretariat's verdict on the point's admissibility is a proposal (procedure.md §0): the commission
    may advise on it (``admissible``; ``None`` leaves it as proposed). A point it advises admissible gets a
    finding on the merits; one it advises inadmissible gets none. Advising against the proposal needs the
    commission's reasons in words (``recommendation``), and, for a point proposed admissible, reason codes.
    """
    dispute = lock(point.dispute, expected_version=expected_version)
    require_operation(dispute, "advise_point", actor=actor,
                      message=_("Het advies per geschilpunt wordt opgesteld tijdens de beraadslaging."))
    point = _point_in(dispute, point)
    advised = _admissibility(admissible, point.admissibility)
    codes = _clean_reasons(reasons)
    if advised == Admissibility.ADMISSIBLE:
        _require_finding(finding, dispute)
        if codes:
            raise ValidationError({"reasons": _("Redenen (A1-A9) horen alleen bij een advies tot "
                                                "niet-ontvankelijkheid.")})
    else:
        if finding:
            raise ValidationError({"finding": _(
                "Over een geschilpunt dat niet-ontvankelijk is, geeft de commissie geen bevinding over de inhoud; "
                "adviseer het ontvankelijk om het inhoudelijk te beoordelen.")})
        if point.admissibility == Admissibility.ADMISSIBLE and not codes:
            raise ValidationError({"reasons": _("Geef ten minste één reden (A1-A9) voor niet-ontvankelijkheid.")})
    if advised != point.admissibility and not recommendation.strip():
        raise ValidationError({"recommendation": _(
            "De commissie wijkt af van het voorstel van het secretariaat over de ontvankelijkheid; motiveer dat.")})
    point.advice_admissibility = "" if admissible is None else advised
    point.advice_finding = finding if advised == Admissibility.ADMISSIBLE else ""
    point.advice_recommendation = recommendation
    point.save(update_fields=["advice_admissibility", "advice_finding", "advice_recommendation"])
    change(dispute, actor=actor, kind="point_advised", visibility=Confidentiality.COMMISSION,
           payload={"point": point.key, "finding": point.advice_finding, "admissibility": advised,
                    "reasons": codes if advised == Admissibility.INADMISSIBLE else []})
    return point


def _open_requests_at_advice(dispute: Dispute, reason: str) -> dict:
    """Refuse the advice while an information request is open, unless ``reason`` says why; returns what the
    advice's event records of the open requests (nothing when none is open)."""
    open_requests = list(dispute.deadlines.filter(kind=DeadlineKind.INFORMATION, closed_at__isnull=True)
                         .select_related("organisation").order_by("due", "pk"))
    if not open_requests:
        return {}
    if not reason.strip():
        raise ValidationError({"open_requests_reason": _(
            "Er staat nog een vraag om inlichtingen open (%(requests)s). Wacht het antwoord af of laat het "
            "secretariaat het binnengekomen antwoord registreren, of geef aan waarom de commissie toch nu adviseert."
        ) % {"requests": "; ".join(
            _("aan %(party)s, termijn tot en met %(due)s") % {
                "party": d.organisation.name if d.organisation else "-", "due": format_date_nl(d.due)}
            for d in open_requests)}})
    return {"open_requests_reason": reason.strip(),
            "open_requests": [{"deadline": d.pk, "party": d.organisation.name if d.organisation else "",
                               "due": d.due.isoformat()} for d in open_requests]}


@joint_step
@service
def dispute_issue_advice(
    *, dispute: Dispute, actor, documents=(), open_requests_reason: str = "", expected_version=None
) -> Dispute:
    """The chair adopts the advice and sends it to the Minister, with the advice document.

    Not while a question of the secretariat to a party is still open (issue 12, defect 13): the answer is part
    of what the commission weighs. The secretariat closes the question first (it registers the answer that came
    in), or the chair records why the commission advises all the same (``open_requests_reason``, in the event).
    """
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "issue_advice"))
    payload = _open_requests_at_advice(dispute, open_requests_reason)
    if not documents and not dispute.documents.current().filter(doc_type="advies").exists():
        raise ValidationError({"documents": _("Voeg het advies van de adviescommissie toe.")})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.ADVICE)
    # adopted by the seated chair on behalf of the members: the event names the commission as composed (ADR 0017)
    payload["commission"] = commission.composition_payload(dispute)
    event = fire(dispute, "issue_advice", actor=actor, payload=payload)
    on_commit_notify(event)
    return dispute


@service
def point_decide(
    *, point: DisputePoint, actor, follow_advice: bool, decision: str = "", reason: str = "",
    admissible: bool | None = None, reasons=(), expected_version=None,
) -> DisputePoint:
    """The Minister's decision on one point: its admissibility and, if admissible, the merits; following the
    advice, or departing from it with a reason.

    The secretariat's verdict on admissibility is a proposal, the commission's advice may differ from it
    (``advice_admissibility``); the Minister decides (``decision_admissibility``): ``admissible`` ``None``
    means as advised. A point decided inadmissible has no finding; one the secretariat proposed admissible
    then needs reason codes (``reasons``, by default the commission's). Every departure from the advice needs
    a ``reason``. The official who records the decisions is its drafter and cannot also adopt it.
    """
    dispute = lock(point.dispute, expected_version=expected_version)
    require_operation(dispute, "decide_point", actor=actor,
                      message=_("Over de geschilpunten wordt beslist nadat het advies is uitgebracht."))
    point = _point_in(dispute, point)
    advised = point.advice_admissibility or point.admissibility
    decided = _admissibility(admissible, advised)
    codes = _clean_reasons(reasons)
    if follow_advice and decided != advised:
        raise ValidationError({"admissible": _(
            "Wie het advies volgt, beslist over de ontvankelijkheid zoals geadviseerd; kies anders 'afwijken'.")})
    if decided == Admissibility.ADMISSIBLE:
        if codes:
            raise ValidationError({"reasons": _("Redenen (A1-A9) horen alleen bij niet-ontvankelijkheid.")})
        if follow_advice:
            if not point.advice_finding:
                raise ValidationError({"follow_advice": _(
                    "Het advies bevat geen bevinding over de inhoud van dit geschilpunt; kies zelf een beslissing "
                    "en motiveer die.")})
            decision = point.advice_finding
        else:
            _require_finding(decision, dispute, field="decision")
        follows = decision == point.advice_finding and advised == Admissibility.ADMISSIBLE
        point.inadmissibility_reasons = (
            point.inadmissibility_reasons if point.admissibility == Admissibility.INADMISSIBLE else [])
    else:
        if decision and not follow_advice:
            raise ValidationError({"decision": _(
                "Over een niet-ontvankelijk geschilpunt wordt niet inhoudelijk beslist.")})
        decision = ""
        if point.admissibility != Admissibility.INADMISSIBLE:
            codes = codes or _advised_reasons(dispute, point)
            if not codes:
                raise ValidationError({"reasons": _("Geef ten minste één reden (A1-A9) voor niet-ontvankelijkheid.")})
        point.inadmissibility_reasons = codes or point.inadmissibility_reasons
        follows = advised == Admissibility.INADMISSIBLE
    if not follows and not reason.strip():
        raise ValidationError({"reason": _("Wie van het advies afwijkt, moet dat motiveren.")})
    point.decision_admissibility = decided
    point.decision_follows_advice = follows
    point.decision_finding = decision
    point.decision_reason = reason
    point.save(update_fields=["decision_admissibility", "decision_follows_advice", "decision_finding",
                              "decision_reason", "inadmissibility_reasons"])
    change(dispute, actor=actor, kind="point_decided", visibility=Confidentiality.INTERNAL,
           payload={"point": point.key, "decision": decision, "follows_advice": follows,
                    "admissibility": decided, "reasons": list(point.inadmissibility_reasons)
                    if decided == Admissibility.INADMISSIBLE else []})
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


@joint_step
@service
def dispute_decide(*, dispute: Dispute, actor, documents=(), expected_version=None) -> Dispute:
    """Adopt the binding decision and send it to all parties; the objection term starts.

    Four eyes (procedure.md §0): whoever drafted it or recorded a decision per point cannot adopt it, with or
    without an uploaded draft (``permissions.decision_preparer_ids``).
    """
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "decide"))
    permissions.require(
        permissions.may_adopt_decision(actor, dispute),
        _("Wie de uitspraak heeft opgesteld of de beslissingen per geschilpunt heeft vastgelegd, kan haar niet "
          "zelf vaststellen (vier ogen)."),
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
    """Extend the decision term by at most the rule set's maximum, before it ends (BTIV art. 40 lid 2).

    The extension takes effect only with its written, reasoned notice (procedure.md §0): a reason is required,
    the notice (``verlengingsbericht``) is generated and stored on the case, and it is sent, through the outbox,
    to every party and to the college van B&W of the gemeente of the agreement, also when the gemeente is no
    party (at its general address, ``Organisation.email``, else to its members). An addressee that cannot be
    reached refuses the extension. The event names who was notified. ``documents`` are further attachments.
    """
    from ..letters import extension_addressees, notice_addresses

    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "extend_decision_term"))
    maximum = deadlines.rules_of(dispute).extension_max_weeks
    if not 1 <= weeks <= maximum:
        raise ValidationError({"weeks": _("Verlengen kan met 1 tot en met %(max)d weken.") % {"max": maximum}})
    term = deadlines.open_deadline(dispute, DeadlineKind.DECISION)
    if term is None:
        raise DeadlineError(_("Er loopt geen beslistermijn die kan worden verlengd."))
    if clock.today() > term.due:
        raise DeadlineError(
            _("De beslistermijn is verstreken op %(due)s; verlengen kan alleen vóór het einde van de termijn.")
            % {"due": format_date_nl(term.due)}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _(
            "Geef de reden van de verlenging: het verlengingsbericht aan partijen en aan het college van B&W moet "
            "gemotiveerd zijn.")})
    addressees = extension_addressees(dispute)
    unreachable = sorted({o.name for capacity, o in addressees if not notice_addresses(o, capacity)})
    if unreachable:
        raise ValidationError(_(
            "Het verlengingsbericht kan niet worden verstuurd aan: %(names)s (geen e-mailadres bekend). Vul het "
            "algemene e-mailadres van de organisatie in; zonder bericht gaat de verlenging niet in."
        ) % {"names": ", ".join(unreachable)})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.TERM)
    previous_due = term.due
    term = deadlines.extend_decision_term(dispute, weeks=weeks, reason=reason)
    # the Minister's notice, one copy per addressee (the parties and B&W), signed by the official who extends
    copies = letters.send_system_letter(dispute, "verlengingsbericht", signer=actor, context={"reason": reason})
    notified = [{"organisation": str(o.pk), "name": o.name, "as": capacity} for capacity, o in addressees]
    event = fire(dispute, "extend_decision_term", actor=actor, payload={
        "weeks": weeks, "reason": reason, "previous_due": previous_due.isoformat(), "due": term.due.isoformat(),
        "letter": str(copies[0].document_id), "letters": [str(c.document_id) for c in copies], "notified": notified,
    })
    on_commit_notify(event)  # the parties' members, as for every transition; the notice is on the case page
    for copy in copies:  # B&W's own copy to B&W, who may not see the case
        if copy.capacity == "municipality":
            outbox.enqueue("disputes.tasks.send_letter", event_id=event.pk, document_id=str(copy.document_id),
                           recipients=[n for n in notified if n["as"] == "municipality"])
    return dispute


def settlement_bases() -> dict[str, str]:
    """The grounds on which a settlement ends the case (procedure.md §0), with their Dutch labels."""
    return {
        "agreement": _("Vaststellingsovereenkomst, ondertekend door alle partijen"),
        "withdrawal": _("Intrekking door alle verzoekers"),
    }


@service
def dispute_settle(
    *, dispute: Dispute, actor, basis: str = "", signed_by=(), documents=(), note: str = "", expected_version=None
) -> Dispute:
    """The parties reached agreement after all. The secretary records it, but never on their own say-so
    (procedure.md §0); the ``basis`` is either

    - ``agreement``: a vaststellingsovereenkomst (uploaded here) signed by every party that still acts on the case
      (the applicants that have not withdrawn, and the respondents): ``signed_by`` names exactly those; or
    - ``withdrawal``: the intrekking (uploaded here) of every applicant that has not withdrawn yet: ``signed_by``
      names exactly those, and each is marked withdrawn.

    ``Dispute.settlement_basis`` keeps the basis; the event's payload names the signatories. ``signed_by`` holds
    organisations (or their ids)."""
    from ..models import Organisation, PartyRole

    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "settle"))
    # the parties to the dispute; an interested party only invited to give its view (Awb 4:8) signs nothing
    active = [p for p in dispute.parties.select_related("organisation")
              if p.withdrawn_at is None and p.role != PartyRole.INTERESTED]
    if basis == "agreement":
        required, doc_type = active, "vaststellingsovereenkomst"
        document_missing = _("Voeg de vaststellingsovereenkomst toe.")
        not_signed = _("De vaststellingsovereenkomst is niet ondertekend door: %(names)s. Een schikking vraagt de "
                       "handtekening van elke partij.")
        not_a_party = _("Alleen partijen bij het geschil ondertekenen de vaststellingsovereenkomst, niet: %(names)s.")
    elif basis == "withdrawal":
        required, doc_type = [p for p in active if p.role == PartyRole.APPLICANT], "intrekking"
        document_missing = _("Voeg de intrekking van de verzoekers toe.")
        not_signed = _("Het verzoek is niet ingetrokken door: %(names)s. Een schikking door intrekking vraagt de "
                       "intrekking van elke verzoeker.")
        not_a_party = _("Alleen verzoekers kunnen het verzoek intrekken, niet: %(names)s.")
    else:
        raise ValidationError({"basis": _(
            "Kies de grondslag van de schikking: een vaststellingsovereenkomst die alle partijen hebben ondertekend, "
            "of de intrekking door de verzoekers. Het secretariaat kan een geschil niet op eigen gezag als geschikt "
            "afsluiten.")})
    signed = {str(getattr(o, "pk", o)) for o in signed_by}
    wanted = {str(p.organisation_id): p.organisation.name for p in required}
    errors = {}
    if not any(t == doc_type for t, _f in documents):
        errors["documents"] = document_missing
    if signed - set(wanted):
        names = Organisation.objects.filter(pk__in=signed - set(wanted)).order_by("name").values_list("name", flat=True)
        errors["signed_by"] = not_a_party % {"names": ", ".join(names) or "?"}
    elif set(wanted) - signed:
        errors["signed_by"] = not_signed % {"names": ", ".join(sorted(wanted[pk] for pk in set(wanted) - signed))}
    if errors:
        raise ValidationError(errors)
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.CLOSING)
    now = clock.now()
    if basis == "withdrawal":
        dispute.parties.filter(organisation_id__in=list(wanted)).update(withdrawn_at=now)
    dispute.settlement_basis = basis
    signatories = [{"id": pk, "name": name} for pk, name in sorted(wanted.items(), key=lambda item: item[1])]
    event = fire(dispute, "settle", actor=actor, at=now,
                 payload={"note": note, "basis": basis, "signed_by": signatories})
    for deadline in dispute.deadlines.filter(closed_at__isnull=True):
        deadlines.close(deadline, note="geschikt")
    on_commit_notify(event)
    return dispute


@service
def dispute_close(*, dispute: Dispute, actor=None, expected_version=None) -> Dispute:
    """Close a decided case once the objection term and the week after it (Awb 6:9 lid 2) have passed and no
    bezwaar was received (``aftercare.closing_problems``); it becomes read-only."""
    from .aftercare import closing_problems

    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "close"))
    problems = closing_problems(dispute) if dispute.state == DisputeState.DECIDED else []
    if problems:
        raise GuardFailed(problems)
    fire(dispute, "close", actor=actor, at=clock.now())
    for objection in dispute.deadlines.filter(kind=DeadlineKind.OBJECTION, closed_at__isnull=True):
        deadlines.close(objection, note="verstreken")
    return dispute
