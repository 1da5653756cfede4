"""The staff side, mounted at /werk/ (config/urls.py). Every view requires a staff role."""

from django.urls import path

from . import security, views

app_name = "workflow"
urlpatterns = [
    path("", views.WorklistView.as_view(), name="worklist"),
    path("taken/", views.InboxView.as_view(), name="inbox"),
    path("zoeken/", views.SearchView.as_view(), name="search"),
    path("archief/", views.ArchiveView.as_view(), name="archive"),
    path("commissie/", views.RosterView.as_view(), name="roster"),
    path("overzicht/", views.DashboardView.as_view(), name="dashboard"),
    path("overzicht/jaarverslag/", views.AnnualReportView.as_view(), name="annual-report"),
    path("inlogbeveiliging/", security.SecurityView.as_view(), name="security"),
    path("organisaties/", views.OrganisationsView.as_view(), name="organisations"),
    path("organisaties/nieuw/", views.OrganisationFormView.as_view(), name="organisation-new"),
    path("organisaties/<uuid:organisation_pk>/", views.OrganisationView.as_view(), name="organisation"),
    path("organisaties/<uuid:organisation_pk>/wijzigen/", views.OrganisationFormView.as_view(),
         name="organisation-edit"),
    path("organisaties/<uuid:organisation_pk>/uitnodigen/", views.OrganisationInviteView.as_view(),
         name="organisation-invite"),
    path("organisaties/<uuid:organisation_pk>/leden/<int:membership_pk>/beeindigen/",
         views.MembershipEndView.as_view(), name="membership-end"),
    path("organisaties/<uuid:organisation_pk>/uitnodigingen/<uuid:invitation_pk>/intrekken/",
         views.InvitationRevokeView.as_view(), name="invitation-revoke"),
    path("geschillen/<uuid:pk>/", views.CaseView.as_view(), name="case"),
    path("geschillen/<uuid:pk>/taken/<int:task_pk>/", views.TaskView.as_view(), name="task"),
    path("geschillen/<uuid:pk>/taken/<int:task_pk>/toewijzen/", views.TaskAssignView.as_view(), name="task-assign"),
    path("geschillen/<uuid:pk>/acties/<slug:action>/", views.CaseActionView.as_view(), name="case-action"),
    path("geschillen/<uuid:pk>/brieven/<slug:kind>/", views.LetterView.as_view(), name="letter"),
    path("geschillen/<uuid:pk>/gemachtigden/<uuid:representation_pk>/controleren/",
         views.RepresentationCheckView.as_view(), name="representation-check"),
    path("geschillen/<uuid:pk>/gemachtigden/<uuid:representation_pk>/beeindigen/",
         views.RepresentationEndView.as_view(), name="representation-end"),
]
