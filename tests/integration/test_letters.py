"""Generated letters: read back as PDFs, with the case data, the remedies clause and escaped text."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from disputes import clock, services
from disputes.letters import LETTERS, render_letter
from tests.factories import case_in_state, moment

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_submission_stores_an_acknowledgement_with_the_case_number_and_decision_date(world):
    dispute = case_in_state(world, "submitted")
    ack = dispute.documents.get(doc_type="ontvangstbevestiging")
    assert ack.bundle.step == "registration" and ack.uploaded_by is None and ack.confidentiality == "parties"
    with ack.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert dispute.case_number in text
    assert "13-03-2017" in text  # the decision deadline
    assert "geen bezwaar" in text  # its remedies clause


@pytest.mark.parametrize("kind", sorted(LETTERS))
def test_every_letter_renders_with_its_remedies_clause(world, kind):
    dispute = case_in_state(world, "decided")
    content = render_letter(kind, dispute, on=date(2017, 3, 1), when="10-03-2017 10:00", place="Den Haag",
                            reason="Machtiging ontbreekt")
    text = pdf_text(content)
    assert dispute.case_number in text and "Rechtsmiddelen" in text
    assert render_letter(kind, dispute, on=date(2017, 3, 1), when="10-03-2017 10:00", place="Den Haag",
                         reason="Machtiging ontbreekt") == content  # deterministic


def test_the_decision_letter_names_the_objection_term(world):
    dispute = case_in_state(world, "decided")
    text = pdf_text(render_letter("bindende_uitspraak", dispute, on=date(2017, 3, 1)))
    assert "zes weken" in text and "bezwaarschrift" in text


def test_markup_in_user_text_is_printed_literally(world):
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = services.dispute_file(
        actor=world.tenant, agreement=world.agreement, kind="totstandkoming", applicants=[world.huurders],
        respondents=[world.corporatie], arose_on=date(2017, 1, 5),
        points=[{"title": '<b>vet</b><img src="/etc/passwd"/> & co'}],
    )
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    text = pdf_text(render_letter("ontvangstbevestiging", dispute))
    assert '<b>vet</b><img src="/etc/passwd"/> & co' in text


def test_the_remedy_against_the_decision_is_bezwaar_unless_configured_as_direct_beroep(world, settings):
    """docs/adr/0016: bezwaar at the Minister first (Awb 7:1) by default; DECISION_REMEDY=beroep names the court."""
    dispute = case_in_state(world, "decided")
    assert "bezwaarschrift" in pdf_text(render_letter("bindende_uitspraak", dispute, on=date(2017, 3, 1)))
    settings.DECISION_REMEDY, settings.DECISION_APPEAL_BODY = "beroep", "de rechtbank Den Haag"
    text = " ".join(pdf_text(render_letter("bindende_uitspraak", dispute, on=date(2017, 3, 1))).split())
    assert "beroep instellen bij de rechtbank Den Haag" in text and "bezwaarschrift" not in text
