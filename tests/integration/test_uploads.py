"""Uploads are checked by content: PDFs only, not encrypted, not broken, no active content."""

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from disputes.uploads import check_upload, clean_display_name
from tests.factories import pdf_bytes


def upload(content: bytes, name: str = "stuk.pdf"):
    return ContentFile(content, name=name)


def test_a_plain_pdf_is_accepted_with_hash_and_pages():
    checked = check_upload(upload(pdf_bytes(3)))
    assert checked.page_count == 3 and checked.content_type == "application/pdf" and len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leeg"),
        (b"PK\x03\x04 not a pdf", "Alleen PDF"),
        (b"%PDF-1.7\n garbage", "beschadigd"),
    ],
)
def test_bad_files_get_a_clear_message(content, message):
    with pytest.raises(ValidationError, match=message):
        check_upload(upload(content))


def test_a_truncated_pdf_is_refused():
    with pytest.raises(ValidationError, match="beschadigd"):
        check_upload(upload(pdf_bytes(2)[:200]))


def _modified(change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes(1))) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_an_encrypted_pdf_is_refused():
    with pikepdf.open(io.BytesIO(pdf_bytes(1))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(ValidationError, match="wachtwoord"):
        check_upload(upload(out.getvalue()))


def test_a_pdf_with_javascript_is_refused():
    def add_js(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))

    with pytest.raises(ValidationError, match="actieve inhoud"):
        check_upload(upload(_modified(add_js)))


def test_too_large_files_are_refused(settings):
    with pytest.raises(ValidationError, match="groter dan"):
        check_upload(upload(pdf_bytes(1)), max_bytes=100)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\verzoek.pdf", "verzoek.pdf"),
        ("rapport\u202egnp.pdf", "rapportgnp.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        ("", "document.pdf"),
        ("e\u0301.pdf", "\u00e9.pdf"),
    ],
)
def test_display_names_are_sanitised(raw, clean):
    assert clean_display_name(raw) == clean
