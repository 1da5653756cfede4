"""Editing a draft before it is filed, and documents on effort-log entries.

A draft (``state == "draft"``) is prepared step by step in the party portal: kind, agreement and
parties, the date the dispute arose, the dispute points with the applicant's position, documents;
each step has its service here (``draft_set_kind``, ``draft_set_agreement``, ``draft_set_parties``,
``draft_set_date_and_title``, ``draft_points_save``, ``draft_add_document``). The services take clean
data: the portal's forms check the input's shape (required, length, NUL bytes, date format); the
services check the rules (who, when, which organisations and points belong to the case).
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
from django.db.models import F, Max
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

#: Document types a party adds to its case after filing (``dispute_submit_documents``): those of a filing, and
#: an aanvulling; not the answers to a question or a verweerschrift, which have their own pages.
PARTY_DOCUMENT_TYPES = (DocumentType.AANVULLING, *(t for t in FILING_DOCUMENT_TYPES if t != DocumentType.VERZOEK))

#: Audit-event kinds recorded by the draft services (the portal shows them in words).
DRAFT_EVENT_KINDS = ("draft_updated", "draft_points_changed", "document_withdrawn")


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


# -- the wizard's steps on the draft: kind, agreement, parties, date and title ---------------------------------
#
# One service per step of the wizard (disputes/portal/wizard.py). Each takes clean data (the form checked its
# shape: required, length, NUL bytes, date format) and checks the rules; each records one ``draft_updated``
# event naming the fields that changed (none when the page was saved unchanged) and bumps the version.

def _record_update(dispute: Dispute, actor, values: dict, *, parties_changed: bool = False) -> None:
    """Set ``values`` on the locked draft, save those that changed and record ``draft_updated``."""
    changed = [name for name, value in values.items() if getattr(dispute, name) != value]
    for name in changed:
        setattr(dispute, name, values[name])
    change(
        dispute, actor=actor, kind="draft_updated", payload={"fields": changed + ["parties"] * parties_changed},
        organisation=permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT),
        already_set=tuple(changed),
    )


def _set_parties(dispute: Dispute, agreement: LocalAgreement, applicant_ids: set, respondent_ids: set) -> bool:
    """Make the draft's parties these applicants and respondents; True when that changed anything.

    The rule: no organisation on both sides, and every party takes part in the overleg of ``agreement``.
    """
    if applicant_ids & respondent_ids:
        raise ValidationError({"respondents": _("Een organisatie kan niet zowel verzoeker als verweerder zijn.")})
    if (applicant_ids | respondent_ids) - agreement.party_ids():
        raise ValidationError(
            {"respondents": _("Alle partijen moeten deelnemen aan het overleg over deze prestatieafspraken.")}
        )
    wanted = {pk: PartyRole.APPLICANT for pk in applicant_ids}
    wanted.update({pk: PartyRole.RESPONDENT for pk in respondent_ids})
    have = {p.organisation_id: p for p in dispute.parties.all()}
    if {pk: p.role for pk, p in have.items()} == wanted:
        return False
    DisputeParty.objects.filter(dispute=dispute).exclude(organisation_id__in=list(wanted)).delete()
    for pk, role in wanted.items():
        party = have.get(pk)
        if party is None:
            DisputeParty.objects.create(dispute=dispute, organisation_id=pk, role=role)
        elif party.role != role:
            party.role = role
            party.save(update_fields=["role"])
    return True


@service
def draft_set_kind(*, dispute: Dispute, actor, kind: str, expected_version: int | None = None) -> Dispute:
    """Step 1: what the dispute is about, totstandkoming or nakoming."""
    dispute = _lock_draft(dispute, actor, expected_version)
    if kind not in DisputeKind.values:
        raise ValidationError({"kind": _("Kies totstandkoming of nakoming.")})
    _record_update(dispute, actor, {"kind": kind})
    return dispute


@service
def draft_set_agreement(*, dispute: Dispute, actor, agreement: LocalAgreement,
                        expected_version: int | None = None) -> Dispute:
    """Step 2a: the prestatieafspraken the dispute is about; the actor's organisation must take part in its
    overleg. A different agreement keeps only the actor's own organisation(s) as parties (the others belonged
    to the old overleg); the parties step names them again."""
    dispute = _lock_draft(dispute, actor, expected_version)
    if agreement.pk == dispute.agreement_id:
        _record_update(dispute, actor, {})
        return dispute
    own_ids = permissions.party_organisations(actor, dispute, PartyRole.APPLICANT)
    if not own_ids & agreement.party_ids():
        raise ValidationError(
            {"agreement": _("Uw organisatie neemt niet deel aan het overleg over deze prestatieafspraken.")}
        )
    parties_changed = _set_parties(dispute, agreement, set(own_ids), set())
    _record_update(dispute, actor, {"agreement": agreement}, parties_changed=parties_changed)
    return dispute


@service
def draft_set_parties(*, dispute: Dispute, actor, co_applicants, respondents,
                      expected_version: int | None = None) -> Dispute:
    """Step 2b: the parties. The applicant organisation(s) the actor is a member of stay applicants;
    ``co_applicants`` are the other organisations filing jointly, ``respondents`` those it is filed against."""
    dispute = _lock_draft(dispute, actor, expected_version)
    applicant_ids = set(permissions.party_organisations(actor, dispute, PartyRole.APPLICANT))
    applicant_ids |= {o.pk for o in co_applicants}
    parties_changed = _set_parties(dispute, dispute.agreement, applicant_ids, {o.pk for o in respondents})
    _record_update(dispute, actor, {}, parties_changed=parties_changed)
    return dispute


@service
def draft_set_date_and_title(*, dispute: Dispute, actor, arose_on: date | None, title: str,
                             expected_version: int | None = None) -> Dispute:
    """Step 3: the date the dispute arose (not in the future) and its short description."""
    dispute = _lock_draft(dispute, actor, expected_version)
    if arose_on is not None and arose_on > clock.today():
        raise ValidationError({"arose_on": _("De datum waarop het geschil ontstond mag niet in de toekomst liggen.")})
    _record_update(dispute, actor, {"arose_on": arose_on, "title": title})
    return dispute


# -- dispute points and the applicant's positions ---------------------------------------------------------------

def _free_key(dispute: Dispute, taken: set[str]) -> str:
    n = len(taken) + 1
    while f"p{n}" in taken:
        n += 1
    return f"p{n}"


def _move_numbers_out_of_the_way(dispute: Dispute) -> None:
    """Add to every point's number more than the highest number, so that numbers 1..n are free and no two rows
    collide on the way: PostgreSQL checks the unique (dispute, number) per row in the order it updates them, so a
    fixed offset (10000) collided with a point an earlier pass had already moved there (1 -> 10001)."""
    highest = DisputePoint.objects.filter(dispute=dispute).aggregate(highest=Max("number"))["highest"] or 0
    DisputePoint.objects.filter(dispute=dispute).update(number=F("number") + highest + 1)


def _renumber(dispute: Dispute) -> None:
    """Number the points 1..n in their current order (two passes keep the unique numbers unique)."""
    points = list(DisputePoint.objects.filter(dispute=dispute).order_by("number", "pk"))
    if all(p.number == i for i, p in enumerate(points, start=1)):
        return
    _move_numbers_out_of_the_way(dispute)
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
    """Step 4, the points page in one go: ``points`` are dicts with ``id`` (None for a new point),
    ``title`` and ``position`` (clean: the page's form requires a title for an existing point and for a
    position); a new point with an empty title is the page's empty row and is ignored; ``remove`` lists
    ids to remove. The points keep their order and are numbered 1..n. The rule: every id is a point of
    this draft (``ValidationError`` on ``points`` otherwise).
    """
    dispute = _lock_draft(dispute, actor, expected_version)
    own = permissions.acting_organisation(actor, dispute, PartyRole.APPLICANT)
    existing = {str(p.pk): p for p in dispute.points.all()}
    remove = {str(pk) for pk in remove}
    listed = [(str(spec["id"]) if spec.get("id") else None, spec.get("title", ""), spec.get("position", ""))
              for spec in points]
    if (remove | {pk for pk, _title, _position in listed if pk}) - existing.keys():
        raise ValidationError({"points": _("Dit geschilpunt hoort niet bij dit geschil.")})
    cleaned = [(pk, title, position) for pk, title, position in listed if pk not in remove and (pk or title)]

    removed = sorted(existing[pk].key for pk in remove)
    DisputePoint.objects.filter(pk__in=list(remove), dispute=dispute).delete()
    taken = {p.key for pk, p in existing.items() if pk not in remove}
    added, updated = [], []
    _move_numbers_out_of_the_way(dispute)
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
