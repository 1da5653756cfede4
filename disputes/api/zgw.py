"""``GET /api/v1/cases/{id}/zgw/``: one case as ZGW resources (issue 18, item 6; docs/zgw.md).

The scope ``cases:read``; a case the application does not see is a 404. Documents, and the statuses and
decisions from the audit trail, follow the application's visibility (``disputes.api.visibility``): only documents
up to its highest confidentiality are exported, linked and counted.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import zgw
from ..models import ApiScope
from . import schema, visibility
from .permissions import application


class CaseZgwView(APIView):
    required_scope = ApiScope.READ_CASES

    @extend_schema(tags=["cases"], responses={200: OpenApiTypes.OBJECT, **schema.problems(404)},
                   description="The case as ZGW resources (Zaak, Status, Rol, ZaakInformatieObject, "
                               "EnkelvoudigInformatieObject, Besluit): docs/zgw.md.")
    def get(self, request, pk):
        app = application(request)
        dispute = get_object_or_404(visibility.cases(app), pk=pk)
        documents = (visibility.documents(app).filter(dispute=dispute).select_related("organisation")
                     .order_by("uploaded_at", "pk"))
        events = visibility.events(app).filter(dispute=dispute).order_by("at", "pk")
        def download_url(document) -> str:
            return request.build_absolute_uri(reverse("api:document-download", args=[document.pk]))

        return Response(zgw.export(dispute, documents=documents, events=events, download_url=download_url))
