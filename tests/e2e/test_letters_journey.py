"""Issue 16 in a browser: the secretary rewords a letter (the editor checks the placeholders and previews it on a
real case), saves it as version 2, makes that letter for a case, edits that one letter, sends it, and the case page
names version 2 and the edit; the respondents' copies are case documents. Every page passes axe-core and reflows at
320 px (``assert_accessible``)."""

import pytest
from playwright.sync_api import expect

from disputes import clock
from disputes.models import Letter, LetterStatus
from tests.e2e.conftest import save_screenshot
from tests.e2e.test_secretariat import staff_login  # noqa: F401 (a fixture)
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_secretary_rewords_previews_and_sends_a_letter(world, page, live_server, staff_login,  # noqa: F811
                                                           assert_accessible):
    case = case_in_state(world, "awaiting_response")
    clock.set_now(None)
    staff_login(world.secretary)

    # -- the editor: a wrong placeholder is refused, a preview shows the case, version 2 is saved ------------------
    page.get_by_role("link", name="Brieven").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brieven")
    assert_accessible(page)
    page.get_by_role("link", name="Uitnodiging tot verweer").click()
    expect(page.get_by_label("Voorbeeld op zaak")).to_have_value(case.case_number)
    body = page.get_by_label("Tekst van de brief")
    body.fill("Beste ((naam)), dien uw verweer in.")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Onbekend invulveld ((naam))")
    assert_accessible(page)
    body.fill("Wij nodigen u uit in zaak ((zaaknummer)) een verweerschrift in te dienen, uiterlijk op "
              "((verweertermijn)).\n\nDe geschilpunten:\n\n((geschilpunten))")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = page.get_by_role("region", name=f"Voorbeeld op zaak {case.case_number}")
    expect(preview).to_contain_text(f"Wij nodigen u uit in zaak {case.case_number}")
    assert_accessible(page)
    page.get_by_label("Toelichting op de wijziging").fill("Korter en directer")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.get_by_role("status").first).to_contain_text("Versie 2 opgeslagen")
    save_screenshot(page, "workflow-letter-template")

    # -- the case: a draft of that letter, made from version 2, edited for this letter only, sent ----------------
    page.goto(f"{live_server.url}/werk/geschillen/{case.pk}/#brieven")
    letters = page.locator("#brieven")
    letters.get_by_label("Soort brief").select_option(label="Uitnodiging tot verweer")
    letters.get_by_role("button", name="Concept opstellen").click()
    expect(page.get_by_text("gemaakt van versie 2 van de tekst")).to_be_visible()
    assert_accessible(page)
    text = page.get_by_label("Tekst van de brief")
    text.fill(text.input_value() + "\n\nBel ons gerust bij vragen.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De tekst van deze brief is opgeslagen")
    expect(page.get_by_text("Bel ons gerust bij vragen.").last).to_be_visible()  # the preview
    save_screenshot(page, "workflow-letter-draft")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("versturen")
    assert_accessible(page)
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("status").first).to_contain_text("is verstuurd aan")
    sent = page.locator("#brieven")
    expect(sent).to_contain_text("versie 2")
    expect(sent).to_contain_text("tekst aangepast")
    assert_accessible(page)

    letter = Letter.objects.get(dispute=case, kind="uitnodiging_verweer")
    assert letter.status == LetterStatus.SENT and letter.template.version == 2 and letter.edited
    assert {c.organisation for c in letter.copies.all()} == {world.corporatie, world.gemeente}
    event = case.events.get(kind="letter_sent", payload__kind="uitnodiging_verweer")
    assert event.payload["template_version"] == 2
