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
    DossierAudience,
    DossierExport,
)
from ..services import dossier as service
from ..uploads import download_name
from . import file_stem
from .errors import DossierIntegrityError


class ExportForm(forms.Form):
    audience = forms.ChoiceField(choices=DossierAudience.choices)


def _export_or_404(user, pk) -> DossierExport:
    export = DossierExport.objects.filter(pk=pk).first()
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
    if not export.available:  # not finished, or its files were pruned
        return []
    stem = file_stem(export.dispute.case_number, export.audience)
    return [
        {"kind": kind, "name": f"{stem}.{kind}", "size": size,
         "label": _("Dossier (PDF, %(pages)d pagina's)") % {"pages": export.pages or 0} if kind == "pdf"
         else _("Originele bestanden met manifest (ZIP)"),
         "url": reverse("dossier:download", kwargs={"pk": export.pk, "kind": kind})}
        for kind, size in (("pdf", export.pdf_size), ("zip", export.zip_size))
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
        "pruned": export.pruned_at is not None,
        "downloads": _downloads(export),
    }))


@require_GET
@login_required
def download(request, pk, kind):
    export = _export_or_404(request.user, pk)
    if kind not in ("pdf", "zip"):
        raise Http404(_("Bestand niet gevonden."))
    try:
        stored = service.dossier_open_download(export=export, actor=request.user, kind=kind)
    except DossierIntegrityError as exc:
        response = render(request, "dossier/refused.html", {"export": export, "message": str(exc)}, status=409)
        return _no_store(response)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    if export.audience == DossierAudience.FULL:  # the full version: internal
        record_access(request, AccessAction.CONFIDENTIAL_DOWNLOAD, result=AccessResult.ALLOWED,
                      object=f"dossier {export.pk} {kind} (full version, internal)", status_code=200)
    response = FileResponse(
        stored.file.storage.open(stored.file.name, "rb"), as_attachment=True,
        filename=download_name(stored.name, stored.content_type), content_type=stored.content_type,
    )
    return _no_store(response)
