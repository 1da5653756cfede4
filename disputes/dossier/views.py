"""Dossier export pages: request (POST), status page with a progress bar, JSON status, downloads.

Thin: each view loads the case through ``get_dispute_for_user_or_404`` (an export of a case the
user may not see, or of a version they may not see, is a 404), calls one service, responds.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import permissions
from ..access_log import record_access
from ..models import (
    AccessAction,
    AccessResult,
    Confidentiality,
    DossierAudience,
    DossierExport,
    ExportStatus,
)
from ..services import dossier as service
from ..uploads import download_name
from .errors import DossierIntegrityError


class ExportForm(forms.Form):
    audience = forms.ChoiceField(choices=DossierAudience.choices)


def _export_or_404(user, pk) -> DossierExport:
    export = DossierExport.objects.filter(pk=pk).select_related("pdf", "zip").first()
    if export is None:
        raise Http404(_("Dossier niet gevonden."))
    dispute = permissions.get_dispute_for_user_or_404(user, pk=export.dispute_id)
    if export.audience not in service.allowed_audiences(user, dispute):
        raise Http404(_("Dossier niet gevonden."))
    export.dispute = dispute
    return export


def _no_store(response):
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def request_export(request, dispute_pk):
    dispute = permissions.get_dispute_for_user_or_404(request.user, pk=dispute_pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies welke versie van het dossier u wilt exporteren."))
        return redirect("dispute-detail", pk=dispute.pk)
    try:
        export = service.dossier_request_export(
            dispute=dispute, actor=request.user, audience=form.cleaned_data["audience"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dispute-detail", pk=dispute.pk)
    return redirect("dossier:status", pk=export.pk)


def _downloads(export: DossierExport) -> list[dict]:
    if export.status != ExportStatus.DONE:
        return []
    return [
        {"kind": kind, "name": doc.display_name, "size": doc.size,
         "label": _("Dossier (PDF, %(pages)d pagina's)") % {"pages": export.pages or 0} if kind == "pdf"
         else _("Originele bestanden met manifest (ZIP)"),
         "url": reverse("dossier:download", kwargs={"pk": export.pk, "kind": kind})}
        for kind, doc in (("pdf", export.pdf), ("zip", export.zip)) if doc is not None
    ]


@require_GET
@login_required
def status_page(request, pk):
    export = _export_or_404(request.user, pk)
    context = {"export": export, "dispute": export.dispute, "downloads": _downloads(export)}
    return _no_store(render(request, "dossier/status.html", context))


@require_GET
@login_required
def status_json(request, pk):
    export = _export_or_404(request.user, pk)
    return _no_store(JsonResponse({
        "status": export.status,
        "status_label": str(export.get_status_display()),
        "progress": export.progress,
        "pages": export.pages,
        "error": export.error,
        "downloads": _downloads(export),
    }))


@require_GET
@login_required
def download(request, pk, kind):
    export = _export_or_404(request.user, pk)
    if kind not in ("pdf", "zip"):
        raise Http404(_("Bestand niet gevonden."))
    try:
        document = service.dossier_open_download(export=export, actor=request.user, kind=kind)
    except DossierIntegrityError as exc:
        response = render(request, "dossier/refused.html", {"export": export, "message": str(exc)}, status=409)
        return _no_store(response)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    if document.confidentiality != Confidentiality.PARTIES:  # the full version: internal
        record_access(request, AccessAction.CONFIDENTIAL_DOWNLOAD, result=AccessResult.ALLOWED,
                      object=f"dossier {export.pk} {kind} (document {document.pk}, {document.confidentiality})",
                      status_code=200)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True,
        filename=download_name(document.display_name, document.content_type), content_type=document.content_type,
    )
    return _no_store(response)
