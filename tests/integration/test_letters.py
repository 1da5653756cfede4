"""Generated letters: read back as PDFs, with the case data, the remedies clause and escaped text
(disputes/letterbook.py; every kind from its shipped wording: tests/integration/test_letter_kinds.py)."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from disputes import clock, letterbook, services
from tests.factories import case_in_state, letter_text, moment

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_submission_stores_an_acknowledgement_with_the_case_number_and_decision_date(world):
    dispute = case_in_state(world, "submitted")
    ack = dispute.documents.get(doc_type="ontvangstbevestiging")  # one applicant: one copy
    assert ack.bundle.step == "registration" and ack.uploaded_by is None and ack.confidentiality == "parties"
    assert ack.letter_copy.organisation == world.huurders and ack.letter_copy.letter.template.version == 1
    with ack.file.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert dispute.case_number in text and world.huurders.name in text
    assert "13 maart 2017" in text  # the decision deadline
    assert "geen bezwaar" in text  # its remedies clause
    event = dispute.events.get(kind="letter_sent")
    assert event.payload["kind"] == "ontvangstbevestiging" and event.payload["template_version"] == 1


@pytest.mark.parametrize("kind", ["ontvangstbevestiging", "bindende_uitspraak", "mededeling_schikking"])
def test_a_letter_renders_the_same_twice(world, kind):
    dispute = case_in_state(world, "decided" if kind != "mededeling_schikking" else "settled")
    template = services.current_template(kind)
    addressee = letterbook.KINDS[kind].addressees(dispute, {})[0]

    def render():
        return letterbook.render_pdf(kind, dispute, addressee, subject=template.subject, body=template.body,
                                     on=date(2017, 3, 1))

    assert render() == render()  # deterministic


def test_the_decision_letter_names_the_objection_term(world):
    dispute = case_in_state(world, "decided")
    text = letter_text("bindende_uitspraak", dispute)
    assert "zes weken" in text and "bezwaarschrift" in text


def test_markup_in_user_text_is_printed_literally(world):
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = services.dispute_file(
        actor=world.tenant, agreement=world.agreement, kind="totstandkoming", applicants=[world.huurders],
        respondents=[world.corporatie], arose_on=date(2017, 1, 5),
        points=[{"title": '<b>vet</b><img src="/etc/passwd"/> & co'}],
    )
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    text = letter_text("ontvangstbevestiging", dispute)
    assert '<b>vet</b><img src="/etc/passwd"/> & co' in text


def test_the_remedy_against_the_decision_is_bezwaar_unless_configured_as_direct_beroep(world, settings):
    """docs/adr/0016: bezwaar at the Minister first (Awb 7:1) by default; DECISION_REMEDY=beroep names the court."""
    dispute = case_in_state(world, "decided")
    assert "bezwaarschrift" in letter_text("bindende_uitspraak", dispute)
    settings.DECISION_REMEDY, settings.DECISION_APPEAL_BODY = "beroep", "de rechtbank Den Haag"
    text = letter_text("bindende_uitspraak", dispute)
    assert "beroep instellen bij de rechtbank Den Haag" in text and "bezwaarschrift" not in text
