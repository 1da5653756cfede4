"""The public register /uitspraken/ in a browser, without log-in (issue 17 items 3 and 4): found from the footer,
filtered and searched, a decision's page with its advice and decision per point (the name a replacement took out
nowhere), and a withdrawn decision's page; every page accessible (axe-core, reflow at 320 px)."""

import re

import pytest
from playwright.sync_api import expect

from disputes import clock, services
from disputes.models import DisputePoint, Publication
from tests.e2e.conftest import save_screenshot
from tests.factories import case_in_state, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_anonymous_visitor_finds_filters_and_reads_decisions(world, page, live_server, assert_accessible):
    world.corp_user.first_name, world.corp_user.last_name = "Bert", "Bakker"
    world.corp_user.save()
    second = staff("sec2", "secretary")
    published = []
    for _number in range(2):
        case = case_in_state(world, "decided")
        point = case.points.get()
        point.positions.update(text="Volgens Bert Bakker is het bod van de corporatie redelijk.")
        DisputePoint.objects.filter(pk=point.pk).update(advice_recommendation="Overleg opnieuw met Rijnhart Wonen.")
        made = services.publication_prepare(dispute=case, actor=world.secretary)
        published.append(services.publication_approve(publication_=made, actor=second))
    shown, withdrawn = published
    Publication.objects.filter(pk=withdrawn.pk).update(kind="nakoming")  # filed as nakoming, as far as the list goes
    services.publication_withdraw(publication_=withdrawn, actor=world.secretary,
                                  reason="Een naam bleek toch herkenbaar")
    clock.set_now(None)

    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_role("contentinfo").get_by_role("link", name="Uitspraken").click()
    page.wait_for_url(f"{live_server.url}/uitspraken/")
    page.context.clear_cookies()  # the log-in page's form set a CSRF cookie; the register sets none
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitspraken")
    expect(page.get_by_role("status")).to_have_text("2 uitspraken gevonden.")
    expect(page.locator(".register-item").filter(has_text=withdrawn.title)).to_contain_text("ingetrokken")
    assert "Bakker" not in page.content()
    assert_accessible(page)
    save_screenshot(page, "register-list")

    page.get_by_label("Soort geschil").select_option("nakoming")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r"soort=nakoming"))
    expect(page.get_by_role("status")).to_have_text("1 uitspraak gevonden.")
    expect(page.locator(".register-item")).to_contain_text(withdrawn.title)
    page.get_by_role("link", name="Alles tonen").click()
    page.get_by_label("Jaar").select_option("2017")
    page.get_by_label("Zoekterm").fill("Rijnhart")
    page.get_by_label("Zoekterm").press("Enter")
    page.wait_for_url(re.compile(r"q=Rijnhart"))
    expect(page.get_by_role("status")).to_have_text("2 uitspraken gevonden.")
    assert_accessible(page)

    page.get_by_role("link", name=shown.title).click()
    page.wait_for_url(f"{live_server.url}/uitspraken/{shown.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(shown.title)
    expect(page.locator("main")).to_contain_text("[medewerker verweerder]")
    expect(page.locator("main")).to_contain_text("Beslissing van de Minister")
    expect(page.get_by_role("link", name="De uitspraak als PDF")).to_have_attribute(
        "href", f"/uitspraken/{shown.slug}/uitspraak.pdf")
    assert "Bakker" not in page.content()
    assert_accessible(page)
    save_screenshot(page, "register-decision")

    page.goto(f"{live_server.url}/uitspraken/{withdrawn.slug}/")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Deze publicatie is ingetrokken op")
    expect(page.locator("main")).to_contain_text("Een naam bleek toch herkenbaar")
    expect(page.get_by_role("link", name="De uitspraak als PDF")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Beslissing van de Minister")
    assert_accessible(page)
    assert not page.context.cookies(), page.context.cookies()  # the register set no session or CSRF cookie
