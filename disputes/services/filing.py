"""Filing: the effort log, the draft, submission and withdrawal by the applicant."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from .. import admissibility, clock, permissions
from ..models import (
    CaseNumberCounter,
    DeadlineKind,
    Dispute,
    DisputeKind,
    DisputeParty,
    DisputePoint,
    EffortEntry,
    EffortKind,
    LocalAgreement,
    Organisation,
    PartyRole,
    PointPosition,
    Step,
)
from ..rules import rule_set_on
from ..states import OPEN_STATES, DisputeState
from . import accounts, deadlines, letters
from ._core import change, fire, lock, on_commit_notify, record, require_operation, service
from .documents import store_all


@service
def effort_record(
    *,
    agreement: LocalAgreement,
    actor,
    kind: str,
    occurred_on: date,
    summary: str,
    participants: str = "",
    organisation: Organisation | None = None,
) -> EffortEntry:
    """Add an entry to the overleg's effort log, for one of the actor's organisations in the overleg."""
    party_orgs = permissions.organisation_ids(actor) & agreement.party_ids()
    permissions.require(bool(party_orgs), _("Alleen partijen bij dit overleg kunnen het logboek bijhouden."))
    if organisation is None:
        organisation = Organisation.objects.filter(pk__in=party_orgs).order_by("name").first()
    permissions.require(organisation.pk in party_orgs)
    errors = {}
    if kind not in EffortKind.values:
        errors["kind"] = _("Onbekende soort logboekregel.")
    if occurred_on > clock.today():
        errors["occurred_on"] = _("De datum mag niet in de toekomst liggen.")
    if not summary.strip():
        errors["summary"] = _("Vul een samenvatting in.")
    if errors:
        raise ValidationError(errors)
    entry = EffortEntry.objects.create(
        agreement=agreement, kind=kind, occurred_on=occurred_on, organisation=organisation, recorded_by=actor,
        recorded_at=clock.now(), participants=participants, summary=summary,
    )
    record_on_running_cases(
        agreement, actor=actor, kind="effort_recorded", organisation=organisation,
        payload={"entry": str(entry.pk), "entry_kind": kind, "occurred_on": occurred_on.isoformat(),
                 "summary": summary},
    )
    return entry


def record_on_running_cases(agreement: LocalAgreement, *, actor, kind: str, organisation, payload: dict) -> None:
    """Record a change to the agreement's effort log on every case of the agreement still running.

    The log belongs to the agreement, and every case filed on it relies on it (procedure.md §4), so
    a change to it is a change to the file of each of those cases, whichever page it came from (the
    agreement page has no case at all). Drafts and open cases get the event; a case that has ended
    (decided, withdrawn, settled, closed) keeps the trail it was decided on. The cases are not
    locked or versioned: an entry changes no case's state, so it must not turn a staff member's
    open form into a conflict.
    """
    running = [DisputeState.DRAFT, *OPEN_STATES]
    for dispute in Dispute.objects.filter(agreement=agreement, state__in=running).order_by("created_at", "pk"):
        record(dispute, actor=actor, kind=kind, organisation=organisation, payload=payload)


@service
def dispute_file(
    *,
    actor,
    agreement: LocalAgreement,
    kind: str,
    applicants: list[Organisation],
    respondents: list[Organisation],
    arose_on: date | None,
    points: list[dict],
    title: str = "",
    documents=(),
) -> Dispute:
    """Create a draft dispute. ``points`` are dicts with ``title``, optional ``key`` and ``position``.

    The actor must be a member of at least one applicant organisation (joint filing is allowed);
    all parties must take part in the agreement's overleg and no organisation can be on both sides.
    """
    applicant_ids = {o.pk for o in applicants}
    respondent_ids = {o.pk for o in respondents}
    permissions.require(
        bool(permissions.organisation_ids(actor) & applicant_ids),
        _("U kunt alleen een geschil indienen namens een organisatie waarvan u lid bent."),
    )
    errors = {}
    if kind not in DisputeKind.values:
        errors["kind"] = _("Kies totstandkoming of nakoming.")
    if applicant_ids & respondent_ids:
        errors["respondents"] = _("Een organisatie kan niet zowel verzoeker als verweerder zijn.")
    outside = (applicant_ids | respondent_ids) - agreement.party_ids()
    if outside:
        errors["respondents"] = _("Alle partijen moeten deelnemen aan het overleg over deze prestatieafspraken.")
    if arose_on is not None and arose_on > clock.today():
        errors["arose_on"] = _("De datum waarop het geschil ontstond mag niet in de toekomst liggen.")
    keys = [p.get("key") for p in points if p.get("key")]
    if len(keys) != len(set(keys)):
        errors["points"] = _("Elk geschilpunt heeft een eigen sleutel.")
    if any(not (p.get("title") or "").strip() for p in points):
        errors["points"] = _("Elk geschilpunt heeft een omschrijving.")
    if errors:
        raise ValidationError(errors)

    now = clock.now()
    dispute = Dispute.objects.create(
        kind=kind, rule_set=rule_set_on(clock.today()).code, agreement=agreement, arose_on=arose_on,
        title=title, created_by=actor, created_at=now,
    )
    DisputeParty.objects.bulk_create(
        [DisputeParty(dispute=dispute, organisation_id=pk, role=PartyRole.APPLICANT) for pk in applicant_ids]
        + [DisputeParty(dispute=dispute, organisation_id=pk, role=PartyRole.RESPONDENT) for pk in respondent_ids]
    )
    own = permissions.acting_organisation(actor, dispute)
    for number, spec in enumerate(points, start=1):
        point = DisputePoint.objects.create(
            dispute=dispute, number=number, key=spec.get("key") or f"p{number}", title=spec["title"].strip()
        )
        if (spec.get("position") or "").strip():
            PointPosition.objects.create(point=point, organisation=own, text=spec["position"], recorded_at=now)
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.FILING)
    record(dispute, actor=actor, kind="drafted", to_state=dispute.state, organisation=own)
    return dispute


def _next_case_number(year: int) -> str:
    """GPA-<year>-<nnnn> from a per-year counter row read under a lock (never MAX()+1)."""
    from django.conf import settings

    try:
        with transaction.atomic():
            CaseNumberCounter.objects.create(year=year, last=0)
    except IntegrityError:
        pass  # another transaction created this year's row first
    counter = CaseNumberCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{settings.CASE_NUMBER_PREFIX}-{year}-{counter.last:04d}"


@service
def dispute_submit(*, dispute: Dispute, actor, expected_version: int | None = None) -> Dispute:
    """The applicant files the draft: case number, filing and decision deadlines, acknowledgement."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "submit"))
    now = clock.now()
    today = clock.today()
    rules = rule_set_on(today)
    dispute.rule_set = rules.code
    payload = {"rule_set": rules.code, "provisional": rules.provisional}
    if dispute.kind not in rules.kinds:
        payload["suggested_reasons"] = ["A4"]
    event = fire(
        dispute, "submit", actor=actor, organisation=permissions.acting_organisation(actor, dispute),
        submitted_at=now, case_number=_next_case_number(today.year), payload=payload,
    )
    dispute.documents.current().filter(submitted_at__isnull=True).update(submitted_at=now)
    # the one filing-term computation the portal and the staff pages show (admissibility.filing_term_for)
    with translation.override("nl"):  # its explanation is stored, in the dossier's language
        chosen = admissibility.filing_term_for(admissibility.facts_of(dispute, today=today))
    if chosen is not None:
        filing = deadlines.store_term(dispute, DeadlineKind.FILING, chosen.term, why=chosen.why)
        late = today > filing.due
        deadlines.close(filing, note="te laat ingediend (A1)" if late else "tijdig ingediend")
    deadlines.set_term(dispute, DeadlineKind.DECISION, start=today, weeks=rules.decision_weeks)
    letters.send_system_letter(dispute, "ontvangstbevestiging")  # to each applicant, as a case document
    # a respondent nobody acts for yet is invited through its general e-mail address (docs/accounts.md)
    accounts.invite_unrepresented_respondents(dispute)
    on_commit_notify(event)
    return dispute


@service
def dispute_withdraw(*, dispute: Dispute, actor, reason: str = "", documents=(), expected_version=None) -> Dispute:
    """An applicant withdraws its request (intrekking). In a joint request that ends only its own part
    (procedure.md §0): its party row is marked withdrawn (``DisputeParty.withdrawn_at``), its own open terms end,
    and the case goes on for the other applicants (event ``applicant_withdrawn``, no change of state). The last
    applicant's withdrawal ends the case (transition ``withdraw``) and every open term. A draft is withdrawn as a
    whole, as before. A user who belongs to several applicants withdraws for the first of them by name.
    """
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "withdraw", actor=actor, not_permitted=_(
        "Alleen een verzoeker kan het verzoek intrekken, en elke verzoeker maar één keer."))
    organisation = permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT)
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.CLOSING)
    now = clock.now()
    payload = {"reason": reason, "organisation": organisation.name}
    if dispute.state != DisputeState.DRAFT:
        DisputeParty.objects.filter(dispute=dispute, organisation=organisation).update(withdrawn_at=now)
        for deadline in dispute.deadlines.filter(organisation=organisation, closed_at__isnull=True):
            deadlines.close(deadline, note="ingetrokken")
    remaining = sorted(
        p.organisation.name for p in dispute.parties.select_related("organisation")
        if p.role == PartyRole.APPLICANT and p.withdrawn_at is None
    )
    if dispute.state != DisputeState.DRAFT and remaining:
        event = change(dispute, actor=actor, kind="applicant_withdrawn", organisation=organisation,
                       payload={**payload, "remaining": remaining})
    else:
        event = fire(dispute, "withdraw", actor=actor, organisation=organisation, at=now, payload=payload)
        for deadline in dispute.deadlines.filter(closed_at__isnull=True):
            deadlines.close(deadline, note="ingetrokken")
    on_commit_notify(event)
    return dispute
