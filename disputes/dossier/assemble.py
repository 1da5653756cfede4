"""Build the dossier PDF and ZIP from a case: verify, count, draw our pages, stream, archive.

Nothing here reads the clock, a request or the user: for the same case version the output is the
same, byte for byte (reportlab ``invariant=1``, dates and IDs from the case data, fixed ZIP times).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pikepdf
from django.utils import translation
from django.utils.translation import gettext as _

from ..integrity import file_sha256
from ..uploads import PdfTooCostly, apply_qpdf_limits, decoded_chunks, hit_qpdf_limit
from . import frontmatter
from . import pages as ourpages
from .archive import write_zip
from .content import DocEntry, DossierContent, local
from .errors import DossierDocumentTooCostlyError, DossierIntegrityError
from .pdfwriter import STAMP_FONT_KEY, PdfStreamWriter, pdf_string, stamp_matrix

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024

ICC_CANDIDATES = (
    Path(pikepdf.__file__).parent / "pdfa" / "data" / "sRGB.icc",
    Path("/usr/share/color/icc/colord/sRGB.icc"),
    Path("/usr/share/color/icc/sRGB.icc"),
)


class _Progress:
    """Calls ``callback(percent)`` only when the whole percentage changes, never going back."""

    def __init__(self, callback: Callable[[int], None] | None):
        self.callback, self.last = callback, -1

    def __call__(self, percent: float) -> None:
        value = max(0, min(100, int(percent)))
        if self.callback and value > self.last:
            self.last = value
            self.callback(value)


def build(content: DossierContent, out_dir: Path, *, progress: Callable[[int], None] | None = None) -> dict:
    """Write ``<stem>.pdf`` and ``<stem>.zip`` into ``out_dir``; all or nothing.

    Every stream read from a source is bounded (``uploads.apply_qpdf_limits``, ``uploads.decoded_chunks``):
    a source past the limits raises ``DossierDocumentTooCostlyError`` instead of filling the memory.
    """
    apply_qpdf_limits()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = _Progress(progress)
    work = Path(tempfile.mkdtemp(prefix=".dossier-", dir=out_dir))
    try:
        with translation.override("nl"):
            report(0)
            _fetch_and_verify(content, work, lambda f: report(20 * f))
            pdf_path = work / f"{content.file_stem}.pdf"
            pages, pdfa = _write_pdf(content, work, pdf_path, lambda f: report(22 + 68 * f))
            zip_path = work / f"{content.file_stem}.zip"
            pdf_sha = write_zip(content, pdf_path, zip_path, pages=pages, pdfa=pdfa,
                                on_file=lambda f: report(90 + 9 * f))
        final_pdf, final_zip = out_dir / pdf_path.name, out_dir / zip_path.name
        os.replace(pdf_path, final_pdf)
        os.replace(zip_path, final_zip)
        report(100)
        return {
            "pdf": str(final_pdf.resolve()), "zip": str(final_zip.resolve()), "pages": pages, "pdfa": pdfa,
            "pdf_sha256": pdf_sha, "zip_sha256": file_sha256(final_zip)[0], "case_version": content.case_version,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- 1. every stored file, copied once and checked against its recorded hash ----------------------
def _fetch_and_verify(content: DossierContent, work: Path, report) -> None:
    """Copy each stored file into the work folder while hashing it; a mismatch stops everything.

    The PDF and the ZIP are made from these verified copies, so what was checked is what is used.
    """
    folder = work / "src"
    folder.mkdir()
    documents = content.documents
    for index, d in enumerate(documents):
        target = folder / f"{index:05d}"
        digest = hashlib.sha256()
        try:
            with d.document.file.open("rb") as src, open(target, "wb") as dst:
                for chunk in iter(lambda src=src: src.read(CHUNK), b""):
                    digest.update(chunk)
                    dst.write(chunk)
        except FileNotFoundError as exc:
            raise DossierIntegrityError(d.document, missing=True) from exc
        if digest.hexdigest() != d.document.sha256:
            raise DossierIntegrityError(d.document, actual=digest.hexdigest())
        d.local_path = str(target)
        _inspect(d)
        report((index + 1) / max(1, len(documents)))


def _inspect(d: DocEntry) -> None:
    """How many pages a document fills in the dossier; anything unreadable gets a placeholder page.

    A PDF's page count was recorded when it was received and checked; its hash has just been
    verified, so it is the same file and the recorded count holds (the copy step checks it again).
    Only a PDF without a recorded count is opened here.
    """
    d.page_count, d.placeholder_reason, d.pdfa = 1, "", False
    if not d.is_pdf:
        d.placeholder_reason = _(
            "Dit bestand is geen PDF (%(type)s) en kan daarom niet als pagina's in dit dossier worden opgenomen."
        ) % {"type": d.document.content_type}
        return
    if d.document.page_count:
        d.page_count = d.document.page_count
        return
    try:
        with pikepdf.open(d.local_path) as pdf:
            count = len(pdf.pages)
            if hit_qpdf_limit(pdf):
                raise DossierDocumentTooCostlyError(d.document)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError):
        count = 0
    if count:
        d.page_count = count
    else:
        d.placeholder_reason = _("Dit PDF-bestand kon niet worden gelezen en is daarom niet als pagina's opgenomen.")


_PDFA_ID = re.compile(rb"pdfaid:part\s*(?:=\s*[\"']|>)\s*[123]")
#: Bytes kept from one decoded piece of the metadata to the next, so a match across the seam is found.
_PDFA_OVERLAP = 256


def _claims_pdfa(pdf: pikepdf.Pdf) -> bool:
    """Whether a source declares PDF/A (any part) in its XMP metadata.

    The metadata is decoded a piece at a time and never past ``PDF_MAX_STREAM_BYTES`` (``PdfTooCostly``
    beyond): memory stays at one piece plus a little overlap, whatever the stream inflates to.
    """
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return False
    found, tail = False, b""
    try:
        for piece in decoded_chunks(metadata):
            window = tail + piece
            found = found or bool(_PDFA_ID.search(window))
            tail = window[-_PDFA_OVERLAP:]
    except pikepdf.PdfError:
        return False
    return found


# -- 2. the PDF -----------------------------------------------------------------------------------
def _write_pdf(content: DossierContent, work: Path, out_path: Path, report) -> tuple[int, bool]:
    placeholders = [d for d in content.documents if d.placeholder_reason]
    placeholder_pdf = None
    if placeholders:
        placeholder_pdf = pikepdf.open(io.BytesIO(ourpages.render_placeholders(content, placeholders)))
        if len(placeholder_pdf.pages) != len(placeholders):
            raise RuntimeError("placeholder pages do not match the placeholders")
    front_bytes, front_pages, total, marks = _front_matter(content)
    report(0.05)

    stamp_template = pikepdf.open(io.BytesIO(ourpages.render_stamp_template(
        _stamp_template(content) % {"n": 1, "total": 1})))
    stamp_font = next(iter(stamp_template.pages[0].obj.Resources.Font.values()))

    template = _stamp_template(content)

    def stamp(index: int, box: tuple, rotate: int) -> bytes:
        text = template % {"n": index + 1, "total": total}
        matrix = stamp_matrix(box, rotate, ourpages.stamp_width(text), right=ourpages.STAMP_RIGHT,
                              bottom=ourpages.STAMP_BOTTOM)
        literal = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii")
        return b"\nQ\nq\n0 g\nBT\n/%s %d Tf\n%s Tm\n(%s) Tj\nET\nQ\n" % (
            STAMP_FONT_KEY[1:].encode(), ourpages.STAMP_SIZE,
            " ".join(_num(v) for v in matrix).encode(), literal,
        )

    with open(out_path, "wb") as fh:
        writer = PdfStreamWriter(fh)
        writer.set_stamp_font(stamp_template, stamp_font)
        with pikepdf.open(io.BytesIO(front_bytes)) as front:
            writer.copy_pages(front, stamp=stamp)
        del front_bytes
        documents = content.documents
        done = 0
        for d in documents:
            if d.placeholder_reason:
                writer.copy_pages(placeholder_pdf, [placeholders.index(d)], stamp=stamp)
            else:
                with pikepdf.open(d.local_path) as src:
                    try:
                        _check_qpdf_limit(src)
                        if len(src.pages) != d.page_count:
                            raise RuntimeError(f"{d.title}: {len(src.pages)} pages, {d.page_count} recorded")
                        d.pdfa = _claims_pdfa(src)
                        writer.copy_pages(src, stamp=stamp)
                        _check_qpdf_limit(src)
                    except PdfTooCostly as exc:
                        raise DossierDocumentTooCostlyError(d.document) from exc
            done += d.page_count
            report(0.05 + 0.9 * done / max(1, total - front_pages))
        if len(writer.pages) != total:
            raise RuntimeError(f"wrote {len(writer.pages)} pages, expected {total}")
        pdfa = all(d.pdfa for d in documents if not d.placeholder_reason)
        catalog, info, pdfa = _document_level(writer, content, marks, pdfa)
        writer.finish(catalog_entries=catalog, info=info)
    if placeholder_pdf is not None:
        placeholder_pdf.close()
    stamp_template.close()
    report(1)
    return total, pdfa


def _check_qpdf_limit(src: pikepdf.Pdf) -> None:
    """qpdf does not raise when it stops decoding an object stream at its memory limit: it warns and
    leaves that stream's objects out (pages could go missing without a word). Such a source stops the build."""
    len(src.pages)  # resolves the page tree
    if hit_qpdf_limit(src):
        raise PdfTooCostly("stream")


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _stamp_template(content: DossierContent) -> str:
    """``"GPA-2017-0001 - pagina %(n)d van %(total)d"``: ASCII only (the stamp uses the font's ASCII codes)."""
    case = content.case_number.replace("%", "%%")
    text = _("%(case)s - pagina %(n)d van %(total)d").replace("%(case)s", case)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text


def _front_matter(content: DossierContent) -> tuple[bytes, int, int, dict]:
    """Cover, contents, timeline and points; the contents' page numbers are filled in at the end.

    Document start pages depend on how long the front matter is, and the contents list them:
    reportlab lays the front matter out once, then ``place`` numbers the documents.
    """
    state = {}

    def place(front_pages: int):
        state["front"], state["total"] = front_pages, _place_documents(content, front_pages)
        return _document_keys(content), state["total"]

    data, pages, marks = frontmatter.render_front_matter(content, place)
    if pages != state["front"]:
        raise RuntimeError("front matter page count changed after placing the documents")
    return data, pages, state["total"], marks


def _place_documents(content: DossierContent, front_pages: int) -> int:
    page = front_pages + 1
    for d in content.documents:
        d.start_page = page
        page += d.page_count
    return page - 1


def _document_keys(content: DossierContent) -> dict:
    keys = {}
    for b_index, bundle in enumerate(content.bundles, 1):
        keys[f"bundle-{b_index}"] = bundle.start_page
        for d in bundle.documents:
            keys[f"doc-{b_index}-{d.number}"] = d.start_page
    return keys


def _document_level(writer: PdfStreamWriter, content: DossierContent, marks: dict, pdfa: bool):
    """Outline, XMP metadata, output intent, info: the catalog entries and the info dictionary."""
    outline = _write_outline(writer, content, marks)
    icc = next((p for p in ICC_CANDIDATES if p.is_file()), None)
    entries = [b"/Outlines %d 0 R /PageMode /UseOutlines" % outline, b"/Lang (nl-NL)",
               b"/ViewerPreferences << /DisplayDocTitle true >>"]
    if icc is not None:
        import zlib

        profile = writer.add_stream(b"/N 3 /Filter /FlateDecode", zlib.compress(icc.read_bytes(), 9))
        entries.append(
            b"/OutputIntents [ << /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) "
            b"/RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R >> ]" % profile
        )
    else:
        pdfa = False
        log.warning("no sRGB ICC profile found; the dossier gets no output intent and no PDF/A claim")
    title = _("Dossier %(case)s") % {"case": content.case_number}
    if content.audience != "full":
        title = f"{title} ({_('partijversie')})"
    producer = "geschilbeslechting dossier (reportlab, pikepdf)"
    when = local(content.dossier_date).replace(microsecond=0)
    metadata = writer.add_stream(b"/Type /Metadata /Subtype /XML", _xmp(title, producer, when, pdfa))
    entries.append(b"/Metadata %d 0 R" % metadata)
    info = b"/Title %s /Creator %s /Producer %s /CreationDate %s /ModDate %s" % (
        pdf_string(title), pdf_string("geschilbeslechting"), pdf_string(producer),
        pdf_string(_pdf_date(when)), pdf_string(_pdf_date(when)),
    )
    return b" ".join(entries), info, pdfa


def _pdf_date(moment: datetime) -> str:
    offset = moment.strftime("%z")
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{offset[0]}{offset[1:3]}'{offset[3:5]}'"


def _xmp(title: str, producer: str, moment: datetime, pdfa: bool) -> bytes:
    from xml.sax.saxutils import escape

    stamp = moment.isoformat()
    claim = (
        "   <pdfaid:part>2</pdfaid:part>\n   <pdfaid:conformance>B</pdfaid:conformance>\n" if pdfa else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n'
        "   <dc:format>application/pdf</dc:format>\n"
        f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>\n'
        f"   <xmp:CreatorTool>geschilbeslechting</xmp:CreatorTool>\n"
        f"   <xmp:CreateDate>{stamp}</xmp:CreateDate>\n"
        f"   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>\n"
        f"   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>\n"
        f"   <pdf:Producer>{escape(producer)}</pdf:Producer>\n"
        f"{claim}"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def _write_outline(writer: PdfStreamWriter, content: DossierContent, marks: dict) -> int:
    """Bookmarks: our sections, then each bundle with its documents nested under it."""
    pages = writer.pages

    def item(title: str, page_number: int, children=()):
        return {"title": title, "page": page_number, "children": list(children)}

    top = [
        item(_("Voorblad"), 1),
        item(_("Inhoudsopgave"), marks.get("toc", 2)),
        item(_("Tijdlijn"), marks.get("timeline", 3)),
        item(_("Geschilpunten"), marks.get("points", 4), [
            item(f"{p.number}. {p.title}", marks.get(f"point-{p.number}", marks.get("points", 4)))
            for p in content.points
        ]),
    ]
    for bundle in content.bundles:
        top.append(item(bundle.label, bundle.start_page, [
            item(f"{d.number}. {d.title}", d.start_page) for d in bundle.documents
        ]))

    root = writer.alloc()

    def allocate(items):
        for it in items:
            it["number"] = writer.alloc()
            allocate(it["children"])

    allocate(top)

    def write(items, parent):
        for i, it in enumerate(items):
            entries = [
                b"/Title %s" % pdf_string(it["title"][:500]),
                b"/Parent %d 0 R" % parent,
                b"/Dest [ %d 0 R /Fit ]" % pages[min(max(it["page"], 1), len(pages)) - 1].number,
            ]
            if i > 0:
                entries.append(b"/Prev %d 0 R" % items[i - 1]["number"])
            if i < len(items) - 1:
                entries.append(b"/Next %d 0 R" % items[i + 1]["number"])
            if it["children"]:
                entries.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (
                    it["children"][0]["number"], it["children"][-1]["number"], len(it["children"])))
                write(it["children"], it["number"])
            writer.write_object(it["number"], b"<< " + b" ".join(entries) + b" >>")

    write(top, root)
    visible = len(top) + sum(len(it["children"]) for it in top)
    writer.write_object(root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
        top[0]["number"], top[-1]["number"], visible))
    return root
