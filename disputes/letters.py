"""Letters generated from the case data with the standard wording (reportlab).

The acknowledgement is stored on the case at submission; the other letters are offered to staff as
a starting point: they download, edit if needed, and upload the version that is sent. Every piece
of user text is escaped before reportlab sees it (its Paragraph parses markup). Output is
deterministic for the same case data (``invariant=1``), with an embedded font.
"""

import io
import re
from datetime import date
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .atw import format_date_nl
from .models import Deadline, DeadlineKind, Dispute, PartyRole

FONT, FONT_BOLD = "Vera", "VeraBd"

#: letter kind -> (document type code, Dutch title)
LETTERS = {
    "ontvangstbevestiging": ("ontvangstbevestiging", "Ontvangstbevestiging"),
    "verzoek_herstel": ("verzoek_herstel", "Verzoek om herstel van verzuim"),
    "uitnodiging_hoorzitting": ("uitnodiging_hoorzitting", "Uitnodiging hoorzitting"),
    "verlengingsbericht": ("verlengingsbericht", "Verlenging van de beslistermijn"),
    "bindende_uitspraak": ("bindende_uitspraak", "Bindende uitspraak"),
}


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=6)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=base, fontName=FONT_BOLD, fontSize=11, spaceBefore=8),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "sender": ParagraphStyle("sender", parent=base, fontSize=9, leading=12, textColor="#154273"),
    }


#: control, direction and zero-width characters: invisible in a letter, and the font has no glyph
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def text(value) -> str:
    """User text made safe for a reportlab Paragraph: escaped, invisible characters dropped, line
    breaks kept."""
    return escape(_INVISIBLE.sub("", str(value or ""))).replace("\n", "<br/>")


def minister() -> str:
    return getattr(settings, "MINISTER_TITLE", "de Minister van Volkshuisvesting en Ruimtelijke Ordening")


def remedies_clause(kind: str) -> str:
    """The rechtsmiddelenclausule: what the addressee can do against this letter."""
    if kind == "bindende_uitspraak" and settings.DECISION_REMEDY == "beroep":
        return _(
            "Bent u het niet eens met deze bindende uitspraak? Dan kunt u binnen zes weken na de dag "
            "van verzending van deze uitspraak beroep instellen bij %(court)s (artikel 6:7, 6:8 en 7:1 "
            "Algemene wet bestuursrecht). Vermeld in het beroepschrift ten minste uw naam en adres, de datum, "
            "het zaaknummer van deze uitspraak en de redenen van uw beroep, en onderteken het."
        ) % {"court": settings.DECISION_APPEAL_BODY}
    if kind == "bindende_uitspraak":
        return _(
            "Bent u het niet eens met deze bindende uitspraak? Dan kunt u binnen zes weken na de dag "
            "van verzending van deze uitspraak een bezwaarschrift indienen bij %(minister)s (artikel 6:7 "
            "en 6:8 Algemene wet bestuursrecht). Vermeld in het bezwaarschrift ten minste uw naam en adres, "
            "de datum, het zaaknummer van deze uitspraak en de redenen van uw bezwaar, en onderteken het."
        ) % {"minister": minister()}
    if kind == "verlengingsbericht":
        return _(
            "Tegen deze mededeling staat geen afzonderlijk bezwaar of beroep open; u kunt uw bezwaren "
            "betrekken bij een bezwaar tegen de bindende uitspraak (artikel 6:3 Algemene wet bestuursrecht)."
        )
    return _(
        "Deze brief is geen besluit in de zin van de Algemene wet bestuursrecht; er staat geen bezwaar "
        "of beroep tegen open. Uw rechten blijven bewaard tot de bindende uitspraak."
    )


def _due(dispute: Dispute, kind: str) -> Deadline | None:
    return dispute.deadlines.filter(kind=kind).order_by("-created_at", "-pk").first()


def _parties(dispute: Dispute, role: str) -> str:
    names = [p.organisation.name for p in dispute.parties.select_related("organisation") if p.role == role]
    return ", ".join(names)


def _body(kind: str, dispute: Dispute, context: dict) -> list[tuple[str, str]]:
    """The letter's paragraphs as (style, already-escaped markup)."""
    case = text(dispute.case_number or "")
    paragraphs: list[tuple[str, str]] = []
    if kind == "ontvangstbevestiging":
        decision = _due(dispute, DeadlineKind.DECISION)
        received = dispute.submitted_at
        paragraphs.append(("body", _(
            "Op %(date)s hebben wij uw verzoek om geschilbeslechting op grond van artikel 44 van de "
            "Woningwet ontvangen. Het verzoek is geregistreerd onder zaaknummer <b>%(case)s</b>. Vermeld dit "
            "nummer bij alle correspondentie."
        ) % {"date": format_date_nl(received.date()) if received else "-", "case": case}))
        paragraphs.append(("heading", _("Het verzoek")))
        paragraphs.append(("body", _("Soort geschil: %(kind)s.") % {"kind": text(dispute.get_kind_display())}))
        paragraphs.append(("body", _("Verzoeker(s): %(names)s.") % {
            "names": text(_parties(dispute, PartyRole.APPLICANT))}))
        paragraphs.append(("body", _("Verweerder(s): %(names)s.") % {
            "names": text(_parties(dispute, PartyRole.RESPONDENT))}))
        for point in dispute.points.all():
            paragraphs.append(("body", f"{point.number}. {text(point.title)}"))
        paragraphs.append(("heading", _("Hoe gaat het verder?")))
        paragraphs.append(("body", _(
            "Het secretariaat van de Adviescommissie geschilbeslechting prestatieafspraken beoordeelt eerst "
            "of het verzoek ontvankelijk is en of partijen voldoende hebben gedaan om het geschil zelf op te "
            "lossen. Daarna krijgen de verweerders de gelegenheid een verweerschrift in te dienen. De commissie "
            "adviseert de Minister, die een bindende uitspraak doet."
        )))
        if decision is not None:
            paragraphs.append(("body", _(
                "De Minister beslist uiterlijk op %(due)s. Deze termijn kan worden opgeschort als wij u om "
                "aanvulling vragen, en worden verlengd; u krijgt daarvan bericht."
            ) % {"due": format_date_nl(decision.due)}))
            paragraphs.append(("small", "<br/>".join(text(line) for line in decision.explanation)))
    elif kind == "verzoek_herstel":
        remedy = _due(dispute, DeadlineKind.REMEDY)
        paragraphs.append(("body", _(
            "Uw verzoek om geschilbeslechting (zaaknummer %(case)s) is nog niet compleet. Wij vragen u het "
            "volgende aan te vullen:"
        ) % {"case": case}))
        paragraphs.append(("body", text(context.get("reason") or (remedy.note if remedy else ""))))
        if remedy is not None:
            paragraphs.append(("body", _(
                "Stuur de aanvulling uiterlijk op %(due)s via het portaal. Zolang het verzuim niet is hersteld, "
                "is de beslistermijn opgeschort. Als u het verzuim niet tijdig herstelt, kan het verzoek "
                "niet-ontvankelijk worden verklaard (artikel 4:5 Algemene wet bestuursrecht)."
            ) % {"due": format_date_nl(remedy.due)}))
    elif kind == "uitnodiging_hoorzitting":
        paragraphs.append(("body", _(
            "De Adviescommissie geschilbeslechting prestatieafspraken nodigt u uit voor de hoorzitting in het "
            "geschil met zaaknummer %(case)s."
        ) % {"case": case}))
        paragraphs.append(("body", _("Datum en tijd: %(when)s") % {"when": text(context.get("when", ""))}))
        paragraphs.append(("body", _("Plaats of videoverbinding: %(place)s") % {
            "place": text(context.get("place", ""))}))
        paragraphs.append(("body", _(
            "Tijdens de hoorzitting kunnen alle partijen hun standpunt toelichten en vragen van de commissie "
            "beantwoorden. Laat het secretariaat uiterlijk een week van tevoren weten wie namens uw organisatie "
            "aanwezig zijn."
        )))
    elif kind == "verlengingsbericht":
        decision = _due(dispute, DeadlineKind.DECISION)
        paragraphs.append(("body", _(
            "De termijn waarbinnen de Minister in het geschil met zaaknummer %(case)s beslist, wordt verlengd "
            "(artikel 40, tweede lid, Besluit toegelaten instellingen volkshuisvesting 2015)."
        ) % {"case": case}))
        if context.get("reason"):
            paragraphs.append(("body", _("Reden: %(reason)s") % {"reason": text(context["reason"])}))
        if decision is not None:
            paragraphs.append(("body", _("De Minister beslist nu uiterlijk op %(due)s.") % {
                "due": format_date_nl(decision.due)}))
            paragraphs.append(("small", "<br/>".join(text(line) for line in decision.explanation)))
    elif kind == "bindende_uitspraak":
        paragraphs.append(("body", _(
            "%(minister)s doet, gelet op artikel 44, vierde lid, van de Woningwet en het advies van de "
            "Adviescommissie geschilbeslechting prestatieafspraken, de volgende bindende uitspraak in het geschil "
            "met zaaknummer %(case)s."
        ) % {"minister": text(minister()).capitalize(), "case": case}))
        for point in dispute.points.all():
            paragraphs.append(("heading", f"{point.number}. {text(point.title)}"))
            if point.admissibility == "inadmissible":
                reasons = ", ".join(point.inadmissibility_reasons)
                paragraphs.append(("body", _("Niet-ontvankelijk (%(reasons)s).") % {"reasons": text(reasons)}))
                continue
            if point.decision_finding:
                paragraphs.append(("body", _("Beslissing: %(finding)s.") % {
                    "finding": text(point.get_decision_finding_display())}))
            if point.decision_follows_advice is False:
                paragraphs.append(("body", _("De Minister wijkt af van het advies: %(reason)s") % {
                    "reason": text(point.decision_reason)}))
            elif point.decision_follows_advice:
                paragraphs.append(("body", _("De Minister volgt het advies van de commissie.")))
    else:
        raise ValueError(f"unknown letter kind {kind!r}")
    return paragraphs


def render_letter(kind: str, dispute: Dispute, *, on: date | None = None, **context) -> bytes:
    """A letter of ``kind`` (a key of LETTERS) for ``dispute``, as PDF bytes.

    Always in Dutch, whatever language the person asking for it reads the site in: the letter is
    part of the legal record.
    """
    with translation.override("nl"):
        return _render_letter(kind, dispute, on=on, **context)


def _render_letter(kind: str, dispute: Dispute, *, on: date | None = None, **context) -> bytes:
    _register_fonts()
    styles = _styles()
    title = LETTERS[kind][1]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
        title=f"{title} {dispute.case_number or ''}".strip(), author="Adviescommissie geschilbeslechting "
        "prestatieafspraken", invariant=1, lang="nl-NL",
    )
    sent_on = on or (dispute.submitted_at.date() if dispute.submitted_at else None)
    header = Table(
        [[Paragraph(text(_("Secretariaat Adviescommissie geschilbeslechting prestatieafspraken")),
                    styles["sender"]),
          Paragraph(text(_("Zaaknummer: %(case)s") % {"case": dispute.case_number or "-"}) + "<br/>"
                    + text(_("Datum: %(date)s") % {"date": format_date_nl(sent_on) if sent_on else "-"}),
                    styles["small"])]],
        colWidths=[95 * mm, 65 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [header, Spacer(1, 12 * mm), Paragraph(text(title), styles["title"])]
    story += [Paragraph(markup, styles[style]) for style, markup in _body(kind, dispute, context)]
    story += [Spacer(1, 8 * mm), Paragraph(text(_("Rechtsmiddelen")), styles["heading"]),
              Paragraph(text(remedies_clause(kind)), styles["small"])]
    doc.build(story)
    return buffer.getvalue()
