"""Letters (disputes/letterbook.py) through WeasyPrint (docs/adr/0019): read back as tagged PDF/A-2b + PDF/UA-1 files
with pikepdf and pypdf: structure tree, language, title, PDF/A and PDF/UA identification, embedded fonts, and the
addressee, reference and signature in the text. The renderer reads nothing outside the letter templates."""

import io
from datetime import date

import pikepdf
import pytest
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from disputes import letterbook
from disputes.letterpress import letters_dir, render_pdf
from disputes.states import DisputeState
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db

def _letter(world, kind: str, state: str = DisputeState.DECIDED) -> tuple[object, str, bytes]:
    """A letter of ``kind`` in the shipped wording (disputes/letterbook.py) to the applicant, which has a postal
    address, signed by the secretary (the Minister's letters by the official who adopted the decision)."""
    dispute = case_in_state(world, state)
    world.huurders.postal_address = "Dorpsstraat 12\n2351 AB Leiderdorp"
    world.huurders.save()
    world.secretary.first_name, world.secretary.last_name = "Jan", "de Vries"
    world.secretary.save()
    addressee = letterbook.parties(dispute, "applicant")[0]
    subject, body = letterbook.shipped(kind)
    signer = world.secretary if letterbook.KINDS[kind].sender != letterbook.MINISTER else None
    html = letterbook.render_html(kind, dispute, addressee, subject=subject, body=body, on=date(2017, 3, 1),
                                  signer=signer)
    content = letterbook.render_pdf(kind, dispute, addressee, subject=subject, body=body, on=date(2017, 3, 1),
                                    signer=signer)
    return dispute, html, content


def _text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _struct_types(element, found: set) -> set:
    """The structure types under ``element`` (a /StructElem or the /StructTreeRoot), depth first."""
    kids = element.get("/K")
    if kids is None:
        return found
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.add(str(kid.S))
            _struct_types(kid, found)
    return found


def _fonts(pdf: pikepdf.Pdf):
    """Every font dictionary on every page, with the descendants of composite (Type0) fonts."""
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            yield font
            yield from font.get("/DescendantFonts") or []


@pytest.mark.parametrize("kind", ["ontvangstbevestiging", "bindende_uitspraak"])
def test_a_letter_is_tagged_pdf_ua_1_and_pdf_a_2b_with_its_fonts_embedded(world, kind):
    dispute, _, content = _letter(world, kind)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        root = pdf.Root
        # tagged: a structure tree with a document, headings and paragraphs in it, and marked content
        assert "/StructTreeRoot" in root and len(root.StructTreeRoot.K) > 0
        assert bool(root.MarkInfo.Marked) is True
        types = _struct_types(root.StructTreeRoot, set())
        assert {"/Document", "/H1", "/P"} <= types, types
        # language and title, and the window shows the title rather than the file name
        assert str(root.Lang) in ("nl", "nl-NL")
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title).endswith(f" - {dispute.case_number}")
        assert str(pdf.docinfo.Title).startswith(("Ontvangstbevestiging", "Bindende uitspraak"))
        meta = pdf.open_metadata()
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        # PDF/A-2b and PDF/UA-1 identification, with an output intent for PDF/A
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["pdfuaid:part"] == "1"
        assert meta.pdfa_status == "2B"
        assert root.OutputIntents[0].S == "/GTS_PDFA1"
        # every font has its program embedded
        descriptors = [font.FontDescriptor for font in _fonts(pdf) if "/FontDescriptor" in font]
        assert descriptors
        for descriptor in descriptors:
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), descriptor.FontName


def test_the_acknowledgement_names_the_addressee_the_reference_and_who_signs(world):
    dispute, html, content = _letter(world, "ontvangstbevestiging", DisputeState.SUBMITTED)
    text = _text(content)
    assert "Huurdersbelangenorganisatie Leiderdorp" in text and "2351 AB Leiderdorp" in text
    assert dispute.case_number in text
    assert "1 maart 2017" in text  # the date in Dutch words
    assert "Ontvangstbevestiging van uw verzoek om geschilbeslechting" in text
    assert "Met vriendelijke groet, Jan de Vries Secretariaat Adviescommissie" in text
    assert "Pagina 1 van" in text
    if "Pagina 2 van 2" in text:
        assert f"Datum 1 maart 2017 Kenmerk {dispute.case_number}" in text  # repeated at the top of page 2
    assert "<h1>" in html and "<address>" in html


def test_the_binding_decision_is_signed_for_the_minister_and_names_the_objection(world):
    dispute, _, content = _letter(world, "bindende_uitspraak")
    text = _text(content)
    adopted = dispute.decision_adopted_by.get_full_name() or dispute.decision_adopted_by.get_username()
    assert "Huurdersbelangenorganisatie Leiderdorp" in text and dispute.case_number in text
    assert (f"De Minister van Volkshuisvesting en Ruimtelijke Ordening, namens deze, {adopted} "
            "De directeur Woningmarkt") in text
    assert "binnen zes weken" in text and "artikel 6:7" in text and "bezwaarschrift indienen bij de Minister" in text


def test_user_text_is_escaped_in_the_html(world):
    dispute = case_in_state(world, DisputeState.SUBMITTED)
    addressee = letterbook.Addressee(name='Huurders <img src="http://example.org/x.png"> & co', capacity="applicant")
    subject, body = letterbook.shipped("ontvangstbevestiging")
    html = letterbook.render_html("ontvangstbevestiging", dispute, addressee, subject=subject, body=body,
                                  on=date(2017, 1, 16))
    assert "&lt;img src=" in html and '<img src="http' not in html
    assert 'Huurders <img src="http://example.org/x.png"> & co' in _text(render_pdf(html, title="Brief"))


@pytest.mark.parametrize("url", [
    "http://example.org/logo.png", "https://example.org/style.css", "file:///etc/passwd",
    "../../config/settings.py", "data:image/png;base64,iVBORw0KGgo=",
])
def test_the_renderer_fetches_nothing_outside_the_letter_templates(url):
    html = f'<!DOCTYPE html><html lang="nl"><body><p>Brief</p><img src="{url}" alt="logo"></body></html>'
    with pytest.raises(FatalURLFetchingError):
        render_pdf(html, title="Brief")


def test_the_stylesheet_next_to_the_templates_is_read():
    assert (letters_dir() / "letter.css").is_file()
    plain = render_pdf('<!DOCTYPE html><html lang="nl"><body><p>Brief</p></body></html>', title="Brief")
    styled = render_pdf('<!DOCTYPE html><html lang="nl"><head><link rel="stylesheet" href="letter.css"></head>'
                        '<body><p>Brief</p></body></html>', title="Brief")
    assert "Pagina 1 van 1" in _text(styled) and "Pagina" not in _text(plain)
    assert render_pdf('<!DOCTYPE html><html lang="nl"><head><link rel="stylesheet" href="letter.css"></head>'
                      '<body><p>Brief</p></body></html>', title="Brief") == styled  # the same bytes every time
