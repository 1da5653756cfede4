"""The party portal: filing wizard, uploads, a party's case page, the respondents' verweer.

Every URL here is walked by tests/integration/test_portal_access.py: an outsider and an
anonymous visitor get the same 404 (or the log-in page) on every case-specific address.
"""

from django.urls import path

from . import case, downloads, representatives, wizard

app_name = "portal"

urlpatterns = [
    # a new filing: step 1 (kind) and step 2 (agreement, parties) before the draft exists
    path("nieuw/", wizard.new_kind, name="new"),
    path("nieuw/overleg/", wizard.new_agreement, name="new-agreement"),
    path("nieuw/partijen/", wizard.new_parties, name="new-parties"),
    # the wizard on a draft
    path("geschillen/<uuid:pk>/indienen/", wizard.draft_resume, name="draft-resume"),
    path("geschillen/<uuid:pk>/indienen/soort/", wizard.draft_kind, name="draft-kind"),
    path("geschillen/<uuid:pk>/indienen/overleg/", wizard.draft_agreement, name="draft-agreement"),
    path("geschillen/<uuid:pk>/indienen/partijen/", wizard.draft_parties, name="draft-parties"),
    path("geschillen/<uuid:pk>/indienen/datum/", wizard.draft_date, name="draft-date"),
    path("geschillen/<uuid:pk>/indienen/geschilpunten/", wizard.draft_points, name="draft-points"),
    path("geschillen/<uuid:pk>/indienen/geschilpunten/<uuid:point>/verwijderen/", wizard.draft_point_remove,
         name="draft-point-remove"),
    path("geschillen/<uuid:pk>/indienen/logboek/", wizard.draft_efforts, name="draft-efforts"),
    path("geschillen/<uuid:pk>/indienen/documenten/", wizard.draft_documents, name="draft-documents"),
    path("geschillen/<uuid:pk>/indienen/documenten/toevoegen/", wizard.draft_upload, name="draft-upload"),
    path("geschillen/<uuid:pk>/indienen/documenten/<uuid:document>/terugtrekken/", wizard.draft_document_withdraw,
         name="draft-document-withdraw"),
    path("geschillen/<uuid:pk>/indienen/controleren/", wizard.draft_review, name="draft-review"),
    path("geschillen/<uuid:pk>/ingediend/", wizard.submitted, name="submitted"),
    # the case after submission
    path("geschillen/<uuid:pk>/", case.case_page, name="dispute"),
    path("geschillen/<uuid:pk>/herstel/", case.remedy, name="remedy"),
    path("geschillen/<uuid:pk>/stukken-toevoegen/", case.submit_documents, name="submit-documents"),
    path("geschillen/<uuid:pk>/verweer/", case.respond, name="respond"),
    path("geschillen/<uuid:pk>/inlichtingen/", case.information, name="information"),
    path("geschillen/<uuid:pk>/intrekken/", case.withdraw, name="withdraw"),
    path("geschillen/<uuid:pk>/logboek/", case.case_efforts, name="case-efforts"),
    path("geschillen/<uuid:pk>/gemachtigden/", representatives.representatives, name="representatives"),
    path("geschillen/<uuid:pk>/gemachtigden/<uuid:representation>/beeindigen/", representatives.representative_end,
         name="representative-end"),
    path("geschillen/<uuid:pk>/documenten/<uuid:document>/", downloads.document_download, name="document-download"),
    # the effort log of an agreement, before any dispute
    path("overleg/<uuid:agreement>/logboek/", case.agreement_log, name="agreement-log"),
    path("overleg/<uuid:agreement>/documenten/<uuid:document>/", downloads.effort_document_download,
         name="effort-document-download"),
]
