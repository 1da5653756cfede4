"""One case from filing to binding decision and dossier, in the browser only (Debian chromium).

The tenant organisation files a totstandkoming dispute through the portal wizard (with uploads);
the secretary registers it, decides admissibility, assesses the efforts and accepts; both
respondents file their verweer in the portal (the response round closes by itself); the chair
chooses the written procedure and issues the advice; one official drafts the decision and a
second official adopts it (four eyes); the applicant sees the binding decision on the case page
and exports the party version of the dossier, downloads the PDF and finds the case number on its
first page. axe-core checks the pages on the way.

Only the World (users, organisations, this year's agreement) is made in Python; every step of the
procedure goes through the pages. Everything happens "today" with the real clock: no step needs a
term to pass (the response round closes on the last verweer, the chair skips the hearing).
With SAVE_SCREENSHOTS=1 a few pages are saved as docs/images/journey-*.png.
"""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from disputes.models import Dispute
from tests.e2e.conftest import save_screenshot
from tests.e2e.test_portal import current_agreement, pdf_file, recent  # noqa: F401 (fixture)
from tests.e2e.test_secretariat import open_my_task, staff_login  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

POINT = "Aantal nieuwe sociale huurwoningen"


def h1(page):
    return page.get_by_role("heading", level=1)


def file_the_dispute(page, agreement) -> None:
    """The applicant's wizard, steps 1-8, with one point, an effort-log entry and the required uploads."""
    page.get_by_role("link", name="Nieuw geschil indienen").click()
    expect(h1(page)).to_have_text("Soort geschil")
    page.get_by_label("Totstandkoming van prestatieafspraken").check()
    page.get_by_role("button", name="Verder").click()

    expect(h1(page)).to_have_text("Overleg en partijen")
    page.get_by_label(f"Gemeente Leiderdorp {agreement.year}").check()
    page.get_by_role("button", name="Verder").click()
    respondents = page.get_by_role("group", name="Tegen welke organisatie(s) richt het geschil zich?")
    respondents.get_by_label("Rijnhart Wonen").check()
    respondents.get_by_label("Gemeente Leiderdorp").check()
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(h1(page)).to_have_text("Datum en omschrijving")
    page.get_by_label("Op welke datum is het geschil ontstaan?").fill(recent(6))
    page.get_by_label("Korte omschrijving van het geschil").fill("Geen overeenstemming over nieuwbouw")
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(h1(page)).to_have_text("Geschilpunten")
    page.get_by_label("Geschilpunt").first.fill(POINT)
    page.get_by_label("Uw standpunt").first.fill("Er zijn 200 woningen nodig; de corporatie biedt er 40.")
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(h1(page)).to_have_text("Overleglogboek")
    page.get_by_label("Soort", exact=True).select_option(label="Bod")
    page.get_by_label("Datum", exact=True).fill(f"30-06-{agreement.year - 1}")
    page.get_by_label("Samenvatting").fill("Bod van Rijnhart Wonen ontvangen, met uitnodiging tot overleg.")
    page.get_by_label("Soort document (als u documenten toevoegt)").select_option(label="Bod")
    page.get_by_label("Documenten (PDF, niet verplicht)").set_input_files([pdf_file("bod-rijnhart.pdf", 2)])
    page.get_by_role("button", name="Regel toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("toegevoegd aan het overleglogboek")
    page.get_by_role("button", name="Verder naar documenten").click()

    expect(h1(page)).to_have_text("Documenten")
    for label, files in (
        ("Verzoek tot geschilbeslechting", [pdf_file("verzoek.pdf", 3), pdf_file("bijlage-toelichting.pdf")]),
        ("Woonvisie / volkshuisvestingsbeleid", [pdf_file("woonvisie.pdf")]),
        ("Bod", [pdf_file("bod.pdf")]),
        ("Verslag overleg", [pdf_file("verslagen.pdf")]),
        ("Concept-prestatieafspraken", [pdf_file("concept.pdf")]),
        ("Correspondentie", [pdf_file("brieven.pdf")]),
    ):
        page.get_by_label("Soort document").select_option(label=label)
        page.get_by_label("Bestanden (PDF)").set_input_files(files)
        page.get_by_role("button", name="Uploaden").click()
        for file in files:
            expect(page.get_by_role("link", name=file["name"], exact=True)).to_be_visible()
    expect(page.get_by_text("Ontbreekt nog")).to_have_count(0)
    page.get_by_role("link", name="Verder naar controleren").click()

    expect(h1(page)).to_have_text("Controleren en indienen")
    expect(page.get_by_text("U dient op tijd in.")).to_be_visible()
    page.get_by_label("Ik verklaar dat ik dit verzoek mag indienen").check()
    page.get_by_role("button", name="Verzoek indienen").click()
    expect(h1(page)).to_have_text("Uw verzoek is ingediend")


def party_opens_case(page, login, user, case_number: str) -> None:
    page.context.clear_cookies()
    login(user)
    page.get_by_role("link", name=case_number).click()
    expect(h1(page)).to_have_text(f"Geschil {case_number}")


def file_verweer(page, name: str, position: str) -> None:
    page.get_by_role("link", name="Verweer indienen").click()
    expect(h1(page)).to_have_text("Verweer indienen")
    page.get_by_label("Verweerschrift (PDF)").set_input_files([pdf_file(name, 2)])
    page.get_by_label(f"Uw standpunt over geschilpunt 1: {POINT}").fill(position)
    page.get_by_role("button", name="Verweer indienen").click()
    expect(page.get_by_role("status")).to_contain_text("Uw verweer is ontvangen")
    expect(page.get_by_role("link", name=name)).to_be_visible()


def staff_state(page):
    """The state on the staff case page: the first fact of the case header."""
    return page.locator("dl.facts").first.locator("dd").first


def done(page, task: str) -> None:
    expect(page.get_by_text(f"Taak afgerond: {task}.")).to_be_visible()


def test_a_case_from_filing_to_binding_decision_and_dossier(
    world, current_agreement, page, login, staff_login, assert_accessible  # noqa: F811
):
    # -- the applicant files ------------------------------------------------------------------------
    login(world.tenant)
    expect(h1(page)).to_have_text("Mijn geschillen")
    file_the_dispute(page, current_agreement)
    case = Dispute.objects.get(created_by=world.tenant)
    number = case.case_number
    expect(page.get_by_text(number)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Naar het geschil").click()
    expect(h1(page)).to_have_text(f"Geschil {number}")
    expect(page.locator(".status")).to_have_text("Ingediend")
    expect(page.get_by_role("heading", name="Dossier")).to_have_count(0)  # panel only once decided
    assert_accessible(page)
    save_screenshot(page, "journey-1-ingediend")

    # -- the secretary: register, admissibility, efforts, accept -----------------------------------
    staff_login(world.secretary)
    page.get_by_role("link", name="Mijn taken").click()
    page.locator("tr", has_text=number).get_by_role("link", name="Registreren").click()
    page.get_by_role("button", name="Taak oppakken").click()
    expect(page.get_by_text("Dat bent u.")).to_be_visible()
    page.get_by_role("button", name="Beoordeling starten").click()
    done(page, "Registreren")
    expect(h1(page)).to_have_text(f"Geschil {number}")
    assert_accessible(page)  # the staff case page

    page.get_by_role("link", name="Ontvankelijkheid beoordelen").click()
    page.get_by_role("radio", name="Ja").check()
    page.get_by_label("Toelichting").fill("Tijdig ingediend; geschil over de totstandkoming.")
    page.get_by_role("button", name="Ontvankelijkheid vastleggen").click()
    expect(page.get_by_text("De ontvankelijkheid is vastgelegd voor geschilpunt 1.")).to_be_visible()
    page.get_by_role("button", name="Ontvankelijkheid vaststellen").click()
    done(page, "Ontvankelijkheid beoordelen")

    page.get_by_role("link", name="Inspanningen toetsen").click()
    expect(page.get_by_text("Bod van Rijnhart Wonen ontvangen")).to_be_visible()  # the effort log
    page.get_by_role("radio", name="Ja, voldoende").check()
    page.get_by_label("Motivering").fill("Bod en overleg staan in het logboek.")
    page.get_by_role("button", name="Inspanningen beoordelen").click()
    expect(page.get_by_text("De beoordeling van de inspanningen is vastgelegd.")).to_be_visible()
    page.get_by_role("button", name="In behandeling nemen").click()
    done(page, "Inspanningen toetsen")
    expect(staff_state(page)).to_have_text("Verweer")
    assert_accessible(page)
    # the commission for this case (ADR 0017): the chair and two members from the roster
    page.get_by_role("link", name="Commissie samenstellen").click()
    page.get_by_role("radio", name=world.chair.get_username(), exact=True).check()
    for member in (world.commission_member, world.commission_member2):
        page.get_by_role("checkbox", name=member.get_username(), exact=True).check()
    page.get_by_role("button", name="Commissie samenstellen").click()
    expect(page.get_by_text("Samenstelling van de adviescommissie voor dit geschil")).to_be_visible()
    save_screenshot(page, "journey-2-verweerronde")

    # -- both respondents file their verweer; the second closes the round ---------------------------
    party_opens_case(page, login, world.corp_user, number)
    expect(page.get_by_text("Uw organisatie kan nu schriftelijk verweer voeren")).to_be_visible()
    assert_accessible(page)
    file_verweer(page, "verweerschrift-rijnhart.pdf", "Wij kunnen 60 woningen bouwen.")
    expect(page.locator(".status")).to_have_text("Verweer")  # the gemeente has not answered yet

    party_opens_case(page, login, world.gem_user, number)
    file_verweer(page, "verweerschrift-gemeente.pdf", "De gemeente steunt 120 woningen.")
    expect(page.locator(".status")).to_have_text("Schriftelijke ronde")
    assert_accessible(page)

    # -- the chair: written procedure, advice ---------------------------------------------------------
    staff_login(world.chair)
    open_my_task(page, "Schriftelijke afdoening overwegen")
    page.get_by_label("Waarom is een hoorzitting niet nodig?").fill(
        "Beide verweerschriften zijn helder; de stukken volstaan.")
    page.get_by_role("button", name="Schriftelijk afdoen").click()
    done(page, "Schriftelijke afdoening overwegen")
    expect(staff_state(page)).to_have_text("Beraadslaging")
    assert_accessible(page)

    open_my_task(page, "Advies opstellen")
    page.get_by_role("radio", name="Niet kennelijk onredelijk").check()
    page.get_by_label("Aanbeveling").fill("Hervat het overleg binnen drie maanden.")
    page.get_by_role("button", name="Advies per geschilpunt vastleggen").click()
    expect(page.get_by_text("Het advies is vastgelegd voor geschilpunt 1.")).to_be_visible()
    page.get_by_label("Advies van de adviescommissie").set_input_files([pdf_file("advies.pdf", 2)])
    page.get_by_role("button", name="Advies uitbrengen").click()
    done(page, "Advies opstellen")
    expect(staff_state(page)).to_have_text("Advies uitgebracht")

    # -- the officials: one drafts, the other adopts (four eyes) -------------------------------------
    staff_login(world.official)
    open_my_task(page, "Uitspraak voorbereiden")
    page.get_by_role("radio", name="Het advies volgen").check()
    page.get_by_role("button", name="Beslissing per geschilpunt vastleggen").click()
    expect(page.get_by_text("De beslissing is vastgelegd voor geschilpunt 1.")).to_be_visible()
    page.get_by_label("Ontwerpuitspraak (verplicht)", exact=True).set_input_files([pdf_file("ontwerp.pdf")])
    page.get_by_role("button", name="Ontwerpuitspraak vastleggen").click()
    done(page, "Uitspraak voorbereiden")
    page.get_by_role("link", name="Mijn taken").click()
    expect(page.get_by_role("link", name="Bindende uitspraak vaststellen")).to_have_count(0)  # not for the drafter

    staff_login(world.official2)
    open_my_task(page, "Bindende uitspraak vaststellen")
    page.get_by_label("Bindende uitspraak (definitieve versie").set_input_files([pdf_file("uitspraak.pdf", 2)])
    page.get_by_role("button", name="Bindende uitspraak vaststellen").click()
    done(page, "Bindende uitspraak vaststellen")
    expect(staff_state(page)).to_have_text("Bindende uitspraak")
    assert_accessible(page)

    # -- the applicant: the decided case, and the party version of the dossier ------------------------
    party_opens_case(page, login, world.tenant, number)
    expect(page.locator(".status")).to_have_text("Bindende uitspraak")
    expect(page.get_by_text("Beslissing: Niet kennelijk onredelijk")).to_be_visible()
    expect(page.get_by_role("link", name="uitspraak.pdf", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="ontwerp.pdf")).to_have_count(0)  # the draft is internal
    expect(page.get_by_role("heading", name="Dossier", exact=True)).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "journey-3-bindende-uitspraak")

    expect(page.get_by_label("Partijversie (zonder vertrouwelijke stukken)")).to_be_checked()
    expect(page.get_by_label("Volledig dossier (intern)")).to_have_count(0)  # parties get no full version
    page.get_by_role("button", name="Dossier exporteren").click()
    expect(h1(page)).to_have_text(f"Dossier {number}")
    expect(page.locator("#dossier-progress")).to_be_visible()
    pdf_link = page.get_by_role("link", name="Dossier (PDF,")
    expect(pdf_link).to_be_visible(timeout=60_000)  # eager Celery: done in the request; else dossier.js polls
    expect(page.locator("#dossier-progress")).to_have_attribute("value", "100")
    expect(page.locator("#dossier-status-text")).to_contain_text("100%")
    assert_accessible(page)
    save_screenshot(page, "journey-4-dossier")

    with page.expect_download() as download:
        pdf_link.click()
    assert download.value.suggested_filename == f"{number}-dossier-partijversie.pdf"
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert number in reader.pages[0].extract_text()
    assert len(reader.pages) > 10  # cover, contents, timeline, points and the documents
