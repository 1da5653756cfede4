"""Hostile files that ask for memory or time rather than trust (issue 10, "Hostile files"):
decompression bombs, CPU bombs (very many objects), links that are not web or e-mail addresses,
download names that keep the uploader's extension, and a file checked twice on one path.

The bombs are made here, small: zeros compressed with zlib (about 1 KB per MiB they inflate to) and
PDFs with very many tiny objects written by hand. The limits are settings (``PDF_MAX_*``,
``PDF_CHECK_SECONDS``); a test lowers one where the default would need a large file.
"""

import hashlib
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disputes import clock, uploads
from disputes.dossier.content import collect
from disputes.models import Document, DossierExport, ExportStatus, Step
from disputes.services.documents import bundle_for
from disputes.services.dossier import dossier_request_export
from tests.factories import case_in_state, moment, pdf_bytes

from . import helpers as h

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}
BOMB = "wordt bij het uitpakken groter dan"
LZW = "verouderde compressie (LZW)"
TOO_MANY = "te veel onderdelen"
TOO_LONG = "duurt te lang"
LINK = "geen webadres (http of https) of e-mailadres"
ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("export_child.py")
MAX_PEAK_MB = 300


def check(content: bytes, name: str = "stuk.pdf"):
    return uploads.check_upload(ContentFile(content, name=name), max_bytes=64 * h.MIB)


def refusal(content: bytes) -> str:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the message is what is checked
        check(content)
    return " ".join(getattr(caught.value, "messages", [str(caught.value)]))


# == 1. decompression bombs ===========================================================================
#: (what, content, message) with the default limits (64 MB a stream): each is refused at upload.
BOMBS = [
    ("metadata die uitpakt tot 80 MB", h.metadata_bomb(80), BOMB),
    ("paginainhoud die uitpakt tot 80 MB", h.content_bomb(80), BOMB),
    ("objectstream die uitpakt tot 80 MB", h.object_stream_bomb(80), BOMB),
    ("LZW-stream (niet te begrenzen)", h.lzw_stream(), LZW),
]


@pytest.mark.parametrize(("what", "content", "message"), BOMBS, ids=[b[0] for b in BOMBS])
def test_the_portal_refuses_a_decompression_bomb_with_a_message_and_stores_nothing(
        client, world, at, private_storage, what, content, message):
    at("2017-01-16 10:00")
    client.force_login(world.tenant)
    draft = world.file(documents=[])
    assert len(content) < 100_000  # small on the wire
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]),
                           {"doc_type": "bod", "files": [SimpleUploadedFile("bom.pdf", content, "application/pdf")]},
                           **XHR)
    assert response.status_code == 400, (what, response.content[:300])
    answer = response.json()
    text = " ".join([r["message"] for r in answer["results"]] + answer["errors"])
    assert message in text, (what, text)
    assert "64 MB" in text or message == LZW
    assert not Document.objects.filter(dispute=draft).exists() and h.stored_files(private_storage) == []


def test_the_upload_check_of_a_bomb_stays_small_in_memory_and_time(settings):
    """Nothing is inflated whole: a 256 MB metadata bomb is refused in well under a second of work."""
    bomb = h.metadata_bomb(256)
    start = time.process_time()
    assert BOMB in refusal(bomb)
    assert time.process_time() - start < 2.0


def test_streams_under_the_stream_limit_are_refused_together_past_the_file_limit(settings):
    settings.PDF_MAX_DECODED_BYTES = 8 * h.MIB
    assert BOMB in refusal(h.streams_of(3, 4)) and "8 MB" in refusal(h.streams_of(3, 4))
    settings.PDF_MAX_DECODED_BYTES = 16 * h.MIB
    assert check(h.streams_of(3, 4)).page_count == 1


def test_a_lowered_stream_limit_holds_for_qpdf_and_for_the_check(settings):
    settings.PDF_MAX_STREAM_BYTES = 2 * h.MIB
    assert "groter dan 2 MB" in refusal(h.metadata_bomb(3))
    assert "groter dan 2 MB" in refusal(h.object_stream_bomb(3))
    assert pikepdf.settings.get_qpdf_limits()["flate_max_memory"] == 2 * h.MIB
    assert check(h.metadata_bomb(1)).page_count == 1


# == 2. CPU bombs =====================================================================================
def test_a_pdf_with_more_objects_than_the_default_limit_is_refused_at_once():
    """260,000 objects (the default limit is 250,000): refused from the trailer, before any walk.
    Without the limit the check walked every object (a 1,000,000-object file took 31 s)."""
    content = h.many_objects(260_000)
    start = time.perf_counter()
    message = refusal(content)
    assert TOO_MANY in message and "250.000" in message
    assert time.perf_counter() - start < 5.0


def test_the_object_limit_counts_the_cross_reference_table_when_the_trailer_understates_it(settings):
    settings.PDF_MAX_OBJECTS = 1000
    honest = h.many_objects(1500)
    lying = honest.replace(b"/Size 1504 ", b"/Size 10 ")
    assert lying != honest
    assert TOO_MANY in refusal(honest)
    assert TOO_MANY in refusal(lying)


def test_the_check_stops_at_its_time_budget(settings):
    settings.PDF_CHECK_SECONDS = 0
    assert TOO_LONG in refusal(h.many_objects(2000))
    settings.PDF_CHECK_SECONDS = 20
    assert check(h.many_objects(2000)).page_count == 1


def test_the_effort_log_checks_each_file_once(client, world, at, monkeypatch):
    """The form checks the file and so does the service it hands it to; the PDF is parsed once."""
    at("2017-01-16 10:00")
    client.force_login(world.tenant)
    draft = world.file(documents=[])
    parsed = []
    real = uploads._check_pdf

    def counting(content):
        parsed.append(len(content))
        return real(content)

    monkeypatch.setattr(uploads, "_check_pdf", counting)
    response = client.post(reverse("portal:draft-efforts", args=[draft.pk]), {
        "kind": "meeting", "occurred_on": "10-01-2017", "summary": "Overleg", "participants": "",
        "doc_type": "verslag_overleg", "files": [SimpleUploadedFile("verslag.pdf", pdf_bytes(1), "application/pdf")],
    })
    assert response.status_code == 302, response.content[:500]
    assert Document.objects.filter(effort_entry__agreement=world.agreement).count() == 1
    assert len(parsed) == 1


# == 3. download names ================================================================================
#: (the name uploaded, the name the download is saved under)
DOWNLOAD_NAMES = [
    ("verslag.html", "verslag.pdf"),
    ("factuur\u202efdp.exe", "factuurfdp.pdf"),
    ("rapport.pdf", "rapport.pdf"),
    ("RAPPORT.PDF", "RAPPORT.pdf"),
    ("scan.jpeg", "scan.pdf"),
    ("brief 12.3.2017", "brief 12.3.2017.pdf"),
    ("zonder extensie", "zonder extensie.pdf"),
]


@pytest.mark.parametrize(("uploaded", "served"), DOWNLOAD_NAMES, ids=[n[0] for n in DOWNLOAD_NAMES])
def test_every_download_is_named_for_what_it_is(client, world, at, uploaded, served):
    at("2017-01-16 10:00")
    client.force_login(world.tenant)
    draft = world.file(documents=[])
    polyglot = pdf_bytes(1) + b"<html><script>alert(1)</script></html>\n"  # a PDF that is also HTML
    body, content_type = h.multipart({"doc_type": "bod"}, [("files", uploaded, polyglot, "text/html")])
    assert client.post(reverse("portal:draft-upload", args=[draft.pk]), body, content_type=content_type,
                       **XHR).status_code == 200
    document = Document.objects.get(dispute=draft)
    download = client.get(reverse("portal:document-download", args=[draft.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{served}"'
    assert download["Content-Type"] == "application/pdf"


def test_a_non_ascii_download_name_is_encoded_and_ends_in_pdf():
    from django.utils.http import content_disposition_header

    name = uploads.download_name("verslag overleg é.html", "application/pdf")
    assert name == "verslag overleg é.pdf"
    assert content_disposition_header(True, name).endswith("filename*=utf-8''verslag%20overleg%20%C3%A9.pdf")
    assert uploads.download_name("GPA-2017-0001.zip", "application/zip") == "GPA-2017-0001.zip"


# == 4. links =========================================================================================
#: (what, the /URI of a link annotation)
BAD_LINKS = [
    ("javascript:", "javascript:app.alert(1)"),
    ("JavaScript: met hoofdletters en spatie", " JavaScript:app.alert(1)"),
    ("java<tab>script:", "java\tscript:app.alert(1)"),
    ("file:", "file:///C:/Windows/System32/calc.exe"),
    ("data:", "data:text/html,<script>alert(1)</script>"),
    ("UNC-pad", "\\\\server\\share\\x.exe"),
    ("Windows-pad", "C:\\Windows\\System32\\calc.exe"),
    ("zonder schema", "calc.exe"),
    ("http met backslashes", "http:\\\\server\\share"),
]


@pytest.mark.parametrize(("what", "uri"), BAD_LINKS, ids=[b[0] for b in BAD_LINKS])
def test_a_link_that_is_not_a_web_or_e_mail_address_is_refused(what, uri):
    content = h.modified(h.action_link("URI", URI=pikepdf.String(uri)))
    assert LINK in refusal(content), what


def test_a_base_address_that_is_not_a_web_address_is_refused():
    content = h.modified(lambda pdf: setattr(pdf.Root, "URI", pikepdf.Dictionary(
        Base=pikepdf.String("javascript:app.alert(1)//"))))
    assert LINK in refusal(content)


@pytest.mark.parametrize("uri", ["https://www.volkshuisvestingnederland.nl/", "http://example.nl/a?b=c",
                                 "mailto:secretariaat@example.nl", "HTTPS://EXAMPLE.NL"])
def test_web_and_e_mail_links_are_allowed(uri):
    assert check(h.modified(h.action_link("URI", URI=pikepdf.String(uri)))).page_count == 1


# == a bomb that got into storage anyway: the export fails cleanly, in bounded memory ================
def _stored_bomb(dispute, world, mib: int) -> Document:
    """A bomb put straight into storage, as if it had slipped past the upload check."""
    content = h.metadata_bomb(mib)
    document = Document(
        dispute=dispute, bundle=bundle_for(dispute, Step.RESPONSE), doc_type="correspondentie",
        display_name="bijlage.pdf", sha256=hashlib.sha256(content).hexdigest(), size=len(content),
        content_type="application/pdf", page_count=1, uploaded_by=world.secretary, confidentiality="parties",
        uploaded_at=clock.now(), submitted_at=clock.now(),
    )
    document.file.save("upload", ContentFile(content), save=False)
    document.save()
    return document


def test_the_export_of_a_case_with_a_stored_bomb_stays_under_300_mb_and_names_the_document(
        world, private_storage, tmp_path):
    """A 256 MB metadata bomb in storage; the build runs in its own process so its peak is its own.
    Without the bound the build read the stream whole (peak far above 300 MB) and finished."""
    dispute = case_in_state(world, "exchange")
    clock.set_now(moment("2017-02-21 09:00"))
    bomb = _stored_bomb(dispute, world, 256)
    (tmp_path / "content.pickle").write_bytes(pickle.dumps(collect(dispute, "full")))
    job = {"root": str(ROOT), "storage": str(private_storage.location), "content": str(tmp_path / "content.pickle"),
           "out": str(tmp_path / "out")}
    (tmp_path / "job.json").write_text(json.dumps(job))
    done = subprocess.run([sys.executable, str(CHILD), str(tmp_path / "job.json")], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print("\nexport of a case with a stored bomb:", json.dumps(result))
    assert result["outcome"] == "DossierDocumentTooCostlyError", result
    assert "bijlage.pdf" in result["message"] and str(bomb.pk) in result["message"]
    assert result["peak_rss_mb"] < MAX_PEAK_MB, result
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.pdf"))


def test_the_export_of_a_case_with_a_stored_bomb_fails_and_the_requester_hears_it(
        world, private_storage, django_capture_on_commit_callbacks, mailoutbox, settings):
    settings.PDF_MAX_STREAM_BYTES = 4 * h.MIB  # the same path as the 256 MB bomb above, made cheaply
    dispute = case_in_state(world, "exchange")
    clock.set_now(moment("2017-02-21 09:00"))
    _stored_bomb(dispute, world, 8)
    with django_capture_on_commit_callbacks(execute=True):
        export = dossier_request_export(dispute=dispute, actor=world.secretary, audience="full")
    export = DossierExport.objects.get(pk=export.pk)
    assert export.status == ExportStatus.FAILED
    assert "bijlage.pdf" in export.error and "te groot om veilig te verwerken" in export.error
    assert not Document.objects.filter(dispute=dispute, bundle__step=Step.DOSSIER).exists()
    [message] = [m for m in mailoutbox if "dossier" in m.subject]
    assert message.to == [world.secretary.email]
    assert message.subject == f"Geschil {dispute.case_number}: het dossier kon niet worden gemaakt"
