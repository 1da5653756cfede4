from django.urls import path

from . import invitation_views, register, views

urlpatterns = [
    path("", views.home, name="home"),
    path("geschillen/<uuid:pk>/", views.dispute_detail, name="dispute-detail"),
    path("uitnodiging/<str:token>/", invitation_views.accept, name="invitation-accept"),
    # the public register of published decisions (disputes/register.py, docs/publication.md "Het register")
    path("uitspraken/", register.register_list, name="register-list"),
    path("uitspraken/feed.atom", register.register_feed, name="register-feed"),
    path("uitspraken/<slug:slug>/", register.register_detail, name="register-detail"),
    path("uitspraken/<slug:slug>/uitspraak.pdf", register.register_pdf, name="register-pdf"),
    path("uitspraken/<slug:slug>.json", register.register_json, name="register-json"),
]
