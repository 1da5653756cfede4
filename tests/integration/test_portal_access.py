"""Access to the portal, generated from ``disputes.portal.urls.urlpatterns``.

Every portal URL has a row in ``ARGS`` (a new URL without one fails the test). For every URL that
names a case, an agreement or a document: an outsider party gets the same 404 as for an id that
does not exist, by GET and by POST; an anonymous visitor is sent to the log-in page; a draft is
visible only to its applicant organisation. Downloads are attachments with safe headers, only for
those who may see the document, and blocked when the stored file no longer matches its hash.
"""

import logging
import uuid
from datetime import date

import pytest
from django.urls import reverse

from disputes import services
from disputes.models import DisputeEvent, Document
from disputes.portal import urls as portal_urls
from disputes.services import drafts
from tests.factories import case_in_state, pdf

pytestmark = pytest.mark.django_db

#: URL name -> the objects that fill its arguments, in order
ARGS = {
    "new": (),
    "new-agreement": (),
    "new-parties": (),
    "draft-resume": ("case",),
    "draft-kind": ("case",),
    "draft-agreement": ("case",),
    "draft-parties": ("case",),
    "draft-date": ("case",),
    "draft-points": ("case",),
    "draft-point-remove": ("case", "point"),
    "draft-efforts": ("case",),
    "draft-documents": ("case",),
    "draft-upload": ("case",),
    "draft-document-withdraw": ("case", "document"),
    "draft-review": ("case",),
    "submitted": ("case",),
    "dispute": ("case",),
    "remedy": ("case",),
    "submit-documents": ("case",),
    "information": ("case",),
    "respond": ("case",),
    "withdraw": ("case",),
    "case-efforts": ("case",),
    "representatives": ("case",),
    "representative-end": ("case", "representation"),
    "document-download": ("case", "document"),
    "agreement-log": ("agreement",),
    "effort-document-download": ("agreement", "effort_document"),
}
NAMES = [p.name for p in portal_urls.urlpatterns]
SCOPED = [n for n in NAMES if ARGS.get(n)]


def test_every_portal_url_has_a_row_in_the_access_table():
    assert sorted(NAMES) == sorted(ARGS), "add the new URL to ARGS (and think about who may use it)"


@pytest.fixture
def objects(world, at):
    """A draft and a submitted case of the Leiderdorp overleg, with a point, documents and an effort document."""
    at("2017-01-10 10:00")
    entry = drafts.effort_record_with_documents(
        agreement=world.agreement, actor=world.corp_user, kind="bod", occurred_on=date(2016, 7, 1),
        summary="Bod", documents=[pdf("bod")])
    at("2017-01-16 10:00")
    draft = world.file(documents=[pdf("verzoek")])
    case = world.file(documents=[pdf("verzoek")])
    services.dispute_submit(dispute=case, actor=world.tenant)
    # a representative asked for by the respondent (docs/accounts.md), on the submitted case
    representation = services.representation_request(dispute=case, actor=world.corp_user, name="Mr. Y",
                                                      email="y@advocaten.example", authorisation=pdf("machtiging")[1])
    return {
        "draft": {"case": draft, "point": draft.points.first(), "document": draft.documents.first(),
                  "agreement": world.agreement, "effort_document": entry.documents.first(),
                  "representation": representation},
        "submitted": {"case": case, "point": case.points.first(), "document": case.documents.first(),
                      "agreement": world.agreement, "effort_document": entry.documents.first(),
                      "representation": representation},
    }


def url_for(name, objects=None):
    """The URL with real ids (``objects``) or random ones (None)."""
    args = [objects[key].pk if objects else uuid.uuid4() for key in ARGS[name]]
    return reverse(f"portal:{name}", args=args)


def test_an_outsider_gets_the_same_404_as_for_a_missing_id(client, world, objects):
    """Every scoped URL, by GET and POST, for a draft and a submitted case: the same answer as a random
    id, and a 404 for the methods the URL takes (a method it never takes is a 405 for any id)."""
    client.force_login(world.outsider)
    problems = []
    for state in ("draft", "submitted"):
        for name in SCOPED:
            real, missing = url_for(name, objects[state]), url_for(name)
            statuses = set()
            for method in (client.get, client.post):
                theirs, absent = method(real), method(missing)
                statuses.add(theirs.status_code)
                if (theirs.status_code, theirs.content) != (absent.status_code, absent.content):
                    problems.append(f"{state} {name} {method.__name__}: {theirs.status_code} vs {absent.status_code}")
                if theirs.status_code not in (404, 405):
                    problems.append(f"{state} {name} {method.__name__}: {theirs.status_code}")
            if 404 not in statuses:
                problems.append(f"{state} {name}: no 404 for any method")
    assert not problems, "\n".join(problems)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, objects):
    problems = []
    for name in NAMES:
        url = url_for(name, objects["submitted"])
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code == 405:
                continue  # a method the URL never takes, for anyone
            if not (response.status_code == 302 and response.url.startswith(reverse("login"))):
                problems.append(f"{name} {method.__name__}: {response.status_code}")
        if client.get(url).status_code == 405 and client.post(url).status_code == 405:
            problems.append(f"{name}: no method leads to the log-in page")
    assert not problems, "\n".join(problems)


def test_a_draft_is_visible_only_to_its_applicant_organisation(client, world, objects):
    problems = []
    for who in ("corp_user", "gem_user", "secretary", "chair", "commission_member", "official"):
        client.force_login(getattr(world, who))
        for name in [n for n in SCOPED if "case" in ARGS[n]]:
            url = url_for(name, objects["draft"])
            status = client.get(url).status_code
            if status == 405:
                status = client.post(url).status_code
            if status != 404:
                problems.append(f"{who} {name}: {status}")
    assert not problems, "\n".join(problems)
    client.force_login(world.tenant)
    assert client.get(url_for("dispute", objects["draft"])).status_code == 200


def test_an_agreement_of_others_is_a_404_when_starting_a_filing(client, world, objects):
    client.force_login(world.outsider)
    url = reverse("portal:new-parties") + f"?soort=totstandkoming&agreement={world.agreement.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"respondents": [world.gemeente.pk]}).status_code == 404


def test_actions_of_the_other_side_are_forbidden(client, world):
    case = case_in_state(world, "awaiting_response")
    client.force_login(world.corp_user)  # respondent
    for name in ("remedy", "withdraw", "draft-date", "draft-review"):
        assert client.post(reverse(f"portal:{name}", args=[case.pk]), {}).status_code == 403, name
    client.force_login(world.tenant)  # applicant
    response = client.post(reverse("portal:respond", args=[case.pk]), {"position_p1": "x", "expected_version": 1})
    assert response.status_code == 403 and "verweerder" in response.content.decode()


def test_staff_use_the_staff_case_page(client, world):
    case = case_in_state(world, "submitted")
    client.force_login(world.secretary)
    response = client.get(reverse("portal:dispute", args=[case.pk]))
    assert response.status_code == 302 and response.url == reverse("dispute-detail", args=[case.pk])


# -- downloads ----------------------------------------------------------------------------------------------------

def test_a_download_is_an_attachment_with_safe_headers(client, world, objects):
    case = objects["submitted"]["case"]
    document = case.documents.first()
    client.force_login(world.corp_user)
    response = client.get(reverse("portal:document-download", args=[case.pk, document.pk]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == document.file.open("rb").read()


def test_a_non_ascii_file_name_is_encoded_per_rfc_6266(client, world, at):
    at("2017-01-16 10:00")
    draft = world.file(documents=[])
    uploaded = pdf("verzoek")[1]
    uploaded.name = "Brief aan de Minister – €, “quotes”.pdf"
    document = drafts.draft_add_document(dispute=draft, actor=world.tenant, uploaded=uploaded, doc_type="verzoek")
    client.force_login(world.tenant)
    response = client.get(reverse("portal:document-download", args=[draft.pk, document.pk]))
    assert "filename*=utf-8''Brief%20aan%20de%20Minister%20%E2%80%93%20%E2%82%AC" in response["Content-Disposition"]


def test_confidential_documents_are_visible_by_role(client, world):
    case = case_in_state(world, "exchange")
    commission = services.document_upload(dispute=case, actor=world.secretary, uploaded=pdf("overig")[1],
                                          doc_type="overig", confidentiality="commission")
    internal = services.document_upload(dispute=case, actor=world.secretary, uploaded=pdf("overig")[1],
                                        doc_type="overig", confidentiality="internal")
    expected = {
        "tenant": (404, 404), "corp_user": (404, 404), "commission_member": (200, 404), "chair": (200, 404),
        "secretary": (200, 200), "official": (200, 200),
    }
    for who, statuses in expected.items():
        client.force_login(getattr(world, who))
        got = tuple(client.get(reverse("portal:document-download", args=[case.pk, d.pk])).status_code
                    for d in (commission, internal))
        assert got == statuses, who


def test_a_withdrawn_draft_document_cannot_be_downloaded(client, world, at):
    at("2017-01-16 10:00")
    draft = world.file(documents=[pdf("bod")])
    document = draft.documents.get()
    drafts.draft_withdraw_document(document=document, actor=world.tenant)
    client.force_login(world.tenant)
    assert client.get(reverse("portal:document-download", args=[draft.pk, document.pk])).status_code == 404


def test_a_document_of_another_case_is_a_404_even_for_a_party_of_both(client, world, at):
    at("2017-01-16 10:00")
    one, two = world.file(documents=[pdf("bod")]), world.file(documents=[pdf("bod")])
    client.force_login(world.tenant)
    other = two.documents.get()
    assert client.get(reverse("portal:document-download", args=[one.pk, other.pk])).status_code == 404


def test_effort_documents_are_served_to_every_party_of_the_agreement(client, world, objects):
    effort_document = objects["submitted"]["effort_document"]
    case = objects["submitted"]["case"]
    for who in ("tenant", "corp_user", "gem_user"):
        client.force_login(getattr(world, who))
        assert client.get(reverse("portal:effort-document-download",
                                  args=[world.agreement.pk, effort_document.pk])).status_code == 200
        assert client.get(reverse("portal:document-download", args=[case.pk, effort_document.pk])).status_code == 200
    client.force_login(world.secretary)  # staff see it through the case they review
    assert client.get(reverse("portal:document-download", args=[case.pk, effort_document.pk])).status_code == 200


def test_a_hash_mismatch_blocks_the_download_logs_and_records_it(client, world, objects, private_storage, caplog):
    case = objects["submitted"]["case"]
    document = case.documents.first()
    with open(private_storage.path(document.file.name), "ab") as handle:
        handle.write(b"% tampered")
    client.force_login(world.tenant)
    with caplog.at_level(logging.ERROR, logger="disputes.drafts"):
        response = client.get(reverse("portal:document-download", args=[case.pk, document.pk]))
    assert response.status_code == 500
    assert "Content-Disposition" not in response
    assert "komt niet overeen" in response.content.decode()
    assert any("integrity failure" in r.getMessage() for r in caplog.records)
    event = DisputeEvent.objects.get(dispute=case, kind="integrity_failure")
    assert event.visibility == "internal" and event.payload["document"] == str(document.pk)


def test_a_missing_file_is_blocked_like_a_mismatch(client, world, objects, private_storage):
    case = objects["submitted"]["case"]
    document = case.documents.first()
    private_storage.delete(document.file.name)
    client.force_login(world.tenant)
    assert client.get(reverse("portal:document-download", args=[case.pk, document.pk])).status_code == 500
    assert Document.objects.filter(pk=document.pk).exists()
