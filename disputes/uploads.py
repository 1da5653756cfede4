"""Checking an uploaded file before it becomes evidence (quality.md, Uploads).

The type comes from the content (magic bytes and a real parse), never from the name or the
browser's Content-Type. PDFs that are encrypted, broken, or carry active content are refused.

Every read of a PDF is bounded (architecture.md, principle 12; docs/deployment.md, "Hostile PDFs"):
a decoded stream may not exceed ``PDF_MAX_STREAM_BYTES`` (qpdf's own decoders are capped process-wide
by ``apply_qpdf_limits``, ours inflate in chunks), all streams of one file together not
``PDF_MAX_DECODED_BYTES``, a file may not hold more than ``PDF_MAX_OBJECTS`` objects, and the whole
inspection stops after ``PDF_CHECK_SECONDS``. A file past any of these is refused with a message.
"""

import hashlib
import io
import re
import time
import unicodedata
import zlib
from collections.abc import Iterator
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
#: Link targets (``/URI``) a reader may follow: web pages and e-mail addresses. Anything else
#: (``javascript:``, ``file:``, ``data:``, a UNC path, a name without a scheme) is refused.
URI_SCHEMES = ("http", "https", "mailto")
#: Nesting of direct objects deeper than this is not inspected: such a file is refused.
MAX_DEPTH = 50
#: A complete PDF ends with ``%%EOF`` within its last 1024 bytes; a truncated one does not.
EOF_WINDOW = 1024

def ENCRYPTED_MESSAGE() -> str:  # noqa: N802 - reads like the constant it stands for
    return _("Dit PDF-bestand is beveiligd met een wachtwoord. Stuur een onbeveiligde versie.")


def ACTIVE_MESSAGE() -> str:  # noqa: N802
    return _("Dit PDF-bestand bevat actieve inhoud (zoals scripts of ingesloten bestanden) en wordt daarom niet "
             "aangenomen. Sla het op als gewone PDF en probeer het opnieuw.")


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


# -- limits on the work one PDF may cause ------------------------------------------------------------
class PdfTooCostly(Exception):
    """A PDF asks for more memory or time than the limits allow: a decompression or CPU bomb, or a
    file too large to handle safely. ``kind`` is ``stream``, ``decoded``, ``filter``, ``objects`` or
    ``time``; ``limit`` the limit it went past."""

    def __init__(self, kind: str, limit: int | float = 0):
        super().__init__(f"{kind} limit {limit} exceeded")
        self.kind, self.limit = kind, limit

    def message(self) -> str:
        """What the uploader reads (Dutch source string)."""
        if self.kind in ("stream", "decoded"):
            return _("Dit PDF-bestand wordt bij het uitpakken groter dan %(max)d MB en wordt daarom niet "
                     "aangenomen. Sla het opnieuw op als gewone PDF (bijvoorbeeld met 'Afdrukken naar PDF') en "
                     "probeer het opnieuw.") % {"max": self.limit // (1024 * 1024)}
        if self.kind == "filter":
            return _("Dit PDF-bestand gebruikt een verouderde compressie (LZW) die niet veilig kan worden "
                     "gecontroleerd en wordt daarom niet aangenomen. Sla het opnieuw op als gewone PDF en probeer "
                     "het opnieuw.")
        if self.kind == "objects":
            return _("Dit PDF-bestand bestaat uit te veel onderdelen (meer dan %(max)s) en wordt daarom niet "
                     "aangenomen. Splits het op of sla het opnieuw op als gewone PDF en probeer het opnieuw.") % {
                "max": f"{int(self.limit):,}".replace(",", ".")}
        return _("Het controleren van dit PDF-bestand duurt te lang; het wordt daarom niet aangenomen. Splits het "
                 "op of sla het opnieuw op als gewone PDF en probeer het opnieuw.")


#: qpdf's decoders that have a memory limit (pikepdf.settings.set_qpdf_limits). DCT (JPEG) is left
#: alone: the product never decodes images, only viewers do, to the size /Width and /Height give.
_QPDF_LIMITS = ("flate_max_memory", "png_max_memory", "tiff_max_memory", "run_length_max_memory")
#: Filters qpdf decodes with a bound (``_QPDF_LIMITS``) or that only shrink their input.
_BOUNDED_FILTERS = {"/FlateDecode", "/ASCIIHexDecode", "/ASCII85Decode", "/RunLengthDecode"}
#: LZW has no memory limit in qpdf and can expand thousands of times: a stream that uses it is refused.
_UNBOUNDED_FILTERS = {"/LZWDecode"}
_ABBREVIATIONS = {"/Fl": "/FlateDecode", "/AHx": "/ASCIIHexDecode", "/A85": "/ASCII85Decode", "/LZW": "/LZWDecode",
                  "/RL": "/RunLengthDecode", "/CCF": "/CCITTFaxDecode", "/DCT": "/DCTDecode"}
_CHUNK = 1024 * 1024


def apply_qpdf_limits() -> None:
    """Cap qpdf's own stream decoders at ``PDF_MAX_STREAM_BYTES`` (process-wide; qpdf decodes object
    streams while it resolves objects, before any of our code sees them). Called at start-up and at
    every entry point that opens PDFs (the upload check, the dossier build), so a changed setting holds."""
    limit = settings.PDF_MAX_STREAM_BYTES
    current = pikepdf.settings.get_qpdf_limits()
    if any(current.get(name) != limit for name in _QPDF_LIMITS):
        pikepdf.settings.set_qpdf_limits(**dict.fromkeys(_QPDF_LIMITS, limit))


def hit_qpdf_limit(pdf: pikepdf.Pdf) -> bool:
    """Whether qpdf stopped decoding a stream of this file at its memory limit (it then warns and
    leaves the objects of that stream out, rather than raising)."""
    return any("memory limit" in warning for warning in pdf.get_warnings())


def stream_filters(stream: pikepdf.Stream) -> list[str]:
    value = stream.get("/Filter")
    names = [value] if isinstance(value, pikepdf.Name) else list(value) if isinstance(value, pikepdf.Array) else []
    return [_ABBREVIATIONS.get(str(name), str(name)) for name in names]


def decoded_chunks(stream: pikepdf.Stream, *, limit: int | None = None) -> Iterator[bytes]:
    """The decoded data of a stream in pieces of at most 1 MB, never more than ``limit`` bytes in all
    (default ``PDF_MAX_STREAM_BYTES``): raises ``PdfTooCostly`` the moment it goes past.

    Plain and Flate streams (the usual kinds, predictors included: they never grow the data) are
    inflated here from the raw bytes, so memory stays at one piece whatever the size. Other filters
    qpdf can bound (``_BOUNDED_FILTERS``) are decoded by qpdf under ``apply_qpdf_limits``. LZW cannot
    be bounded and raises. Image codecs (DCT, JPX, JBIG2, CCITT) and unknown filters are not decoded:
    nothing in the product reads pixels, and a viewer decodes an image to the size its /Width and
    /Height give; only a Flate layer in front of one is inflated, to be counted.
    """
    limit = settings.PDF_MAX_STREAM_BYTES if limit is None else limit
    filters = stream_filters(stream)
    if any(f in _UNBOUNDED_FILTERS for f in filters):
        raise PdfTooCostly("filter")
    if not filters:
        data = stream.read_raw_bytes()
        if len(data) > limit:
            raise PdfTooCostly("stream", limit)
        yield data
    elif filters == ["/FlateDecode"]:
        yield from _inflate(stream.read_raw_bytes(), limit)
    elif all(f in _BOUNDED_FILTERS for f in filters):
        try:
            data = stream.read_bytes()
        except (pikepdf.PdfError, pikepdf.QpdfRuntimeError) as exc:
            if "memory limit" in str(exc):
                raise PdfTooCostly("stream", limit) from exc
            return  # undecodable data: qpdf copies such a stream as it is, and so do we
        if len(data) > limit:
            raise PdfTooCostly("stream", limit)
        yield data
    elif filters[0] == "/FlateDecode":
        # Flate in front of an image codec: the Flate layer is what can explode; count it, yield nothing
        for _chunk in _inflate(stream.read_raw_bytes(), limit):
            pass


def _inflate(raw: bytes, limit: int) -> Iterator[bytes]:
    """zlib-inflate ``raw`` a piece at a time; past ``limit`` decoded bytes raise ``PdfTooCostly``.
    Damaged data ends the stream quietly (qpdf, and so the dossier, keeps such a stream as it is)."""
    inflater, data, total = zlib.decompressobj(), raw, 0
    while not inflater.eof:
        try:
            piece = inflater.decompress(data, _CHUNK)
        except zlib.error:
            return
        data = inflater.unconsumed_tail
        if not piece:
            return  # input used up, nothing pending
        total += len(piece)
        if total > limit:
            raise PdfTooCostly("stream", limit)
        yield piece


class _Inspection:
    """One walk over every object of a PDF, within the object, decoded-byte and time budgets."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.deadline = time.monotonic() + settings.PDF_CHECK_SECONDS
        self.decoded = 0
        self.forbidden = {key[1:] for key in ACTIVE_KEYS} | set(ACTIVE_ACTIONS)

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise PdfTooCostly("time", settings.PDF_CHECK_SECONDS)

    def check_size(self) -> None:
        """Before anything is resolved: the number of objects (the trailer's /Size first, which is
        free, then the cross-reference table) and the filters of the object streams, which qpdf
        would otherwise decode as soon as one of their objects is read."""
        limit = settings.PDF_MAX_OBJECTS
        size = self.pdf.trailer.get("/Size")
        if isinstance(size, int) and size > limit + 1:
            raise PdfTooCostly("objects", limit)
        table = self.pdf.get_xref_table()
        if len(table) > limit:
            raise PdfTooCostly("objects", limit)
        containers = {entry.obj_stream_number for entry in table.values() if entry.type == 2}
        for number in containers:
            container = self.pdf.get_object((number, 0))
            if isinstance(container, pikepdf.Stream) and any(
                    f in _UNBOUNDED_FILTERS for f in stream_filters(container)):
                raise PdfTooCostly("filter")

    def run(self) -> str | None:
        """The refusal message for active content or a dangerous link, or None; raises PdfTooCostly."""
        self.check_size()
        for count, obj in enumerate(self.pdf.objects):
            if count % 256 == 0:
                self.check_time()
            if isinstance(obj, pikepdf.Stream):
                self.measure(obj)
            reason = self.walk(obj)
            if reason:
                return reason
        if hit_qpdf_limit(self.pdf):  # an object stream qpdf stopped decoding
            raise PdfTooCostly("stream", settings.PDF_MAX_STREAM_BYTES)
        return None

    def measure(self, stream: pikepdf.Stream) -> None:
        """Decode a stream to count its bytes (not keep them), within the per-file budget."""
        budget = settings.PDF_MAX_DECODED_BYTES
        for piece in decoded_chunks(stream):
            self.decoded += len(piece)
            if self.decoded > budget:
                raise PdfTooCostly("decoded", budget)
            self.check_time()

    def walk(self, obj, depth=0) -> str | None:
        """Any active-content key or action type, or a link that is not a web or e-mail address, in
        this object or its direct children (indirect ones are objects of their own in ``run``)."""
        if depth > MAX_DEPTH:
            return ACTIVE_MESSAGE()  # too deep to inspect: refused rather than waved through
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            if any(key in obj for key in ACTIVE_KEYS):
                return ACTIVE_MESSAGE()
            for name_key in ACTIVE_NAME_KEYS:
                value = obj.get(name_key)
                if isinstance(value, pikepdf.Name) and str(value)[1:] in self.forbidden:
                    return ACTIVE_MESSAGE()
            if obj.get("/S") == pikepdf.Name.URI and not safe_uri(obj.get("/URI")):
                return LINK_MESSAGE()
            base = obj.get("/URI")
            if isinstance(base, pikepdf.Dictionary) and "/Base" in base and not safe_uri(base.get("/Base")):
                return LINK_MESSAGE()  # the catalog's base address, against which relative links resolve
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            return None
        for child in children:
            if not getattr(child, "is_indirect", False):
                reason = self.walk(child, depth + 1)
                if reason:
                    return reason
        return None


def LINK_MESSAGE() -> str:  # noqa: N802
    return _("Dit PDF-bestand bevat een link die geen webadres (http of https) of e-mailadres is, bijvoorbeeld "
             "een script of een verwijzing naar een bestand, en wordt daarom niet aangenomen. Verwijder de link, "
             "sla het op als gewone PDF en probeer het opnieuw.")


_URI_JUNK = re.compile(r"[\x00-\x20\x7f]")
_URI_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def safe_uri(value) -> bool:
    """A link a reader may follow: ``http``, ``https`` or ``mailto``. Control characters and spaces
    are ignored first, as readers and browsers do (``java\\tscript:``); anything without one of these
    schemes (``javascript:``, ``file:``, ``\\\\server\\share``, ``C:\\x.exe``, a bare name) is not."""
    if not isinstance(value, pikepdf.String):
        return value is None
    text = _URI_JUNK.sub("", bytes(value).decode("latin-1")).lower()
    match = _URI_SCHEME.match(text)
    return bool(match) and match.group(1) in URI_SCHEMES and "\\" not in text


def _check_pdf(content: bytes) -> int:
    if b"%%EOF" not in content[-EOF_WINDOW:]:
        # cut off (qpdf would silently rebuild what is left, with pages missing their content)
        raise _damaged()
    apply_qpdf_limits()
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted:
                raise ValidationError(ENCRYPTED_MESSAGE())
            reason = _Inspection(pdf).run()
            if reason:
                raise ValidationError(reason)
            pages = len(pdf.pages)
            if hit_qpdf_limit(pdf):
                raise PdfTooCostly("stream", settings.PDF_MAX_STREAM_BYTES)
            return pages
    except PdfTooCostly as exc:
        raise ValidationError(exc.message()) from exc
    except pikepdf.PasswordError as exc:
        raise ValidationError(ENCRYPTED_MESSAGE()) from exc
    except (pikepdf.PdfError, pikepdf.QpdfRuntimeError) as exc:
        raise _damaged() from exc


#: Attribute on an uploaded file holding ``(sha256, pages)`` once it passed ``check_upload``.
_VERDICT = "_upload_check_passed"


def check_upload(uploaded, *, max_bytes: int | None = None) -> CheckedFile:
    """Read, size-check, type-check and hash an uploaded file. Raises ValidationError in Dutch.

    A file that passed before (same object, same bytes: a form checks, then its service) is read and
    hashed again but not parsed again.
    """
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
    sha256 = hashlib.sha256(content).hexdigest()
    # A form that checked this very file already (and then handed it to a service that checks
    # again) has left its verdict on it: the same bytes are not parsed a second time.
    known = getattr(uploaded, _VERDICT, None)
    if known is not None and known[0] == sha256:
        pages = known[1]
    else:
        pages = _check_pdf(content)
        try:
            setattr(uploaded, _VERDICT, (sha256, pages))
        except AttributeError:  # an object that takes no attributes: no memory, checked again next time
            pass
    return CheckedFile(
        content=content,
        sha256=sha256,
        size=size,
        content_type="application/pdf",
        page_count=pages,
        display_name=clean_display_name(getattr(uploaded, "name", "") or "document.pdf"),
    )


#: The extension a download gets from the type the content was found to be, never from the name.
DOWNLOAD_EXTENSIONS = {"application/pdf": ".pdf", "application/zip": ".zip"}
_OWN_EXTENSION = re.compile(r"\.(?=[A-Za-z0-9]{0,4}[A-Za-z])[A-Za-z0-9]{1,5}$")


def download_name(display_name: str, content_type: str) -> str:
    """The name a download is saved under: the display name without an extension of its own, plus the
    extension of what the file is (``verslag.html`` served as a PDF is ``verslag.pdf``; ``factuur\u202efdp.exe``
    is ``factuurfdp.pdf``). A number at the end is not an extension (``brief 12.3.2017.pdf``)."""
    extension = DOWNLOAD_EXTENSIONS.get(content_type, ".bin")
    name = clean_display_name(display_name, default="document" + extension)
    stem = _LEADING_DOTS_AND_SPACES.sub("", _OWN_EXTENSION.sub("", name)).rstrip(".") or "document"
    return stem + extension
