from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("geschillen/<uuid:pk>/", views.dispute_detail, name="dispute-detail"),
]
