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
from .clock import AMSTERDAM
from .models import Deadline, DeadlineKind, Dispute, PartyRole

FONT, FONT_BOLD = "Vera", "VeraBd"

#: letter kind -> (document type code, Dutch title)
LETTERS = {
    "ontvangstbevestiging": ("ontvangstbevestiging", "Ontvangstbevestiging"),
    "verzoek_herstel": ("verzoek_herstel", "Verzoek om herstel van verzuim"),
    "uitnodiging_hoorzitting": ("uitnodiging_hoorzitting", "Uitnodiging hoorzitting"),
    "verlengingsbericht": ("verlengingsbericht", "Verlenging van de beslistermijn"),
    "bindende_uitspraak": ("bindende_uitspraak", "Bindende uitspraak"),
    "mededeling_intrekking": ("intrekking", "Mededeling intrekking"),
    "herstelbesluit": ("bindende_uitspraak", "Herstelbesluit"),  # part of the decision it corrects
    "niet_ontvankelijk": ("mededeling_ontvankelijkheid", "Besluit: verzoek niet-ontvankelijk"),
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


#: Letters that are the Minister's own (her binding decision, the extension of her decision term): they come
#: from the Minister, not from the commission's secretariat, and are signed "namens deze" (mandate, Awb 10:1).
FROM_THE_MINISTER = {"bindende_uitspraak", "verlengingsbericht"}


def mandate_function() -> str:
    """The function of the official who signs for the Minister under mandate (configuration)."""
    return getattr(settings, "MINISTER_MANDATE_FUNCTION", "de directeur Woningmarkt")


def upper_first(value: str) -> str:
    """The first letter in capitals, the rest as it is (``str.capitalize`` would lower "Minister")."""
    return value[:1].upper() + value[1:]


def minister_signature(signatory=None) -> str:
    """The signature of a letter from the Minister, as markup: "De Minister van ..., namens deze," then the
    name of the official who signs (when known) and the function under which they sign."""
    name = signatory.get_full_name() if signatory is not None else ""
    lines = [upper_first(minister()) + ",", _("namens deze,"), "", *([name] if name else []), mandate_function()]
    return "<br/>".join(text(line) for line in lines)


#: the capacity in which an organisation receives an extension notice (BTIV art. 40 lid 2)
NOTICE_CAPACITIES = ("applicant", "respondent", "municipality")


def extension_addressees(dispute: Dispute) -> list[tuple[str, object]]:
    """Who receives the notice of an extension of the decision term (BTIV art. 40 lid 2): every party to the
    case, as ``(capacity, organisation)``, and the college van B&W of the gemeente of the agreement, as
    ``("municipality", gemeente)``, also when the gemeente is itself a party or is none."""
    parties = [(p.role, p.organisation) for p in dispute.parties.select_related("organisation")]
    return [*parties, ("municipality", dispute.agreement.municipality)]


def notice_addresses(organisation, capacity: str) -> list[str]:
    """The e-mail addresses a letter to ``organisation`` goes to: a party's members and its general address;
    the college van B&W at the gemeente's general address (``Organisation.email``), or, when it has none, the
    gemeente's members. Empty: the organisation cannot be reached."""
    members = sorted({m.user.email for m in organisation.memberships.filter(ended_at__isnull=True)
                      .select_related("user") if m.user.is_active and m.user.email})
    general = [organisation.email] if organisation.email else []
    if capacity == "municipality":
        return general or members
    return sorted(set(members) | set(general))


def remedies_clause(kind: str) -> str:
    """The rechtsmiddelenclausule: what the addressee can do against this letter."""
    if kind == "herstelbesluit":
        return _correction_remedies()
    if kind == "niet_ontvankelijk":
        return _(
            "Bent u het niet eens met deze beslissing? Dan kunt u binnen zes weken na de dag van verzending "
            "een bezwaarschrift indienen bij %(minister)s (artikel 6:7 en 6:8 Algemene wet bestuursrecht). "
            "Vermeld in het bezwaarschrift ten minste uw naam en adres, de datum, het zaaknummer en de redenen "
            "van uw bezwaar, en onderteken het."
        ) % {"minister": minister()}
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
    """The names of the parties in ``role``; an applicant that withdrew its part says when (procedure.md §0)."""
    names = [
        p.organisation.name if p.withdrawn_at is None else _("%(name)s (ingetrokken op %(date)s)") % {
            "name": p.organisation.name, "date": format_date_nl(p.withdrawn_at.astimezone(AMSTERDAM).date())}
        for p in dispute.parties.select_related("organisation") if p.role == role
    ]
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
        addressees = extension_addressees(dispute)
        paragraphs.append(("body", _(
            "Dit bericht gaat aan de partijen (%(parties)s) en aan het college van burgemeester en wethouders van "
            "%(municipality)s, de gemeente van de prestatieafspraken."
        ) % {"parties": text(", ".join(o.name for c, o in addressees if c != "municipality")),
             "municipality": text(dispute.agreement.municipality.name)}))
    elif kind == "bindende_uitspraak":
        paragraphs.append(("body", _(
            "%(minister)s doet, gelet op artikel 44, vierde lid, van de Woningwet en het advies van de "
            "Adviescommissie geschilbeslechting prestatieafspraken, de volgende bindende uitspraak in het geschil "
            "met zaaknummer %(case)s."
        ) % {"minister": text(upper_first(minister())), "case": case}))
        for point in dispute.points.all():
            paragraphs.append(("heading", f"{point.number}. {text(point.title)}"))
            # the Minister's decision on admissibility; the secretariat's verdict was a proposal
            decided = point.decision_admissibility or point.admissibility
            if decided == "inadmissible":
                paragraphs.append(("body", _("Niet-ontvankelijk: %(reasons)s.") % {
                    "reasons": text(reasons_in_words(point.inadmissibility_reasons))}))
                words = point.decision_reason or point.admissibility_note
                if words:
                    paragraphs.append(("body", text(words)))
                continue
            if point.admissibility == "inadmissible":
                paragraphs.append(("body", _(
                    "Het secretariaat stelde voor dit geschilpunt niet-ontvankelijk te verklaren; de Minister acht "
                    "het ontvankelijk en beoordeelt het inhoudelijk."
                )))
            if point.decision_finding:
                paragraphs.append(("body", _("Beslissing: %(finding)s.") % {
                    "finding": text(point.get_decision_finding_display())}))
            if point.decision_follows_advice is False:
                paragraphs.append(("body", _("De Minister wijkt af van het advies: %(reason)s") % {
                    "reason": text(point.decision_reason)}))
            elif point.decision_follows_advice:
                paragraphs.append(("body", _("De Minister volgt het advies van de commissie.")))
    elif kind == "niet_ontvankelijk":
        paragraphs.extend(_inadmissible_body(dispute, context, case))
    elif kind == "herstelbesluit":
        paragraphs.extend(_correction_body(dispute, context, case))
    elif kind == "mededeling_intrekking":
        paragraphs.extend(_withdrawal_body(dispute, case))
    else:
        raise ValueError(f"unknown letter kind {kind!r}")
    return paragraphs


def reasons_in_words(codes) -> str:
    """Reason codes as the words of their labels (A3 -> "A3 gaat over de inhoud van gemeentelijk beleid")."""
    from .models import InadmissibilityReason

    return "; ".join(str(InadmissibilityReason(c).label) if c in InadmissibilityReason.values else str(c)
                     for c in codes)


def _inadmissible_body(dispute: Dispute, context: dict, case: str) -> list[tuple[str, str]]:
    """The Minister's decision that the request is inadmissible as a whole (Awb 3:46: reasons per point in
    words; Awb 4:5: a remedy that came after the term was weighed)."""
    paragraphs = [("body", _(
        "%(minister)s verklaart, gelet op artikel 44, vierde lid, van de Woningwet, het verzoek om "
        "geschilbeslechting met zaaknummer %(case)s niet-ontvankelijk. Dat betekent dat de Minister het geschil "
        "niet inhoudelijk beoordeelt en geen bindende uitspraak over de inhoud doet."
    ) % {"minister": text(minister()).capitalize(), "case": case})]
    paragraphs.append(("heading", _("Motivering per geschilpunt")))
    for point in dispute.points.all():
        paragraphs.append(("heading", f"{point.number}. {text(point.title)}"))
        paragraphs.append(("body", _("Niet-ontvankelijk: %(reasons)s.") % {
            "reasons": text(reasons_in_words(point.inadmissibility_reasons))}))
        words = point.decision_reason or point.admissibility_note
        if words:
            paragraphs.append(("body", text(words)))
        if point.admissibility == "admissible":
            paragraphs.append(("body", _(
                "Het secretariaat achtte dit geschilpunt ontvankelijk. De Minister wijkt daarvan af om de "
                "hierboven genoemde redenen."
            )))
    late = context.get("late_remedy") or []
    if late:
        paragraphs.append(("heading", _("Stukken ontvangen na de hersteltermijn")))
        paragraphs.append(("body", _(
            "Na afloop van de hersteltermijn, maar vóór deze beslissing, heeft de verzoeker nog stukken "
            "gestuurd: %(docs)s. De Minister heeft die bij deze beslissing betrokken: %(weighed)s"
        ) % {"docs": text(", ".join(late)), "weighed": text(context.get("late_remedy_weighed", ""))}))
    paragraphs.append(("body", _("%(minister)s, namens deze,") % {"minister": text(minister()).capitalize()}))
    return paragraphs


def _correction_body(dispute: Dispute, context: dict, case: str) -> list[tuple[str, str]]:
    """The herstelbesluit: the Minister corrects an obvious error (kennelijke verschrijving) in the decision;
    ``context["reason"]`` says what was corrected (disputes.services.aftercare.dispute_correct_decision)."""
    from .clock import localdate

    decided = format_date_nl(localdate(dispute.decided_at)) if dispute.decided_at else "-"
    return [
        ("body", _(
            "%(minister)s herstelt een kennelijke verschrijving in de bindende uitspraak van %(date)s in het geschil "
            "met zaaknummer %(case)s."
        ) % {"minister": text(minister()).capitalize(), "date": decided, "case": case}),
        ("heading", _("Wat wordt hersteld")),
        ("body", text(context.get("reason") or _("[omschrijf de verbetering]"))),
        ("body", _(
            "Voor het overige blijft de bindende uitspraak ongewijzigd. Dit herstelbesluit maakt deel uit van de "
            "bindende uitspraak."
        )),
        ("body", _("%(minister)s, namens deze,") % {"minister": text(minister()).capitalize()}),
    ]


def _correction_remedies() -> str:
    if settings.DECISION_REMEDY == "beroep":
        return _(
            "Bent u het niet eens met dit herstelbesluit? Dan kunt u binnen zes weken na de dag van verzending "
            "ervan beroep instellen bij %(court)s (artikel 6:7, 6:8 en 7:1 Algemene wet bestuursrecht). Vermeld "
            "het zaaknummer en de redenen van uw beroep, en onderteken het."
        ) % {"court": settings.DECISION_APPEAL_BODY}
    return _(
        "Bent u het niet eens met dit herstelbesluit? Dan kunt u binnen zes weken na de dag van verzending ervan "
        "een bezwaarschrift indienen bij %(minister)s (artikel 6:7 en 6:8 Algemene wet bestuursrecht). Vermeld "
        "ten minste uw naam en adres, de datum, het zaaknummer en de redenen van uw bezwaar, en onderteken het."
    ) % {"minister": minister()}


def _withdrawal_body(dispute: Dispute, case: str) -> list[tuple[str, str]]:
    """The notice that applicants withdrew (procedure.md §0): who withdrew when, and whether the case goes on for
    the other applicants (a co-applicant's withdrawal ends only its own part) or has ended."""
    applicants = [p for p in dispute.parties.select_related("organisation") if p.role == PartyRole.APPLICANT]
    withdrawn = sorted((p for p in applicants if p.withdrawn_at), key=lambda p: p.withdrawn_at)
    remaining = [p.organisation.name for p in applicants if p.withdrawn_at is None]
    paragraphs = [("body", _("In het geschil met zaaknummer %(case)s is het verzoek ingetrokken door:") % {
        "case": case})]
    for party in withdrawn:
        paragraphs.append(("body", _("%(name)s, op %(date)s.") % {
            "name": text(party.organisation.name),
            "date": format_date_nl(party.withdrawn_at.astimezone(AMSTERDAM).date())}))
    if not withdrawn:
        paragraphs.append(("body", "-"))
    if remaining:
        paragraphs.append(("body", _(
            "Een intrekking beëindigt alleen het deel van het verzoek van de verzoeker die intrekt. Het geschil "
            "loopt door voor %(names)s; de termijnen blijven gelden."
        ) % {"names": text(", ".join(remaining))}))
    else:
        paragraphs.append(("body", _(
            "Daarmee hebben alle verzoekers het verzoek ingetrokken. De behandeling van het geschil is beëindigd; "
            "de Minister doet geen uitspraak."
        )))
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
        [[Paragraph(text(upper_first(minister()) if kind in FROM_THE_MINISTER
                         else _("Secretariaat Adviescommissie geschilbeslechting prestatieafspraken")),
                    styles["sender"]),
          Paragraph(text(_("Zaaknummer: %(case)s") % {"case": dispute.case_number or "-"}) + "<br/>"
                    + text(_("Datum: %(date)s") % {"date": format_date_nl(sent_on) if sent_on else "-"}),
                    styles["small"])]],
        colWidths=[95 * mm, 65 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [header, Spacer(1, 12 * mm), Paragraph(text(title), styles["title"])]
    story += [Paragraph(markup, styles[style]) for style, markup in _body(kind, dispute, context)]
    if kind in FROM_THE_MINISTER:  # signed for the Minister by the official who adopts or extends
        signatory = dispute.decision_adopted_by if kind == "bindende_uitspraak" else None
        story += [Spacer(1, 4 * mm), Paragraph(minister_signature(context.get("signatory") or signatory),
                                               styles["body"])]
    story += [Spacer(1, 8 * mm), Paragraph(text(_("Rechtsmiddelen")), styles["heading"]),
              Paragraph(text(remedies_clause(kind)), styles["small"])]
    doc.build(story)
    return buffer.getvalue()
