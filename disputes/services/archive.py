"""The archive: retention, destruction lists and transfer (issue 17, items 5-7; docs/archive.md).

Destruction follows Open Archiefbeheer: the record manager builds a list of cases whose term has passed
(``destruction_list_create``) and submits it to a reviewer and an archivist (``destruction_list_submit``); the
reviewer (``destruction_list_review``) and then the archivist (``destruction_list_approve``) approve it or send cases
back with a reason, which brings the list back to the record manager (``destruction_list_update``, then submit
again, through the reviewer again). Author, reviewer and archivist are three different people. Only an approved
list can be destroyed (``destruction_list_destroy``): the worker then runs ``destroy_pending``, one case per
transaction, stored files first and rows after, so a run interrupted half-way is simply run again.

What a destroyed case keeps is its minimal record: the Dispute row (case number, kind, agreement and gemeente,
dates, state), its parties (organisations: public bodies), the events of its audit trail with their details
erased (``DisputeEventQuerySet.erase_details``), its deadlines' dates, a published decision's publication, and the
list's items with the certificate (verklaring van vernietiging). What is deleted or blanked is ``destroy_case``'s
docstring; the reasons are in ADR 0022.

The list's own changes are kept by simple_history (disputes/history); a case's destruction by its events
``case_destroyed`` / ``documents_destroyed`` (internal, with only the list's name and counts).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from .. import clock, letterpress, outbox, permissions, retention, signals
from ..models import (
    ArchiveRole,
    Bundle,
    CaseRetention,
    CaseSeat,
    Confidentiality,
    Deadline,
    DeadlineReminder,
    DestructionItem,
    DestructionItemScope,
    DestructionItemStatus,
    DestructionList,
    DestructionReview,
    DestructionStatus,
    Dispute,
    DisputeEvent,
    DisputeKind,
    DisputePoint,
    Document,
    DocumentRetention,
    DossierExport,
    Invitation,
    ItemReview,
    Letter,
    LetterCopy,
    Nomination,
    Notification,
    PointPosition,
    Publication,
    PublicationStatus,
    Recusal,
    Replacement,
    Representation,
    RetentionRule,
    ReviewDecision,
    SearchEntry,
)
from ._core import bump, record, service

log = logging.getLogger(__name__)

#: a list still being handled: a case on it (not taken off) is on no other list
OPEN_STATUSES = tuple(s for s in DestructionStatus.values if s != DestructionStatus.DESTROYED)
#: the free-text fields of a case, blanked on destruction (they may name people)
DISPUTE_FREE_TEXTS = ("title", "efforts_reason", "hearing_skipped_reason")
#: the free-text fields of a point, blanked on destruction
POINT_FREE_TEXTS = ("title", "admissibility_note", "advice_recommendation", "decision_reason")


# -- what may go on a list ----------------------------------------------------------------------------------------

def _open_items():
    """Items on a list that is not finished, not taken off it: their cases are on no other list."""
    return DestructionItem.objects.filter(destruction_list__status__in=OPEN_STATUSES).exclude(
        status=DestructionItemStatus.REMOVED)


def destruction_candidates(*, today: date | None = None):
    """The ended cases to be destroyed whose archiefactiedatum has passed, not destroyed and on no open list
    (``CaseRetention`` rows, the case and its gemeente selected along)."""
    today = today or clock.today()
    return (CaseRetention.objects
            .filter(nomination=Nomination.DESTROY, action_date__lte=today, destroyed_at__isnull=True)
            .exclude(dispute_id__in=_open_items().values("dispute_id"))
            .select_related("dispute__agreement__municipality")
            .order_by("action_date", "dispute__case_number"))


def _due_documents(dispute_id, *, until: date):
    """The documents of a case whose own (shorter) term passed on or before ``until``."""
    return Document.objects.filter(dispute_id=dispute_id, retention__action_date__lte=until)


def document_candidates(*, today: date | None = None):
    """The cases (``Dispute`` rows) with documents whose shorter term has passed (``DocumentRetention``) and that
    still exist, where the case itself is not due, not destroyed and on no open list."""
    today = today or clock.today()
    due = DocumentRetention.objects.filter(action_date__lte=today, document__dispute__isnull=False)
    return (Dispute.objects.filter(pk__in=due.values("document__dispute_id"))
            .exclude(retention__destroyed_at__isnull=False)
            .exclude(retention__nomination=Nomination.DESTROY, retention__action_date__lte=today)
            .exclude(pk__in=_open_items().values("dispute_id"))
            .select_related("agreement__municipality")
            .order_by("case_number"))


# -- who may --------------------------------------------------------------------------------------------------------

def _as_actor(obj, actor) -> None:
    """The history row of ``obj``'s next save names ``actor`` (also outside a request: the worker)."""
    obj._history_user = actor


def _require_author(actor, destruction_list: DestructionList) -> None:
    permissions.require(
        permissions.can_manage_records(actor) and destruction_list.author_id == actor.pk,
        _("Alleen de recordmanager die deze vernietigingslijst heeft gemaakt, kan dit doen."),
    )


def _require_status(destruction_list: DestructionList, *statuses: str) -> None:
    if destruction_list.status not in statuses:
        raise ValidationError(
            _("Dit kan niet bij een vernietigingslijst met de status '%(status)s'.")
            % {"status": destruction_list.get_status_display()})


def _locked(destruction_list: DestructionList) -> DestructionList:
    return DestructionList.objects.select_for_update().get(pk=destruction_list.pk)


# -- building the list -----------------------------------------------------------------------------------------------

def _dispute_id(value) -> uuid.UUID | int:
    """A case named by its Dispute id (UUID, the canonical form), or by its CaseRetention id (an integer)."""
    if isinstance(value, int):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        try:
            return int(str(value))
        except ValueError:
            raise ValidationError(_("Onbekende zaak: %(id)s.") % {"id": str(value)[:40]}) from None


def _resolve(ids: Iterable) -> list:
    """Dispute ids for ``ids`` (Dispute UUIDs, or CaseRetention integer ids), in the order given, once each."""
    wanted = [_dispute_id(value) for value in ids]
    retention_ids = [value for value in wanted if isinstance(value, int)]
    by_retention = dict(CaseRetention.objects.filter(pk__in=retention_ids).values_list("pk", "dispute_id"))
    result = []
    for value in wanted:
        dispute_id = by_retention.get(value) if isinstance(value, int) else value
        if dispute_id is None:
            raise ValidationError(_("Onbekende zaak: %(id)s.") % {"id": value})
        if dispute_id not in result:
            result.append(dispute_id)
    return result


def _ended_on(dispute: Dispute) -> date:
    case_retention = CaseRetention.objects.filter(dispute=dispute).first()
    if case_retention is not None:
        return case_retention.source_date
    moment = retention.source_moment(dispute)
    return clock.localdate(moment) if moment else clock.today()


def _municipality(dispute: Dispute) -> str:
    return dispute.agreement.municipality.name if dispute.agreement_id else ""


@service
def destruction_list_create(*, actor, name: str, case_ids=(), document_case_ids=()) -> DestructionList:
    """A record manager builds a new list from candidates: whole cases (``case_ids``, from
    ``destruction_candidates``) and cases whose documents with a shorter term go (``document_case_ids``, from
    ``document_candidates``). Ids are Dispute ids (a CaseRetention id names its case too). Each item gets a copy of
    the case's minimal record (number, kind, gemeente, end date, archiefactiedatum, selectielijst category)."""
    permissions.require(permissions.can_manage_records(actor),
                        _("Alleen een recordmanager kan een vernietigingslijst maken."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Geef de vernietigingslijst een naam.")})
    if len(name) > DestructionList._meta.get_field("name").max_length:
        raise ValidationError({"name": _("De naam is te lang (hoogstens 200 tekens).")})
    cases = _resolve(case_ids)
    document_cases = _resolve(document_case_ids)
    if not cases and not document_cases:
        raise ValidationError(_("Kies ten minste één zaak voor de vernietigingslijst."))
    if set(cases) & set(document_cases):
        raise ValidationError(_("Een zaak staat al in zijn geheel op de lijst; kies niet ook haar documenten."))
    today = clock.today()
    # the rows are locked so that two record managers cannot put the same case on two lists at once
    due = {r.dispute_id: r for r in destruction_candidates(today=today).select_for_update(of=("self",))
           .filter(dispute_id__in=cases)}
    not_due = [str(pk) for pk in cases if pk not in due]
    if not_due:
        raise ValidationError(_("Deze zaken komen niet (meer) in aanmerking voor vernietiging: %(cases)s.")
                              % {"cases": ", ".join(_numbers(not_due))})
    with_documents = {d.pk: d for d in document_candidates(today=today).filter(pk__in=document_cases)}
    not_due = [str(pk) for pk in document_cases if pk not in with_documents]
    if not_due:
        raise ValidationError(_("Deze zaken hebben geen documenten die (nog) vernietigd kunnen worden: %(cases)s.")
                              % {"cases": ", ".join(_numbers(not_due))})
    destruction_list = DestructionList(name=name, author=actor, created_at=clock.now())
    _as_actor(destruction_list, actor)
    destruction_list.save()
    for dispute_id in cases:
        case_retention = due[dispute_id]
        dispute = case_retention.dispute
        _add_item(destruction_list, actor, dispute=dispute, scope=DestructionItemScope.CASE,
                  ended_on=case_retention.source_date, action_date=case_retention.action_date,
                  category=case_retention.category)
    for dispute_id in document_cases:
        dispute = with_documents[dispute_id]
        documents = DocumentRetention.objects.filter(document__dispute=dispute, action_date__lte=today)
        categories = sorted(set(documents.values_list("category", flat=True)))
        _add_item(destruction_list, actor, dispute=dispute, scope=DestructionItemScope.DOCUMENTS,
                  ended_on=_ended_on(dispute), action_date=documents.aggregate(last=Max("action_date"))["last"],
                  category=", ".join(categories)[:40])
    return destruction_list


def _numbers(dispute_ids: list[str]) -> list[str]:
    known = dict(Dispute.objects.filter(pk__in=dispute_ids).values_list("pk", "case_number"))
    return [known.get(uuid.UUID(pk)) or pk for pk in dispute_ids]


def _add_item(destruction_list, actor, *, dispute: Dispute, scope: str, ended_on, action_date, category) -> None:
    item = DestructionItem(
        destruction_list=destruction_list, dispute=dispute, scope=scope, case_number=dispute.case_number or "",
        kind=dispute.kind, municipality=_municipality(dispute), ended_on=ended_on, action_date=action_date,
        category=category,
    )
    _as_actor(item, actor)
    item.save()


@service
def destruction_list_submit(*, actor, destruction_list: DestructionList, reviewer, archivist) -> DestructionList:
    """The record manager who made the list submits it (new, or after changes were asked) to a reviewer and an
    archivist: three different people, each holding their role."""
    destruction_list = _locked(destruction_list)
    _require_author(actor, destruction_list)
    _require_status(destruction_list, DestructionStatus.NEW, DestructionStatus.CHANGES_REQUESTED)
    errors = {}
    if reviewer is None or not permissions.can_review_destruction(reviewer):
        errors["reviewer"] = _("Kies een beoordelaar met de rol 'beoordelaar vernietiging'.")
    if archivist is None or not permissions.can_approve_destruction(archivist):
        errors["archivist"] = _("Kies een archivaris met de rol 'archivaris'.")
    if not errors and len({actor.pk, reviewer.pk, archivist.pk}) != 3:
        errors["archivist"] = _("De recordmanager, de beoordelaar en de archivaris moeten drie verschillende "
                                "personen zijn.")
    if errors:
        raise ValidationError(errors)
    if not destruction_list.items.filter(status=DestructionItemStatus.LISTED).exists():
        raise ValidationError(_("Er staat geen zaak meer op de vernietigingslijst."))
    destruction_list.reviewer = reviewer
    destruction_list.archivist = archivist
    destruction_list.status = DestructionStatus.READY_TO_REVIEW
    _as_actor(destruction_list, actor)
    destruction_list.save()
    return destruction_list


def _verdict(destruction_list: DestructionList, *, actor, role: str, sent_back: dict, comment: str) -> bool:
    """Record a review of the list by ``role``; True when it approves (no case sent back)."""
    sent_back = dict(sent_back or {})
    items = {item.pk: item for item in destruction_list.items.filter(status=DestructionItemStatus.LISTED)}
    reasons = {}
    for key, reason in sent_back.items():
        try:
            item = items[int(key)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("Deze zaak staat niet (meer) op de vernietigingslijst.")) from None
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"sent_back": _("Geef bij zaak %(case)s aan waarom u haar terugstuurt.")
                                   % {"case": item.case_number}})
        reasons[item] = reason[:2000]
    review = DestructionReview.objects.create(
        destruction_list=destruction_list, role=role,
        decision=ReviewDecision.SENT_BACK if reasons else ReviewDecision.APPROVED,
        comment=(comment or "").strip()[:2000], by=actor, at=clock.now(),
    )
    for item, reason in reasons.items():
        ItemReview.objects.create(review=review, item=item, comment=reason)
    return not reasons


@service
def destruction_list_review(*, actor, destruction_list: DestructionList, sent_back: dict, comment: str = "") -> (
        DestructionList):
    """The assigned reviewer approves the list (``sent_back`` empty: to the archivist) or sends cases back with a
    reason each (to the record manager)."""
    destruction_list = _locked(destruction_list)
    permissions.require(
        permissions.can_review_destruction(actor) and destruction_list.reviewer_id == actor.pk,
        _("Alleen de beoordelaar aan wie de lijst is voorgelegd, kan haar beoordelen."),
    )
    _require_status(destruction_list, DestructionStatus.READY_TO_REVIEW)
    approved = _verdict(destruction_list, actor=actor, role=ArchiveRole.REVIEWER, sent_back=sent_back,
                        comment=comment)
    destruction_list.status = (DestructionStatus.INTERNALLY_REVIEWED if approved
                               else DestructionStatus.CHANGES_REQUESTED)
    _as_actor(destruction_list, actor)
    destruction_list.save()
    return destruction_list


@service
def destruction_list_update(*, actor, destruction_list: DestructionList, remove_item_ids=(), comment: str = "") -> (
        DestructionList):
    """The record manager handles the cases sent back: takes cases off the list (``remove_item_ids``) and keeps
    the others, with a comment for the reviewers; then submits the list again (``destruction_list_submit``)."""
    destruction_list = _locked(destruction_list)
    _require_author(actor, destruction_list)
    _require_status(destruction_list, DestructionStatus.CHANGES_REQUESTED)
    items = {item.pk: item for item in destruction_list.items.filter(status=DestructionItemStatus.LISTED)}
    try:
        removed = [items[int(pk)] for pk in dict.fromkeys(remove_item_ids)]
    except (KeyError, TypeError, ValueError):
        raise ValidationError(_("Deze zaak staat niet (meer) op de vernietigingslijst.")) from None
    comment = (comment or "").strip()
    for item in removed:
        item.status = DestructionItemStatus.REMOVED
        item._change_reason = comment[:100] or None
        _as_actor(item, actor)
        item.save()
    # the record manager's answer to the reviews, in the list's reviews
    DestructionReview.objects.create(destruction_list=destruction_list, role=ArchiveRole.RECORD_MANAGER,
                                     decision=ReviewDecision.APPROVED, comment=comment[:2000], by=actor,
                                     at=clock.now())
    return destruction_list


@service
def destruction_list_approve(*, actor, destruction_list: DestructionList, sent_back: dict, comment: str = "") -> (
        DestructionList):
    """The assigned archivist, after the reviewer: approves (ready to destroy) or sends cases back, after which
    the list goes to the record manager and through the reviewer again."""
    destruction_list = _locked(destruction_list)
    permissions.require(
        permissions.can_approve_destruction(actor) and destruction_list.archivist_id == actor.pk,
        _("Alleen de archivaris aan wie de lijst is voorgelegd, kan haar goedkeuren."),
    )
    _require_status(destruction_list, DestructionStatus.INTERNALLY_REVIEWED)
    approved = _verdict(destruction_list, actor=actor, role=ArchiveRole.ARCHIVIST, sent_back=sent_back,
                        comment=comment)
    destruction_list.status = (DestructionStatus.READY_TO_DESTROY if approved
                               else DestructionStatus.CHANGES_REQUESTED)
    _as_actor(destruction_list, actor)
    destruction_list.save()
    return destruction_list


@service
def destruction_list_destroy(*, actor, destruction_list: DestructionList) -> DestructionList:
    """The record manager who made the approved list starts its destruction: the worker destroys the cases
    (``destroy_pending``). Called again while the list is being destroyed, it hands the work to the worker again
    (a run that was interrupted resumes where it stopped)."""
    destruction_list = _locked(destruction_list)
    _require_author(actor, destruction_list)
    _require_status(destruction_list, DestructionStatus.READY_TO_DESTROY, DestructionStatus.DESTROYING)
    _require_completed_review(destruction_list)
    if destruction_list.status != DestructionStatus.DESTROYING:
        destruction_list.status = DestructionStatus.DESTROYING
        _as_actor(destruction_list, actor)
        destruction_list.save()
    outbox.enqueue("disputes.tasks.destroy_list", list_id=str(destruction_list.pk))
    return destruction_list


def _require_completed_review(destruction_list: DestructionList) -> None:
    """The last verdicts on the list: the assigned reviewer approved, and after that the assigned archivist."""
    reviews = list(destruction_list.reviews.filter(role__in=(ArchiveRole.REVIEWER, ArchiveRole.ARCHIVIST))
                   .order_by("at", "pk"))
    last = {review.role: (index, review) for index, review in enumerate(reviews)}
    reviewed = last.get(ArchiveRole.REVIEWER)
    approved = last.get(ArchiveRole.ARCHIVIST)
    if (reviewed is None or approved is None or reviewed[0] > approved[0]
            or reviewed[1].decision != ReviewDecision.APPROVED or approved[1].decision != ReviewDecision.APPROVED
            or reviewed[1].by_id != destruction_list.reviewer_id or approved[1].by_id != destruction_list.archivist_id
            or len({destruction_list.author_id, destruction_list.reviewer_id, destruction_list.archivist_id}) != 3):
        raise ValidationError(_("De vernietigingslijst is niet door de beoordelaar en daarna door de archivaris "
                                "goedgekeurd; er wordt niets vernietigd."))


# -- destroying ------------------------------------------------------------------------------------------------------

def destroy_pending(list_id) -> int:
    """Destroy what is still listed on a list being destroyed, one item per transaction, and finish the list
    (certificate, status destroyed) when nothing is left. Safe to run again at any point: an item already
    destroyed is skipped, a file already gone is fine. Returns the number of items destroyed by this run."""
    destruction_list = DestructionList.objects.filter(pk=list_id).first()
    if destruction_list is None or destruction_list.status == DestructionStatus.DESTROYED:
        return 0
    if destruction_list.status != DestructionStatus.DESTROYING:
        raise ValidationError(_("Deze vernietigingslijst is niet goedgekeurd voor vernietiging."))
    _require_completed_review(destruction_list)
    done = 0
    pending = destruction_list.items.filter(status=DestructionItemStatus.LISTED).order_by("pk")
    for item_pk in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            item = DestructionItem.objects.select_for_update().select_related("destruction_list").get(pk=item_pk)
            if item.status != DestructionItemStatus.LISTED:
                continue  # another run did it meanwhile
            if item.scope == DestructionItemScope.CASE:
                done += destroy_case(item)
            else:
                done += destroy_documents(item)
    _finish(destruction_list.pk)
    return done


def _finish(list_id) -> None:
    with transaction.atomic():
        destruction_list = DestructionList.objects.select_for_update().get(pk=list_id)
        if destruction_list.status != DestructionStatus.DESTROYING:
            return
        if destruction_list.items.filter(status=DestructionItemStatus.LISTED).exists():
            return
        destruction_list.destroyed_at = clock.now()
        destruction_list.status = DestructionStatus.DESTROYED
        destruction_list.certificate = destruction_certificate(destruction_list)
        _as_actor(destruction_list, destruction_list.author)
        destruction_list.save()


def _delete_file(field_file) -> None:
    """Delete a stored file; one that is gone already (an interrupted run) is fine."""
    if field_file and field_file.name:
        field_file.storage.delete(field_file.name)


def _really_delete(queryset) -> int:
    """Delete rows whose model refuses deletion in the ORM (documents): only destruction may."""
    return models.QuerySet.delete(queryset)[0]


def _delete_files(documents, exports) -> None:
    """The stored files of ``documents`` and ``exports``, before any of their rows (module docstring)."""
    for export in exports:
        _delete_file(export.pdf_file)
        _delete_file(export.zip_file)
    for document in documents:
        _delete_file(document.file)


def _delete_document_rows(ids: list, *, letters_of_case: bool) -> None:
    """Delete the rows of documents whose files are gone, with what points at them (their read texts and their
    retention go with them). ``letters_of_case``: the case's letters go anyway (else: the copies that are these
    documents, and a letter left without copies)."""
    Document.objects.filter(supersedes_id__in=ids).exclude(pk__in=ids).update(supersedes=None)
    Document.objects.filter(pk__in=ids).update(supersedes=None)
    copies = LetterCopy.objects.filter(document_id__in=ids)
    letter_ids = set(copies.values_list("letter_id", flat=True))
    copies.delete()
    if not letters_of_case:
        Letter.objects.filter(pk__in=letter_ids).exclude(copies__isnull=False).delete()
    for representation in Representation.objects.filter(authorisation_id__in=ids):
        representation.authorisation = None
        representation.save(update_fields=["authorisation"])
    legacy = DossierExport.objects.filter(Q(legacy_pdf_id__in=ids) | Q(legacy_zip_id__in=ids))
    _delete_files((), legacy)
    legacy.delete()
    _really_delete(Document.objects.filter(pk__in=ids))


def destroy_case(item: DestructionItem) -> int:
    """Destroy one case of a list (in the caller's transaction). Deleted: the case's stored files and their rows
    (documents of every step, withdrawn and legacy dossier ones included, with their read texts and page texts;
    bundles; dossier exports and their PDF/ZIP files; letters and their copies; publications not published, a
    published one's text before pseudonymisation and its replacements), its representatives and invitations,
    the parties' positions, the e-mails sent about its events (``Notification``), deadline reminders, its search
    entry, and what the workflow holds (``signals.case_destroyed``: sent hearing invitations). Blanked: the case's
    free texts (title, reasons), the points' free texts (title, notes, recommendation, reasons), recusal reasons,
    deadline notes, a commission seat's end reason. Erased: the details of every event. Kept: the minimal record
    (module docstring). Returns 1, or 0 when the case no longer qualifies (the item is then taken off)."""
    dispute = Dispute.objects.select_for_update().get(pk=item.dispute_id)
    destruction_list = item.destruction_list
    case_retention = CaseRetention.objects.select_for_update().filter(dispute=dispute).first()
    if (case_retention is None or case_retention.destroyed_at is not None
            or case_retention.nomination != Nomination.DESTROY or case_retention.action_date > clock.today()):
        # the retention changed after the list was approved (e.g. kept longer): the case stays
        item.status = DestructionItemStatus.REMOVED
        item._change_reason = "bewaartermijn gewijzigd na goedkeuring"
        _as_actor(item, destruction_list.author)
        item.save()
        log.warning("destruction: case %s no longer due, taken off list %s", dispute.pk, destruction_list.pk)
        return 0
    counts = {}
    # 1. the stored files first: a run stopped after this leaves rows whose files are gone, the next run deletes
    # them (a file already gone is fine)
    documents = list(Document.objects.filter(dispute=dispute))
    exports = list(DossierExport.objects.filter(dispute=dispute))
    _delete_files(documents, exports)
    # 2. then the rows that held them or point at them
    Invitation.objects.filter(Q(dispute=dispute) | Q(representation__dispute=dispute)).delete()
    Representation.objects.filter(dispute=dispute).delete()
    DossierExport.objects.filter(pk__in=[export.pk for export in exports]).delete()
    _delete_document_rows([document.pk for document in documents], letters_of_case=True)
    letters = Letter.objects.filter(dispute=dispute)
    counts.update(documents=len(documents), exports=len(exports), letters=letters.count())
    LetterCopy.objects.filter(letter__dispute=dispute).delete()
    letters.delete()
    Bundle.objects.filter(dispute=dispute).delete()
    # 3. the publication: a published decision stays in the register, without what was taken out of it
    publications = Publication.objects.filter(dispute=dispute)
    Replacement.objects.filter(publication__dispute=dispute).delete()
    counts["publications"] = publications.exclude(status=PublicationStatus.PUBLISHED).delete()[0]
    for publication in publications.filter(status=PublicationStatus.PUBLISHED):
        publication.sections = []
        publication.save(update_fields=["sections"])
    # 4. what people wrote in the case
    PointPosition.objects.filter(point__dispute=dispute).delete()
    DisputePoint.objects.filter(dispute=dispute).update(**dict.fromkeys(POINT_FREE_TEXTS, ""))
    Recusal.objects.filter(dispute=dispute).update(reason="")
    CaseSeat.objects.filter(dispute=dispute).update(end_reason="")
    DeadlineReminder.objects.filter(deadline__dispute=dispute).delete()
    Deadline.objects.filter(dispute=dispute).update(note="")
    Notification.objects.filter(event__dispute=dispute).delete()
    SearchEntry.objects.filter(dispute=dispute).delete()
    for name in DISPUTE_FREE_TEXTS:
        setattr(dispute, name, "")
    bump(dispute, *DISPUTE_FREE_TEXTS)
    # 5. the workflow's own rows, then the audit trail keeps who did what when, not the details
    signals.case_destroyed.send(sender=Dispute, dispute=dispute)
    DisputeEvent.objects.filter(dispute=dispute).erase_details()
    now = clock.now()
    record(dispute, actor=destruction_list.author, kind="case_destroyed", visibility=Confidentiality.INTERNAL,
           payload={"list": destruction_list.name, **counts})
    case_retention.destroyed_at = now
    case_retention.destruction_list = destruction_list
    case_retention.save(update_fields=["destroyed_at", "destruction_list"])
    _mark_destroyed(item, now)
    return 1


def destroy_documents(item: DestructionItem) -> int:
    """Destroy the documents of one case whose shorter term had passed when it was listed (their files, rows and
    read texts; a letter whose only copies they were; an authorisation's link from its representation). The case
    and its other documents stay. Returns 1."""
    dispute = Dispute.objects.select_for_update().get(pk=item.dispute_id)
    documents = list(_due_documents(dispute.pk, until=item.action_date))
    _delete_files(documents, ())
    _delete_document_rows([document.pk for document in documents], letters_of_case=False)
    count = len(documents)
    record(dispute, actor=item.destruction_list.author, kind="documents_destroyed",
           visibility=Confidentiality.INTERNAL, payload={"list": item.destruction_list.name, "documents": count})
    _mark_destroyed(item, clock.now())
    return 1


def _mark_destroyed(item: DestructionItem, now) -> None:
    item.status = DestructionItemStatus.DESTROYED
    item.destroyed_at = now
    _as_actor(item, item.destruction_list.author)
    item.save()


# -- the certificate ---------------------------------------------------------------------------------------------

def _last_approval(destruction_list: DestructionList, role: str):
    return (destruction_list.reviews.filter(role=role, decision=ReviewDecision.APPROVED)
            .order_by("-at", "-pk").first())


def _official(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def destruction_certificate(destruction_list: DestructionList) -> bytes:
    """The verklaring van vernietiging (tagged PDF/A, ``templates/letters/destruction_certificate.html``): the
    list, the selectielijst categories, per case its minimal record, the three officials with the dates of their
    part, and the date of destruction. Nothing of the cases' contents or of the people in them."""
    items = list(destruction_list.items.filter(status=DestructionItemStatus.DESTROYED).order_by("case_number",
                                                                                                 "scope"))
    codes = sorted({code.strip() for item in items for code in item.category.split(",") if code.strip()})
    descriptions = {}
    for rule in RetentionRule.objects.filter(category__in=codes).order_by("scope", "key"):
        descriptions.setdefault(rule.category, []).append(rule.description)
    categories = [{"code": code, "descriptions": descriptions.get(code, [])} for code in codes]
    kinds = dict(DisputeKind.choices)
    scopes = dict(DestructionItemScope.choices)
    rows = [{"case_number": item.case_number, "kind": kinds.get(item.kind, item.kind),
             "municipality": item.municipality, "ended_on": item.ended_on, "action_date": item.action_date,
             "category": item.category, "scope": scopes.get(item.scope, item.scope),
             "whole_case": item.scope == DestructionItemScope.CASE}
            for item in items]
    reviewed = _last_approval(destruction_list, ArchiveRole.REVIEWER)
    approved = _last_approval(destruction_list, ArchiveRole.ARCHIVIST)
    context = {
        "destruction_list": destruction_list,
        "categories": categories,
        "rows": rows,
        "author": _official(destruction_list.author),
        "created_on": clock.localdate(destruction_list.created_at),
        "reviewer": _official(destruction_list.reviewer),
        "reviewed_on": clock.localdate(reviewed.at) if reviewed else None,
        "archivist": _official(destruction_list.archivist),
        "approved_on": clock.localdate(approved.at) if approved else None,
        "destroyed_on": clock.localdate(destruction_list.destroyed_at or clock.now()),
    }
    html = letterpress.render_letter_html("letters/destruction_certificate.html", context)
    return letterpress.render_pdf(html, title=f"Verklaring van vernietiging - {destruction_list.name}", lang="nl",
                                  subject="Verklaring van vernietiging (Archiefwet 1995)",
                                  author="Ministerie van Volkshuisvesting en Ruimtelijke Ordening")
