"""A secretary's day in the browser: worklist, inbox, registration, admissibility, effort review,
the hearing (planned, then moved); then the chair's advice and the officials' decision (four eyes). axe-core checks the
worklist, the case page and a task page. With SAVE_SCREENSHOTS=1 the pages are saved to
docs/images/workflow-*.png (listed in docs/workflow.md).

The live server runs in its own thread with the real clock (disputes.clock is per thread), so the
cases are filed with the clock set a few days or weeks back from today.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from disputes import clock, services
from disputes.models import Dispute
from tests.e2e.conftest import PASSWORD
from tests.factories import pdf, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def shot(page, name: str) -> None:
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMAGES / f"workflow-{name}.png"), full_page=True)


def pdf_file(name: str) -> dict:
    return {"name": f"{name}.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(1, name)}


def filed_days_ago(world, days: int, title: str, points=("p1",)) -> Dispute:
    """A case filed and submitted ``days`` ago (the clock of this thread only)."""
    moment = timezone.localtime() - timedelta(days=days)
    clock.set_now(moment.replace(hour=10, minute=0, second=0, microsecond=0))
    dispute = world.file(points=points)
    Dispute.objects.filter(pk=dispute.pk).update(title=title)
    dispute = services.dispute_submit(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.tenant)
    clock.set_now(None)
    return dispute


@pytest.fixture
def staff_login(page, live_server):
    """Log a staff member in through the form; staff land on their worklist (/werk/)."""

    def _login(user):
        user.set_password(PASSWORD)
        user.save()
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/werk/")
        return page

    return _login


def open_my_task(page, title: str) -> None:
    page.get_by_role("link", name="Mijn taken").click()
    page.get_by_role("link", name=title).first.click()
    if page.get_by_role("button", name="Taak oppakken").count():
        page.get_by_role("button", name="Taak oppakken").click()
    page.get_by_text("Dat bent u.").wait_for()


def test_a_secretarys_day_then_advice_and_decision(world, page, live_server, staff_login, assert_accessible):
    for user, first, last in ((world.secretary, "Sanne", "de Vries"), (world.chair, "Hans", "Koster"),
                              (world.official, "Olga", "Jansen"), (world.official2, "Omar", "Bakker"),
                              (world.commission_member, "Lotte", "Visser"),
                              (world.commission_member2, "Karim", "El Amrani")):
        user.first_name, user.last_name = first, last
        user.save()
    case = filed_days_ago(world, 3, "Huurverlaging en nieuwbouw 2017")
    filed_days_ago(world, 49, "Sloop en vervangende nieuwbouw")  # decision term: a few working days left
    filed_days_ago(world, 60, "Duurzaamheidsmaatregelen")  # decision term passed

    # -- the secretary: worklist and inbox --------------------------------------------------------
    staff_login(world.secretary)
    assert page.get_by_role("heading", level=1).inner_text() == "Werkvoorraad"
    urgent = page.locator("section[aria-labelledby=urgent-title]")
    assert "Beslistermijn verstreken" in urgent.inner_text() and "Beslistermijn nadert" in urgent.inner_text()
    assert case.case_number not in urgent.inner_text()
    assert_accessible(page)
    shot(page, "worklist")

    page.get_by_role("link", name="Mijn taken").click()
    assert page.get_by_role("heading", name="Wachtrij van mijn rol").is_visible()
    shot(page, "inbox")

    # registration
    page.locator("tr", has_text=case.case_number).get_by_role("link", name="Registreren").click()
    page.get_by_role("button", name="Taak oppakken").click()
    assert page.get_by_text("Dat bent u.").is_visible()
    page.get_by_role("button", name="Beoordeling starten").click()
    assert page.get_by_text("Taak afgerond: Registreren.").is_visible()
    assert_accessible(page)  # the case page
    shot(page, "case")

    # admissibility per point
    page.get_by_role("link", name="Ontvankelijkheid beoordelen").click()
    assert page.get_by_role("heading", name="Voorcontroles").is_visible()
    page.get_by_role("radio", name="Ja").check()
    page.get_by_label("Toelichting").fill("Tijdig ingediend; geschil over de totstandkoming.")
    page.get_by_role("button", name="Ontvankelijkheid vastleggen").click()
    assert page.get_by_text("De ontvankelijkheid is vastgelegd voor geschilpunt 1.").is_visible()
    assert_accessible(page)  # a task page, with its forms
    shot(page, "task-admissibility")
    page.get_by_role("button", name="Ontvankelijkheid vaststellen").click()

    # effort review against the effort log
    page.get_by_role("link", name="Inspanningen toetsen").click()
    page.get_by_role("radio", name="Ja, voldoende").check()
    page.get_by_label("Motivering").fill("Drie overleggen en een mediationpoging in het logboek.")
    page.get_by_role("button", name="Inspanningen beoordelen").click()
    page.get_by_role("button", name="In behandeling nemen").click()
    assert page.get_by_text("Taak afgerond: Inspanningen toetsen.").is_visible()

    # the commission for this case: a chair and two members from the roster (ADR 0017)
    page.get_by_role("link", name="Commissie samenstellen").click()
    page.get_by_role("radio", name="Hans Koster").check()
    page.get_by_role("checkbox", name="Lotte Visser").check()
    page.get_by_role("checkbox", name="Karim El Amrani").check()
    assert_accessible(page)
    page.get_by_role("button", name="Commissie samenstellen").click()
    expect(page.get_by_text("Samenstelling van de adviescommissie voor dit geschil")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Lotte Visser")

    # the respondents answer in the portal (here: through the services)
    for respondent in (world.corp_user, world.gem_user):
        services.dispute_respond(dispute=Dispute.objects.get(pk=case.pk), actor=respondent,
                                 documents=[pdf("verweerschrift")])
    assert Dispute.objects.get(pk=case.pk).state == "exchange"

    # the hearing
    page.reload()
    page.get_by_role("link", name="Hoorzitting plannen").click()
    hearing = (timezone.localtime() + timedelta(days=21)).replace(hour=10, minute=0)
    page.get_by_label("Datum en tijd").fill(hearing.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Plaats of videoverbinding").fill("Den Haag, Turfmarkt 147, zaal 3")
    shot(page, "task-hearing")
    page.get_by_role("button", name="Hoorzitting plannen").click()
    assert page.get_by_text("Taak afgerond: Hoorzitting plannen.").is_visible()
    # the room is not available after all: the hearing moves, with a reason, and the worklist shows it
    page.get_by_role("link", name="Hoorzitting wijzigen").click()
    moved = hearing + timedelta(days=7)
    expect(page.get_by_label("Datum en tijd")).to_have_value(hearing.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Datum en tijd").fill(moved.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Reden van de wijziging").fill("Zaal 3 is die dag niet beschikbaar.")
    assert_accessible(page)
    page.get_by_role("button", name="Hoorzitting wijzigen").click()
    expect(page.get_by_role("status")).to_contain_text("De hoorzitting is gewijzigd.")
    expect(page.get_by_text("Hoorzitting gewijzigd").first).to_be_visible()  # in the case's history
    page.get_by_role("navigation", name="Werkomgeving").get_by_role("link", name="Werkvoorraad").click()
    hearings = page.locator("section[aria-labelledby=hearings-title]")
    expect(hearings).to_contain_text(case.case_number)
    expect(hearings).to_contain_text(moved.strftime("%d-%m-%Y %H:%M"))
    expect(hearings).to_contain_text("gewijzigd")
    assert_accessible(page)
    page.get_by_role("link", name=case.case_number).first.click()
    page.get_by_role("link", name="Verslag hoorzitting vastleggen").click()
    page.get_by_label("Verslag hoorzitting").set_input_files(files=[pdf_file("verslag_hoorzitting")])
    page.get_by_role("button", name="Verslag vastleggen").click()
    # the hearing is still weeks away: its minutes are refused (issue 12, defect 13)
    # the error summary at the top says so and takes focus (issue 13, item 2), the form repeats it in place
    expect(page.locator("#error-summary")).to_contain_text("Het verslag kan pas worden vastgelegd nadat de hoorzitting")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert Dispute.objects.get(pk=case.pk).state == "hearing_scheduled"
    # after the hearing (this thread's clock; the live server keeps the real one) the minutes are recorded
    with clock.frozen(moved + timedelta(hours=3)):
        services.dispute_record_hearing(dispute=Dispute.objects.get(pk=case.pk), actor=world.secretary,
                                        documents=[pdf("verslag_hoorzitting")])
    assert Dispute.objects.get(pk=case.pk).state == "deliberation"

    # -- the chair: advice per point, then the advice ----------------------------------------------
    staff_login(world.chair)
    open_my_task(page, "Advies opstellen")
    page.get_by_role("radio", name="Niet kennelijk onredelijk").check()
    page.get_by_label("Aanbeveling").fill("Hervat het overleg binnen drie maanden.")
    page.get_by_role("button", name="Advies per geschilpunt vastleggen").click()
    page.get_by_label("Advies van de adviescommissie").set_input_files(files=[pdf_file("advies")])
    shot(page, "task-advice")
    page.get_by_role("button", name="Advies uitbrengen").click()
    assert Dispute.objects.get(pk=case.pk).state == "advice_issued"

    # -- the officials: one drafts, another adopts ---------------------------------------------------
    staff_login(world.official)
    open_my_task(page, "Uitspraak voorbereiden")
    page.get_by_role("radio", name="Het advies volgen").check()
    page.get_by_role("button", name="Beslissing per geschilpunt vastleggen").click()
    page.get_by_label("Ontwerpuitspraak (verplicht)", exact=True).set_input_files(files=[pdf_file("ontwerp")])
    shot(page, "task-decision")
    page.get_by_role("button", name="Ontwerpuitspraak vastleggen").click()
    assert page.get_by_text("Taak afgerond: Uitspraak voorbereiden.").is_visible()
    page.get_by_role("link", name="Mijn taken").click()
    assert page.get_by_role("link", name="Bindende uitspraak vaststellen").count() == 0, "four eyes"

    staff_login(world.official2)
    open_my_task(page, "Bindende uitspraak vaststellen")
    page.get_by_label("Bindende uitspraak (definitieve versie").set_input_files(files=[pdf_file("uitspraak")])
    page.get_by_role("button", name="Bindende uitspraak vaststellen").click()
    assert page.get_by_text("Taak afgerond: Bindende uitspraak vaststellen.").is_visible()
    decided = Dispute.objects.get(pk=case.pk)
    assert decided.state == "decided" and decided.decision_adopted_by == world.official2
    assert "Bezwaartermijn loopt" in page.locator("section[aria-labelledby=tasks-title]").inner_text()
