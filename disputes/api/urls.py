"""``/api/v1/`` (docs/api.md). One plain list: each endpoint one line; add yours to ``urlpatterns`` (writes are in
``writes.py``, webhooks and the ZGW export in their own modules). Names are reversed as ``api:<name>``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views, webhooks, writes, zgw

app_name = "api"

urlpatterns = [
    # the description and its docs page (no inline script: Swagger UI from our own static files)
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    # cases (cases:read)
    path("cases/", views.CaseList.as_view(), name="case-list"),
    path("cases/<uuid:pk>/", views.CaseDetail.as_view(), name="case-detail"),
    path("cases/<uuid:pk>/events/", views.CaseEvents.as_view(), name="case-events"),
    path("events/", views.EventFeed.as_view(), name="event-feed"),
    # documents (documents:read)
    path("cases/<uuid:pk>/documents/", views.CaseDocuments.as_view(), name="case-documents"),
    path("documents/<uuid:pk>/", views.DocumentDetail.as_view(), name="document-detail"),
    path("documents/<uuid:pk>/download/", views.DocumentDownload.as_view(), name="document-download"),
    # dossier exports (exports:write; the request itself is POST cases/<id>/exports/ in writes.py)
    path("exports/<uuid:pk>/", views.ExportDetail.as_view(), name="export-detail"),
    path("exports/<uuid:pk>/download/", views.ExportDownload.as_view(), name="export-download"),
    # the writes, each with an Idempotency-Key (writes.py, idempotency.py)
    path("cases/<uuid:pk>/exports/", writes.CaseExportRequestView.as_view(), name="case-export-request"),
    path("letters/copies/<int:pk>/posted/", writes.LetterCopyPostedView.as_view(), name="letter-copy-posted"),
    # change notifications (notifications; webhooks.py): subscribe a callback URL, list, end
    path("subscriptions/", webhooks.SubscriptionListView.as_view(), name="subscriptions"),
    path("subscriptions/<uuid:pk>/", webhooks.SubscriptionDetailView.as_view(), name="subscription-detail"),
    # the case as ZGW resources (cases:read; zgw.py, docs/zgw.md)
    path("cases/<uuid:pk>/zgw/", zgw.CaseZgwView.as_view(), name="case-zgw"),
]
