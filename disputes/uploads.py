"""Checking an uploaded file before it becomes evidence (quality.md, Uploads).

The type comes from the content (magic bytes and a real parse), never from the name or the
browser's Content-Type. PDFs that are encrypted, broken, or carry active content are refused.
"""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Keys whose presence anywhere in a PDF means active content (refused by policy).
ACTIVE_KEYS = ("/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia",
               "/RichMediaContent")
#: Name-valued keys whose value may name active content (``/S /Launch``, ``/Type /EmbeddedFile``,
#: ``/Subtype /RichMedia``).
ACTIVE_NAME_KEYS = ("/S", "/Type", "/Subtype")
#: Action types (``/S``) refused besides the active keys above: sending form data somewhere
#: (``/SubmitForm``), reading it from a file (``/ImportData``), opening another file (``/GoToR``,
#: ``/GoToE``). A plain web link (``/URI``) is allowed: reports and letters are full of them, and a
#: reader asks before it follows one.
ACTIVE_ACTIONS = ("SubmitForm", "ImportData", "GoToR", "GoToE")
#: Nesting of direct objects deeper than this is not inspected: such a file is refused.
MAX_DEPTH = 50
#: A complete PDF ends with ``%%EOF`` within its last 1024 bytes; a truncated one does not.
EOF_WINDOW = 1024

def ENCRYPTED_MESSAGE() -> str:  # noqa: N802 - reads like the constant it stands for
    return _("Dit PDF-bestand is beveiligd met een wachtwoord. Stuur een onbeveiligde versie.")


_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
#: control, format (bidi marks, zero-width and invisible characters), surrogates, line/paragraph separators
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_LEADING_DOTS_AND_SPACES = re.compile(r"^[\s.]+|\s+$")


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    sha256: str
    size: int
    content_type: str
    page_count: int | None
    display_name: str


def clean_display_name(name: str, default: str = "document.pdf") -> str:
    """NFC, no control/bidi/zero-width characters, no path parts, at most 150 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_CHARS.sub("", name)
    name = "".join(c for c in name if unicodedata.category(c) not in _UNSAFE_CATEGORIES)
    name = _LEADING_DOTS_AND_SPACES.sub("", name)
    if not name:
        return default
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:150]
    return name


def _damaged() -> ValidationError:
    return ValidationError(_("Dit PDF-bestand is beschadigd of onvolledig en kan niet worden gelezen."))


def _check_pdf(content: bytes) -> int:
    if b"%%EOF" not in content[-EOF_WINDOW:]:
        # cut off (qpdf would silently rebuild what is left, with pages missing their content)
        raise _damaged()
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted:
                raise ValidationError(ENCRYPTED_MESSAGE())
            if _has_active_content(pdf):
                raise ValidationError(
                    _("Dit PDF-bestand bevat actieve inhoud (zoals scripts of ingesloten bestanden) en wordt "
                      "daarom niet aangenomen. Sla het op als gewone PDF en probeer het opnieuw.")
                )
            return len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise ValidationError(ENCRYPTED_MESSAGE()) from exc
    except pikepdf.PdfError as exc:
        raise _damaged() from exc


def _has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Any active-content key or action type, in any object (direct objects included)."""
    forbidden = {key[1:] for key in ACTIVE_KEYS} | set(ACTIVE_ACTIONS)

    def walk(obj, depth=0) -> bool:
        if depth > MAX_DEPTH:
            return True  # too deep to inspect: refused rather than waved through
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            if any(key in obj for key in ACTIVE_KEYS):
                return True
            for name_key in ACTIVE_NAME_KEYS:
                value = obj.get(name_key)
                if isinstance(value, pikepdf.Name) and str(value)[1:] in forbidden:
                    return True
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            return False
        # indirect children are visited as objects of their own below
        return any(walk(child, depth + 1) for child in children if not getattr(child, "is_indirect", False))

    return any(walk(obj) for obj in pdf.objects)


def check_upload(uploaded, *, max_bytes: int | None = None) -> CheckedFile:
    """Read, size-check, type-check and hash an uploaded file. Raises ValidationError in Dutch."""
    max_bytes = max_bytes or settings.MAX_UPLOAD_BYTES
    chunks, size = [], 0
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else [uploaded.read()]:
        size += len(chunk)
        if size > max_bytes:
            raise ValidationError(
                _("Het bestand is groter dan %(max)d MB. Splits het op of verklein het.")
                % {"max": max_bytes // (1024 * 1024)}
            )
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content:
        raise ValidationError(_("Het bestand is leeg."))
    if not content.startswith(b"%PDF-"):
        raise ValidationError(_("Alleen PDF-bestanden worden aangenomen. Dit bestand is geen PDF."))
    pages = _check_pdf(content)
    return CheckedFile(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=size,
        content_type="application/pdf",
        page_count=pages,
        display_name=clean_display_name(getattr(uploaded, "name", "") or "document.pdf"),
    )
