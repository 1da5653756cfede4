"""Publishing a decided case without personal data (issue 17, docs/publication.md): the publication version built
from the case's data, the names and patterns found and replaced, four eyes before it is published, and a published
PDF in which no replaced text survives (not in the text layer, not in the metadata)."""

import io
import re

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from disputes import publication, services
from disputes.errors import NotPermitted
from disputes.models import DisputePoint, PublicationStatus
from tests.factories import case_in_state, staff

pytestmark = pytest.mark.django_db

#: what a party wrote in its position: a person by name, and what identifies people whoever they are
PERSONAL = ("Bert Bakker", "bert.bakker@rijnhart.example", "06-12345678", "NL91 ABNA 0417 1643 00", "111222333",
            "2351 AB 12")


@pytest.fixture
def decided(world):
    world.corp_user.first_name, world.corp_user.last_name = "Bert", "Bakker"
    world.corp_user.save()
    case = case_in_state(world, "decided")
    point = case.points.get()
    point.positions.update(text="Volgens Bert Bakker (bert.bakker@rijnhart.example, 06-12345678) is het bod "
                                "redelijk; betaling op NL91 ABNA 0417 1643 00, BSN 111222333, Dorpsstraat 2351 AB 12.")
    DisputePoint.objects.filter(pk=point.pk).update(advice_recommendation="Overleg opnieuw met Rijnhart Wonen.")
    return case


def test_the_elfproef_tells_a_bsn_from_other_numbers():
    assert publication._bsn_ok("111222333") and not publication._bsn_ok("123456789")


def test_prepare_finds_the_people_and_the_patterns(world, decided):
    made = services.publication_prepare(dispute=decided, actor=world.secretary)
    found = {r.original: (r.kind, r.replacement) for r in made.replacements.all()}
    assert found["Bert Bakker"] == ("person", "[medewerker verweerder]")
    assert found["bert.bakker@rijnhart.example"][0] == "email"
    assert found["NL91 ABNA 0417 1643 00"][0] == "iban"
    assert found["111222333"][0] == "bsn"
    assert any(kind == "phone" for kind, _words in found.values())
    assert any(kind == "address" for kind, _words in found.values())
    # organisations stay named: public bodies and legal persons
    assert "Rijnhart Wonen" not in found and "Gemeente Leiderdorp" not in found
    assert services.publication_prepare(dispute=decided, actor=world.secretary) == made  # one at a time


def test_four_eyes_and_a_pdf_without_any_trace_of_what_was_replaced(world, decided):
    made = services.publication_prepare(dispute=decided, actor=world.secretary)
    services.replacement_add(publication_=made, actor=world.secretary, original="Dorpsstraat",
                             replacement="[straat]", reason="Een straatnaam met een huisnummer wijst een huis aan")
    with pytest.raises(NotPermitted):
        services.publication_approve(publication_=made, actor=world.secretary)  # who prepared it
    with pytest.raises(NotPermitted):
        services.publication_approve(publication_=made, actor=world.chair)  # not the secretariat
    second = staff("sec2", "secretary")
    published = services.publication_approve(publication_=made, actor=second)
    assert published.status == PublicationStatus.PUBLISHED and published.approved_by == second
    text = " ".join(p for part in published.published_sections for p in [part["heading"], *part["paragraphs"]])
    assert "[medewerker verweerder]" in text and "Rijnhart Wonen" in text
    with pikepdf.open(io.BytesIO(bytes(published.pdf))) as pdf:
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang).startswith("nl")  # tagged (PDF/UA)
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {}) and not pdf.attachments
        metadata = str(pdf.open_metadata()) + " ".join(str(v) for v in pdf.docinfo.values())
    pages = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(published.pdf))).pages)
    everything = re.sub(r"\s+", " ", pages + " " + metadata)
    for original in (*PERSONAL, "Dorpsstraat", "Bakker"):
        assert original not in everything, original
    assert "[e-mailadres]" in everything and "[IBAN]" in everything and "[BSN]" in everything


def test_an_undone_replacement_is_published_and_needs_a_reason(world, decided):
    made = services.publication_prepare(dispute=decided, actor=world.secretary)
    phone = next(r for r in made.replacements.all() if r.kind == "phone")
    with pytest.raises(ValidationError):
        services.replacement_undo(replacement=phone, actor=world.secretary, reason=" ")
    services.replacement_undo(replacement=phone, actor=world.secretary, reason="Het algemene nummer van de corporatie")
    published = services.publication_approve(publication_=made, actor=staff("sec2", "secretary"))
    assert "06-12345678" in str(published.published_sections)


def test_only_a_decided_case_is_published_and_a_withdrawal_needs_a_reason(world, decided):
    running = case_in_state(world, "exchange")
    with pytest.raises(ValidationError):
        services.publication_prepare(dispute=running, actor=world.secretary)
    made = services.publication_prepare(dispute=decided, actor=world.secretary)
    published = services.publication_approve(publication_=made, actor=staff("sec2", "secretary"))
    with pytest.raises(ValidationError):
        services.publication_withdraw(publication_=published, actor=world.secretary, reason="")
    withdrawn = services.publication_withdraw(publication_=published, actor=world.secretary,
                                              reason="Een naam bleek toch herkenbaar")
    assert withdrawn.status == PublicationStatus.WITHDRAWN and withdrawn.withdrawal_reason
    assert decided.events.filter(kind="publication_withdrawn").exists()
    # a new publication may follow
    again = services.publication_prepare(dispute=decided, actor=world.secretary)
    assert again.pk != withdrawn.pk and again.status == PublicationStatus.PREPARED
