from django.urls import path

from . import views

app_name = "dossier"
urlpatterns = [
    path("geschil/<uuid:dispute_pk>/exporteren/", views.request_export, name="request"),
    path("<uuid:pk>/", views.status_page, name="status"),
    path("<uuid:pk>/status/", views.status_json, name="status-json"),
    path("<uuid:pk>/download/<str:kind>/", views.download, name="download"),
]
