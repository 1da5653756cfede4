"""Editing a draft before it is filed, and documents on effort-log entries.

A draft (``state == "draft"``) is prepared step by step in the party portal: kind, agreement and
parties, the date the dispute arose, the dispute points with the applicant's position, documents.
Every function here is a service: atomic (``@service``, which also removes files stored by a
failing call), keyword-only, and takes the acting user. The draft services lock the case, check
that the actor is a member of an applicant organisation and that the case is still a draft, record
a small audit event and bump ``Dispute.version`` so that a stale form elsewhere becomes a
``Conflict``. The organisation a user acts for always comes from their membership, never from input.

Effort-log documents belong to an entry of the agreement's log, not to a case: every party of the
agreement sees them (``effort_attach_document``).
"""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..models import (
    Confidentiality,
    Dispute,
    DisputeKind,
    DisputeParty,
    DisputePoint,
    Document,
    DocumentType,
    EffortEntry,
    LocalAgreement,
    Organisation,
    PartyRole,
    PointPosition,
    Step,
)
from ..uploads import check_upload
from ._core import bump, change, lock, record, require_operation, service, track_stored_file
from .documents import store_document
from .filing import effort_record, record_on_running_cases

logger = logging.getLogger("disputes.drafts")

#: Document types a party attaches to a filing (procedure.md §8, "before filing" and "filing").
FILING_DOCUMENT_TYPES = (
    DocumentType.VERZOEK,
    DocumentType.MACHTIGING,
    DocumentType.BOD,
    DocumentType.INDICATIE_MIDDELEN,
    DocumentType.WOONVISIE,
    DocumentType.UITNODIGING_OVERLEG,
    DocumentType.VERSLAG_OVERLEG,
    DocumentType.PROCESAFSPRAKEN,
    DocumentType.CONCEPT_PRESTATIEAFSPRAKEN,
    DocumentType.CORRESPONDENTIE,
    DocumentType.VERSLAG_MEDIATION,
    DocumentType.ONDERTEKENDE_PRESTATIEAFSPRAKEN,
    DocumentType.MONITOR,
    DocumentType.INGEBREKESTELLING,
    DocumentType.REACTIE_WEDERPARTIJ,
    DocumentType.OVERIG,
)
#: Document types that can be linked to an effort-log entry (the evidence of the overleg itself).
EFFORT_DOCUMENT_TYPES = tuple(t for t in FILING_DOCUMENT_TYPES if t not in (DocumentType.VERZOEK,
                                                                             DocumentType.MACHTIGING))

#: Audit-event kinds recorded by the draft services (the portal shows them in words).
DRAFT_EVENT_KINDS = ("draft_updated", "draft_points_changed", "document_withdrawn")


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


#: Default of the optional arguments of ``draft_update``: "leave this as it is".
UNCHANGED = _Unchanged()


# -- shared checks ----------------------------------------------------------------------------------------------

def _lock_draft(dispute: Dispute, actor, expected_version: int | None) -> Dispute:
    """Lock the case; the actor must be one who may edit the draft, and the case still a draft (``edit_draft``
    in the operations table)."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(
        dispute, "edit_draft", actor=actor,
        message=_("Dit geschil is al ingediend; het concept kan niet meer worden gewijzigd."),
        not_permitted=_("Alleen de verzoekende organisatie kan dit concept wijzigen."),
    )
    return dispute


def _clean_text(value: str, *, field: str, max_length: int, errors: dict, required: bool = False,
                required_message: str = "") -> str:
    value = (value or "").strip()
    if "\x00" in value:
        errors[field] = _("Deze tekst bevat een ongeldig teken.")
    elif len(value) > max_length:
        errors[field] = _("Deze tekst is te lang (ten hoogste %(max)d tekens).") % {"max": max_length}
    elif required and not value:
        errors[field] = required_message or _("Dit veld is verplicht.")
    return value


# -- kind, agreement, parties, date, title ----------------------------------------------------------------------

@service
def draft_update(
    *,
    dispute: Dispute,
    actor,
    expected_version: int | None = None,
    kind=UNCHANGED,
    agreement=UNCHANGED,
    co_applicants=UNCHANGED,
    respondents=UNCHANGED,
    arose_on=UNCHANGED,
    title=UNCHANGED,
) -> Dispute:
    """Change what the draft says about itself; every argument left ``UNCHANGED`` stays as it is.

    The applicant organisation(s) the actor is a member of stay applicants; ``co_applicants`` are the
    other organisations filing jointly. Changing the agreement without naming new parties keeps only
    the actor's own organisation (the other parties belonged to the old overleg).
    """
    dispute = _lock_draft(dispute, actor, expected_version)
    errors: dict[str, str] = {}
    changed: list[str] = []

    if kind is not UNCHANGED:
        if kind not in DisputeKind.values:
            errors["kind"] = _("Kies totstandkoming of nakoming.")
        elif kind != dispute.kind:
            dispute.kind = kind
            changed.append("kind")

    target = dispute.agreement if agreement is UNCHANGED else agreement
    own_ids = permissions.party_organisations(actor, dispute, PartyRole.APPLICANT)
    if agreement is not UNCHANGED and agreement.pk != dispute.agreement_id:
        if not own_ids & agreement.party_ids():
            errors["agreement"] = _("Uw organisatie neemt niet deel aan het overleg over deze prestatieafspraken.")
        else:
            dispute.agreement = agreement
            changed.append("agreement")
            if co_applicants is UNCHANGED:
                co_applicants = []
            if respondents is UNCHANGED:
                respondents = []

    if co_applicants is not UNCHANGED or respondents is not UNCHANGED:
        current = list(dispute.parties.all())
        if co_applicants is UNCHANGED:
            applicant_ids = {p.organisation_id for p in current if p.role == PartyRole.APPLICANT}
        else:
            applicant_ids = set(own_ids) | {o.pk for o in co_applicants}
        if respondents is UNCHANGED:
            respondent_ids = {p.organisation_id for p in current if p.role == PartyRole.RESPONDENT}
        else:
            respondent_ids = {o.pk for o in respondents}
        if applicant_ids & respondent_ids:
            errors["respondents"] = _("Een organisatie kan niet zowel verzoeker als verweerder zijn.")
        elif (applicant_ids | respondent_ids) - target.party_ids():
            errors["respondents"] = _("Alle partijen moeten deelnemen aan het overleg over deze prestatieafspraken.")
        else:
            wanted = {pk: PartyRole.APPLICANT for pk in applicant_ids}
            wanted.update({pk: PartyRole.RESPONDENT for pk in respondent_ids})
            have = {p.organisation_id: p for p in current}
            if {pk: p.role for pk, p in have.items()} != wanted:
                changed.append("parties")
            if not errors:
                DisputeParty.objects.filter(dispute=dispute).exclude(organisation_id__in=list(wanted)).delete()
                for pk, role in wanted.items():
                    party = have.get(pk)
                    if party is None:
                        DisputeParty.objects.create(dispute=dispute, organisation_id=pk, role=role)
                    elif party.role != role:
                        party.role = role
                        party.save(update_fields=["role"])

    if arose_on is not UNCHANGED:
        if arose_on is not None and not isinstance(arose_on, date):
            errors["arose_on"] = _("Vul een geldige datum in.")
        elif arose_on is not None and arose_on > clock.today():
            errors["arose_on"] = _("De datum waarop het geschil ontstond mag niet in de toekomst liggen.")
        elif arose_on != dispute.arose_on:
            dispute.arose_on = arose_on
            changed.append("arose_on")

    if title is not UNCHANGED:
        title = _clean_text(title, field="title", max_length=200, errors=errors)
        if "title" not in errors and title != dispute.title:
            dispute.title = title
            changed.append("title")

    if errors:
        raise ValidationError(errors)
    change(
        dispute, actor=actor, kind="draft_updated", payload={"fields": changed},
        organisation=permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT),
        already_set=tuple(f for f in changed if f in ("kind", "agreement", "arose_on", "title")),
    )
    return dispute


# -- dispute points and the applicant's positions ---------------------------------------------------------------

def _free_key(dispute: Dispute, taken: set[str]) -> str:
    n = len(taken) + 1
    while f"p{n}" in taken:
        n += 1
    return f"p{n}"


def _renumber(dispute: Dispute) -> None:
    """Number the points 1..n in their current order (two passes keep the unique numbers unique)."""
    points = list(DisputePoint.objects.filter(dispute=dispute).order_by("number", "pk"))
    if all(p.number == i for i, p in enumerate(points, start=1)):
        return
    DisputePoint.objects.filter(dispute=dispute).update(number=F("number") + 10000)
    for i, point in enumerate(points, start=1):
        DisputePoint.objects.filter(pk=point.pk).update(number=i)


def _set_position(point: DisputePoint, organisation: Organisation, text: str) -> None:
    if text:
        PointPosition.objects.update_or_create(
            point=point, organisation=organisation, defaults={"text": text, "recorded_at": clock.now()}
        )
    else:
        PointPosition.objects.filter(point=point, organisation=organisation).delete()


def _point_of(dispute: Dispute, point) -> DisputePoint:
    pk = point.pk if isinstance(point, DisputePoint) else point
    try:
        return DisputePoint.objects.get(pk=pk, dispute=dispute)
    except (DisputePoint.DoesNotExist, ValueError, ValidationError) as exc:
        raise ValidationError({"points": _("Dit geschilpunt hoort niet bij dit geschil.")}) from exc


def _points_event(dispute: Dispute, actor, **payload) -> None:
    change(dispute, actor=actor, kind="draft_points_changed", payload=payload,
           organisation=permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT))


@service
def draft_point_add(*, dispute: Dispute, actor, title: str, position: str = "",
                    expected_version: int | None = None) -> DisputePoint:
    """Add a dispute point at the end, with the applicant's position on it."""
    dispute = _lock_draft(dispute, actor, expected_version)
    errors: dict[str, str] = {}
    title = _clean_text(title, field="title", max_length=300, errors=errors, required=True,
                        required_message=_("Beschrijf het geschilpunt."))
    position = _clean_text(position, field="position", max_length=20000, errors=errors)
    if errors:
        raise ValidationError(errors)
    taken = set(dispute.points.values_list("key", flat=True))
    point = DisputePoint.objects.create(
        dispute=dispute, number=len(taken) + 1, key=_free_key(dispute, taken), title=title
    )
    _renumber(dispute)
    _set_position(point, permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT), position)
    _points_event(dispute, actor, added=[point.key])
    return DisputePoint.objects.get(pk=point.pk)


@service
def draft_point_update(*, point: DisputePoint, actor, title: str, position: str | None = None,
                       expected_version: int | None = None) -> DisputePoint:
    """Change a point's description (and, when given, the applicant's position on it)."""
    dispute = _lock_draft(point.dispute, actor, expected_version)
    point = _point_of(dispute, point)
    errors: dict[str, str] = {}
    title = _clean_text(title, field="title", max_length=300, errors=errors, required=True,
                        required_message=_("Beschrijf het geschilpunt of verwijder het."))
    if position is not None:
        position = _clean_text(position, field="position", max_length=20000, errors=errors)
    if errors:
        raise ValidationError(errors)
    point.title = title
    point.save(update_fields=["title"])
    if position is not None:
        _set_position(point, permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT), position)
    _points_event(dispute, actor, updated=[point.key])
    return point


@service
def draft_set_position(*, point: DisputePoint, actor, text: str, expected_version: int | None = None) -> DisputePoint:
    """Set (or, with an empty text, clear) the applicant organisation's own position on a point."""
    dispute = _lock_draft(point.dispute, actor, expected_version)
    point = _point_of(dispute, point)
    errors: dict[str, str] = {}
    text = _clean_text(text, field="position", max_length=20000, errors=errors)
    if errors:
        raise ValidationError(errors)
    _set_position(point, permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT), text)
    _points_event(dispute, actor, position=[point.key])
    return point


@service
def draft_point_remove(*, point: DisputePoint, actor, expected_version: int | None = None) -> Dispute:
    """Remove a point from the draft (with its positions); the others are numbered again 1..n."""
    dispute = _lock_draft(point.dispute, actor, expected_version)
    point = _point_of(dispute, point)
    key = point.key
    point.delete()
    _renumber(dispute)
    _points_event(dispute, actor, removed=[key])
    return dispute


@service
def draft_points_save(*, dispute: Dispute, actor, points: list[dict], remove=(),
                      expected_version: int | None = None) -> Dispute:
    """Save the points page in one go: ``points`` are dicts with ``id`` (None for a new point),
    ``title`` and ``position``; a new point with an empty title is ignored; ``remove`` lists ids to
    remove. The points keep their order and are numbered 1..n. Errors are keyed ``points-<index>-title``.
    """
    dispute = _lock_draft(dispute, actor, expected_version)
    own = permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT)
    existing = {str(p.pk): p for p in dispute.points.all()}
    remove = {str(pk) for pk in remove}
    unknown = [pk for pk in remove if pk not in existing]
    errors: dict[str, str] = {}
    cleaned = []
    for index, spec in enumerate(points):
        pk = str(spec["id"]) if spec.get("id") else None
        if pk is not None and pk not in existing:
            unknown.append(pk)
            continue
        if pk in remove:
            continue
        title = _clean_text(spec.get("title", ""), field=f"points-{index}-title", max_length=300, errors=errors,
                            required=pk is not None, required_message=_("Beschrijf het geschilpunt of verwijder het."))
        position = _clean_text(spec.get("position", ""), field=f"points-{index}-position", max_length=20000,
                               errors=errors)
        if pk is None and not title:
            if position:
                errors[f"points-{index}-title"] = _("Beschrijf het geschilpunt bij dit standpunt.")
            continue
        cleaned.append((pk, title, position))
    if unknown:
        errors["points"] = _("Dit geschilpunt hoort niet bij dit geschil.")
    if errors:
        raise ValidationError(errors)

    removed = sorted(existing[pk].key for pk in remove)
    DisputePoint.objects.filter(pk__in=list(remove), dispute=dispute).delete()
    taken = {p.key for pk, p in existing.items() if pk not in remove}
    added, updated = [], []
    DisputePoint.objects.filter(dispute=dispute).update(number=F("number") + 10000)
    for number, (pk, title, position) in enumerate(cleaned, start=1):
        if pk is None:
            key = _free_key(dispute, taken)
            taken.add(key)
            point = DisputePoint.objects.create(dispute=dispute, number=number, key=key, title=title)
            added.append(key)
        else:
            point = existing[pk]
            if point.title != title:
                updated.append(point.key)
            point.title = title
            point.number = number
            point.save(update_fields=["title", "number"])
        _set_position(point, own, position)
    _renumber(dispute)  # points the form did not list (a stale page) follow the listed ones
    _points_event(dispute, actor, added=added, updated=updated, removed=removed)
    return dispute


# -- documents of the draft -------------------------------------------------------------------------------------

@service
def draft_add_document(*, dispute: Dispute, actor, uploaded, doc_type: str,
                       expected_version: int | None = None) -> Document:
    """Check and store one file in the draft's filing bundle; it is filed with the draft on submission."""
    dispute = _lock_draft(dispute, actor, expected_version)
    if doc_type not in FILING_DOCUMENT_TYPES:
        raise ValidationError({"doc_type": _("Kies een soort document dat bij de indiening hoort.")})
    document = store_document(
        dispute=dispute, actor=actor, uploaded=uploaded, doc_type=doc_type, step=Step.FILING, submitted=False
    )
    bump(dispute)
    return document


@service
def draft_withdraw_document(*, document: Document, actor, expected_version: int | None = None) -> Document:
    """Take a document out of the draft: the row and the file stay, it is no longer part of the case."""
    if document.dispute_id is None:
        raise ValidationError(_("Dit document hoort niet bij een concept."))
    dispute = _lock_draft(Dispute(pk=document.dispute_id), actor, expected_version)
    document = Document.objects.get(pk=document.pk)
    if document.dispute_id != dispute.pk:
        raise ValidationError(_("Dit document hoort niet bij dit geschil."))
    if document.submitted_at is not None:
        raise ValidationError(_("Een ingediend document kan niet meer worden teruggetrokken."))
    if document.withdrawn_at is not None:
        raise ValidationError(_("Dit document is al uit het concept gehaald."))
    document.withdrawn_at = clock.now()
    document.save(update_fields=["withdrawn_at"])
    change(
        dispute, actor=actor, kind="document_withdrawn",
        organisation=permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT),
        payload={"document": str(document.pk), "type": document.doc_type, "name": document.display_name},
        visibility=document.confidentiality,
    )
    return document


# -- the effort log: entries with their documents ---------------------------------------------------------------

@service
def effort_attach_document(*, entry: EffortEntry, actor, uploaded, doc_type: str) -> Document:
    """Link a document to an effort-log entry. It belongs to the agreement's log, not to a case, and
    every party of the agreement sees it. Only members of the organisation that recorded the entry
    add documents to it; it is immutable from the start (evidence of the overleg).
    """
    agreement = LocalAgreement.objects.select_for_update().get(pk=entry.agreement_id)
    entry = EffortEntry.objects.get(pk=entry.pk)
    permissions.require(
        permissions.can_record_effort(actor, agreement)
        and entry.organisation_id in permissions.organisation_ids(actor),
        _("Alleen de organisatie die deze logboekregel vastlegde kan er documenten aan toevoegen."),
    )
    if doc_type not in EFFORT_DOCUMENT_TYPES:
        raise ValidationError({"doc_type": _("Kies een soort document dat bij het overleg hoort.")})
    checked = check_upload(uploaded)
    now = clock.now()
    document = Document(
        dispute=None,
        bundle=None,
        effort_entry=entry,
        doc_type=doc_type,
        display_name=checked.display_name,
        sha256=checked.sha256,
        size=checked.size,
        content_type=checked.content_type,
        page_count=checked.page_count,
        uploaded_by=actor,
        organisation=entry.organisation,
        confidentiality=Confidentiality.PARTIES,
        uploaded_at=now,
        submitted_at=now,
    )
    document.file.save("upload", ContentFile(checked.content), save=False)
    track_stored_file(document.file.storage, document.file.name)
    document.save()
    logger.info(
        "effort document added: entry=%s document=%s sha256=%s actor=%s", entry.pk, document.pk, document.sha256,
        getattr(actor, "pk", None),
    )
    record_on_running_cases(
        agreement, actor=actor, kind="effort_document_added", organisation=entry.organisation,
        payload={"entry": str(entry.pk), "document": str(document.pk), "type": doc_type,
                 "name": document.display_name, "sha256": document.sha256},
    )
    return document


@service
def effort_record_with_documents(
    *,
    agreement: LocalAgreement,
    actor,
    kind: str,
    occurred_on: date,
    summary: str,
    participants: str = "",
    documents=(),
) -> EffortEntry:
    """Add an entry to the effort log together with its documents (``(doc_type, file)`` pairs), all or nothing."""
    entry = effort_record(
        agreement=agreement, actor=actor, kind=kind, occurred_on=occurred_on, summary=summary,
        participants=participants,
    )
    for doc_type, uploaded in documents:
        effort_attach_document(entry=entry, actor=actor, uploaded=uploaded, doc_type=doc_type)
    return entry


# -- integrity ---------------------------------------------------------------------------------------------------

@service
def document_integrity_alarm(*, document: Document, actor, detail: str = "") -> None:
    """Record that a stored file no longer matches its SHA-256 (a download was blocked, or the
    periodic check in ``disputes/integrity.py`` found it).

    Logged at ERROR level, and an internal audit event on the case when the document has one. An
    effort-log document has no case of its own: it is part of the file of every case on its
    agreement, so the event is recorded on each of those (none yet: the log line is the record).
    """
    logger.error(
        "integrity failure: document=%s sha256=%s actor=%s %s", document.pk, document.sha256,
        getattr(actor, "pk", None), detail,
    )
    if document.dispute_id is not None:
        cases = Dispute.objects.filter(pk=document.dispute_id)
    elif document.effort_entry_id is not None:
        cases = Dispute.objects.filter(agreement__effort_entries=document.effort_entry_id).order_by("pk")
    else:
        return
    for dispute in cases:
        record(
            dispute, actor=actor, kind="integrity_failure",
            payload={"document": str(document.pk), "sha256": document.sha256, "detail": detail},
            visibility=Confidentiality.INTERNAL,
        )
