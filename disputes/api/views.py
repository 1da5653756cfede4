"""The read endpoints of ``/api/v1/`` (issue 18, docs/api.md): cases with their parties, points, deadlines and
events; documents with an authorised download that re-checks the SHA-256; the progress and download of dossier
exports. What an application sees is ``visibility``; which scope each needs is ``required_scope``, checked by
``permissions.ScopePermission``."""

import json
import logging

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, renderers
from rest_framework.response import Response

from ..dossier.errors import DossierIntegrityError
from ..integrity import stored_sha256
from ..models import ApiScope, Deadline, Dispute, DisputeEvent, DisputeParty, Document, DossierExport
from ..services import dossier as dossier_service
from ..services import drafts
from ..uploads import download_name
from . import schema, serializers, visibility  # noqa: F401 (schema registers the security scheme)
from .filters import CaseFilter
from .pagination import CaseCursorPagination, DocumentCursorPagination, IdCursorPagination
from .permissions import application
from .problems import PROBLEM_TYPE, problem

logger = logging.getLogger("disputes.api")


class FileRenderer(renderers.BaseRenderer):
    """Lets a download be asked for with any ``Accept``; an error on it is still problem+json."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode() if isinstance(data, dict) else data


def _no_store(response):
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- cases ---------------------------------------------------------------------------------------------------------
def _cases(request):
    return visibility.cases(application(request)).select_related("agreement__municipality")


@extend_schema(tags=["cases"], responses={200: serializers.CaseSerializer(many=True), **schema.problems(400)})
class CaseList(generics.ListAPIView):
    """The cases the application may see, by case number (a cursor page at a time), filtered."""

    queryset = Dispute.objects.none()  # for the schema; requests use get_queryset
    required_scope = ApiScope.READ_CASES
    serializer_class = serializers.CaseSerializer
    pagination_class = CaseCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self):
        return _cases(self.request)


@extend_schema(tags=["cases"], responses={200: serializers.CaseDetailSerializer, **schema.problems(404)})
class CaseDetail(generics.RetrieveAPIView):
    """One case: parties, points with the advice and decision once given, deadlines, state and dates."""

    queryset = Dispute.objects.none()  # for the schema; requests use get_queryset
    required_scope = ApiScope.READ_CASES
    serializer_class = serializers.CaseDetailSerializer

    def get_queryset(self):
        return _cases(self.request).prefetch_related(
            Prefetch("parties", queryset=DisputeParty.objects.select_related("organisation")),
            "points",
            Prefetch("deadlines", queryset=Deadline.objects.select_related("organisation").order_by("due", "pk")),
        )


def _case_or_404(request, pk):
    return get_object_or_404(visibility.cases(application(request)), pk=pk)


@extend_schema(tags=["cases"], responses={200: serializers.EventSerializer(many=True), **schema.problems(400, 404)})
class CaseEvents(generics.ListAPIView):
    """The case's events the application may see, oldest first."""

    queryset = DisputeEvent.objects.none()  # for the schema; requests use get_queryset
    required_scope = ApiScope.READ_CASES
    serializer_class = serializers.EventSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        case = _case_or_404(self.request, self.kwargs["pk"])
        return visibility.events(application(self.request)).filter(dispute=case).select_related(
            "dispute", "actor_organisation")


@extend_schema(tags=["events"], responses={200: serializers.EventSerializer(many=True), **schema.problems(400)})
class EventFeed(generics.ListAPIView):
    """Every event the application may see, across cases, by id: keep the ``next`` cursor and ask again later for
    what changed since."""

    queryset = DisputeEvent.objects.none()  # for the schema; requests use get_queryset
    required_scope = ApiScope.READ_CASES
    serializer_class = serializers.EventSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return visibility.events(application(self.request)).select_related("dispute", "actor_organisation")


# -- documents -----------------------------------------------------------------------------------------------------
def _documents(request):
    return visibility.documents(application(request))


@extend_schema(tags=["documents"], responses={200: serializers.DocumentSerializer(many=True),
                                              **schema.problems(400, 404)})
class CaseDocuments(generics.ListAPIView):
    """The case's documents the application may read (metadata; each with its download address)."""

    queryset = Document.objects.none()  # for the schema; requests use get_queryset
    required_scope = ApiScope.READ_DOCUMENTS
    serializer_class = serializers.DocumentSerializer
    pagination_class = DocumentCursorPagination

    def get_queryset(self):
        case = get_object_or_404(visibility.cases(application(self.request)), pk=self.kwargs["pk"])
        return _documents(self.request).filter(dispute=case)


@extend_schema(tags=["documents"], responses={200: serializers.DocumentSerializer, **schema.problems(404)})
class DocumentDetail(generics.RetrieveAPIView):
    queryset = Document.objects.none()  # for the schema; requests use get_queryset
    required_scope = ApiScope.READ_DOCUMENTS
    serializer_class = serializers.DocumentSerializer

    def get_queryset(self):
        return _documents(self.request)


@extend_schema(tags=["documents"], responses={**schema.binary("application/octet-stream"),
                                              **schema.problems(404, 409)})
class DocumentDownload(generics.GenericAPIView):
    """The stored file, after its SHA-256 is computed again: a mismatch (or a missing file) is refused with a 409
    and raises the integrity alarm, as a download on the web does."""

    queryset = Document.objects.none()  # for the schema; requests use get_queryset
    required_scope = ApiScope.READ_DOCUMENTS
    renderer_classes = [renderers.JSONRenderer, FileRenderer]
    pagination_class = None

    def get_queryset(self):
        return _documents(self.request)

    def get(self, request, pk):
        document = self.get_object()
        actual = stored_sha256(document)
        if actual != document.sha256:
            drafts.document_integrity_alarm(
                document=document, actor=request.user,
                detail="API download; file missing or unreadable" if actual is None
                else f"API download; stored file has sha256 {actual}")
            return Response(problem(409, _("Het opgeslagen bestand klopt niet meer met zijn controlegetal; het is "
                                           "niet verstrekt en het secretariaat is gewaarschuwd."), request.path),
                            status=409, content_type=PROBLEM_TYPE)
        logger.info("api download: document=%s application=%s", document.pk, application(request).pk)
        content_type = document.content_type or "application/pdf"
        filename = download_name(document.display_name, content_type)
        response = FileResponse(document.file.storage.open(document.file.name, "rb"), as_attachment=True,
                                filename=filename, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["X-Checksum-SHA256"] = document.sha256
        return _no_store(response)


# -- dossier exports -----------------------------------------------------------------------------------------------
def _exports(request):
    return visibility.exports(application(request)).select_related("dispute")


@extend_schema(tags=["exports"], responses={200: serializers.ExportSerializer, **schema.problems(404)})
class ExportDetail(generics.RetrieveAPIView):
    """The progress of a dossier export (pending, running, done, failed) and, when done, its files."""

    queryset = DossierExport.objects.none()  # for the schema; requests use get_queryset
    required_scope = ApiScope.REQUEST_EXPORTS
    serializer_class = serializers.ExportSerializer

    def get_queryset(self):
        return _exports(self.request)


@extend_schema(tags=["exports"], parameters=[OpenApiParameter(
    "file", OpenApiTypes.STR, enum=["pdf", "zip"], default="pdf",
    description="Het dossier als PDF, of de originele bestanden met manifest als ZIP")],
    responses={**schema.binary("application/pdf", "application/zip"), **schema.problems(400, 404, 409)})
class ExportDownload(generics.GenericAPIView):
    """A finished export's PDF or ZIP, after its SHA-256 is computed again (409 on a mismatch)."""

    queryset = DossierExport.objects.none()  # for the schema; requests use get_queryset
    required_scope = ApiScope.REQUEST_EXPORTS
    renderer_classes = [renderers.JSONRenderer, FileRenderer]
    pagination_class = None

    def get_queryset(self):
        return _exports(self.request)

    def get(self, request, pk):
        export: DossierExport = self.get_object()
        kind = request.query_params.get("file", "pdf")
        if kind not in ("pdf", "zip"):
            raise exceptions.ValidationError({"file": [_("Kies pdf of zip.")]})
        try:
            stored = dossier_service.dossier_open_download(export=export, actor=request.user, kind=kind)
        except DossierIntegrityError as exc:
            return Response(problem(409, str(exc), request.path), status=409, content_type=PROBLEM_TYPE)
        except ValidationError as exc:  # not finished yet, or its files were pruned: ask again
            return Response(problem(409, " ".join(exc.messages), request.path), status=409, content_type=PROBLEM_TYPE)
        response = FileResponse(stored.file.storage.open(stored.file.name, "rb"), as_attachment=True,
                                filename=download_name(stored.name, stored.content_type),
                                content_type=stored.content_type)
        response["X-Checksum-SHA256"] = stored.sha256
        return _no_store(response)
