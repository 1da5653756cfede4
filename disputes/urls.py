from django.urls import path

from . import invitation_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("geschillen/<uuid:pk>/", views.dispute_detail, name="dispute-detail"),
    path("uitnodiging/<str:token>/", invitation_views.accept, name="invitation-accept"),
]
