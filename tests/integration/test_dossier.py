"""The decision dossier (issue 6): the PDF and ZIP read back, the party version, integrity,
determinism, the Celery path with its progress, and the pages that request and download it.
"""

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from disputes import clock
from disputes.dossier import DossierIntegrityError, export_dossier
from disputes.models import (
    AccessLogEntry,
    Bundle,
    Dispute,
    DisputeEvent,
    DisputePoint,
    Document,
    DossierExport,
    ExportStatus,
    OutboxMessage,
    Step,
)
from disputes.services.documents import bundle_for
from disputes.services.dossier import dossier_request_export
from tests.factories import case_in_state, moment, pdf_bytes

pytestmark = pytest.mark.django_db

NASTY_TITLE = '<b>x</b><img src="/etc/passwd"/>'


# -- helpers --------------------------------------------------------------------------------------
def add_document(dispute, world, *, step, name, confidentiality="parties", content=None,
                 content_type="application/pdf", doc_type="correspondentie", withdrawn=False, pages=2):
    """A stored document put straight into a bundle (test setup; the services are tested elsewhere)."""
    content = content if content is not None else pdf_bytes(pages, name)
    document = Document(
        dispute=dispute, bundle=bundle_for(dispute, step), doc_type=doc_type, display_name=name,
        sha256=hashlib.sha256(content).hexdigest(), size=len(content), content_type=content_type,
        uploaded_by=world.secretary, confidentiality=confidentiality, uploaded_at=clock.now(),
        submitted_at=clock.now(), withdrawn_at=clock.now() if withdrawn else None,
    )
    document.file.save("upload", ContentFile(content), save=False)
    document.save()
    return document


@pytest.fixture
def case(world):
    """A decided case with a nasty point title, a confidential pair, a PNG and a withdrawn file."""
    dispute = case_in_state(world, "decided")
    DisputePoint.objects.filter(dispute=dispute).update(title=NASTY_TITLE)
    clock.set_now(moment("2017-03-02 10:00"))  # after the decision's own documents
    add_document(dispute, world, step=Step.ADVICE, name="concept-advies-commissie.pdf", confidentiality="commission")
    add_document(dispute, world, step=Step.DECISION, name="interne-nota.pdf", confidentiality="internal")
    add_document(dispute, world, step=Step.RESPONSE, name="foto situatie.png", content=b"\x89PNG\r\n\x1a\nnot-really",
                 content_type="image/png")
    add_document(dispute, world, step=Step.RESPONSE, name="teruggetrokken.pdf", withdrawn=True)
    return Dispute.objects.get(pk=dispute.pk)


def test_the_timeline_tells_information_answers_and_moved_hearings(world):
    from disputes import services
    from disputes.dossier.content import collect

    dispute = case_in_state(world, "exchange")
    services.dispute_request_information(dispute=dispute, actor=world.secretary, party=world.corporatie,
                                         question="Hoeveel woningen zijn er opgeleverd?")
    deadline = dispute.deadlines.get(kind="information")
    services.dispute_answer_information(dispute=dispute, actor=world.corp_user, deadline_id=deadline.pk,
                                        answer="Nul; de bouw is niet gestart.")
    services.dispute_schedule_hearing(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary,
                                      hearing_at=moment("2017-03-06 10:00"), place="Den Haag")
    services.dispute_reschedule_hearing(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary,
                                        hearing_at=moment("2017-03-13 14:00"), place="Utrecht",
                                        reason="Zaal niet beschikbaar")
    for audience in ("full", "party"):
        events = {e.label: e.detail for e in collect(Dispute.objects.get(pk=dispute.pk), audience).events}
        answered = events["Vraag om inlichtingen beantwoord"]
        assert "door Rijnhart Wonen" in answered and "vraag: Hoeveel woningen zijn er opgeleverd?" in answered
        assert "antwoord: Nul; de bouw is niet gestart." in answered
        moved = events["Hoorzitting gewijzigd"]
        assert "Zaal niet beschikbaar" in moved and "Utrecht" in moved and "nieuw moment 13-03-2017 14:00" in moved


def outline(reader) -> list[tuple[str, int, list]]:
    """[(title, page, [(child title, page, [])...])...] with 1-based pages."""

    def walk(items):
        result = []
        for item in items:
            if isinstance(item, list):
                result[-1][2].extend(walk(item))
            else:
                result.append((item.title, reader.get_destination_page_number(item) + 1, []))
        return result

    return walk(reader.outline)


# -- the PDF --------------------------------------------------------------------------------------
def test_the_pdf_has_bookmarks_stamps_and_a_table_of_contents_that_matches(case, tmp_path):
    progress = []
    out = tmp_path / "out"
    result = export_dossier(case, out, progress=progress.append)
    assert sorted(p.name for p in out.iterdir()) == ["GPA-2017-0001-dossier.pdf", "GPA-2017-0001-dossier.zip"]
    assert progress[0] == 0 and progress[-1] == 100 and progress == sorted(progress)

    reader = pypdf.PdfReader(result["pdf"])
    total = len(reader.pages)
    assert total == result["pages"]
    texts = [page.extract_text() for page in reader.pages]
    for n, text in enumerate(texts, 1):
        assert f"GPA-2017-0001 - pagina {n} van {total}" in text, f"no stamp on page {n}"

    tree = outline(reader)
    titles = [t for t, _, _ in tree]
    assert titles[:4] == ["Voorblad", "Inhoudsopgave", "Tijdlijn", "Geschilpunten"]
    bundles = tree[4:]
    # Procedure order (Step enum), each bundle -> its documents; withdrawn files are left out.
    assert [t for t, _, _ in bundles] == ["Indiening", "Registratie", "Verweer en schriftelijke ronde", "Advies",
                                          "Bindende uitspraak"]
    children = {t: [c for c, _, _ in kids] for t, _, kids in bundles}
    assert children["Advies"] == ["1. advies.pdf", "2. concept-advies-commissie.pdf"]
    assert children["Bindende uitspraak"] == ["1. bindende_uitspraak.pdf", "2. interne-nota.pdf"]
    assert not any("teruggetrokken" in c for kids in children.values() for c in kids)
    # Every document starts on its own page: the verzoek (2 pages) is followed by the next one.
    starts = [page for _, _, kids in bundles for _, page, _ in kids]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert "verzoek - pagina 1 van 2" in texts[starts[0] - 1]

    # The contents page lists every document with the page it really starts on.
    toc = [line.strip() for line in texts[1].splitlines()]
    toc = toc[toc.index("Inhoudsopgave") + 1:]  # skip the page heading
    for title, page, kids in [*tree[:3], *bundles]:
        assert toc[toc.index(title) + 1] == str(page), title
        for child, child_page, _ in kids:
            at = next(i for i, line in enumerate(toc) if line.startswith(child))
            assert str(child_page) in toc[at + 1:at + 3], (child, child_page)  # after the type column
            assert page <= child_page

    # The PNG is not a PDF: a placeholder page says where the original is.
    png_page = next(p for t, _, kids in bundles for c, p, _ in kids if "foto situatie.png" in c)
    assert "Bestand niet als PDF opgenomen" in texts[png_page - 1]
    assert "03-verweer-en-schriftelijke-ronde/01-foto situatie.png" in texts[png_page - 1]

    # User text is shown, never interpreted: the point title appears literally.
    joined = " ".join(texts).replace("\n", "")
    assert NASTY_TITLE in joined
    # Organisations are named, natural persons (usernames of the world) are not.
    assert "Huurdersbelangenorganisatie Leiderdorp" in texts[0]
    for username in ("anna", "bert", "gerda", "official"):
        assert not re.search(rf"\b{username}\b", joined)

    with pikepdf.open(result["pdf"]) as pdf:  # qpdf finds nothing to complain about
        assert pdf.check_pdf_syntax() == []


def test_the_party_version_leaves_out_commission_and_internal_documents_and_events(case, tmp_path):
    full = export_dossier(case, tmp_path / "full")
    party = export_dossier(case, tmp_path / "party", audience="party")
    assert Path(party["pdf"]).name == "GPA-2017-0001-dossier-partijversie.pdf"
    full_text = " ".join(p.extract_text() for p in pypdf.PdfReader(full["pdf"]).pages).replace("\n", " ")
    party_text = " ".join(p.extract_text() for p in pypdf.PdfReader(party["pdf"]).pages).replace("\n", " ")
    for name in ("concept-advies-commissie.pdf", "interne-nota.pdf"):
        assert name in full_text and name not in party_text
    # point_advised is a commission event, point_decided an internal one.
    assert "Advies per geschilpunt vastgelegd" in full_text
    assert "Advies per geschilpunt vastgelegd" not in party_text
    assert "Beslissing per geschilpunt vastgelegd" not in party_text
    assert "Partijversie" in party_text
    with zipfile.ZipFile(party["zip"]) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert {f["confidentiality"] for f in manifest["files"]} == {"parties"}
    assert manifest["audience"] == "party"


# -- the ZIP --------------------------------------------------------------------------------------
def test_the_zip_holds_the_pdf_every_original_and_a_manifest_whose_hashes_match(case, tmp_path):
    result = export_dossier(case, tmp_path / "out")
    with zipfile.ZipFile(result["zip"]) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        assert names[0] == "GPA-2017-0001-dossier.pdf" and names[-1] == "manifest.json"
        assert manifest["dossier"]["sha256"] == hashlib.sha256(zf.read(names[0])).hexdigest()
        assert manifest["dossier"]["pages"] == result["pages"]
        documents = {str(d.pk): d for d in Document.objects.filter(dispute=case)}
        assert len(manifest["files"]) == len(names) - 2
        for entry in manifest["files"]:
            data = zf.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"] == documents[entry["document_id"]].sha256
            assert len(data) == entry["size"]
            assert entry["bundle"] and entry["document_type"] and entry["organisation"]
            assert entry["uploaded_at"].startswith("2017-")
        paths = [f["path"] for f in manifest["files"]]
        assert "01-indiening/01-verzoek.pdf" in paths
        assert "03-verweer-en-schriftelijke-ronde/01-foto situatie.png" in paths
        by_path = {f["path"]: f for f in manifest["files"]}
        assert by_path["01-indiening/01-verzoek.pdf"]["organisation"] == "Huurdersbelangenorganisatie Leiderdorp"
        assert all(info.date_time == (2017, 3, 1, 9, 0, 0) for info in zf.infolist())


def test_a_tampered_stored_file_stops_the_export_and_leaves_nothing_behind(case, tmp_path):
    victim = Document.objects.get(dispute=case, doc_type="advies")
    with victim.file.storage.open(victim.file.name, "wb") as fh:
        fh.write(pdf_bytes(3, "vervalst"))
    out = tmp_path / "out"
    with pytest.raises(DossierIntegrityError) as caught:
        export_dossier(case, out)
    assert "advies.pdf" in str(caught.value) and "SHA-256" in str(caught.value)
    assert caught.value.document == victim
    assert list(out.iterdir()) == []


def test_two_exports_of_the_same_case_version_are_byte_identical(case, tmp_path):
    first = export_dossier(case, tmp_path / "a", audience="party")
    clock.set_now(clock.now().replace(year=2019))  # a later moment changes nothing in the output
    second = export_dossier(case, tmp_path / "b", audience="party")
    assert Path(first["pdf"]).read_bytes() == Path(second["pdf"]).read_bytes()
    assert Path(first["zip"]).read_bytes() == Path(second["zip"]).read_bytes()


def test_our_own_pages_are_pdfa_2b(world, tmp_path):
    """Without uploads every page is ours: the dossier claims PDF/A-2b and pikepdf's validator agrees."""
    pdfa = pytest.importorskip("pikepdf.pdfa")
    from disputes.dossier.assemble import build
    from disputes.dossier.content import collect

    dispute = case_in_state(world, "submitted")
    content = collect(dispute, "full")
    content.bundles = []
    result = build(content, tmp_path / "out")
    assert result["pdfa"] is True
    report = pdfa.validate_written(result["pdf"], "2b")
    assert report.verdict == "pass", [str(f) for f in report.findings]


def test_rotated_and_odd_sized_uploads_get_a_readable_stamp(world, tmp_path):
    """The stamp follows /Rotate so it reads upright at the bottom right of every page as shown."""
    dispute = case_in_state(world, "submitted")
    source = pikepdf.open(io.BytesIO(pdf_bytes(4, "gedraaid")))
    for page, rotate in zip(source.pages, (0, 90, 180, 270), strict=True):
        page.obj.Rotate = rotate
    source.pages[0].obj.MediaBox = [0, 0, 300, 200]
    buf = io.BytesIO()
    source.save(buf)
    add_document(dispute, world, step=Step.REGISTRATION, name="gedraaid.pdf", content=buf.getvalue())
    result = export_dossier(dispute, tmp_path / "out")
    reader = pypdf.PdfReader(result["pdf"])
    for n, page in enumerate(reader.pages, 1):
        assert f"pagina {n} van {len(reader.pages)}" in page.extract_text()


# -- command --------------------------------------------------------------------------------------
def test_the_management_command_writes_one_pdf_and_one_zip(case, tmp_path):
    out = tmp_path / "out"
    call_command("export_dossier", "GPA-2017-0001", "--out", str(out), "--party-version", stdout=io.StringIO())
    assert sorted(p.name for p in out.iterdir()) == [
        "GPA-2017-0001-dossier-partijversie.pdf", "GPA-2017-0001-dossier-partijversie.zip"]
    with pytest.raises(CommandError, match="GPA-2099-0001"):
        call_command("export_dossier", "GPA-2099-0001", "--out", str(tmp_path))


# -- service and Celery task ----------------------------------------------------------------------
def test_the_task_path_builds_stores_records_and_is_idempotent(case, world, django_capture_on_commit_callbacks):
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        export = dossier_request_export(dispute=case, actor=world.secretary, audience="full")
    tasks = list(OutboxMessage.objects.filter(pk__gt=before).order_by("pk").values_list("task", flat=True))
    # the build; then, scheduled by the build, the e-mail to who asked; and staff search's index after each of the
    # two events (requested, exported)
    assert [t for t in tasks if t != "disputes.tasks.index_case"] == [
        "disputes.dossier.tasks.build_dossier_export", "disputes.tasks.notify_event"]
    assert tasks.count("disputes.tasks.index_case") == 2
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.progress == 100 and export.pages > 0
    assert export.available and not Document.objects.filter(dispute=case, bundle__step=Step.DOSSIER).exists()
    for field, sha256, size in ((export.pdf_file, export.pdf_sha256, export.pdf_size),
                                (export.zip_file, export.zip_sha256, export.zip_size)):
        assert field.name.startswith(f"dossier-exports/{export.pk}/")
        with field.open("rb") as fh:
            data = fh.read()
        assert hashlib.sha256(data).hexdigest() == sha256 and len(data) == size
    event = DisputeEvent.objects.get(dispute=case, kind="dossier_exported")
    assert event.payload["pdf_sha256"] == export.pdf_sha256 and event.payload["zip_sha256"] == export.zip_sha256
    assert event.visibility == "internal"
    assert DisputeEvent.objects.get(dispute=case, kind="dossier_requested").visibility == "internal"

    # Asking again for the same case version returns the same export and schedules nothing.
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        again = dossier_request_export(dispute=case, actor=world.official, audience="full")
    assert again.pk == export.pk
    assert not OutboxMessage.objects.filter(pk__gt=before).exclude(task="disputes.tasks.index_case").exists()
    # A second delivery of the task for a finished export does nothing.
    from disputes.dossier.tasks import build_dossier_export

    documents = Document.objects.filter(dispute=case).count()
    assert build_dossier_export(str(export.pk)) == ExportStatus.DONE
    assert Document.objects.filter(dispute=case).count() == documents
    # An export is not a document of the case.
    assert not Bundle.objects.filter(dispute=case, step=Step.DOSSIER).exists()


def test_who_asked_for_the_dossier_hears_by_e_mail_when_it_is_ready_and_nobody_else(
    case, world, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        export = dossier_request_export(dispute=case, actor=world.tenant, audience="party")
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    [message] = [m for m in mailoutbox if "dossier" in m.subject]
    assert message.to == [world.tenant.email]
    assert message.subject == f"Geschil {case.case_number}: het dossier is klaar"
    assert f"({export.pages} pagina's)" in message.body and "partijversie" in message.body
    assert reverse("dossier:status", args=[export.pk]) in message.body
    assert "dossier-exports" not in message.body and "-partijversie.pdf" not in message.body  # a link, no file


def test_who_asked_for_the_dossier_hears_when_it_failed(case, world, django_capture_on_commit_callbacks,
                                                        mailoutbox):
    victim = Document.objects.get(dispute=case, doc_type="verzoek")
    with victim.file.storage.open(victim.file.name, "wb") as fh:
        fh.write(b"%PDF-1.4 vervalst")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_request_export(dispute=case, actor=world.secretary, audience="full")
    [message] = [m for m in mailoutbox if "dossier" in m.subject]
    assert message.to == [world.secretary.email]
    assert message.subject == f"Geschil {case.case_number}: het dossier kon niet worden gemaakt"
    assert "opnieuw aanvragen" in message.body


def test_an_export_left_running_by_a_dead_worker_is_rebuilt_once(case, world, django_capture_on_commit_callbacks):
    from disputes.dossier.tasks import build_dossier_export

    with django_capture_on_commit_callbacks(execute=False):
        export = dossier_request_export(dispute=case, actor=world.secretary, audience="party")
    DossierExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=37,
                                                      started_at=clock.now())
    assert build_dossier_export(str(export.pk)) == ExportStatus.DONE
    assert build_dossier_export(str(export.pk)) == ExportStatus.DONE
    export.refresh_from_db()
    assert export.available and not Document.objects.filter(dispute=case, bundle__step=Step.DOSSIER).exists()
    assert DisputeEvent.objects.filter(dispute=case, kind="dossier_exported").count() == 1


def test_a_rebuild_removes_what_killed_builds_left_in_the_temporary_folder(
    case, world, django_capture_on_commit_callbacks, tmp_path, monkeypatch
):
    import os
    import tempfile
    import time

    from disputes.dossier.tasks import build_dossier_export

    tmp_path = tmp_path / "tmp"
    tmp_path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with django_capture_on_commit_callbacks(execute=False):
        export = dossier_request_export(dispute=case, actor=world.secretary, audience="party")
    killed = tmp_path / f"dossier-{export.pk}-killed"
    other_recent = tmp_path / "dossier-00000000-0000-0000-0000-000000000000-busy"
    other_old = tmp_path / "dossier-11111111-1111-1111-1111-111111111111-dead"
    unrelated = tmp_path / "someone-elses-folder"
    for folder in (killed, other_recent, other_old, unrelated):
        (folder / "part").mkdir(parents=True)
        (folder / "part" / "half.pdf").write_bytes(b"%PDF-1.7 half")
    long_ago = time.time() - 2 * 3600
    os.utime(other_old, (long_ago, long_ago))
    os.utime(unrelated, (long_ago, long_ago))

    assert build_dossier_export(str(export.pk)) == ExportStatus.DONE
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other_recent.name, unrelated.name])


def test_a_tampered_file_fails_the_task_cleanly(case, world, django_capture_on_commit_callbacks):
    victim = Document.objects.get(dispute=case, doc_type="verzoek")
    with victim.file.storage.open(victim.file.name, "wb") as fh:
        fh.write(b"%PDF-1.4 vervalst")
    with django_capture_on_commit_callbacks(execute=True):
        export = dossier_request_export(dispute=case, actor=world.secretary, audience="full")
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "verzoek.pdf" in export.error
    assert not export.pdf_file and not export.zip_file and not export.available
    assert DisputeEvent.objects.filter(dispute=case, kind="integrity_failure").exists()


# -- views ----------------------------------------------------------------------------------------
def test_parties_export_the_party_version_and_follow_its_progress(case, world, client,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(world.tenant)
    url = reverse("dossier:request", args=[case.pk])
    assert client.post(url, {"audience": "full"}).status_code == 403
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"audience": "party"})
    export = DossierExport.objects.get(dispute=case)
    assert response.status_code == 302 and response["Location"] == reverse("dossier:status", args=[export.pk])

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert '<progress id="dossier-progress" max="100" value="100">' in body
    assert 'aria-live="polite"' in body and "js/dossier.js" in body and "<script>" not in body
    status = client.get(reverse("dossier:status-json", args=[export.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100 and len(status["downloads"]) == 2

    download = client.get(reverse("dossier:download", args=[export.pk, "pdf"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "GPA-2017-0001-dossier-partijversie.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff" and download["Cache-Control"] == "no-store"
    export.refresh_from_db()
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == export.pdf_sha256
    assert DisputeEvent.objects.filter(dispute=case, kind="dossier_downloaded").count() == 1


def test_other_peoples_exports_are_404_and_a_tampered_download_is_refused(case, world, client,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        full = dossier_request_export(dispute=case, actor=world.secretary, audience="full")
    full.refresh_from_db()
    urls = [reverse("dossier:status", args=[full.pk]), reverse("dossier:status-json", args=[full.pk]),
            reverse("dossier:download", args=[full.pk, "zip"])]
    client.force_login(world.outsider)  # a party of another overleg
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    client.force_login(world.corp_user)  # a party of this case, but the full version is not theirs
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]

    client.force_login(world.secretary)
    assert client.get(reverse("dossier:download", args=[full.pk, "pdf"])).status_code == 200
    [logged] = AccessLogEntry.objects.filter(action="confidential_download")
    assert logged.actor == world.secretary and str(full.pk) in logged.object and "internal" in logged.object
    with full.zip_file.storage.open(full.zip_file.name, "wb") as fh:
        fh.write(b"PK vervalst")
    refused = client.get(urls[2])
    assert refused.status_code == 409 and "SHA-256" in refused.content.decode()
    assert DisputeEvent.objects.filter(dispute=case, kind="integrity_failure").count() == 1


def test_the_export_panel_offers_what_the_user_may_export(case, world):
    request = RequestFactory().get("/")

    def panel(user):
        request.user = user
        return render_to_string("dossier/_export_panel.html", {"dispute": case, "user": user}, request=request)

    secretary = panel(world.secretary)
    assert 'value="full"' in secretary and 'value="party"' in secretary and "csrfmiddlewaretoken" in secretary
    assert secretary.count('value="full"') == 1
    tenant = panel(world.tenant)
    assert 'value="full"' not in tenant and 'value="party"' in tenant
    assert reverse("dossier:request", args=[case.pk]) in tenant


# -- the party version keeps the draft's history with its applicants (issue 10, item 15) -----------
def pdf_text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def test_the_party_dossier_hides_the_draft_history_as_the_respondents_case_page_does(world, at, tmp_path):
    """The party version goes to respondents too: like their case page it has no event from before the
    submission (concept made, documents added to and taken out of the draft) and no withdrawn draft document.
    The full (internal) version keeps the whole history."""
    from disputes.services import drafts
    from tests.factories import _steps, pdf

    at("2017-01-16 10:00")
    dispute = world.file(documents=[pdf("bod")])
    drafts.draft_withdraw_document(document=dispute.documents.get(), actor=world.tenant)
    drafts.draft_add_document(dispute=dispute, actor=world.tenant, uploaded=pdf("verzoek")[1], doc_type="verzoek")
    for reached, when, step in _steps(world):
        clock.set_now(moment(when))
        step(Dispute.objects.get(pk=dispute.pk))
        if reached == "awaiting_response":
            break
    dispute = Dispute.objects.get(pk=dispute.pk)

    party = export_dossier(dispute, tmp_path / "party", audience="party")
    text = pdf_text(party["pdf"])
    assert "Indienen" in text  # the submission itself is part of the exchange
    assert "Concept aangemaakt" not in text and "Document teruggetrokken" not in text
    assert "bod.pdf" not in text
    with zipfile.ZipFile(party["zip"]) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    names = [f["display_name"] for f in manifest["files"]]
    assert "verzoek.pdf" in names and "bod.pdf" not in names

    full = pdf_text(export_dossier(dispute, tmp_path / "full")["pdf"])
    assert "Concept aangemaakt" in full and "bod.pdf" in full


# -- exports are build products, kept apart from the case and pruned (issue 10, item 16) ----------
def _export(case, actor, audience, capture) -> DossierExport:
    from datetime import timedelta

    clock.set_now(clock.now() + timedelta(minutes=1))  # exports are made one after the other
    with capture(execute=True):
        export = dossier_request_export(dispute=Dispute.objects.get(pk=case.pk), actor=actor, audience=audience)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    return export


def test_exports_are_not_case_documents_never_part_of_the_next_and_old_ones_are_pruned(
    case, world, client, settings, django_capture_on_commit_callbacks
):
    """A case with one large file: each export used to add its PDF and ZIP as two documents of the case.
    Now the case's documents stay as they are, an export never contains an earlier one, and only the
    newest DOSSIER_EXPORTS_KEPT exports per case and version keep their files."""
    settings.DOSSIER_EXPORTS_KEPT = 2
    add_document(case, world, step=Step.RESPONSE, name="groot bestand.pdf", pages=40)
    documents = Document.objects.filter(dispute=case).count()

    first = _export(case, world.secretary, "party", django_capture_on_commit_callbacks)
    assert Document.objects.filter(dispute=case).count() == documents
    add_document(case, world, step=Step.DECISION, name="nagekomen stuk.pdf")  # a new case version
    documents += 1
    second = _export(case, world.secretary, "party", django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.case_version != first.case_version
    assert Document.objects.filter(dispute=case).count() == documents

    with second.zip_file.open("rb") as fh, zipfile.ZipFile(fh) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        pdfs_at_top = [n for n in zf.namelist() if "/" not in n and n.endswith(".pdf")]
    hashes = {f["sha256"] for f in manifest["files"]}
    assert first.pdf_sha256 not in hashes and first.zip_sha256 not in hashes
    assert not any(f["display_name"].startswith(f"{case.case_number}-dossier") for f in manifest["files"])
    assert pdfs_at_top == [f"{case.case_number}-dossier-partijversie.pdf"]  # only its own PDF
    assert {f["document_id"] for f in manifest["files"]} <= {str(pk) for pk in Document.objects.values_list("pk",
                                                                                                             flat=True)}

    # A third version: the first export's files go, its row stays (marked), the newest two are kept.
    storage = first.pdf_file.storage
    first_files = [first.pdf_file.name, first.zip_file.name]
    add_document(case, world, step=Step.DECISION, name="nog een stuk.pdf")
    third = _export(case, world.secretary, "party", django_capture_on_commit_callbacks)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.pruned_at is not None and not first.available and not first.pdf_file and not first.zip_file
    assert not any(storage.exists(name) for name in first_files)
    assert second.available and third.available
    kept = DossierExport.objects.filter(dispute=case, audience="party", pruned_at__isnull=True)
    assert set(kept.values_list("pk", flat=True)) == {second.pk, third.pk}
    event = DisputeEvent.objects.filter(dispute=case, kind="dossier_exported").order_by("-at", "-pk").first()
    assert event.payload["pruned"] == [str(first.pk)]
    # A full export is counted apart from the party ones: it prunes none of them.
    full = _export(case, world.secretary, "full", django_capture_on_commit_callbacks)
    assert DossierExport.objects.filter(dispute=case, pruned_at__isnull=True).count() == 3

    client.force_login(world.tenant)
    assert client.get(reverse("dossier:download", args=[first.pk, "pdf"])).status_code == 404  # pruned
    status = client.get(reverse("dossier:status-json", args=[first.pk])).json()
    assert status["pruned"] is True and status["downloads"] == []
    assert "opgeruimd" in client.get(reverse("dossier:status", args=[first.pk])).content.decode()
    download = client.get(reverse("dossier:download", args=[third.pk, "zip"]))
    assert download.status_code == 200 and "-dossier-partijversie.zip" in download["Content-Disposition"]
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == third.zip_sha256
    # A party never gets the internal version, whether it asks for the page or the file.
    assert [client.get(reverse(name, args=args)).status_code for name, args in (
        ("dossier:status", [full.pk]), ("dossier:download", [full.pk, "pdf"]), ("dossier:download", [full.pk, "zip"])
    )] == [404, 404, 404]
    # The case page lists the case's documents, no export.
    body = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    assert "groot bestand.pdf" in body and "dossier-partijversie" not in body

    # Asking again for a pruned version builds it again (here: the case has not changed since the third).
    DossierExport.objects.filter(pk=third.pk).update(pruned_at=clock.now())
    again = _export(case, world.tenant, "party", django_capture_on_commit_callbacks)
    assert again.pk == third.pk and again.available and again.pruned_at is None


def test_exports_stored_as_documents_before_0009_are_adopted_and_leave_the_case(
    case, world, client, django_capture_on_commit_callbacks
):
    """The data migration points an old export at its documents' files (no copy); those documents stay
    (never deleted) but leave the case pages and later dossiers; pruning the old export keeps their files."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("disputes.migrations.0009_dossier_export_files")
    export = DossierExport.objects.create(
        dispute=case, audience="party", case_version="oud", requested_by=world.secretary, requested_at=clock.now(),
        status=ExportStatus.DONE, pages=1, finished_at=clock.now(),
        legacy_pdf=add_document(case, world, step=Step.DOSSIER, name=f"{case.case_number}-dossier-partijversie.pdf",
                                doc_type="overig"),
        legacy_zip=add_document(case, world, step=Step.DOSSIER, name=f"{case.case_number}-dossier-partijversie.zip",
                                content=b"PK oude export", content_type="application/zip", doc_type="overig"),
    )
    migration.adopt_document_files(apps, None)
    export.refresh_from_db()
    assert export.available and export.pdf_file.name == export.legacy_pdf.file.name
    assert export.zip_sha256 == export.legacy_zip.sha256

    client.force_login(world.corp_user)
    download = client.get(reverse("dossier:download", args=[export.pk, "zip"]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK oude export"
    body = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    assert "-dossier-partijversie" not in body
    assert client.get(reverse("portal:document-download", args=[case.pk, export.legacy_pdf.pk])).status_code == 404

    # Two newer exports: the old one is pruned (keeps 2), but its files are documents' files and stay.
    from disputes.services.dossier import _prune_older

    newest = _export(case, world.secretary, "party", django_capture_on_commit_callbacks)
    DossierExport.objects.filter(pk=export.pk).update(finished_at=moment("2017-01-01 00:00"))
    other = DossierExport.objects.create(
        dispute=case, audience="party", case_version="tussen", requested_by=world.secretary,
        requested_at=clock.now(), status=ExportStatus.DONE, finished_at=moment("2017-02-01 00:00"),
        pdf_file="dossier-exports/x/a.pdf", zip_file="dossier-exports/x/a.zip")
    with django_capture_on_commit_callbacks(execute=True):
        assert _prune_older(DossierExport.objects.get(pk=newest.pk)) == [str(export.pk)]
    export.refresh_from_db()
    assert export.pruned_at is not None and not export.pdf_file
    assert export.legacy_pdf.file.storage.exists(export.legacy_pdf.file.name)  # the document keeps its file
    assert export.legacy_zip.file.storage.exists(export.legacy_zip.file.name)
    assert Document.objects.filter(pk__in=[export.legacy_pdf_id, export.legacy_zip_id]).count() == 2
    other.refresh_from_db()
    assert other.pruned_at is None

    with newest.zip_file.open("rb") as fh, zipfile.ZipFile(fh) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert str(export.legacy_pdf_id) not in {f["document_id"] for f in manifest["files"]}
