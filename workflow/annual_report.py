"""The commission's year report (docs/workflow.md, "Dashboard", "Jaarverslag"): the dashboard's figures for one
year as a PDF (a chart and a table per figure, and the list of the year's decisions) and as one CSV.

The figures are ``workflow.dashboard``'s with the year chosen (``Filters(year=...)``, no other filter): the same
queries as the page, so the report and the page never disagree. Like the page, the year selects the cases filed
in it for every figure except the decisions per quarter, which are the decisions taken in that year. The list of
decisions is of the cases decided in the year (``decided_at``, Amsterdam time), whenever they were filed.

Bounded work: the figures are a fixed number of aggregate queries; the decisions are read with ``.iterator()`` in
chunks (one query per chunk, and one for their points), and the PDF's story takes them from that iterator as
reportlab reaches them (``_Story``), a table of ``ROWS_PER_TABLE`` decisions at a time, so the cases are never all
in memory. (The PDF being written grows with its pages, as any PDF does.)

The charts are drawn with reportlab's own graphics from the figure's numbers (vector, with the embedded font), not
converted from the page's pygal SVG. Always in Dutch: the report is the commission's document.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
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

from disputes import clock
from disputes.dossier.pages import BLUE, FONT, FONT_BOLD, GREY, INK, RULE, SHADE, S, cover_band, esc, fit
from disputes.models import Admissibility, DisputeKind, DisputePoint, Finding

from . import dashboard

AUTHOR = "Adviescommissie geschilbeslechting prestatieafspraken"
PAGE_W, PAGE_H = A4
MARGIN_X = 22 * mm
#: decisions per table in the PDF (each table repeats its header when it runs onto the next page)
ROWS_PER_TABLE = 25
#: cases read per query (and their points in one more) for the list of decisions
CHUNK_SIZE = 200
#: the bars' colours, one per series: the house's dark blue, then orange and green (each 3:1 or more on white)
SERIES_COLOURS = [BLUE, colors.HexColor("#b35900"), colors.HexColor("#39870c"), colors.HexColor("#a90061")]


HEAD_RIGHT = ParagraphStyle("cell_head_right", parent=S["cell_head"], alignment=TA_RIGHT)


class BadYear(ValueError):
    """A year that is none of the dashboard's choices (before the first filing, or after this year)."""


def title(year: int) -> str:
    return _("Jaarverslag Adviescommissie geschilbeslechting prestatieafspraken %(year)s") % {"year": year}


def check_year(year) -> int:
    """``year`` as a year of the report, one of the dashboard's year choices; else ``BadYear`` with the range."""
    choices = dashboard.year_choices()
    try:
        chosen = int(year)
    except (TypeError, ValueError):
        chosen = None
    if chosen in choices:
        return chosen
    span = {"first": min(choices), "last": max(choices)}
    if year in (None, ""):
        raise BadYear(_("Geen jaar gekozen: kies een jaar van %(first)s tot en met %(last)s.") % span)
    raise BadYear(_("Geen jaarverslag voor %(year)s: kies een jaar van %(first)s tot en met %(last)s.") % {
        "year": str(year)[:20], **span})


def figures(user, year: int) -> list[dashboard.Figure]:
    """The dashboard's figures for the year (``user``: whose cases; ``dashboard.ALL_CASES`` for every case)."""
    return dashboard.figures(user, dashboard.Filters(year=year))


# -- the decisions of the year ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    """One decision of the year, as the report lists it."""

    case_number: str
    gemeente: str
    kind: str
    decided_on: date
    outcomes: tuple[str, ...]  # per point, in words: "1. <title>: <outcome>"
    within_term: bool | None  # None: the case has no decision term


def decisions(user, year: int, *, chunk_size: int = CHUNK_SIZE) -> Iterator[Decision]:
    """The cases decided in ``year`` (Amsterdam time) that ``user`` may see, by date of decision: read in chunks of
    ``chunk_size`` cases (one query, and one for their points), however many there are."""
    points = DisputePoint.objects.order_by("number").only(
        "dispute_id", "number", "title", "decision_admissibility", "decision_finding")
    cases = (
        dashboard.cases(user, dashboard.Filters()).filter(decided_at__year=year)
        .select_related("agreement__municipality")
        # the state too: the FSM mixin reads it when a case is made (else one query per case)
        .only("case_number", "kind", "state", "decided_at", "agreement__municipality__name")
        .annotate(due=dashboard.decision_due())
        .prefetch_related(Prefetch("points", queryset=points))
        .order_by("decided_at", "case_number")
    )
    for case in cases.iterator(chunk_size=chunk_size):
        decided_on = clock.localdate(case.decided_at)
        yield Decision(
            case_number=case.case_number or "-",
            gemeente=case.agreement.municipality.name,
            kind=_(SHORT_KINDS[case.kind]) if case.kind in SHORT_KINDS else case.kind,
            decided_on=decided_on,
            outcomes=tuple(f"{p.number}. {p.title}: {outcome_in_words(p)}" for p in case.points.all()),
            within_term=None if case.due is None else decided_on <= case.due,
        )


def outcome_in_words(point) -> str:
    """The Minister's decision on a point, as the dashboard counts it (``dashboard.outcomes_per_point``)."""
    if point.decision_admissibility == Admissibility.INADMISSIBLE:
        return str(Admissibility.INADMISSIBLE.label)
    if point.decision_finding in Finding.values:
        return str(Finding(point.decision_finding).label)
    return _("geen beslissing")


def within_term_in_words(within: bool | None) -> str:
    if within is None:
        return _("geen termijn")
    return _("ja") if within else _("nee")


# -- CSV ------------------------------------------------------------------------------------------------------------

CSV_COLUMNS = (gettext_noop("Code"), gettext_noop("Overzicht"), gettext_noop("Rij"), gettext_noop("Kolom"),
               gettext_noop("Waarde"))


def write_csv(out, figures_: Iterable[dashboard.Figure]) -> None:
    """Every figure in one CSV (text file ``out``), one line per cell: the figure's key (as in the dashboard's
    ``?csv=``), its title, the row's label, the column and the value; for a Dutch Excel like the dashboard's CSV
    (UTF-8 with a byte order mark, ``;``, a decimal comma)."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_(c) for c in CSV_COLUMNS])
    for figure in figures_:
        for row in figure.rows:
            for column, value in zip(figure.columns[1:], row[1:], strict=True):
                writer.writerow([figure.key, str(figure.title), str(row[0]), str(column),
                                 dashboard.cell_text(value)])


def csv_bytes(user, year: int) -> bytes:
    with translation.override("nl"):
        out = io.StringIO()
        write_csv(out, figures(user, year))
        return out.getvalue().encode("utf-8")


# -- PDF ------------------------------------------------------------------------------------------------------------

def write_pdf(out, user, year: int) -> None:
    """The year report as PDF into ``out`` (a binary file or a file name)."""
    with translation.override("nl"):
        _build(out, user, year)


def pdf_bytes(user, year: int) -> bytes:
    out = io.BytesIO()
    write_pdf(out, user, year)
    return out.getvalue()


class _Doc(BaseDocTemplate):
    """Numbers its pages "Pagina n van m": each page draws a form that is filled in once the last page is known
    (reportlab resolves forms when it saves), so one layout pass is enough."""

    def _endBuild(self):
        self._doSave = 0
        super()._endBuild()
        total = self.page
        for number in range(1, total + 1):
            text = _("Pagina %(page)s van %(pages)s") % {"page": number, "pages": total}
            width = pdfmetrics.stringWidth(text, FONT, 8)
            self.canv.beginForm(f"page-{number}", lowerx=-width - 1, lowery=-3, upperx=1, uppery=10)
            self.canv.setFont(FONT, 8)
            self.canv.setFillColor(GREY)
            self.canv.drawRightString(0, 0, text)
            self.canv.endForm()
        self.canv.save()


class _Story(list):
    """The flowables, the last of them made from an iterator as reportlab reaches them (it takes them from the
    front and asks for the length and the first few): the list of decisions is never all in memory."""

    AHEAD = 4  # reportlab looks a few flowables ahead (keepWithNext)

    def __init__(self, head: list, tail: Iterable):
        super().__init__(head)
        self._tail = iter(tail)

    def _fill(self, n: int) -> None:
        while self._tail is not None and list.__len__(self) < n:
            try:
                self.append(next(self._tail))
            except StopIteration:
                self._tail = None

    def __len__(self):
        self._fill(self.AHEAD)
        return list.__len__(self)

    def __getitem__(self, index):
        if isinstance(index, int) and index >= 0:
            self._fill(index + 1)
        return list.__getitem__(self, index)


def _build(out, user, year: int) -> None:
    report_title = title(year)
    doc = _Doc(
        out, pagesize=A4, invariant=1, initialFontName=FONT, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=22 * mm, bottomMargin=20 * mm, title=report_title, author=AUTHOR,
        subject=_("Cijfers en beslissingen over %(year)s") % {"year": year}, creator="geschilbeslechting",
        lang="nl-NL",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    running = _("Jaarverslag %(year)s") % {"year": year}

    def body_page(canvas, _doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, 12 * mm, running)
        canvas.translate(PAGE_W - MARGIN_X, 12 * mm)
        canvas.doForm(f"page-{canvas.getPageNumber()}")
        canvas.restoreState()

    def cover_page(canvas, doc_):
        cover_band(canvas, AUTHOR)
        body_page(canvas, doc_)

    cover_frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, PAGE_H - 58 * mm - doc.bottomMargin,
                        id="cover", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate("cover", [cover_frame], onPage=cover_page),
                          PageTemplate("body", [frame], onPage=body_page)])

    shown = figures(user, year)
    head: list = [NextPageTemplate("body"), *_cover(year, report_title, shown)]
    for figure in shown:
        head += _figure(figure, doc.width)
    head += [PageBreak(), Paragraph(esc(_("Beslissingen in %(year)s") % {"year": year}), S["h1"]),
             Paragraph(esc(_("Alle bindende uitspraken en niet-ontvankelijkverklaringen van %(year)s, op datum van "
                             "de beslissing, ook van zaken die in een eerder jaar zijn ingediend. Binnen de termijn: "
                             "beslist op of voor de uiterste datum van de beslistermijn zoals die uiteindelijk gold "
                             "(met opschortingen en verlengingen).") % {"year": year}), S["body"]),
             Spacer(1, 4 * mm)]
    doc.build(_Story(head, _decision_tables(user, year, doc.width)))


def _cover(year: int, report_title: str, shown: list[dashboard.Figure]) -> list:
    made_on = clock.today()
    share = next((f.share for f in shown if f.key == "termijn"), None)
    lines = [
        Paragraph(esc(report_title), S["title"]),
        Paragraph(esc(_("Cijfers en beslissingen over %(year)s") % {"year": year}), S["subtitle"]),
        Paragraph(esc(_("Dit jaarverslag bevat de cijfers van het overzicht voor %(year)s, elk als grafiek en als "
                        "tabel, en de lijst van de beslissingen van dat jaar. De cijfers gaan over de zaken die in "
                        "%(year)s zijn ingediend; alleen de beslissingen per kwartaal en de lijst van beslissingen "
                        "zijn die van %(year)s, ook van zaken uit eerdere jaren.") % {"year": year}), S["body"]),
        Spacer(1, 3 * mm),
    ]
    if share is not None:
        lines.append(Paragraph(esc(_("%(share)s%% van de besliste zaken met een beslistermijn is binnen de termijn "
                                     "beslist.") % {"share": dashboard.cell_text(share)}), S["body"]))
    lines += [
        Spacer(1, 3 * mm),
        Paragraph(esc(_("Opgemaakt op %(date)s.") % {"date": made_on.strftime("%d-%m-%Y")}), S["small"]),
        Paragraph(esc(_("De cijfers staan ook in het CSV-bestand bij dit jaarverslag.")), S["small"]),
        PageBreak(),
    ]
    return lines


def _figure(figure: dashboard.Figure, width: float) -> list:
    heading = [Paragraph(esc(figure.title), S["h2"]), Paragraph(esc(figure.description), S["body"])]
    if figure.key == "doorlooptijd":
        heading.append(Paragraph(esc(_("Dit is het gemiddelde (niet de mediaan), in kalenderdagen met één "
                                       "decimaal.")), S["note"]))
    if figure.key == "termijn":
        text = (_("%(share)s%% binnen de termijn beslist") % {"share": dashboard.cell_text(figure.share)}
                if figure.share is not None else _("Nog geen besliste zaken met een beslistermijn."))
        heading.append(Paragraph(esc(text), S["h3"]))
    if figure.empty:
        return [CondPageBreak(40 * mm), *heading, Paragraph(esc(_("Geen zaken in dit jaar.")), S["body"])]
    return [CondPageBreak(90 * mm), *heading, Spacer(1, 2 * mm), KeepTogether([chart(figure, width)]),
            Spacer(1, 3 * mm), _figure_table(figure, width), Spacer(1, 4 * mm)]


def _table_style(rows: int) -> TableStyle:
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), BLUE),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), SHADE) for r in range(2, rows, 2)]
    return TableStyle(commands)


def _figure_table(figure: dashboard.Figure, width: float) -> Table:
    label_width = width * (0.4 if len(figure.columns) > 3 else 0.5)
    other = (width - label_width) / max(1, len(figure.columns) - 1)
    head = [Paragraph(esc(c), S["cell_head"] if i == 0 else HEAD_RIGHT) for i, c in enumerate(figure.columns)]
    body = [[Paragraph(esc(row[0]), S["cell"]), *(dashboard.cell_text(v) or "-" for v in row[1:])]
            for row in figure.rows]
    table = Table([head, *body], colWidths=[label_width, *[other] * (len(figure.columns) - 1)], repeatRows=1,
                  hAlign="LEFT")
    style = _table_style(len(body) + 1)
    style.add("ALIGN", (1, 1), (-1, -1), "RIGHT")
    table.setStyle(style)
    return table


def chart(figure: dashboard.Figure, width: float) -> Drawing:
    """The figure as a bar chart (vertical or horizontal, as on the dashboard), drawn from the same series."""
    names = list(figure.series)
    data = [[_number(v) for v in figure.series[name]] for name in names]
    labels = figure.labels
    legend_height = 8 * mm if len(names) > 1 else 0
    if figure.chart == "hbar":
        # drawn from the bottom up: reversed, the bars read top-down like the table
        labels = labels[::-1]
        # and within a row the first series on top, as in the legend
        data = [values[::-1] for values in data][::-1]
        label_width = min(width * 0.4, max(pdfmetrics.stringWidth(str(label), FONT, 7.5) for label in labels) + 4)
        plot_height = max(30 * mm, len(labels) * len(names) * 4.5 * mm)
        height = plot_height + 14 * mm + legend_height
        bars = HorizontalBarChart()
        bars.x, bars.y = label_width + 2 * mm, 8 * mm + legend_height
        bars.width, bars.height = width - bars.x - 6 * mm, plot_height
        bars.categoryAxis.labels.boxAnchor = "e"
        bars.categoryAxis.labels.dx = -3
        labels = [fit(label, FONT, 7.5, label_width) for label in labels]
    else:
        height = 65 * mm + legend_height
        bars = VerticalBarChart()
        bars.x, bars.y = 12 * mm, 12 * mm + legend_height
        bars.width, bars.height = width - bars.x - 4 * mm, height - bars.y - 6 * mm
        bars.categoryAxis.labels.boxAnchor = "n"
        bars.categoryAxis.labels.dy = -3
        step = bars.width / max(1, len(labels))
        labels = [fit(label, FONT, 7.5, step - 2) for label in labels]
    bars.data = data
    bars.categoryAxis.categoryNames = labels
    for axis in (bars.categoryAxis, bars.valueAxis):
        axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = FONT, 7.5, INK
        axis.strokeColor = RULE
    bars.valueAxis.valueMin = 0
    values = [v for series in data for v in series if v is not None]
    top = max(values, default=0)
    if all(isinstance(v, int) for v in values):  # counts: whole numbers on the axis
        step = max(1, -(-max(top, 1) // 6))
        bars.valueAxis.valueStep = step
        bars.valueAxis.valueMax = step * -(-max(top, 1) // step)
        bars.valueAxis.labelTextFormat = "%d"
    else:
        bars.valueAxis.valueMax = max(top, 1) * 1.1
        bars.valueAxis.labelTextFormat = lambda v: f"{v:.0f}"
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = SHADE
    bars.barSpacing = 1
    bars.groupSpacing = 6
    for i in range(len(names)):
        drawn = len(names) - 1 - i if figure.chart == "hbar" else i  # where series i is in ``data``
        bars.bars[drawn].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        bars.bars[drawn].strokeColor = None
    drawing = Drawing(width, height)
    drawing.add(bars)
    if len(names) > 1:
        legend = Legend()
        legend.x, legend.y = bars.x, 4 * mm
        legend.alignment = "right"
        legend.boxAnchor = "sw"
        legend.columnMaximum = 1
        legend.fontName, legend.fontSize = FONT, 7.5
        legend.dx = legend.dy = 7
        legend.deltax = max(pdfmetrics.stringWidth(str(n), FONT, 7.5) for n in names) + 18
        legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], fit(n, FONT, 7.5, 60 * mm))
                                 for i, n in enumerate(names)]
        drawing.add(legend)
    return drawing


def _number(value):
    return value if value is None or isinstance(value, int) else float(value)


#: the list's columns and their widths in mm (of the 166 mm between the margins)
DECISION_COLUMNS = (
    (gettext_noop("Zaaknummer"), 28), (gettext_noop("Gemeente"), 30), (gettext_noop("Soort"), 26),
    (gettext_noop("Beslist op"), 20), (gettext_noop("Binnen termijn"), 16),
    (gettext_noop("Uitkomst per geschilpunt"), 46),
)
#: the kind of dispute in the list, short (the full label is the table's width)
SHORT_KINDS = {
    DisputeKind.TOTSTANDKOMING: gettext_noop("Totstandkoming"), DisputeKind.NAKOMING: gettext_noop("Nakoming"),
}


def _decision_tables(user, year: int, width: float) -> Iterator:
    """The decisions as tables of ``ROWS_PER_TABLE`` rows, made as the story reaches them."""
    head = [Paragraph(esc(_(name)), S["cell_head"]) for name, _width in DECISION_COLUMNS]
    total = sum(part for _name, part in DECISION_COLUMNS)
    widths = [width * part / total for _name, part in DECISION_COLUMNS]
    rows: list = []
    any_decision = False
    for decision in decisions(user, year):
        any_decision = True
        rows.append([
            Paragraph(esc(decision.case_number), S["cell_bold"]),
            Paragraph(esc(decision.gemeente), S["cell"]),
            Paragraph(esc(decision.kind), S["cell"]),
            Paragraph(esc(decision.decided_on.strftime("%d-%m-%Y")), S["cell"]),
            Paragraph(esc(within_term_in_words(decision.within_term)), S["cell"]),
            Paragraph("<br/>".join(esc(o) for o in decision.outcomes) or "-", S["cell"]),
        ])
        if len(rows) == ROWS_PER_TABLE:
            yield _decision_table(head, rows, widths)
            rows = []
    if rows:
        yield _decision_table(head, rows, widths)
    if not any_decision:
        yield Paragraph(esc(_("Geen beslissingen in %(year)s.") % {"year": year}), S["body"])


def _decision_table(head: list, rows: list, widths: list) -> Table:
    table = Table([head, *rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(_table_style(len(rows) + 1))
    return table
