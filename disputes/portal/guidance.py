"""What a party reads at the top of its case page: what happens now, what is expected of them, by when.

One mapping, per (state, role), so the texts can be read and reviewed together. ``role`` is
``applicant``, ``respondent`` or ``respondent_done`` (a respondent that has filed its verweer).
``deadline`` names the kind of open deadline that answers "vóór welke datum"; ``action`` names the
action on the case page that fits (the view decides whether it is open to this user).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import DeadlineKind
from ..states import ANSWERABLE_STATES, CONCLUDED_STATES
from ..states import DisputeState as S
from ..termwords import format_date

APPLICANT = "applicant"
RESPONDENT = "respondent"
RESPONDENT_DONE = "respondent_done"
INTERESTED = "interested"


@dataclass(frozen=True)
class Guidance:
    now: str
    expected: str
    deadline: str | None = None
    action: str | None = None


_NOTHING = _("U hoeft nu niets te doen. U krijgt een e-mail zodra er iets van u wordt verwacht.")
_EFFORTS = _("U hoeft nu niets te doen. Heeft u nog overleg gevoerd of brieven gestuurd? Leg dat vast in het "
             "overleglogboek.")

_TABLE: dict[tuple[str, str], Guidance] = {
    (S.DRAFT, APPLICANT): Guidance(
        _("Uw verzoek is nog een concept. Alleen uw organisatie kan het zien; er is nog niets ingediend."),
        _("Vul de stappen in en dien het verzoek in. Let op de indieningstermijn: vier weken nadat het geschil "
          "is ontstaan. De stap Controleren toont vanaf welke datum die termijn loopt en tot wanneer."),
        action="wizard",
    ),
    (S.SUBMITTED, APPLICANT): Guidance(
        _("Uw verzoek is ontvangen en heeft een zaaknummer. U heeft een ontvangstbevestiging gekregen. Het "
          "secretariaat gaat beoordelen of het verzoek ontvankelijk is."),
        _NOTHING, DeadlineKind.DECISION,
    ),
    (S.SUBMITTED, RESPONDENT): Guidance(
        _("Er is een verzoek tot geschilbeslechting ingediend waarin uw organisatie verweerder is. Het "
          "secretariaat beoordeelt eerst of het verzoek ontvankelijk is."),
        _("U hoeft nu niets te doen. Als het geschil in behandeling wordt genomen, krijgt u een e-mail en kunt u "
          "een verweerschrift indienen."),
        DeadlineKind.DECISION,
    ),
    (S.ADMISSIBILITY_REVIEW, APPLICANT): Guidance(
        _("Het secretariaat beoordeelt of het verzoek ontvankelijk is: op tijd ingediend, door een bevoegde partij, "
          "over prestatieafspraken en volledig. Dit gebeurt per geschilpunt."),
        _("U hoeft nu niets te doen. Als er iets ontbreekt, vraagt het secretariaat u het verzoek aan te vullen."),
        DeadlineKind.DECISION,
    ),
    (S.ADMISSIBILITY_REVIEW, RESPONDENT): Guidance(
        _("Het secretariaat beoordeelt of het verzoek ontvankelijk is."), _NOTHING, DeadlineKind.DECISION,
    ),
    (S.AWAITING_REMEDY, APPLICANT): Guidance(
        _("Het secretariaat heeft gevraagd uw verzoek aan te vullen (herstel verzuim). Zolang u dat niet heeft "
          "gedaan, staat de beslistermijn stil."),
        _("Voeg de gevraagde stukken toe of licht toe waarom ze er niet zijn. Doet u dat niet op tijd, dan kan "
          "het verzoek niet-ontvankelijk worden verklaard."),
        DeadlineKind.REMEDY, "remedy",
    ),
    (S.AWAITING_REMEDY, RESPONDENT): Guidance(
        _("Het secretariaat heeft de verzoeker gevraagd het verzoek aan te vullen."), _NOTHING, DeadlineKind.REMEDY,
    ),
    (S.EFFORT_REVIEW, APPLICANT): Guidance(
        _("Het verzoek is ontvankelijk. Het secretariaat toetst nu of de partijen aantoonbaar alles hebben gedaan "
          "om er samen uit te komen."),
        _EFFORTS, DeadlineKind.DECISION, "effort",
    ),
    (S.EFFORT_REVIEW, RESPONDENT): Guidance(
        _("Het secretariaat toetst of de partijen aantoonbaar alles hebben gedaan om er samen uit te komen."),
        _EFFORTS, DeadlineKind.DECISION, "effort",
    ),
    (S.AWAITING_RESPONSE, APPLICANT): Guidance(
        _("Het geschil is in behandeling genomen. De verweerders kunnen nu schriftelijk verweer voeren."),
        _("U hoeft nu niets te doen. U kunt de verweerschriften hier lezen zodra ze zijn ingediend."),
        DeadlineKind.RESPONSE,
    ),
    (S.AWAITING_RESPONSE, RESPONDENT): Guidance(
        _("Het geschil is in behandeling genomen. Uw organisatie kan nu schriftelijk verweer voeren."),
        _("Dien uw verweerschrift in en geef per geschilpunt uw standpunt. Te laat ingediend verweer wordt alleen "
          "aangenomen als het secretariaat dat toestaat."),
        DeadlineKind.RESPONSE, "respond",
    ),
    (S.AWAITING_RESPONSE, RESPONDENT_DONE): Guidance(
        _("Uw verweer is ontvangen. De verweerronde loopt nog voor de andere verweerders."), _NOTHING,
        DeadlineKind.RESPONSE,
    ),
    (S.EXCHANGE, APPLICANT): Guidance(
        _("De schriftelijke ronde loopt. De adviescommissie kan partijen om een reactie of om inlichtingen vragen."),
        _("Als het secretariaat u een vraag stelt, beantwoord die dan vóór de genoemde datum met de knop "
          "\"Vraag om inlichtingen beantwoorden\"."),
        DeadlineKind.INFORMATION,
    ),
    (S.EXCHANGE, INTERESTED): Guidance(
        _("Uw organisatie is partij bij de prestatieafspraken waarover dit geschil gaat, maar geen partij in het "
          "geschil. Het secretariaat nodigt u uit uw zienswijze te geven (artikel 4:8 Awb)."),
        _("Lees de stukken en geef uw zienswijze vóór de genoemde datum met de knop \"Vraag om inlichtingen "
          "beantwoorden\". U mag ook afzien van een zienswijze."),
        DeadlineKind.INFORMATION,
    ),
    (S.HEARING_SCHEDULED, APPLICANT): Guidance(
        _("Er is een hoorzitting gepland. Daar kunnen de partijen hun standpunten mondeling toelichten."),
        _("Bereid uw toelichting voor. Datum en plaats staan in de uitnodiging en in het verloop hieronder."),
    ),
    (S.DELIBERATION, APPLICANT): Guidance(
        _("De adviescommissie stelt haar advies aan de Minister op."), _NOTHING, DeadlineKind.DECISION,
    ),
    (S.ADVICE_ISSUED, APPLICANT): Guidance(
        _("De adviescommissie heeft de Minister geadviseerd. De Minister doet een bindende uitspraak."), _NOTHING,
        DeadlineKind.DECISION,
    ),
    (S.DECIDED, APPLICANT): Guidance(
        _("De Minister heeft een bindende uitspraak gedaan. U vindt de uitspraak bij de documenten."),
        _("Lees de uitspraak. Bent u het er niet mee eens, dan kunt u bezwaar maken; hoe dat moet staat in de "
          "uitspraak."),
        DeadlineKind.OBJECTION,
    ),
    (S.WITHDRAWN, APPLICANT): Guidance(
        _("Het verzoek is ingetrokken. Het geschil is beëindigd."), _("U hoeft niets meer te doen."),
    ),
    (S.SETTLED, APPLICANT): Guidance(
        _("De partijen hebben het geschil samen opgelost (schikking). Het geschil is beëindigd."),
        _("U hoeft niets meer te doen."),
    ),
    (S.CLOSED, APPLICANT): Guidance(
        _("Het geschil is afgesloten en gearchiveerd."), _("U hoeft niets meer te doen."),
    ),
}
_SAME_FOR_BOTH = (*ANSWERABLE_STATES, *CONCLUDED_STATES)


def guidance_for(state: str, role: str) -> Guidance:
    """The guidance of a state for a role. A respondent that has filed reads the respondent's text
    outside the response round; states that concern both sides alike share the applicant's text."""
    keys = [(state, role)]
    if role == RESPONDENT_DONE:
        keys.append((state, RESPONDENT))
    if state in _SAME_FOR_BOTH:
        keys.append((state, APPLICANT))
    for key in keys:
        if key in _TABLE:
            return _TABLE[key]
    return Guidance(_("Het geschil is in behandeling."), _NOTHING)


def waiting_question(state: str, deadlines, organisation_ids) -> object | None:
    """The earliest open information request (from a list of the case's deadlines) put to one of
    these organisations, while the case can still take an answer: then the party has to act."""

    if state not in ANSWERABLE_STATES:
        return None
    asked = [d for d in deadlines if d.kind == DeadlineKind.INFORMATION and d.closed_at is None
             and d.organisation_id in organisation_ids]
    return min(asked, key=lambda d: (d.due, d.pk), default=None)


def deadline_for(guidance: Guidance, deadlines, organisation_ids=()) -> object | None:
    """The open deadline (from a list of the case's deadlines) that answers "vóór welke datum"."""
    if guidance.deadline is None:
        return None
    candidates = [d for d in deadlines if d.kind == guidance.deadline and d.closed_at is None]
    if guidance.deadline == DeadlineKind.INFORMATION:
        candidates = [d for d in candidates if d.organisation_id in set(organisation_ids)]
    candidates.sort(key=lambda d: d.due)
    return candidates[0] if candidates else None


def due_text(deadline) -> str:
    """The deadline's last day, as the active language writes it."""
    return format_date(deadline.due) if deadline is not None else ""


def all_pairs() -> list[tuple[str, str]]:
    """Every (state, role) pair the table answers for (for the tests)."""
    return list(_TABLE)
