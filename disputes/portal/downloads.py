"""Downloads, only through these authorising views (quality.md, Uploads).

A user gets a document when they may see its case (``Dispute.objects.visible_to``) and its
confidentiality level (``permissions.visible_confidentialities``); a document taken out of a draft
is gone for everyone. Effort-log documents belong to the agreement and are served in the context
of a case on that agreement, or of the agreement itself. Everything else is the same 404 as a
document that does not exist. Before a file is served its SHA-256 is computed again; a mismatch
blocks the download, is logged and recorded. The response is an attachment (never rendered inline)
with an RFC 6266 filename that ends in the extension of the file's real type (``verslag.html`` that
is a PDF downloads as ``verslag.pdf``), ``nosniff`` and ``no-store``. A download of a document above
the parties' level is also written to the security access log (``AccessLogEntry``, docs/audit.md).
"""

import logging

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from .. import permissions
from ..access_log import record_access
from ..integrity import stored_sha256
from ..models import AccessAction, AccessResult, Confidentiality, Document
from ..services import drafts
from ..uploads import download_name
from . import common

logger = logging.getLogger("disputes.downloads")


def serve(request, document: Document):
    """Re-verify and stream one document as an attachment."""
    actual = stored_sha256(document)
    if actual != document.sha256:
        drafts.document_integrity_alarm(
            document=document, actor=request.user,
            detail="file missing or unreadable" if actual is None else f"stored file has sha256 {actual}",
        )
        return render(request, "portal/integrity_error.html", {"document": document}, status=500)
    logger.info(
        "download: document=%s confidentiality=%s user=%s", document.pk, document.confidentiality, request.user.pk
    )
    if document.confidentiality != Confidentiality.PARTIES:
        record_access(request, AccessAction.CONFIDENTIAL_DOWNLOAD, result=AccessResult.ALLOWED,
                      object=f"document {document.pk} ({document.confidentiality})", status_code=200)
    content_type = document.content_type or "application/pdf"
    filename = download_name(document.display_name, content_type)  # the real type's extension, not the user's
    response = FileResponse(
        document.file.storage.open(document.file.name, "rb"), as_attachment=True, filename=filename,
        content_type=content_type,
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@login_required
def document_download(request, pk, document):
    """``portal:document-download``: a document of a case (or of its agreement's effort log)."""
    dispute = common.load_case(request, pk)
    levels = permissions.visible_confidentialities(request.user, dispute)
    documents = Document.objects.current().filter(confidentiality__in=levels).filter(
        Q(dispute=dispute) | Q(dispute__isnull=True, effort_entry__agreement_id=dispute.agreement_id)
    )
    return serve(request, common.get_object_or_404_same(documents, pk=document))


@require_GET
@login_required
def effort_document_download(request, agreement, document):
    """A document of an effort-log entry, for the parties of the agreement."""
    agreement = common.get_agreement_for_user_or_404(request.user, agreement)
    documents = Document.objects.current().filter(
        dispute__isnull=True, effort_entry__agreement=agreement, confidentiality="parties"
    )
    return serve(request, common.get_object_or_404_same(documents, pk=document))
