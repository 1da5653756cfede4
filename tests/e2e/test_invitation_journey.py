"""Issue 15 in a browser: the secretary invites a respondent organisation's clerk from the staff pages
(/werk/organisaties/); the clerk opens the link from the e-mail, chooses a password, lands in the portal, sees only
the case of their organisation and files a verweer; the used link and an expired one get a clear page. Every page is
checked with axe-core and at 320 px (``assert_accessible``)."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from disputes import clock, services
from disputes.models import Dispute, Invitation
from tests.e2e.conftest import save_screenshot
from tests.e2e.test_portal import _case_awaiting_response, pdf_file
from tests.e2e.test_secretariat import staff_login  # noqa: F401 (a fixture)
from tests.factories import pdf

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Klerk-Rijnhart-Verweer-2026"


def _case_without_the_corporation(world) -> Dispute:
    """Another case, against the gemeente only: the corporation's clerk must not see it."""
    dispute = services.dispute_file(
        actor=world.tenant, agreement=world.agreement, kind="totstandkoming", applicants=[world.huurders],
        respondents=[world.gemeente], arose_on=date.today() - timedelta(days=3), title="Alleen de gemeente",
        points=[{"key": "p1", "title": "Wijkbudget", "position": "Meer budget."}], documents=[pdf("verzoek", 1)],
    )
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    return Dispute.objects.get(pk=dispute.pk)


def _link(live_server, message) -> str:
    found = re.search(r"https?://[^\s]+(/uitnodiging/[^\s/]+/)", message.body)
    assert found, message.body
    return live_server.url + found.group(1)


def test_the_secretary_invites_a_clerk_who_files_a_verweer(world, page, live_server, staff_login,  # noqa: F811
                                                           assert_accessible):
    case = _case_awaiting_response(world)
    other = _case_without_the_corporation(world)
    clock.set_now(None)  # the live server runs on the real clock
    mail.outbox.clear()

    # -- the secretary: Organisaties, the corporation, invite its clerk --------------------------------------------
    staff_login(world.secretary)
    page.get_by_role("link", name="Organisaties").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisaties")
    page.get_by_label("Naam bevat").fill("Rijnhart")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("status")).to_have_text("1 organisatie")
    assert_accessible(page)
    page.get_by_role("link", name="Rijnhart Wonen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rijnhart Wonen")
    expect(page.locator('section[aria-labelledby="access-title"]')).to_contain_text(case.case_number)
    assert_accessible(page)
    page.get_by_role("link", name="Iemand uitnodigen").click()
    page.get_by_label("E-mailadres").fill("karin.dewit@rijnhart.example")
    page.get_by_label("Naam").fill("Karin de Wit")
    assert_accessible(page)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uitnodiging verstuurd naar karin.dewit@rijnhart.example")
    expect(page.locator('section[aria-labelledby="invitations-title"]')).to_contain_text("open")
    assert_accessible(page)
    save_screenshot(page, "workflow-organisation")
    sent = [m for m in mail.outbox if "/uitnodiging/" in m.body]
    assert len(sent) == 1 and sent[0].to == ["karin.dewit@rijnhart.example"]
    link = _link(live_server, sent[0])

    # -- the clerk: the link, a password, the portal with only the corporation's case ------------------------------
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitnodiging aannemen")
    expect(page.get_by_text("karin.dewit@rijnhart.example").first).to_be_visible()
    assert link.split("/")[-2] not in page.title()
    assert_accessible(page)
    page.get_by_label("Voornaam").fill("Karin")
    page.get_by_label("Achternaam").fill("de Wit")
    page.get_by_label("Kies een wachtwoord").fill("kort")
    page.get_by_label("Herhaal het wachtwoord").fill("kort")
    page.get_by_role("button", name="Uitnodiging aannemen").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the error summary: the password is too short
    assert_accessible(page)
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Uitnodiging aannemen").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("status").first).to_contain_text("U handelt nu namens Rijnhart Wonen")
    cases = page.get_by_role("table", name="Geschillen van uw organisatie")
    expect(cases.locator("tbody tr")).to_have_count(1)
    expect(cases).to_contain_text(case.case_number)
    expect(cases).not_to_contain_text(other.case_number)
    assert_accessible(page)
    save_screenshot(page, "portal-invitation-accepted")

    # -- the verweer -------------------------------------------------------------------------------------------
    page.get_by_role("link", name=case.case_number).click()
    expect(page.get_by_text("Uw organisatie kan nu schriftelijk verweer voeren")).to_be_visible()
    page.get_by_role("link", name="Verweer indienen").click()
    page.get_by_label("Verweerschrift (PDF)").set_input_files([pdf_file("verweerschrift-karin.pdf", 2)])
    page.get_by_label("Uw standpunt over geschilpunt 1: Huurverhoging").fill("Inflatie plus 1 procent is nodig.")
    page.get_by_label("Uw standpunt over geschilpunt 2: Nieuwbouw").fill("Wij kunnen 60 woningen bouwen.")
    page.get_by_role("button", name="Verweer indienen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw verweer is ontvangen")
    party = case.parties.get(organisation=world.corporatie)
    party.refresh_from_db()
    assert party.responded_at is not None
    # the clerk filed it, for the corporation
    assert case.events.filter(kind="responded", actor__username="karin.dewit@rijnhart.example",
                              actor_organisation=world.corporatie).exists()
    # another case's page is not found for the clerk
    assert page.goto(f"{live_server.url}/portaal/geschillen/{other.pk}/").status == 404

    # -- the link again: used ---------------------------------------------------------------------------------
    page.context.clear_cookies()
    response = page.goto(link)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze uitnodiging werkt niet meer")
    expect(page.get_by_text("Deze uitnodiging is al aangenomen")).to_be_visible()
    expect(page.get_by_role("heading", name="Een nieuwe uitnodiging vragen")).to_be_visible()
    assert_accessible(page)

    # -- the secretary sees on the case page that the invitation was accepted ---------------------------------
    staff_login(world.secretary)
    page.goto(f"{live_server.url}/werk/geschillen/{case.pk}/")
    invited = page.locator(f'#uitnodigingen-{world.corporatie.pk}')
    expect(invited).to_contain_text("karin.dewit@rijnhart.example: aangenomen")
    expect(invited).to_contain_text("2 actieve leden")
    assert_accessible(page)


def test_an_expired_invitation_gets_a_clear_page(world, page, live_server, assert_accessible):
    clock.set_now(clock.now() - timedelta(days=8))  # sent eight days ago: it expired yesterday
    invitation = services.invitation_send(actor=world.secretary, organisation=world.corporatie,
                                          email="laat@rijnhart.example")
    clock.set_now(None)
    from disputes.invitations import invitation_url

    response = page.goto(live_server.url + "/" + invitation_url(invitation).split("/", 3)[3])
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze uitnodiging werkt niet meer")
    expect(page.get_by_text("Deze uitnodiging is verlopen")).to_be_visible()
    expect(page.get_by_text("vraag om een nieuwe uitnodiging voor Rijnhart Wonen")).to_be_visible()
    assert_accessible(page)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


REPRESENTATIVE_PASSWORD = "Gemachtigde-Gemeente-2026"


def test_a_representative_is_authorised_checked_and_files_a_verweer(world, page, live_server, login,
                                                                    staff_login, assert_accessible):  # noqa: F811
    """The gemeente authorises a lawyer for one case with a machtiging; the secretary checks and approves it; the
    lawyer accepts the invitation, sees that case only and files the gemeente's verweer; every timeline says
    "namens"."""
    case = _case_awaiting_response(world)
    other = _case_without_the_corporation(world)  # the gemeente is respondent here too: still not the lawyer's
    clock.set_now(None)
    mail.outbox.clear()

    # -- a member of the gemeente: Gemachtigde aanmelden ---------------------------------------------------------
    login(world.gem_user)
    page.goto(f"{live_server.url}/portaal/geschillen/{case.pk}/")
    page.get_by_role("link", name="Gemachtigde aanmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemachtigde aanmelden")
    assert_accessible(page)
    page.get_by_role("button", name="Gemachtigde aanmelden").click()  # empty: every field says what is missing
    expect(page.get_by_role("alert")).to_contain_text("Vul de naam van de gemachtigde in")
    assert_accessible(page)
    page.get_by_label("Naam van de gemachtigde").fill("Mr. Sanne Visser")
    page.get_by_label("E-mailadres van de gemachtigde").fill("s.visser@advocaten.example")
    page.get_by_label("Machtiging (PDF)").set_input_files([pdf_file("machtiging-visser.pdf")])
    page.get_by_role("button", name="Gemachtigde aanmelden").click()
    expect(page.get_by_role("status").first).to_contain_text("Mr. Sanne Visser is aangemeld als gemachtigde")
    section = page.locator('section[aria-labelledby="gemachtigden-titel"]')
    expect(section).to_contain_text("Machtiging wordt gecontroleerd")
    assert_accessible(page)

    # -- the secretary checks the machtiging on the case page and approves it -------------------------------------
    page.context.clear_cookies()
    staff_login(world.secretary)
    page.goto(f"{live_server.url}/werk/geschillen/{case.pk}/")
    checked = page.locator("#gemachtigden")
    expect(checked).to_contain_text("Mr. Sanne Visser namens Gemeente")
    expect(checked.get_by_role("link", name="machtiging-visser.pdf")).to_be_visible()
    assert_accessible(page)
    checked.get_by_label("Goedkeuren: de gemachtigde krijgt een uitnodiging").check()
    checked.get_by_role("button", name="Oordeel vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("De machtiging van Mr. Sanne Visser is goedgekeurd")
    save_screenshot(page, "workflow-representatives")
    sent = [m for m in mail.outbox if m.to == ["s.visser@advocaten.example"]]
    assert len(sent) == 1 and "gemachtigde namens" in sent[0].subject
    link = _link(live_server, sent[0])

    # -- the lawyer: the link, a password, straight to the case ------------------------------------------------------
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_text("heeft u gemachtigd om namens haar te handelen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("Visser")
    page.get_by_label("Kies een wachtwoord").fill(REPRESENTATIVE_PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(REPRESENTATIVE_PASSWORD)
    page.get_by_role("button", name="Uitnodiging aannemen").click()
    page.wait_for_url(f"{live_server.url}/portaal/geschillen/{case.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("U bent nu gemachtigde namens")
    expect(page.get_by_text("U bent in dit geschil gemachtigde namens")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "portal-representative-case")
    page.get_by_role("link", name="Verweer indienen").click()
    page.get_by_label("Verweerschrift (PDF)").set_input_files([pdf_file("verweerschrift-visser.pdf", 2)])
    page.get_by_label("Uw standpunt over geschilpunt 1: Huurverhoging").fill("De gemeente steunt de corporatie.")
    page.get_by_label("Uw standpunt over geschilpunt 2: Nieuwbouw").fill("Er is grond voor 80 woningen.")
    page.get_by_role("button", name="Verweer indienen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw verweer is ontvangen")
    expect(page.locator("ol.timeline")).to_contain_text("Sanne Visser namens Gemeente Leiderdorp")
    assert case.parties.get(organisation=world.gemeente).responded_at is not None
    assert case.events.filter(kind="responded", actor__username="s.visser@advocaten.example",
                              actor_organisation=world.gemeente).exists()
    # the lawyer's home page lists this case only; the gemeente's other case is not found
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text(case.case_number).first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(other.case_number)
    assert page.goto(f"{live_server.url}/portaal/geschillen/{other.pk}/").status == 404
