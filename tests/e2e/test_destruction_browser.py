"""A destruction list in a browser, through its three roles (issue 17, item 6; docs/workflow.md
"Vernietigingslijsten"): the record manager, the reviewer and the archivist each log in with the second factor and
land on the lists; one case is sent back and taken off, the other destroyed. Afterwards its files are gone from the
storage, the staff case page says "Vernietigd", the verklaring van vernietiging downloads (and is read back) and
the integrity check raises no alarm. axe-core and the 320 px reflow check on every page of the way."""

import io
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from disputes import clock
from disputes.models import ArchiveRole, DestructionList, DestructionStatus, Document
from disputes.services.integrity import run_check
from tests.e2e.conftest import PASSWORD
from tests.factories import case_in_state, staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second_factor_login(page, live_server, settings):
    """Log a user in through the form and the second step (a code from their authenticator app)."""
    settings.STAFF_TWO_FACTOR = True

    def _login(user, *, lands_on: str):
        user.set_password(PASSWORD)
        user.save()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="app", confirmed=True)
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)  # a code once a step
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(re.compile(r"/inloggen/tweede-stap/"))
        device.refresh_from_db()
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Code uit uw authenticator-app").fill(f"{code:06d}")
        page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_url(f"{live_server.url}{lands_on}")
        return page

    return _login


def test_a_list_through_three_roles_and_the_destruction(world, page, live_server, second_factor_login,
                                                        assert_accessible, private_storage):
    manager = staff("recordmanager", ArchiveRole.RECORD_MANAGER)
    reviewer = staff("beoordelaar", ArchiveRole.REVIEWER)
    archivist = staff("archivaris", ArchiveRole.ARCHIVIST)
    for user, first, last in ((manager, "Rita", "Recordman"), (reviewer, "Bea", "Oordeel"),
                              (archivist, "Arie", "Vist")):
        user.first_name, user.last_name = first, last
        user.save()
    # two cases withdrawn in 2017: kept 5 years by the shipped selectielijst table, so due now
    kept, destroyed = case_in_state(world, "withdrawn"), case_in_state(world, "withdrawn")
    clock.set_now(None)
    stored = [d.file.name for d in Document.objects.filter(dispute=destroyed)]
    assert stored and all(private_storage.exists(name) for name in stored)
    lists = "/werk/archief/vernietiging/"

    # the record manager lands on the lists, with the candidates, and makes a list of both cases
    second_factor_login(manager, lands_on=lists)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vernietigingslijsten")
    nav = page.get_by_role("navigation", name="Werkomgeving")
    # only what the archive's roles may use: for the record manager the lists and the transfer
    expect(nav.get_by_role("link")).to_have_text(["Vernietigingslijsten", "Overbrenging naar het archief"])
    expect(page.get_by_role("table", name=re.compile("archiefactiedatum is verstreken"))).to_contain_text(
        kept.case_number)
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe vernietigingslijst").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lijst maken").click()  # nothing filled in: the error summary
    expect(page.get_by_role("alert").filter(has_text="Er is een probleem")).to_contain_text("Geef de lijst een naam.")
    assert_accessible(page)
    page.get_by_label("Naam van de lijst").fill("Vernietiging ingetrokken verzoeken")
    page.get_by_label(re.compile(f"{kept.case_number}, Totstandkoming")).check()
    page.get_by_label(re.compile(f"{destroyed.case_number}, Totstandkoming")).check()
    page.get_by_role("button", name="Lijst maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vernietigingslijst Vernietiging ingetrokken verzoeken")
    made = DestructionList.objects.get()
    detail = f"{live_server.url}{lists}{made.pk}/"
    page.get_by_label("Beoordelaar").select_option(label="Bea Oordeel")
    page.get_by_label("Archivaris").select_option(label="Arie Vist")
    assert_accessible(page)
    page.get_by_role("button", name="Indienen ter beoordeling").click()
    expect(page.locator("#lijst-status")).to_have_text("Klaar voor beoordeling")

    # the reviewer sends one case back, with the reason
    second_factor_login(reviewer, lands_on=lists)
    page.get_by_role("link", name="Vernietiging ingetrokken verzoeken").click()
    assert_accessible(page)
    page.get_by_role("radio", name=re.compile("Terugsturen")).check()
    page.get_by_label(f"Reden om zaak {kept.case_number} terug te sturen").fill("Er loopt nog een bezwaar")
    page.get_by_role("button", name="Oordeel geven").click()
    expect(page.locator("#lijst-status")).to_have_text("Teruggestuurd")

    # the record manager takes it off and submits the list again
    second_factor_login(manager, lands_on=lists)
    page.goto(detail)
    expect(page.get_by_role("table", name=re.compile("blijven"))).to_contain_text("Er loopt nog een bezwaar")
    assert_accessible(page)
    page.get_by_role("group", name="Van de lijst halen").get_by_label(kept.case_number).check()
    page.get_by_label("Toelichting", exact=True).fill("Van de lijst gehaald tot het bezwaar is beslist")
    page.get_by_role("button", name="Bijwerken en opnieuw indienen").click()
    expect(page.locator("#lijst-status")).to_have_text("Klaar voor beoordeling")

    # the reviewer, then the archivist approve
    for user, status in ((reviewer, "Beoordeeld, wacht op de archivaris"),
                         (archivist, "Goedgekeurd, klaar om te vernietigen")):
        second_factor_login(user, lands_on=lists)
        page.goto(detail)
        page.get_by_role("radio", name=re.compile("Akkoord")).check()
        if user == archivist:
            assert_accessible(page)
        page.get_by_role("button", name="Oordeel geven").click()
        expect(page.locator("#lijst-status")).to_have_text(status)

    # the record manager: the confirmation page, then the destruction
    second_factor_login(manager, lands_on=lists)
    page.goto(detail)
    page.get_by_role("link", name="Zaken vernietigen").click()
    expect(page.get_by_role("note")).to_contain_text("Dit kan niet ongedaan worden gemaakt.")
    table = page.get_by_role("table", name="De zaken die worden vernietigd")
    expect(table).to_contain_text(destroyed.case_number)
    expect(table).not_to_contain_text(kept.case_number)
    assert_accessible(page)
    page.get_by_role("button", name="Definitief vernietigen").click()
    expect(page.locator("#lijst-status")).to_have_text("Vernietigd")
    expect(page.locator("#vernietigd")).to_contain_text("zijn vernietigd op")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Verklaring van vernietiging (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        certificate = handle.read()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(certificate)).pages)
    assert destroyed.case_number in text and kept.case_number not in text
    made.refresh_from_db()
    assert made.status == DestructionStatus.DESTROYED

    # the files are gone; the other case's are not
    assert not any(private_storage.exists(name) for name in stored)
    assert all(private_storage.exists(d.file.name) for d in Document.objects.filter(dispute=kept))

    # the staff case page says so
    second_factor_login(world.secretary, lands_on="/werk/")
    page.goto(f"{live_server.url}/werk/geschillen/{destroyed.pk}/")
    expect(page.locator("#destroyed-notice")).to_contain_text(
        "(vernietigingslijst Vernietiging ingetrokken verzoeken)")
    expect(page.locator("#destroyed-notice")).to_contain_text("Vernietigd op")
    assert_accessible(page)

    # and the integrity check raises no alarm
    report = run_check(mail=False)
    assert report.clean, report.summary()
