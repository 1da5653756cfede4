"""The dossier's front matter, our own pages before the documents: the cover (the case's facts),
the contents (every section, bundle and document with its page), the timeline and the dispute
points, laid out in one pass from the kit in ``pages``.

Page numbers in the contents and the page total on the cover are known only after the layout:
they are ``Deferred`` forms filled in by ``finish`` once ``place`` has said where the bundles and
documents start.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..models.document import case_version_in_words
from .content import DossierContent, format_moment
from .pages import (
    BLUE,
    FONT,
    FONT_BOLD,
    GREY,
    INK,
    RULE,
    SHADE,
    Deferred,
    Mark,
    S,
    esc,
    facts,
    fit,
    joined_lines,
    new_doc,
)


def render_front_matter(content: DossierContent, place: Callable[[int], tuple[dict, int]]):
    """Cover, contents, timeline and points in one layout pass. Returns ``(pdf, pages, marks)``.

    ``place(front_pages)`` is called once the front matter is laid out and returns the start page
    of every bundle and document (``{"bundle-1": 5, "doc-1-1": 5, ...}``) and the page total;
    ``marks`` are the pages our own sections landed on.
    """
    marks: dict[str, int] = {}
    deferred: dict[str, Deferred] = {}
    buf = io.BytesIO()
    doc = new_doc(buf, content, cover=True)

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
    # the order matters: the deferred forms are numbered as they are made (cover, then contents)
    story: list = [NextPageTemplate("body"), Mark("cover", marks)]
    story += _cover(content, width, deferred)
    story.append(PageBreak())
    story += _contents(content, width, marks, deferred)
    story.append(PageBreak())
    story += _timeline(content, width, marks)
    story.append(PageBreak())
    story += _points(content, width, marks)

    doc.build(story)
    data = buf.getvalue()
    return data, doc.page, marks


def _cover(content: DossierContent, width: float, deferred: dict) -> list:
    """The case's facts, which version this is (full or party) and how to check the files."""
    story: list = [
        Paragraph(esc(_("Dossier")).upper(), S["kicker"]),
        Paragraph(esc(content.case_number), S["title"]),
        Paragraph(esc(content.title or content.kind_label), S["subtitle"]),
    ]
    story.append(facts([
        (_("Zaaknummer"), esc(content.case_number)),
        (_("Soort geschil"), esc(content.kind_label)),
        (_("Prestatieafspraken"), esc(content.agreement)),
        (_("Verzoeker") if len(content.applicants) == 1 else _("Verzoekers"), joined_lines(content.applicants)),
        (_("Verweerder") if len(content.respondents) == 1 else _("Verweerders"), joined_lines(content.respondents)),
        (_("Geschil ontstaan op"), esc(content.arose_on)),
        (_("Ingediend op"), esc(content.submitted_at)),
        (_("Uitspraak op"), esc(content.decided_at)),
        (_("Status"), esc(content.state_label)),
        (_("Uitkomst"), joined_lines(content.outcome)),
        (_("Adviescommissie"), joined_lines(content.commission or [_("Niet samengesteld")])),
        (_("Versie"), esc(content.audience_label)),
        (_("Stand van het dossier"), esc(format_moment(content.dossier_date))),
        (_("Omvang"), Deferred("size", deferred, S["body"], align="left")),
        (_("Zaakversie"), esc(case_version_in_words(content.case_version))),
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
        "natuurlijke personen niet, behalve de leden van de adviescommissie in hun functie."
    )), S["note"]))
    return story


def _contents(content: DossierContent, width: float, marks: dict, deferred: dict) -> list:
    """Our sections, the points, and every bundle and document with the page it starts on.

    Plain string cells (no Paragraph parsing: fast for hundreds of documents, and user text is
    never interpreted); long titles are shortened to fit, the full name is in the bookmark.
    """
    story: list = [Paragraph(esc(_("Inhoudsopgave")), S["h1"]), Mark("toc", marks)]
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
            Deferred(key, deferred, S["toc_num0" if level == 0 else "toc_num"]),
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
    return story


def _timeline(content: DossierContent, width: float, marks: dict) -> list:
    """The case's events as one table (the party version: only what all parties may see)."""
    story: list = [Paragraph(esc(_("Tijdlijn")), S["h1"]), Mark("timeline", marks)]
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
    return story


def _points(content: DossierContent, width: float, marks: dict) -> list:
    """Per dispute point: the parties' positions, admissibility, the advice and the decision."""
    story: list = [Paragraph(esc(_("Geschilpunten")), S["h1"]), Mark("points", marks)]
    if not content.points:
        story.append(Paragraph(esc(_("Geen geschilpunten.")), S["body"]))
    for point in content.points:
        block = [
            CondPageBreak(40 * mm),
            Paragraph(esc(f"{_('Geschilpunt')} {point.number}. {point.title}"), S["h2"]),
            Mark(f"point-{point.number}", marks),
        ]
        block.append(Paragraph(esc(_("Standpunten")), S["h3"]))
        if point.positions:
            block.append(facts([(p.organisation, esc(p.text)) for p in point.positions], label_width=62 * mm,
                               width=width))
        else:
            block.append(Paragraph(esc(_("Geen standpunten vastgelegd.")), S["small"]))
        block.append(Paragraph(esc(_("Ontvankelijkheid")), S["h3"]))
        block.append(facts(_admissibility_rows(point), width=width))
        block.append(Paragraph(esc(_("Advies van de adviescommissie")), S["h3"]))
        finding = point.advice_finding or (
            _("Geen bevinding over de inhoud: niet-ontvankelijk geadviseerd") if point.advised_inadmissible
            else _("Niet (of nog niet) beschikbaar"))
        block.append(facts([
            (_("Bevinding"), esc(finding)),
            (_("Aanbeveling"), esc(point.advice_recommendation)),
        ], width=width))
        block.append(Paragraph(esc(_("Beslissing van de Minister")), S["h3"]))
        follows = {True: _("Ja"), False: _("Nee, zie motivering")}.get(point.decision_follows_advice, "")
        decision = point.decision_finding or (
            _("Geen inhoudelijke beslissing: niet-ontvankelijk") if point.decided_inadmissible
            else _("Niet (of nog niet) beschikbaar"))
        block.append(facts([
            (_("Beslissing"), esc(decision)),
            (_("Volgt het advies"), esc(follows)),
            (_("Motivering"), esc(point.decision_reason)),
        ], width=width))
        story.append(KeepTogether(block[:4]))
        story.extend(block[4:])
    return story


def _admissibility_rows(point) -> list[tuple[str, str]]:
    """A point's admissibility in its three steps (procedure.md §0): the secretariat's proposal, the
    commission's advice on it when it gave one, and the Minister's decision; reasons in words."""
    rows = [
        (_("Voorstel secretariaat"), esc(point.admissibility)),
        (_("Redenen voorstel"), esc(point.reasons)),
        (_("Toelichting voorstel"), esc(point.admissibility_note)),
    ]
    if point.advice_admissibility:
        how = _("wijkt af van het voorstel") if point.advice_departs else _("zoals voorgesteld")
        advice = f"{point.advice_admissibility} ({how})"
        rows.append((_("Advies commissie"), esc(advice)))
        rows.append((_("Redenen advies"), esc(point.advice_reasons)))
    if point.decision_admissibility:
        decision = point.decision_admissibility
        if point.decision_reasons:
            decision += f" ({point.decision_reasons})"
        notes = [_("wijkt af van het voorstel van het secretariaat")] if point.decision_departs else []
        if not point.decision_adopted:
            notes.append(_("vastgelegd, de uitspraak is nog niet vastgesteld"))
        if notes:
            decision += "; " + "; ".join(notes)
    else:
        decision = _("Nog niet beslist")
    rows.append((_("Beslissing Minister"), esc(decision)))
    return rows
