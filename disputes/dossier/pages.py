"""Our own pages of the dossier, drawn with reportlab: cover, contents, timeline, dispute points,
placeholder pages for files that are not PDFs, and the tiny template that carries the stamp font.

Every page uses one embedded TrueType family (Bitstream Vera, shipped inside reportlab, so the
output is the same on every machine) and RGB colours only: with the sRGB output intent and the XMP
metadata added by ``assemble`` these pages are PDF/A-2b. All user text passes through ``esc``
before it reaches a ``Paragraph`` (which would otherwise parse markup such as ``<img src>``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
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
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
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


class _Mark(Flowable):
    """Records the page it lands on, so the contents can name it."""

    def __init__(self, key: str, marks: dict):
        super().__init__()
        self.key, self.marks = key, marks

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.marks[self.key] = self.canv.getPageNumber()


class _Deferred(Flowable):
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


def _doc(buf, content: DossierContent, *, cover: bool) -> BaseDocTemplate:
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
        canvas.saveState()
        canvas.setFillColor(BLUE)
        canvas.rect(0, PAGE_H - 40 * mm, PAGE_W, 40 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT_BOLD, 15)
        canvas.drawString(MARGIN_X, PAGE_H - 20 * mm, _("Geschilbeslechting prestatieafspraken"))
        canvas.setFont(FONT, 10)
        canvas.drawString(MARGIN_X, PAGE_H - 27 * mm, _("Woningwet artikel 44 - bindende uitspraak van de Minister"))
        canvas.restoreState()

    templates = [PageTemplate("body", [frame], onPage=body_page)]
    if cover:
        templates.insert(0, PageTemplate("cover", [cover_frame], onPage=cover_page))
    doc.addPageTemplates(templates)
    return doc


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


def _facts(pairs, label_width=48 * mm, width=None) -> Table:
    rows = [
        [Paragraph(esc(label), S["label"]), value if isinstance(value, Flowable) else Paragraph(value, S["body"])]
        for label, value in pairs if value
    ]
    width = width or (PAGE_W - 2 * MARGIN_X)
    return _table(rows, [label_width, width - label_width], [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ])


def _lines(values) -> str:
    return "<br/>".join(esc(v) for v in values) or "-"


# -- front matter -------------------------------------------------------------------------------
def render_front_matter(content: DossierContent, place: Callable[[int], tuple[dict, int]]):
    """Cover, contents, timeline and points in one layout pass. Returns ``(pdf, pages, marks)``.

    ``place(front_pages)`` is called once the front matter is laid out and returns the start page
    of every bundle and document (``{"bundle-1": 5, "doc-1-1": 5, ...}``) and the page total;
    ``marks`` are the pages our own sections landed on.
    """
    marks: dict[str, int] = {}
    deferred: dict[str, _Deferred] = {}
    buf = io.BytesIO()
    doc = _doc(buf, content, cover=True)

    def finish(canvas, pages):
        numbers, total = place(pages)
        for flowable in deferred.values():
            if flowable.key == "size":
                text = _("%(docs)d documenten in %(bundles)d bundels, %(pages)d pagina's") % {
                    "docs": len(content.documents), "bundles": len(content.bundles), "pages": total}
            else:
                text = str(marks.get(flowable.key) or numbers.get(flowable.key) or "")
            flowable.define(canvas, text)

    doc.finish = finish
    width = doc.width
    story: list = [NextPageTemplate("body"), _Mark("cover", marks)]

    # Cover
    story += [
        Paragraph(esc(_("Dossier")).upper(), S["kicker"]),
        Paragraph(esc(content.case_number), S["title"]),
        Paragraph(esc(content.title or content.kind_label), S["subtitle"]),
    ]
    story.append(_facts([
        (_("Zaaknummer"), esc(content.case_number)),
        (_("Soort geschil"), esc(content.kind_label)),
        (_("Prestatieafspraken"), esc(content.agreement)),
        (_("Verzoeker") if len(content.applicants) == 1 else _("Verzoekers"), _lines(content.applicants)),
        (_("Verweerder") if len(content.respondents) == 1 else _("Verweerders"), _lines(content.respondents)),
        (_("Geschil ontstaan op"), esc(content.arose_on)),
        (_("Ingediend op"), esc(content.submitted_at)),
        (_("Uitspraak op"), esc(content.decided_at)),
        (_("Status"), esc(content.state_label)),
        (_("Uitkomst"), _lines(content.outcome)),
        (_("Versie"), esc(content.audience_label)),
        (_("Stand van het dossier"), esc(format_moment(content.dossier_date))),
        (_("Omvang"), _Deferred("size", deferred, S["body"], align="left")),
        (_("Zaakversie"), esc(content.case_version)),
    ], width=width))
    story.append(Spacer(1, 8 * mm))
    if content.audience == "full":
        note = _("Vertrouwelijk. Dit volledige dossier bevat ook stukken en gebeurtenissen die alleen voor de "
                 "adviescommissie of het ministerie bestemd zijn. Niet verstrekken aan partijen of derden.")
    else:
        note = _("Partijversie. Dit dossier bevat de stukken en gebeurtenissen die voor alle partijen zichtbaar "
                 "zijn; stukken die alleen voor de adviescommissie of het ministerie bestemd zijn, ontbreken.")
    story.append(Paragraph(esc(note), S["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(esc(_(
        "Elke pagina draagt het zaaknummer en het paginanummer. De bijbehorende ZIP bevat de originele bestanden "
        "en manifest.json met het SHA-256-controlegetal van elk bestand. Organisaties worden bij naam genoemd, "
        "natuurlijke personen niet."
    )), S["note"]))
    story.append(PageBreak())

    # Contents: plain string cells (no Paragraph parsing: fast for hundreds of documents, and user
    # text is never interpreted); long titles are shortened to fit, the full name is in the bookmark.
    story += [Paragraph(esc(_("Inhoudsopgave")), S["h1"]), _Mark("toc", marks)]
    title_w, type_w, num_w = width - 66 * mm, 50 * mm, 16 * mm
    rows, styles = [], [
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9), ("LEADING", (0, 0), (-1, -1), 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK), ("TEXTCOLOR", (1, 0), (1, -1), GREY),
        ("FONTSIZE", (1, 0), (1, -1), 8), ("LEFTPADDING", (0, 0), (0, -1), 6 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]

    def entry(text, key, level, kind=""):
        font, size = (FONT_BOLD, 10) if level == 0 else (FONT, 9)
        indent = 0 if level == 0 else 6 * mm
        rows.append([
            fit(text, font, size, title_w - indent - 4), fit(kind, FONT, 8, type_w - 4),
            _Deferred(key, deferred, S["toc_num0" if level == 0 else "toc_num"]),
        ])
        if level == 0:
            row = len(rows) - 1
            styles.extend([("FONTNAME", (0, row), (0, row), FONT_BOLD), ("FONTSIZE", (0, row), (0, row), 10),
                           ("LEFTPADDING", (0, row), (0, row), 0), ("TOPPADDING", (0, row), (-1, row), 5)])

    entry(_("Voorblad"), "cover", 0)
    entry(_("Inhoudsopgave"), "toc", 0)
    entry(_("Tijdlijn"), "timeline", 0)
    entry(_("Geschilpunten"), "points", 0)
    for point in content.points:
        entry(f"{point.number}. {point.title}", f"point-{point.number}", 1)
    if content.bundles:
        rows.append([_("Stukken").upper(), _("Soort document"), ""])
        row = len(rows) - 1
        styles.extend([("FONTNAME", (0, row), (-1, row), FONT_BOLD), ("TEXTCOLOR", (0, row), (-1, row), GREY),
                       ("FONTSIZE", (0, row), (-1, row), 8), ("LEFTPADDING", (0, row), (0, row), 0),
                       ("TOPPADDING", (0, row), (-1, row), 9)])
    for b_index, bundle in enumerate(content.bundles, 1):
        entry(bundle.label, f"bundle-{b_index}", 0)
        for d in bundle.documents:
            entry(f"{d.number}. {d.title}", f"doc-{b_index}-{d.number}", 1, d.type_label)
    table = Table(rows, colWidths=[title_w, type_w, num_w], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("LEFTPADDING", (1, 0), (-1, -1), 0), *styles]))
    story.append(table)
    story.append(PageBreak())

    # Timeline
    story += [Paragraph(esc(_("Tijdlijn")), S["h1"]), _Mark("timeline", marks)]
    if content.audience != "full":
        story.append(Paragraph(esc(_("Alleen gebeurtenissen die voor alle partijen zichtbaar zijn.")), S["small"]))
        story.append(Spacer(1, 2 * mm))
    head = [Paragraph(esc(h), S["cell_head"]) for h in (_("Datum"), _("Gebeurtenis"), _("Door"), _("Toelichting"))]
    rows = [head] + [
        [Paragraph(esc(format_moment(e.at)), S["cell"]), Paragraph(esc(e.label), S["cell_bold"]),
         Paragraph(esc(e.by), S["cell"]), Paragraph(esc(e.detail), S["cell"])]
        for e in content.events
    ]
    timeline = Table(rows, colWidths=[21 * mm, 40 * mm, 50 * mm, width - 111 * mm], repeatRows=1, hAlign="LEFT")
    timeline.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, 0), BLUE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    story.append(timeline)
    story.append(PageBreak())

    # Points
    story += [Paragraph(esc(_("Geschilpunten")), S["h1"]), _Mark("points", marks)]
    if not content.points:
        story.append(Paragraph(esc(_("Geen geschilpunten.")), S["body"]))
    for point in content.points:
        block = [
            CondPageBreak(40 * mm),
            Paragraph(esc(f"{_('Geschilpunt')} {point.number}. {point.title}"), S["h2"]),
            _Mark(f"point-{point.number}", marks),
        ]
        block.append(Paragraph(esc(_("Standpunten")), S["h3"]))
        if point.positions:
            block.append(_facts([(p.organisation, esc(p.text)) for p in point.positions], label_width=62 * mm,
                                width=width))
        else:
            block.append(Paragraph(esc(_("Geen standpunten vastgelegd.")), S["small"]))
        block.append(Paragraph(esc(_("Ontvankelijkheid")), S["h3"]))
        block.append(_facts([
            (_("Oordeel"), esc(point.admissibility)),
            (_("Redenen"), _lines(point.reasons) if point.reasons else ""),
            (_("Toelichting"), esc(point.admissibility_note)),
        ], width=width))
        block.append(Paragraph(esc(_("Advies van de adviescommissie")), S["h3"]))
        block.append(_facts([
            (_("Bevinding"), esc(point.advice_finding or _("Niet (of nog niet) beschikbaar"))),
            (_("Aanbeveling"), esc(point.advice_recommendation)),
        ], width=width))
        block.append(Paragraph(esc(_("Beslissing van de Minister")), S["h3"]))
        follows = {True: _("Ja"), False: _("Nee, zie motivering")}.get(point.decision_follows_advice, "")
        block.append(_facts([
            (_("Beslissing"), esc(point.decision_finding or _("Niet (of nog niet) beschikbaar"))),
            (_("Volgt het advies"), esc(follows)),
            (_("Motivering"), esc(point.decision_reason)),
        ], width=width))
        story.append(KeepTogether(block[:4]))
        story.extend(block[4:])

    doc.build(story)
    data = buf.getvalue()
    return data, doc.page, marks


# -- placeholders -------------------------------------------------------------------------------
def render_placeholders(content: DossierContent, entries: list[DocEntry]) -> bytes:
    """One page per file that cannot be shown as PDF pages: what it is and where the original is."""
    buf = io.BytesIO()
    doc = _doc(buf, content, cover=False)
    story: list = []
    for i, d in enumerate(entries):
        if i:
            story.append(PageBreak())
        doc_obj = d.document
        story += [
            Paragraph(esc(_("Bestand niet als PDF opgenomen")), S["h1"]),
            Paragraph(esc(d.placeholder_reason), S["body"]),
            Spacer(1, 5 * mm),
            _facts([
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

