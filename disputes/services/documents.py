"""Adding documents to a case: checked, hashed, stored privately, immutable once submitted."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..models import Bundle, Confidentiality, Dispute, Document, DocumentType, Step
from ..states import DisputeState as S
from ..uploads import check_upload
from ._core import lock, on_commit_notify, record, require_operation, service, track_stored_file

#: Which step's bundle a document lands in when the caller does not say (procedure.md §8).
STEP_OF_STATE = {
    S.DRAFT: Step.FILING,
    S.SUBMITTED: Step.REGISTRATION,
    S.ADMISSIBILITY_REVIEW: Step.ADMISSIBILITY,
    S.AWAITING_REMEDY: Step.ADMISSIBILITY,
    S.EFFORT_REVIEW: Step.ADMISSIBILITY,
    S.AWAITING_RESPONSE: Step.RESPONSE,
    S.EXCHANGE: Step.RESPONSE,
    S.HEARING_SCHEDULED: Step.HEARING,
    S.DELIBERATION: Step.ADVICE,
    S.ADVICE_ISSUED: Step.DECISION,
    S.DECIDED: Step.CLOSING,
    S.WITHDRAWN: Step.CLOSING,
    S.SETTLED: Step.CLOSING,
    S.CLOSED: Step.CLOSING,
}


def bundle_for(dispute: Dispute, step: str, *, new_round: bool = False) -> Bundle:
    """The current bundle of a step, or a new one (a new round, e.g. a second remedy request)."""
    latest = dispute.bundles.filter(step=step).order_by("-sequence").first()
    if latest is not None and not new_round:
        return latest
    return Bundle.objects.create(
        dispute=dispute, step=step, sequence=(latest.sequence + 1) if latest else 1, created_at=clock.now()
    )


def store_document(
    *,
    dispute: Dispute,
    actor,
    uploaded,
    doc_type: str,
    step: str | None = None,
    confidentiality: str = Confidentiality.PARTIES,
    supersedes: Document | None = None,
    submitted: bool = True,
) -> Document:
    """Check and store one file on a case that the caller has already locked and authorised."""
    if doc_type not in DocumentType.values:
        raise ValidationError({"doc_type": _("Onbekende documentsoort: %(type)s") % {"type": doc_type}})
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Onbekende vertrouwelijkheid.")})
    is_staff = permissions.is_staff_member(actor)
    if not is_staff and confidentiality != Confidentiality.PARTIES:
        raise ValidationError({"confidentiality": _("Partijen kunnen alleen documenten voor alle partijen indienen.")})
    checked = check_upload(uploaded)
    now = clock.now()
    document = Document(
        dispute=dispute,
        bundle=bundle_for(dispute, step or STEP_OF_STATE[dispute.state]),
        doc_type=doc_type,
        display_name=checked.display_name,
        sha256=checked.sha256,
        size=checked.size,
        content_type=checked.content_type,
        page_count=checked.page_count,
        uploaded_by=actor,
        organisation=None if is_staff else permissions.acting_organisation(actor, dispute),
        confidentiality=confidentiality,
        supersedes=supersedes,
        uploaded_at=now,
        submitted_at=now if submitted and dispute.state != S.DRAFT else None,
    )
    document.file.save("upload", ContentFile(checked.content), save=False)
    # The file is written before the row; if the service fails from here on, @service removes it.
    track_stored_file(document.file.storage, document.file.name)
    document.save()
    record(
        dispute, actor=actor, kind="document_added", organisation=document.organisation,
        payload={"document": str(document.pk), "type": doc_type, "name": document.display_name,
                 "sha256": document.sha256},
        visibility=confidentiality,
    )
    return document


@service
def document_upload(
    *,
    dispute: Dispute,
    actor,
    uploaded,
    doc_type: str,
    confidentiality: str = Confidentiality.PARTIES,
    supersedes: Document | None = None,
    expected_version: int | None = None,
) -> Document:
    """A party or staff member adds a document to the current step of a case."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_upload(actor, dispute, confidentiality))
    require_operation(dispute, "add_document", actor=actor,
                      message=_("Dit geschil is afgerond; er kunnen geen documenten meer worden toegevoegd."))
    if supersedes is not None and supersedes.dispute_id != dispute.pk:
        raise ValidationError({"supersedes": _("Het te vervangen document hoort niet bij dit geschil.")})
    return store_document(
        dispute=dispute, actor=actor, uploaded=uploaded, doc_type=doc_type, confidentiality=confidentiality,
        supersedes=supersedes,
    )


@service
def dispute_submit_documents(*, dispute: Dispute, actor, documents, note: str = "", expected_version=None):
    """A party adds documents to its case at any open step, outside an answer to a question: they land in the
    parties' bundle of the current step, every party can read them, and the secretariat and the other parties
    hear of it by e-mail (event ``documents_submitted``, through the outbox). Returns the stored documents."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "submit_documents", actor=actor,
                      message=_("Stukken toevoegen kan zolang het geschil in behandeling is."))
    if not documents:
        raise ValidationError({"files": _("Kies ten minste één PDF-bestand.")})
    if len(note) > 10000:
        raise ValidationError({"note": _("De toelichting is te lang (hoogstens 10.000 tekens).")})
    stored = store_all(dispute=dispute, actor=actor, files=documents)
    organisation = permissions.acting_organisation(actor, dispute)
    others = [str(pk) for pk in dispute.organisation_ids() if organisation is None or pk != organisation.pk]
    event = record(
        dispute, actor=actor, kind="documents_submitted", organisation=organisation,
        payload={"documents": [str(d.pk) for d in stored], "types": [d.doc_type for d in stored],
                 "note": note.strip(), "audience": {"organisations": others, "roles": ["secretary"]}},
    )
    on_commit_notify(event)
    return stored


def store_all(*, dispute: Dispute, actor, files, step: str | None = None, confidentiality=Confidentiality.PARTIES):
    """Store several ``(doc_type, uploaded)`` pairs; used by services whose step carries documents."""
    return [
        store_document(dispute=dispute, actor=actor, uploaded=f, doc_type=t, step=step, confidentiality=confidentiality)
        for t, f in files
    ]
