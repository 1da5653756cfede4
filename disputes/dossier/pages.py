"""Our own pages of the dossier, drawn with reportlab: the kit they share (font, styles, page
templates, fact tables, page marks), placeholder pages for files that are not PDFs, and the tiny
template that carries the stamp font. The front matter (cover, contents, timeline, dispute points)
is built from this kit in ``frontmatter``.

Every page uses one embedded TrueType family (Bitstream Vera, shipped inside reportlab, so the
output is the same on every machine) and RGB colours only: with the sRGB output intent and the XMP
metadata added by ``assemble`` these pages are PDF/A-2b. All user text passes through ``esc``
before it reaches a ``Paragraph`` (which would otherwise parse markup such as ``<img src>``).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .content import DocEntry, DossierContent, format_moment

FONT = "DossierSans"
FONT_BOLD = "DossierSans-Bold"
BLUE = colors.HexColor("#154273")  # the dark blue of the site header
INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#595959")  # 7:1 on white
RULE = colors.HexColor("#b4b4b4")
SHADE = colors.HexColor("#eef2f7")
PAGE_W, PAGE_H = A4
MARGIN_X = 22 * mm
STAMP_SIZE = 8
STAMP_RIGHT = 16 * mm
STAMP_BOTTOM = 8 * mm


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont(FONT + "-Italic", str(folder / "VeraIt.ttf")))
    pdfmetrics.registerFont(TTFont(FONT + "-BoldItalic", str(folder / "VeraBI.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT + "-Italic", boldItalic=FONT + "-BoldItalic"
    )


_register_fonts()
_GLYPHS = set(pdfmetrics.getFont(FONT).face.charToGlyph)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def esc(text) -> str:
    """User text made safe for a Paragraph: markup escaped, newlines kept, unknown glyphs as "?".

    A character the embedded font lacks would be drawn with .notdef, which PDF/A forbids.
    """
    text = _CONTROL.sub("", str(text or ""))
    text = "".join(c if c in "\n\t" or ord(c) in _GLYPHS else "?" for c in text)
    return escape(text).replace("\n", "<br/>")


def safe(text) -> str:
    """User text for a plain (unparsed) string cell: no control characters, no missing glyphs."""
    text = _CONTROL.sub("", str(text or "")).replace("\n", " ").replace("\t", " ")
    return "".join(c if ord(c) in _GLYPHS else "?" for c in text)


def fit(text, font: str, size: float, width: float) -> str:
    """``text`` shortened with "..." so that it fits ``width`` points on one line."""
    text = safe(text)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "...", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def stamp_width(text: str) -> float:
    return pdfmetrics.stringWidth(text, FONT, STAMP_SIZE)


def _style(name, size=9.5, leading=None, font=FONT, color=INK, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.35, textColor=color, **kw)


S = {
    "body": _style("body"),
    "small": _style("small", 8.5, color=GREY),
    "cell": _style("cell", 8),
    "cell_bold": _style("cell_bold", 8, font=FONT_BOLD),
    "cell_head": _style("cell_head", 8, font=FONT_BOLD, color=colors.white),
    "label": _style("label", 9, font=FONT_BOLD, color=GREY),
    "kicker": _style("kicker", 10, font=FONT_BOLD, color=GREY, spaceAfter=2 * mm),
    "title": _style("title", 26, leading=31, font=FONT_BOLD, color=BLUE, spaceAfter=3 * mm),
    "subtitle": _style("subtitle", 13, leading=17, spaceAfter=8 * mm),
    "h1": _style("h1", 17, leading=22, font=FONT_BOLD, color=BLUE, spaceAfter=5 * mm),
    "h2": _style("h2", 12, leading=16, font=FONT_BOLD, color=BLUE, spaceBefore=6 * mm, spaceAfter=2.5 * mm),
    "h3": _style("h3", 10, leading=14, font=FONT_BOLD, spaceBefore=3 * mm, spaceAfter=1.5 * mm),
    "toc0": _style("toc0", 10, leading=14, font=FONT_BOLD),
    "toc1": _style("toc1", 9, leading=12.5, leftIndent=6 * mm),
    "toc_caption": _style("toc_caption", 9, font=FONT_BOLD, color=GREY, spaceBefore=2 * mm),
    "toc_num": _style("toc_num", 9, leading=12.5, alignment=TA_RIGHT),
    "toc_num0": _style("toc_num0", 10, leading=14, font=FONT_BOLD, alignment=TA_RIGHT),
    "note": _style("note", 8.5, leading=12, color=GREY),
}


class Mark(Flowable):
    """Records the page it lands on, so the contents can name it."""

    def __init__(self, key: str, marks: dict):
        super().__init__()
        self.key, self.marks = key, marks

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.marks[self.key] = self.canv.getPageNumber()


class Deferred(Flowable):
    """Text known only when the whole front matter is laid out (page numbers, the page total).

    It draws a form XObject that is defined after the last page (reportlab resolves forms at
    save time), so the contents need one layout pass, not two.
    """

    def __init__(self, key: str, registry: dict, style: ParagraphStyle, align: str = "right"):
        super().__init__()
        self.key, self.style, self.align = key, style, align
        self.form = f"dossier-n{len(registry)}"
        registry[self.form] = self

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.style.leading

    def draw(self):
        self.canv.saveState()
        self.canv.translate(self.width if self.align == "right" else 0, self.style.leading - self.style.fontSize)
        self.canv.doForm(self.form)
        self.canv.restoreState()

    def define(self, canvas, text: str) -> None:
        width = pdfmetrics.stringWidth(text, self.style.fontName, self.style.fontSize)
        left = -width if self.align == "right" else 0
        canvas.beginForm(self.form, lowerx=left - 1, lowery=-3, upperx=left + width + 1, uppery=self.style.fontSize + 2)
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.setFillColor(self.style.textColor)
        canvas.drawString(left, 0, text)
        canvas.endForm()


class _DocTemplate(BaseDocTemplate):
    """Calls ``finish(canvas, pages)`` after the last page and before saving (deferred forms)."""

    finish = None

    def _endBuild(self):
        self._doSave = 0
        super()._endBuild()
        if self.finish is not None:
            self.finish(self.canv, self.page)
        self.canv.save()


def new_doc(buf, content: DossierContent, *, cover: bool) -> BaseDocTemplate:
    doc = _DocTemplate(
        buf, pagesize=A4, invariant=1, initialFontName=FONT, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=24 * mm, bottomMargin=20 * mm, title=f"Dossier {content.case_number}",
        author=_("Geschilbeslechting prestatieafspraken"), creator="geschilbeslechting",
        lang="nl-NL",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    cover_frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, PAGE_H - 58 * mm - doc.bottomMargin,
                        id="cover", leftPadding=0, rightPadding=0)
    header = f"{_('Dossier')} {content.case_number}"

    def body_page(canvas, _doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, PAGE_H - 14 * mm, header)
        canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 14 * mm, content.audience_label)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, PAGE_H - 16 * mm, PAGE_W - MARGIN_X, PAGE_H - 16 * mm)
        canvas.restoreState()

    def cover_page(canvas, _doc):
        cover_band(canvas, _("Geschilbeslechting prestatieafspraken"))

    templates = [PageTemplate("body", [frame], onPage=body_page)]
    if cover:
        templates.insert(0, PageTemplate("cover", [cover_frame], onPage=cover_page))
    doc.addPageTemplates(templates)
    return doc


def cover_band(canvas, title: str) -> None:
    """The blue band at the top of a cover page: ``title`` over the legal basis (the dossier, the annual report)."""
    canvas.saveState()
    canvas.setFillColor(BLUE)
    canvas.rect(0, PAGE_H - 40 * mm, PAGE_W, 40 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(FONT_BOLD, 15)
    canvas.drawString(MARGIN_X, PAGE_H - 20 * mm, title)
    canvas.setFont(FONT, 10)
    canvas.drawString(MARGIN_X, PAGE_H - 27 * mm, _("Woningwet artikel 44 - bindende uitspraak van de Minister"))
    canvas.restoreState()


def _table(rows, widths, style=None) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    base = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    table.setStyle(TableStyle(base + (style or [])))
    return table


def facts(pairs, label_width=48 * mm, width=None) -> Table:
    rows = [
        [Paragraph(esc(label), S["label"]), value if isinstance(value, Flowable) else Paragraph(value, S["body"])]
        for label, value in pairs if value
    ]
    width = width or (PAGE_W - 2 * MARGIN_X)
    return _table(rows, [label_width, width - label_width], [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ])


def joined_lines(values) -> str:
    return "<br/>".join(esc(v) for v in values) or "-"


# -- placeholders -------------------------------------------------------------------------------
def render_placeholders(content: DossierContent, entries: list[DocEntry]) -> bytes:
    """One page per file that cannot be shown as PDF pages: what it is and where the original is."""
    buf = io.BytesIO()
    doc = new_doc(buf, content, cover=False)
    story: list = []
    for i, d in enumerate(entries):
        if i:
            story.append(PageBreak())
        doc_obj = d.document
        story += [
            Paragraph(esc(_("Bestand niet als PDF opgenomen")), S["h1"]),
            Paragraph(esc(d.placeholder_reason), S["body"]),
            Spacer(1, 5 * mm),
            facts([
                (_("Document"), esc(d.title)),
                (_("Soort document"), esc(d.type_label)),
                (_("Ingediend door"), esc(d.uploader)),
                (_("Ingediend op"), esc(format_moment(d.uploaded_at))),
                (_("Vertrouwelijkheid"), esc(d.confidentiality_label)),
                (_("Bestandstype"), esc(doc_obj.content_type)),
                (_("Grootte"), esc(_("%(n)d bytes") % {"n": doc_obj.size})),
                (_("SHA-256"), esc(doc_obj.sha256)),
                (_("In de ZIP"), esc(d.zip_path)),
            ], width=doc.width),
            Spacer(1, 5 * mm),
            Paragraph(esc(_("Het originele bestand is ongewijzigd opgenomen in de ZIP-bijlage van dit dossier; "
                            "het controlegetal hierboven staat ook in manifest.json.")), S["note"]),
        ]
    doc.build(story)
    return buf.getvalue()


def render_stamp_template(text: str) -> bytes:
    """A one-page PDF whose only font is the stamp font (its ASCII glyphs all embedded)."""
    buf = io.BytesIO()
    canvas = rl_canvas.Canvas(buf, pagesize=A4, invariant=1, initialFontName=FONT, initialFontSize=STAMP_SIZE)
    canvas.setFont(FONT, STAMP_SIZE)
    canvas.drawString(10, 10, text)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()
