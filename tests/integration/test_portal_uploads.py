"""Every upload refusal of quality.md, through every portal endpoint that takes files.

Refused: anything that is not a PDF by content (whatever its name or Content-Type), empty, corrupt or
truncated PDFs, encrypted PDFs, PDFs with active content (/JavaScript, /Launch, /EmbeddedFile, /XFA),
files over the per-file limit, and requests over the per-request limits (number of files, total size).
Each refusal is a clear Dutch message next to the file's name, never a 500, and nothing is stored.
"""

import io
import re

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disputes.models import Document, EffortEntry
from tests.factories import case_in_state, pdf_bytes

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}


def _modified(change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes(1))) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _encrypted() -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes(1))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="eigenaar", user="geheim"))
        return out.getvalue()


def _javascript(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def _launch(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))


def _embedded(pdf):
    spec = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("x.exe"),
                                                EF=pikepdf.Dictionary(F=pdf.make_stream(b"MZ"))))
    pdf.Root.Names = pikepdf.Dictionary(EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([
        pikepdf.String("x.exe"), spec])))


def _xfa(pdf):
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp/>"))


#: (what, file name, content, message the user reads)
REFUSALS = [
    ("ZIP/DOCX met .pdf-naam", "brief.pdf", b"PK\x03\x04" + b"\x00" * 64, "Alleen PDF-bestanden"),
    ("programma met .pdf-naam", "factuur.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, "Alleen PDF-bestanden"),
    ("HTML met .pdf-naam", "pagina.pdf", b"<html><script>alert(1)</script></html>", "Alleen PDF-bestanden"),
    ("afbeelding", "scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "Alleen PDF-bestanden"),
    ("leeg bestand", "leeg.pdf", b"", "leeg"),
    ("beschadigde PDF", "kapot.pdf", b"%PDF-1.7\n dit is geen pdf", "beschadigd"),
    ("afgekapte PDF", "half.pdf", pdf_bytes(3)[:300], "beschadigd"),
    ("versleutelde PDF", "geheim.pdf", _encrypted(), "wachtwoord"),
    ("PDF met JavaScript", "script.pdf", _modified(_javascript), "actieve inhoud"),
    ("PDF met Launch-actie", "start.pdf", _modified(_launch), "actieve inhoud"),
    ("PDF met ingesloten bestand", "bijlage.pdf", _modified(_embedded), "actieve inhoud"),
    ("PDF met XFA-formulier", "formulier.pdf", _modified(_xfa), "actieve inhoud"),
    ("groter dan de limiet per bestand", "groot.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), "groter dan 1 MB"),
]
IDS = [r[0] for r in REFUSALS]


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture
def draft(world, at, client):
    at("2017-01-16 10:00")
    client.force_login(world.tenant)
    return world.file(documents=[])


def assert_nothing_stored(private_storage, before=0):
    import os

    root = private_storage.location
    count = sum(len(files) for _d, _s, files in os.walk(root)) if os.path.exists(root) else 0
    assert count == before


@pytest.mark.parametrize(("what", "name", "content", "message"), REFUSALS, ids=IDS)
def test_the_upload_script_endpoint_refuses_with_a_message_per_file(client, draft, private_storage, what, name,
                                                                     content, message):
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]),
                           {"doc_type": "bod", "files": [upload(name, content)]}, **XHR)
    assert response.status_code == 400, what
    answer = response.json()
    assert answer["ok"] is False
    text = " ".join([r["message"] for r in answer["results"]] + answer["errors"])
    assert re.search(message, text), (what, text)
    if answer["results"]:
        assert answer["results"][0]["name"] == name
    assert not draft.documents.exists()
    assert_nothing_stored(private_storage)


def test_the_plain_form_reports_each_refused_file_and_keeps_the_good_ones(client, draft, private_storage):
    files = [upload(name, content) for _what, name, content, _m in REFUSALS if content] + [
        upload("goed.pdf", pdf_bytes(1))]
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]), {"doc_type": "bod", "files": files})
    assert response.status_code == 200
    body = response.content.decode()
    for what, name, content, message in REFUSALS:
        if content:
            assert re.search(re.escape(name) + r"</span>: <span class=\"upload-error\">Niet toegevoegd. [^<]*"
                             + message, body), what
    assert [d.display_name for d in draft.documents.current()] == ["goed.pdf"]


def test_the_type_comes_from_the_content_not_the_name_or_content_type(client, draft, private_storage):
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]),
                           {"doc_type": "bod", "files": [upload("../../etc/bod\u202egnp.exe", pdf_bytes(1),
                                                                "text/html")]}, **XHR)
    assert response.status_code == 200, response.content
    document = draft.documents.get()
    assert document.content_type == "application/pdf"
    assert document.display_name == "bodgnp.exe"  # no path, no bidi override
    assert document.file.name.startswith("documents/") and "bod" not in document.file.name
    assert response.json()["version"] == draft.__class__.objects.get(pk=draft.pk).version
    download = client.get(reverse("portal:document-download", args=[draft.pk, document.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="bodgnp.pdf"'  # served as what it is


def test_more_files_than_allowed_per_request_are_refused(client, draft, settings, private_storage):
    settings.PORTAL_MAX_FILES_PER_REQUEST = 2
    files = [upload(f"{i}.pdf", pdf_bytes(1)) for i in range(3)]
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]), {"doc_type": "bod", "files": files})
    assert response.status_code == 200
    assert "ten hoogste 2 bestanden tegelijk" in response.content.decode()
    assert not draft.documents.exists()
    assert_nothing_stored(private_storage)


def test_more_bytes_than_allowed_per_request_are_refused(client, draft, settings, private_storage):
    settings.PORTAL_MAX_UPLOAD_REQUEST_BYTES = 1024 * 1024
    files = [upload(f"{i}.pdf", b"%PDF-1.4\n" + b"0" * 600_000) for i in range(2)]
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]), {"doc_type": "bod", "files": files},
                           **XHR)
    assert response.status_code == 400
    assert "samen groter dan 1 MB" in " ".join(response.json()["errors"])
    assert_nothing_stored(private_storage)


def test_a_missing_type_or_file_is_a_field_error(client, draft):
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]), {"doc_type": ""})
    body = response.content.decode()
    assert response.status_code == 200 and 'href="#id_doc_type"' in body and 'href="#id_files"' in body


def _refusal_files():
    return [(what, upload(name, content), message) for what, name, content, message in REFUSALS]


def test_effort_log_uploads_refuse_every_bad_file_and_store_nothing(client, draft, private_storage):
    for url in (reverse("portal:draft-efforts", args=[draft.pk]),
                reverse("portal:agreement-log", args=[draft.agreement.pk])):
        for what, uploaded, message in _refusal_files():
            response = client.post(url, {"kind": "meeting", "occurred_on": "01-09-2016", "summary": "Overleg",
                                         "doc_type": "verslag_overleg", "files": [uploaded]})
            assert response.status_code == 200, what
            body = response.content.decode()
            assert re.search(message, body) and "Er is een probleem" in body, (url, what)
    assert not EffortEntry.objects.exists() and not Document.objects.exists()
    assert_nothing_stored(private_storage)


def test_remedy_uploads_refuse_every_bad_file(client, world, private_storage):
    case = case_in_state(world, "awaiting_remedy")
    client.force_login(world.tenant)
    before = Document.objects.count()
    for what, uploaded, message in _refusal_files():
        response = client.post(reverse("portal:remedy", args=[case.pk]),
                               {"doc_type": "machtiging", "files": [uploaded], "note": "Hierbij",
                                "expected_version": case.version})
        assert response.status_code == 200, what
        assert re.search(message, response.content.decode()), what
    case.refresh_from_db()
    assert case.state == "awaiting_remedy" and Document.objects.count() == before


def test_response_uploads_refuse_every_bad_file(client, world, private_storage):
    case = case_in_state(world, "awaiting_response")
    client.force_login(world.corp_user)
    before = Document.objects.count()
    for what, uploaded, message in _refusal_files():
        response = client.post(reverse("portal:respond", args=[case.pk]),
                               {"files": [uploaded], "position_p1": "Wij zijn het oneens",
                                "expected_version": case.version})
        assert response.status_code == 200, what
        assert re.search(message, response.content.decode()), what
    assert Document.objects.count() == before
    assert not case.parties.filter(responded_at__isnull=False).exists()
