"""Staff search /werk/zoeken/ in a browser: reached from the staff menu, a query typed and sent with Enter, the
results with a document page and the match marked, accessible (axe-core and reflow at 320 px), and a result opens
the case. The cases are indexed as in production: each event sends the index task through the outbox."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from disputes import clock, services
from tests.e2e.conftest import save_screenshot
from tests.e2e.test_secretariat import staff_login  # noqa: F401 (a fixture)
from tests.factories import case_in_state, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_searching_a_word_from_a_document(world, page, live_server, staff_login, assert_accessible):  # noqa: F811
    found = case_in_state(world, "exchange")
    type(found).objects.filter(pk=found.pk).update(title="Nieuwbouwopgave en huurontwikkeling")
    services.document_upload(
        dispute=found, actor=world.secretary, doc_type="correspondentie",
        uploaded=ContentFile(pdf_bytes(2, "Het overleg over de Zonnebloemstraat is vastgelopen"), name="brief.pdf"))
    case_in_state(world, "decided")
    clock.set_now(None)
    staff_login(world.secretary)
    page.get_by_role("link", name="Zoeken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoeken in zaken en documenten")
    assert_accessible(page)
    page.get_by_label("Zoekterm").fill("Zonnebloemstraat")
    page.get_by_label("Zoekterm").press("Enter")
    page.wait_for_url(re.compile(r"q=Zonnebloemstraat"))
    expect(page.get_by_role("status")).to_have_text("1 zaak gevonden voor “Zonnebloemstraat”.")
    result = page.locator(".search-result")
    expect(result).to_contain_text("Nieuwbouwopgave en huurontwikkeling")  # indexed by the upload's event
    expect(result).to_contain_text("In brief.pdf, pagina 1:")
    expect(result.locator("mark").first).to_have_text("Zonnebloemstraat")
    assert_accessible(page)
    save_screenshot(page, "workflow-search")
    page.get_by_role("link", name=re.compile(found.case_number)).click()
    page.wait_for_url(f"{live_server.url}/werk/geschillen/{found.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(found.case_number)
