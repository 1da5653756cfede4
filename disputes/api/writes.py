"""The API's writes (issue 18, docs/api.md "Schrijven"): asking for a case's dossier, and recording that a letter
went by post. No second door: each is one call of the service the web uses (``dossier_request_export``,
``letter_copy_posted``), with its permission checks, its audit event naming the application's account, and its
outbox. Each needs its scope (403 without), a case the application sees (404 otherwise, as a case that does not
exist) and an ``Idempotency-Key`` (disputes/api/idempotency.py).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import ApiScope, DossierAudience, LetterCopy, LetterStatus
from ..services import dossier as dossier_services
from ..services import letters as letter_services
from . import schema, visibility
from .idempotency import idempotent
from .permissions import application


def _invalid(exc: DjangoValidationError):
    """A service's refusal as a 400 with the fields it names."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"detail": exc.messages})


class WriteView(APIView):
    """The API's settings apply (key authentication, ``ScopePermission`` on ``required_scope``, problem+json)."""


class ExportRequestSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(choices=DossierAudience.choices)


class ExportRequestedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case = serializers.UUIDField()
    audience = serializers.ChoiceField(choices=DossierAudience.choices)
    status = serializers.CharField()
    url = serializers.URLField(help_text="Where to follow the export (also the Location header).")


def export_url(export) -> str:
    """Where the export is followed (H4's ``GET /api/v1/exports/{id}/``)."""
    try:
        return reverse("api:export-detail", args=[export.pk])
    except NoReverseMatch:
        return f"/api/v1/exports/{export.pk}/"


class CaseExportRequestView(WriteView):
    """``POST /api/v1/cases/{id}/exports/`` with ``{"audience": "party"|"full"}``: 202 with the export's id and
    ``Location`` of its status. The same case version gives the same export (the service's own idempotency)."""

    required_scope = ApiScope.REQUEST_EXPORTS

    @extend_schema(tags=["exports"], request=ExportRequestSerializer, parameters=[schema.IDEMPOTENCY_KEY],
                   responses={202: ExportRequestedSerializer, **schema.problems(400, 404, 409)})
    def post(self, request, pk):
        return idempotent(request, lambda: self.write(request, pk))

    def write(self, request, pk):
        dispute = get_object_or_404(visibility.cases(application(request)), pk=pk)
        data = ExportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            export = dossier_services.dossier_request_export(dispute=dispute, actor=request.user,
                                                             audience=data.validated_data["audience"])
        except DjangoValidationError as exc:
            raise _invalid(exc) from exc
        location = request.build_absolute_uri(export_url(export))
        body = {"id": str(export.pk), "case": str(dispute.pk), "audience": export.audience,
                "status": export.status, "url": location}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class PostedSerializer(serializers.Serializer):
    posted_on = serializers.DateField(input_formats=["iso-8601"])


class PostedCopySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    letter = serializers.UUIDField()
    case = serializers.UUIDField()
    kind = serializers.CharField()
    addressee = serializers.CharField()
    posted_on = serializers.DateField()


class LetterCopyPostedView(WriteView):
    """``POST /api/v1/letters/copies/{id}/posted/`` with ``{"posted_on": "YYYY-MM-DD"}``: the paper copy of a
    sent letter (one per addressee, ``LetterCopy``) went in the post that day. 200 with the copy."""

    required_scope = ApiScope.RECORD_POST

    @extend_schema(tags=["letters"], request=PostedSerializer, parameters=[schema.IDEMPOTENCY_KEY],
                   responses={200: PostedCopySerializer, **schema.problems(400, 404, 409)})
    def post(self, request, pk):
        return idempotent(request, lambda: self.write(request, pk))

    def write(self, request, pk):
        copy = get_object_or_404(LetterCopy.objects.select_related("letter__dispute").filter(
            visibility.case_filter(application(request), "letter__dispute__"), letter__status=LetterStatus.SENT),
            pk=pk)
        data = PostedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            copy = letter_services.letter_copy_posted(actor=request.user, copy=copy,
                                                      posted_on=data.validated_data["posted_on"])
        except DjangoValidationError as exc:
            raise _invalid(exc) from exc
        body = {"id": copy.pk, "letter": str(copy.letter_id), "case": str(copy.letter.dispute_id),
                "kind": copy.letter.kind, "addressee": copy.addressee,
                "posted_on": copy.posted_on.isoformat()}
        return Response(body, status=status.HTTP_200_OK)
