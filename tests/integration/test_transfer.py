"""Issue 17, item 7: the transfer package of a case to be kept (disputes/services/retention.py, disputes/mdto.py,
workflow/views/transfer.py; docs/archive.md, "Overbrenging (MDTO)")."""

import hashlib
import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from lxml import etree
from pypdf import PdfReader

from disputes import clock, mdto
from disputes.errors import NotPermitted
from disputes.models import CaseRetention, Document
from disputes.services.retention import transfer_export
from tests.factories import case_in_state, moment, staff

pytestmark = pytest.mark.django_db
NS = {"m": mdto.NAMESPACE}


@pytest.fixture
def manager(db):
    return staff("archief", "record_manager")


@pytest.fixture
def kept(world):
    """A decided case (uitspraak: blijvend bewaren), transferred on a later day."""
    dispute = case_in_state(world, "decided")
    clock.set_now(moment("2037-03-02 10:00"))
    return dispute


def leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("overbrenging-*.zip")}


def unpack(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_package_holds_the_files_their_mdto_and_a_manifest(kept, manager):
    number = kept.case_number
    documents = list(Document.objects.filter(dispute=kept).current().order_by("uploaded_at", "pk"))
    path = transfer_export(actor=manager, dispute=kept)
    try:
        files = unpack(path)
    finally:
        path.unlink()
    pdfs = sorted(name for name in files if name.endswith(".pdf"))
    assert len(pdfs) == len(documents) >= 3  # the request, the acknowledgement, the advice, the decision, ...
    assert pdfs[0] == f"{number}/bestanden/001-verzoek.pdf"
    for name, document in zip(pdfs, documents, strict=True):
        assert hashlib.sha256(files[name]).hexdigest() == document.sha256
        assert len(PdfReader(io.BytesIO(files[name])).pages) >= 1  # the real PDF, parsed back
        assert name.removesuffix(".pdf") + ".mdto.xml" in files
        assert name + ".bestand.mdto.xml" in files
    # every file but the manifest is in the manifest, with its SHA-256 (sha256sum's format)
    lines = files["manifest-sha256.txt"].decode().splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in lines}
    assert set(listed) == set(files) - {"manifest-sha256.txt"}
    assert f"{number}/dossier.mdto.xml" in listed
    for name, sha in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == sha, name
    # every MDTO file validates against the schema
    xmls = [name for name in files if name.endswith(".mdto.xml")]
    assert len(xmls) == 2 * len(documents) + 1
    for name in xmls:
        mdto.validate(files[name])


def test_the_mdto_says_what_the_archive_needs(kept, manager, world):
    path = transfer_export(actor=manager, dispute=kept)
    try:
        files = unpack(path)
    finally:
        path.unlink()
    number = kept.case_number
    case = etree.fromstring(files[f"{number}/dossier.mdto.xml"]).find("m:informatieobject", NS)
    assert case.findtext("m:identificatie/m:identificatieKenmerk", namespaces=NS) == number
    assert case.findtext("m:aggregatieniveau/m:begripLabel", namespaces=NS) == "Dossier"
    assert case.findtext("m:waardering/m:begripLabel", namespaces=NS) == "blijvend te bewaren"
    assert case.findtext("m:informatiecategorie/m:begripCode", namespaces=NS) == "GPA-1"
    assert case.findtext("m:bewaartermijn/m:termijnEinddatum", namespaces=NS) == "2037-03-01"
    assert case.findtext("m:archiefvormer/m:verwijzingNaam", namespaces=NS) == mdto.DEFAULT_ARCHIVE_CREATOR
    actors = {e.text for e in case.findall("m:betrokkene/m:betrokkeneActor/m:verwijzingNaam", NS)}
    assert actors == {world.huurders.name, world.corporatie.name, world.gemeente.name}
    first = files[f"{number}/bestanden/001-verzoek.pdf.bestand.mdto.xml"]
    bestand = etree.fromstring(first).find("m:bestand", NS)
    document = Document.objects.filter(dispute=kept).current().order_by("uploaded_at", "pk").first()
    assert bestand.findtext("m:naam", namespaces=NS) == "001-verzoek.pdf"
    assert bestand.findtext("m:omvang", namespaces=NS) == str(document.size)
    assert bestand.findtext("m:bestandsformaat/m:begripCode", namespaces=NS).startswith("fmt/")
    assert bestand.findtext("m:checksum/m:checksumAlgoritme/m:begripLabel", namespaces=NS) == "SHA-256"
    assert bestand.findtext("m:checksum/m:checksumWaarde", namespaces=NS) == document.sha256
    assert bestand.findtext("m:isRepresentatieVan/m:verwijzingIdentificatie/m:identificatieKenmerk",
                            namespaces=NS) == str(document.pk)


def test_the_schema_refuses_what_mdto_does_not_allow(kept, manager):
    path = transfer_export(actor=manager, dispute=kept)
    try:
        xml = unpack(path)[f"{kept.case_number}/dossier.mdto.xml"]
    finally:
        path.unlink()
    without_valuation = etree.fromstring(xml)
    case = without_valuation.find("m:informatieobject", NS)
    case.remove(case.find("m:waardering", NS))  # required by MDTO
    with pytest.raises(mdto.MdtoInvalid, match="waardering"):
        mdto.validate(etree.tostring(without_valuation))


def test_the_transfer_is_recorded(kept, manager):
    transfer_export(actor=manager, dispute=kept).unlink()
    retention = CaseRetention.objects.get(dispute=kept)
    assert retention.transferred_at == moment("2037-03-02 10:00")
    event = kept.events.get(kind="case_transferred")
    assert event.actor == manager and event.visibility == "internal"
    assert event.payload["documents"] == Document.objects.filter(dispute=kept).current().count()


def test_a_changed_stored_file_refuses_the_export(kept, manager, private_storage):
    document = Document.objects.filter(dispute=kept).current().order_by("uploaded_at", "pk").last()
    with private_storage.open(document.file.name, "wb") as handle:
        handle.write(b"%PDF-1.4 changed on disk")
    before = leftovers()
    with pytest.raises(ValidationError, match="niet meer hetzelfde"):
        transfer_export(actor=manager, dispute=kept)
    assert leftovers() == before  # the half-written ZIP is gone
    assert CaseRetention.objects.get(dispute=kept).transferred_at is None
    assert not kept.events.filter(kind="case_transferred").exists()


def test_only_a_record_manager_may_transfer(kept, world):
    for actor in (world.secretary, world.official, world.tenant):
        with pytest.raises(NotPermitted):
            transfer_export(actor=actor, dispute=kept)


def test_a_case_to_be_destroyed_or_destroyed_is_refused(world, manager):
    withdrawn = case_in_state(world, "withdrawn")  # ingetrokken: vernietigen
    with pytest.raises(ValidationError, match="niet blijvend bewaard"):
        transfer_export(actor=manager, dispute=withdrawn)
    decided = case_in_state(world, "decided")
    CaseRetention.objects.filter(dispute=decided).update(destroyed_at=clock.now())
    with pytest.raises(ValidationError, match="vernietigd"):
        transfer_export(actor=manager, dispute=decided)


def test_the_page_lists_the_cases_to_keep_and_downloads_the_package(kept, world, manager, client):
    withdrawn = case_in_state(world, "withdrawn")
    clock.set_now(moment("2037-03-02 10:00"))
    later = case_in_state(world, "decided")
    CaseRetention.objects.filter(dispute=later).update(action_date=date(2040, 1, 1))
    clock.set_now(moment("2037-03-02 10:00"))
    client.force_login(manager)
    page = client.get(reverse("workflow:transfer")).content.decode()
    assert kept.case_number in page and later.case_number in page
    assert withdrawn.case_number not in page  # to be destroyed: not on this list
    due = client.get(reverse("workflow:transfer"), {"termijn": "verstreken"}).content.decode()
    assert kept.case_number in due and later.case_number not in due
    response = client.post(reverse("workflow:transfer-export", args=[kept.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="overbrenging-{kept.case_number}.zip"'
    package = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "manifest-sha256.txt" in package.namelist()
    assert "Ja, op" in client.get(reverse("workflow:transfer")).content.decode()
    refused = client.post(reverse("workflow:transfer-export", args=[withdrawn.pk]))
    assert refused.status_code == 400
    assert "niet blijvend bewaard" in refused.content.decode()


def test_others_get_403_or_404(kept, world, client):
    url, list_url = reverse("workflow:transfer-export", args=[kept.pk]), reverse("workflow:transfer")
    for user in (world.secretary, world.official):
        client.force_login(user)
        assert client.get(list_url).status_code == 403
        assert client.post(url).status_code == 403
    client.force_login(world.tenant)  # a party to the case
    assert client.post(url).status_code == 403
    client.force_login(world.outsider)  # not its case: as if it did not exist
    assert client.post(url).status_code == 404
    client.logout()
    assert client.post(url).status_code == 302
    assert not CaseRetention.objects.get(dispute=kept).transferred_at


def test_the_command_writes_the_package(kept, manager, tmp_path):
    out = tmp_path / "pakket.zip"
    call_command("transfer_export", kept.case_number, str(out), "--user", manager.username)
    assert "manifest-sha256.txt" in zipfile.ZipFile(out).namelist()
    with pytest.raises(CommandError, match="recordmanager"):
        call_command("transfer_export", kept.case_number, str(tmp_path / "x.zip"), "--user", "sec")
