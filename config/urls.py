from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from disputes import oidc, password_reset, twofactor
from disputes.auth import RateLimitedLoginView, session_keepalive

urlpatterns = [
    path("", include("disputes.urls")),
    path("portaal/", include("disputes.portal.urls")),
    path("werk/", include("workflow.urls")),
    path("dossier/", include("disputes.dossier.urls")),
    path("api/v1/", include("disputes.api.urls")),  # connected systems (docs/api.md)
    path("inloggen/", RateLimitedLoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("sessie/verlengen/", session_keepalive, name="session-keepalive"),
    path("inloggen/tweede-stap/", twofactor.verify, name="two-factor-verify"),
    path("inloggen/tweede-stap/instellen/", twofactor.setup, name="two-factor-setup"),
    path("inloggen/tweede-stap/qr.svg", twofactor.qr_code, name="two-factor-qr"),
    path("inloggen/tweede-stap/instellen/<str:token>/", twofactor.enrol, name="two-factor-enrol"),
    # password reset for parties (disputes/password_reset.py, docs/accounts.md "Wachtwoord vergeten")
    path("inloggen/wachtwoord-vergeten/", password_reset.ResetRequestView.as_view(), name="password_reset"),
    path("inloggen/wachtwoord-vergeten/verstuurd/", password_reset.ResetDoneView.as_view(),
         name="password_reset_done"),
    path("inloggen/wachtwoord-vergeten/klaar/", password_reset.ResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("inloggen/wachtwoord-vergeten/<uidb64>/<token>/", password_reset.ResetConfirmView.as_view(),
         name="password_reset_confirm"),
    # OpenID Connect (disputes/oidc.py): 404 while the route is not configured
    path("inloggen/eherkenning/", oidc.PartyLogin.as_view(), name="oidc-party-login"),
    path("inloggen/eherkenning/terug/", oidc.PartyCallback.as_view(), name="oidc-party-callback"),
    path("inloggen/medewerkers/", oidc.StaffLogin.as_view(), name="oidc-staff-login"),
    path("inloggen/medewerkers/terug/", oidc.StaffCallback.as_view(), name="oidc-staff-callback"),
    path("beheer/", admin.site.urls),
    path("taal/", include("django.conf.urls.i18n")),  # set_language: the language switch
]
admin.site.site_header = "Geschilbeslechting prestatieafspraken - beheer"
admin.site.site_title = "Geschilbeslechting beheer"
