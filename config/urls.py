from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from disputes import twofactor
from disputes.auth import RateLimitedLoginView, session_keepalive

urlpatterns = [
    path("", include("disputes.urls")),
    path("portaal/", include("disputes.portal.urls")),
    path("werk/", include("workflow.urls")),
    path("dossier/", include("disputes.dossier.urls")),
    path("inloggen/", RateLimitedLoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("sessie/verlengen/", session_keepalive, name="session-keepalive"),
    path("inloggen/tweede-stap/", twofactor.verify, name="two-factor-verify"),
    path("inloggen/tweede-stap/instellen/", twofactor.setup, name="two-factor-setup"),
    path("inloggen/tweede-stap/qr.svg", twofactor.qr_code, name="two-factor-qr"),
    path("inloggen/tweede-stap/instellen/<str:token>/", twofactor.enrol, name="two-factor-enrol"),
    path("beheer/", admin.site.urls),
    path("taal/", include("django.conf.urls.i18n")),  # set_language: the language switch
]
admin.site.site_header = "Geschilbeslechting prestatieafspraken - beheer"
admin.site.site_title = "Geschilbeslechting beheer"
