"""The letters of the procedure, worded by the secretariat (issue 16, docs/letters.md, ADR 0020).

Every letter kind is a row of ``KINDS``: its title, the document type it is stored as, who it comes from (the
secretariat, the commission or the Minister), to whom it goes, and the placeholders its wording may use. The
wording itself is a ``LetterTemplate`` version in the database, edited by the secretariat; the wording shipped with
the product lives in ``disputes/letter_texts/<kind>.txt`` and is version 1 until the secretariat changes it.

A wording is plain text with placeholders in double parentheses, as in GOV.UK Notify: ``((zaaknummer))``.

- A paragraph ends at a blank line; a line that starts with ``- `` is an item of a list; ``# `` starts a heading.
- A *block* placeholder (``((geschilpunten))``) stands alone in its paragraph: it becomes several paragraphs or a
  list, built from the case's data.
- ``check`` refuses, when the wording is saved, a placeholder the kind does not know, one it requires that is
  missing, a block inside a sentence, and a stray ``((`` or ``))``: an error at save time, never a blank in a letter.

``render_html`` puts a wording and the case's data into the letter layout (``templates/letters/letter.html``,
ADR 0019): sender, the addressee in the envelope window, reference block, salutation, body, the signature
("namens deze" for the Minister's letters, by the function of the official who signs under mandate) and the
rechtsmiddelenclausule where the law requires one (``letters.remedies_clause``: the law's text, not editable).
Every value is escaped; nothing the secretariat or a party typed becomes markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import letterpress
from .clock import AMSTERDAM, localdate
from .letters import (
    extension_addressees,
    mandate_function,
    minister,
    reasons_in_words,
    remedies_clause,
    upper_first,
)
from .models import Deadline, DeadlineKind, Dispute, DocumentType, PartyRole, Step
from .states import DisputeState as S

TEXTS = Path(__file__).resolve().parent / "letter_texts"
PLACEHOLDER = re.compile(r"\(\(([^()]*)\)\)")
MAX_SUBJECT = 200
MAX_BODY = 20_000

SECRETARIAT = "secretariat"
COMMISSION = "commission"
MINISTER = "minister"


# -- placeholders -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Placeholder:
    description: str
    #: a block becomes several paragraphs or a list and stands alone in its paragraph
    block: bool = False


#: every placeholder a wording may use, with what it stands for (the editor shows this list per kind)
PLACEHOLDERS: dict[str, Placeholder] = {
    "zaaknummer": Placeholder("het zaaknummer, bijvoorbeeld GPA-2026-0012"),
    "titel": Placeholder("de korte omschrijving van het geschil"),
    "soort_geschil": Placeholder("totstandkoming of nakoming van prestatieafspraken"),
    "prestatieafspraken": Placeholder("de prestatieafspraken: gemeente en jaar"),
    "gemeente": Placeholder("de naam van de gemeente van de prestatieafspraken"),
    "verzoekers": Placeholder("de namen van de verzoekers"),
    "verweerders": Placeholder("de namen van de verweerders"),
    "geadresseerde": Placeholder("de naam van de organisatie aan wie de brief gaat"),
    "minister": Placeholder("de Minister, voluit (instelling MINISTER_TITLE)"),
    "ingediend_op": Placeholder("de datum waarop het verzoek is ingediend"),
    "geschilpunten": Placeholder("de geschilpunten, genummerd", block=True),
    "beslistermijn": Placeholder("de uiterste datum van de bindende uitspraak"),
    "berekening_beslistermijn": Placeholder("hoe de beslistermijn is berekend", block=True),
    "hersteltermijn": Placeholder("de uiterste datum om het verzoek aan te vullen"),
    "ontbrekend": Placeholder("wat ontbreekt, in de woorden van het secretariaat"),
    "gevraagde_stukken": Placeholder("de gevraagde stukken, als lijst", block=True),
    "ontvankelijkheid_per_punt": Placeholder("per geschilpunt: ontvankelijk of niet, met de redenen in woorden",
                                             block=True),
    "verweertermijn": Placeholder("de uiterste datum voor het verweerschrift"),
    "vraag": Placeholder("de vraag om inlichtingen"),
    "antwoordtermijn": Placeholder("de uiterste datum voor het antwoord"),
    "hoorzitting_datum": Placeholder("datum en tijd van de hoorzitting"),
    "hoorzitting_plaats": Placeholder("de plaats of videoverbinding van de hoorzitting"),
    "reden": Placeholder("de reden (van de verlenging, het herstel of de intrekking)"),
    "advies_datum": Placeholder("de datum waarop de commissie adviseerde"),
    "beslissing_per_punt": Placeholder("per geschilpunt de beslissing van de Minister en de motivering",
                                       block=True),
    "uitspraak_datum": Placeholder("de datum van de bindende uitspraak"),
    "na_de_hersteltermijn": Placeholder("de stukken die na de hersteltermijn kwamen en hoe de Minister ze woog "
                                        "(artikel 4:5 Awb); leeg als er geen waren", block=True),
    "ingetrokken_door": Placeholder("wie het verzoek introk en wanneer", block=True),
    "verder": Placeholder("hoe het verder gaat na de intrekking"),
    "schikking": Placeholder("waarop de schikking berust"),
}

COMMON = ("zaaknummer", "titel", "soort_geschil", "prestatieafspraken", "gemeente", "verzoekers", "verweerders",
          "geadresseerde", "minister", "ingediend_op")


# -- addressees ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Addressee:
    """Who a letter goes to: a party organisation, the college van B&W of the gemeente, or the Minister (who is no
    organisation of the product)."""

    name: str
    postal_address: str = ""
    email: str = ""
    capacity: str = ""  # applicant, respondent, interested, municipality, minister
    organisation: object = None

    @property
    def salutation(self) -> str:
        if self.capacity == "municipality":
            return "Geacht college van burgemeester en wethouders,"
        if self.capacity == "minister":
            return "Excellentie,"
        return "Geachte heer, mevrouw,"


def _of(organisation, capacity: str) -> Addressee:
    name = organisation.name
    if capacity == "municipality":
        name = f"Het college van burgemeester en wethouders van {organisation.name.removeprefix('Gemeente ')}"
    return Addressee(name=name, postal_address=organisation.postal_address, email=organisation.email,
                     capacity=capacity, organisation=organisation)


def parties(dispute: Dispute, *roles: str) -> list[Addressee]:
    """The case's parties (of ``roles``, else all) that take part (a withdrawn applicant hears of the end too)."""
    found = [p for p in dispute.parties.select_related("organisation").order_by("role", "organisation__name")
             if not roles or p.role in roles]
    return [_of(p.organisation, p.role) for p in found]


def _applicants(dispute, letter_context):
    return parties(dispute, PartyRole.APPLICANT)


def _respondents(dispute, letter_context):
    return parties(dispute, PartyRole.RESPONDENT)


def _all_parties(dispute, letter_context):
    return parties(dispute, PartyRole.APPLICANT, PartyRole.RESPONDENT)


def _questioned(dispute, letter_context):
    deadline = _information_deadline(dispute, letter_context)
    if deadline is None or deadline.organisation is None:
        return []
    role = next((p.role for p in dispute.parties.all() if p.organisation_id == deadline.organisation_id),
                PartyRole.INTERESTED)
    return [_of(deadline.organisation, role)]


def _extension(dispute, letter_context):
    return [_of(o, capacity) for capacity, o in extension_addressees(dispute)]


def _the_minister(dispute, letter_context):
    return [Addressee(name=upper_first(minister()), postal_address="Postbus 20011\n2500 EA Den Haag",
                      capacity="minister")]


# -- the kinds ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LetterKind:
    code: str
    title: str
    doc_type: str
    step: str
    sender: str
    addressees: Callable
    #: the placeholders beyond ``COMMON`` this kind may use; ``required`` must appear in its wording
    placeholders: tuple[str, ...] = ()
    required: tuple[str, ...] = ("zaaknummer",)
    #: the states in which the secretariat may make and send it by hand (empty: the system sends it itself)
    states: frozenset = field(default_factory=frozenset)
    #: what the letter needs besides the case (the question it is about): the name of the context key
    needs: str = ""

    @property
    def allowed(self) -> tuple[str, ...]:
        return (*COMMON, *self.placeholders)


_AFTER_FILING = frozenset(set(S) - {S.DRAFT})
_OPEN = frozenset({S.SUBMITTED, S.ADMISSIBILITY_REVIEW, S.AWAITING_REMEDY, S.EFFORT_REVIEW, S.AWAITING_RESPONSE,
                   S.EXCHANGE, S.HEARING_SCHEDULED, S.DELIBERATION, S.ADVICE_ISSUED})

KINDS: dict[str, LetterKind] = {k.code: k for k in (
    LetterKind("ontvangstbevestiging", "Ontvangstbevestiging", DocumentType.ONTVANGSTBEVESTIGING, Step.REGISTRATION,
               SECRETARIAT, _applicants, ("geschilpunten", "beslistermijn", "berekening_beslistermijn"),
               states=_AFTER_FILING),
    LetterKind("verzoek_herstel", "Verzoek om aanvulling (herstel verzuim)", DocumentType.VERZOEK_HERSTEL,
               Step.ADMISSIBILITY, SECRETARIAT, _applicants, ("ontbrekend", "gevraagde_stukken", "hersteltermijn"),
               required=("zaaknummer", "hersteltermijn"), states=frozenset({S.AWAITING_REMEDY})),
    LetterKind("mededeling_ontvankelijkheid", "Mededeling ontvankelijkheid", DocumentType.MEDEDELING_ONTVANKELIJKHEID,
               Step.ADMISSIBILITY, SECRETARIAT, _all_parties, ("geschilpunten", "ontvankelijkheid_per_punt"),
               required=("zaaknummer", "ontvankelijkheid_per_punt"),
               states=frozenset({S.EFFORT_REVIEW, S.AWAITING_RESPONSE, S.EXCHANGE})),
    LetterKind("niet_ontvankelijk", "Besluit: verzoek niet-ontvankelijk", DocumentType.MEDEDELING_ONTVANKELIJKHEID,
               Step.DECISION, MINISTER, _all_parties,
               ("ontvankelijkheid_per_punt", "uitspraak_datum", "na_de_hersteltermijn"),
               required=("zaaknummer", "ontvankelijkheid_per_punt"), states=frozenset({S.DECIDED, S.CLOSED})),
    LetterKind("uitnodiging_verweer", "Uitnodiging tot verweer", DocumentType.CORRESPONDENTIE, Step.RESPONSE,
               SECRETARIAT, _respondents, ("geschilpunten", "verweertermijn"),
               required=("zaaknummer", "verweertermijn"), states=frozenset({S.AWAITING_RESPONSE})),
    LetterKind("vraag_inlichtingen", "Vraag om inlichtingen", DocumentType.VRAAG_INLICHTINGEN, Step.RESPONSE,
               SECRETARIAT, _questioned, ("vraag", "antwoordtermijn"), required=("zaaknummer", "vraag"),
               states=frozenset({S.EXCHANGE, S.HEARING_SCHEDULED, S.DELIBERATION, S.ADVICE_ISSUED}),
               needs="deadline"),
    LetterKind("uitnodiging_hoorzitting", "Uitnodiging hoorzitting", DocumentType.UITNODIGING_HOORZITTING,
               Step.HEARING, COMMISSION, _all_parties, ("hoorzitting_datum", "hoorzitting_plaats", "geschilpunten"),
               required=("zaaknummer", "hoorzitting_datum"), states=frozenset({S.HEARING_SCHEDULED})),
    LetterKind("verslag_hoorzitting", "Verslag hoorzitting (begeleidende brief)", DocumentType.CORRESPONDENTIE,
               Step.HEARING, COMMISSION, _all_parties, ("hoorzitting_datum",),
               states=frozenset({S.DELIBERATION, S.ADVICE_ISSUED})),
    LetterKind("verlengingsbericht", "Verlenging van de beslistermijn", DocumentType.VERLENGINGSBERICHT, Step.TERM,
               MINISTER, _extension, ("reden", "beslistermijn", "berekening_beslistermijn"),
               required=("zaaknummer", "beslistermijn")),
    LetterKind("aanbieding_advies", "Aanbieding advies", DocumentType.AANBIEDINGSBRIEF, Step.ADVICE, COMMISSION,
               _the_minister, ("geschilpunten", "advies_datum"),
               states=frozenset({S.ADVICE_ISSUED, S.DECIDED, S.CLOSED})),
    LetterKind("bindende_uitspraak", "Bindende uitspraak", DocumentType.BINDENDE_UITSPRAAK, Step.DECISION, MINISTER,
               _all_parties, ("beslissing_per_punt", "advies_datum", "uitspraak_datum"),
               required=("zaaknummer", "beslissing_per_punt"), states=frozenset({S.DECIDED, S.CLOSED})),
    LetterKind("herstelbesluit", "Herstelbesluit", DocumentType.BINDENDE_UITSPRAAK, Step.CLOSING, MINISTER,
               _all_parties, ("reden", "uitspraak_datum"), required=("zaaknummer", "reden")),
    LetterKind("mededeling_intrekking", "Mededeling intrekking", DocumentType.INTREKKING, Step.CLOSING, SECRETARIAT,
               _all_parties, ("ingetrokken_door", "verder"), required=("zaaknummer", "ingetrokken_door"),
               states=_AFTER_FILING),
    LetterKind("mededeling_schikking", "Mededeling schikking", DocumentType.CORRESPONDENTIE, Step.CLOSING,
               SECRETARIAT, _all_parties, ("schikking",), required=("zaaknummer", "schikking"),
               states=frozenset({S.SETTLED, S.CLOSED})),
)}


# -- the shipped wording ------------------------------------------------------------------------------------------
def shipped(kind: str) -> tuple[str, str]:
    """The wording shipped with the product (``letter_texts/<kind>.txt``): its first line is ``Betreft: <subject>``,
    then a blank line, then the body."""
    text = (TEXTS / f"{kind}.txt").read_text(encoding="utf-8")
    first, _blank, body = text.partition("\n\n")
    return first.removeprefix("Betreft:").strip(), body.strip() + "\n"


# -- checking a wording -------------------------------------------------------------------------------------------
def check(kind: str, subject: str, body: str) -> dict[str, list[str]]:
    """What is wrong with a wording for ``kind``, per field (``subject``, ``body``): empty when it may be saved."""
    spec = KINDS[kind]
    errors: dict[str, list[str]] = {"subject": [], "body": []}
    if not subject.strip():
        errors["subject"].append("Vul het onderwerp in.")
    if len(subject) > MAX_SUBJECT:
        errors["subject"].append(f"Het onderwerp is te lang (hoogstens {MAX_SUBJECT} tekens).")
    if "\n" in subject.strip():
        errors["subject"].append("Het onderwerp is één regel.")
    if not body.strip():
        errors["body"].append("Vul de tekst van de brief in.")
    if len(body) > MAX_BODY:
        errors["body"].append(f"De tekst is te lang (hoogstens {MAX_BODY:,} tekens).".replace(",", "."))
    for name, text in (("subject", subject), ("body", body)):
        used = PLACEHOLDER.findall(text)
        leftover = PLACEHOLDER.sub("", text)
        if "((" in leftover or "))" in leftover:
            errors[name].append("Er staat een (( of )) zonder passende tegenhanger; schrijf een invulveld als "
                                "((naam)).")
        for placeholder in dict.fromkeys(used):
            if placeholder not in spec.allowed:
                known = ", ".join(f"(({p}))" for p in spec.allowed)
                errors[name].append(f"Onbekend invulveld (({placeholder})). Deze brief kent: {known}.")
            elif PLACEHOLDERS[placeholder].block and (name == "subject" or not _alone(text, placeholder)):
                errors[name].append(f"Het invulveld (({placeholder})) is een lijst of meer alinea's: zet het op "
                                    "een eigen regel, met een witregel ervoor en erna.")
    present = set(PLACEHOLDER.findall(subject)) | set(PLACEHOLDER.findall(body))
    for required in spec.required:
        if required not in present:
            errors["body"].append(f"Het invulveld (({required})) ontbreekt; deze brief moet het noemen.")
    return {k: v for k, v in errors.items() if v}


def _alone(text: str, placeholder: str) -> bool:
    return all(paragraph.strip() == f"(({placeholder}))"
               for paragraph in _paragraphs(text) if f"(({placeholder}))" in paragraph)


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")) if p.strip()]


# -- the case's values --------------------------------------------------------------------------------------------
@dataclass
class Block:
    """A block value: ``items`` of (kind, text): ``p`` a paragraph, ``li`` an item of a list, ``h`` a heading,
    ``small`` a paragraph in small print."""

    items: list[tuple[str, str]]


def _deadline(dispute: Dispute, kind: str) -> Deadline | None:
    return dispute.deadlines.filter(kind=kind).order_by("-created_at", "-pk").first()


def _information_deadline(dispute: Dispute, context: dict) -> Deadline | None:
    wanted = context.get("deadline")
    found = dispute.deadlines.filter(kind=DeadlineKind.INFORMATION).select_related("organisation")
    return found.filter(pk=wanted).first() if wanted else found.order_by("-created_at", "-pk").first()


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def _day(value) -> str:
    """A date as letters write it: "22 februari 2017"."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else "-"


def _names(dispute: Dispute, role: str) -> str:
    return ", ".join(p.organisation.name for p in dispute.parties.select_related("organisation")
                     .order_by("organisation__name") if p.role == role) or "-"


def _points(dispute: Dispute) -> Block:
    return Block([("li", f"{p.number}. {p.title}") for p in dispute.points.order_by("number")])


def _admissibility(dispute: Dispute) -> Block:
    items = []
    for point in dispute.points.order_by("number"):
        decided = point.decision_admissibility or point.admissibility
        if decided == "inadmissible":
            words = f"niet-ontvankelijk: {reasons_in_words(point.inadmissibility_reasons)}."
        elif decided == "admissible":
            words = "ontvankelijk."
        else:
            words = "nog niet beoordeeld."
        items.append(("p", f"{point.number}. {point.title}: {words}"))
        note = point.decision_reason if point.decision_admissibility == "inadmissible" else point.admissibility_note
        if decided == "inadmissible" and note:
            items.append(("small", note))
    return Block(items)


def _decisions(dispute: Dispute) -> Block:
    items = []
    for point in dispute.points.order_by("number"):
        items.append(("h", f"{point.number}. {point.title}"))
        decided = point.decision_admissibility or point.admissibility
        if decided == "inadmissible":
            items.append(("p", f"Niet-ontvankelijk: {reasons_in_words(point.inadmissibility_reasons)}."))
            if point.decision_reason or point.admissibility_note:
                items.append(("p", point.decision_reason or point.admissibility_note))
            continue
        if point.decision_finding:
            items.append(("p", f"Beslissing: {point.get_decision_finding_display()}."))
        if point.decision_follows_advice is False:
            items.append(("p", f"De Minister wijkt af van het advies: {point.decision_reason}"))
        elif point.decision_follows_advice:
            items.append(("p", "De Minister volgt het advies van de commissie."))
    return Block(items)


def _withdrawals(dispute: Dispute) -> tuple[Block, str]:
    applicants = [p for p in dispute.parties.select_related("organisation") if p.role == PartyRole.APPLICANT]
    withdrawn = sorted((p for p in applicants if p.withdrawn_at), key=lambda p: p.withdrawn_at)
    remaining = [p.organisation.name for p in applicants if p.withdrawn_at is None]
    block = Block([("li", f"{p.organisation.name}, op {_day(localdate(p.withdrawn_at))}")
                   for p in withdrawn] or [("li", "-")])
    if remaining:
        further = ("Een intrekking beëindigt alleen het deel van het verzoek van wie intrekt. Het geschil loopt door "
                   f"voor {', '.join(remaining)}; de termijnen blijven gelden.")
    else:
        further = ("Daarmee hebben alle verzoekers het verzoek ingetrokken. De behandeling van het geschil is "
                   "beëindigd; de Minister doet geen uitspraak.")
    return block, further


def values(kind: str, dispute: Dispute, addressee: Addressee, context: dict | None = None) -> dict:
    """The value of every placeholder ``kind`` allows, for ``dispute`` and ``addressee`` (text, or a ``Block``).
    ``context`` carries what the case alone does not say (the reason of an extension, the question asked)."""
    context = context or {}
    spec = KINDS[kind]
    agreement = dispute.agreement
    found = {
        "zaaknummer": dispute.case_number or "-",
        "titel": dispute.title or "-",
        "soort_geschil": str(dispute.kind),  # "totstandkoming" or "nakoming" (of the prestatieafspraken)
        "prestatieafspraken": str(agreement),
        "gemeente": agreement.municipality.name,
        "verzoekers": _names(dispute, PartyRole.APPLICANT),
        "verweerders": _names(dispute, PartyRole.RESPONDENT),
        "geadresseerde": addressee.name,
        "minister": upper_first(minister()),
        "ingediend_op": _day(localdate(dispute.submitted_at) if dispute.submitted_at else None),
    }
    wanted = set(spec.placeholders)
    if "geschilpunten" in wanted:
        found["geschilpunten"] = _points(dispute)
    if wanted & {"beslistermijn", "berekening_beslistermijn"}:
        decision = _deadline(dispute, DeadlineKind.DECISION)
        found["beslistermijn"] = _day(decision.due if decision else None)
        found["berekening_beslistermijn"] = Block([("small", line) for line in decision.explanation]
                                                  if decision else [])
    if wanted & {"hersteltermijn", "ontbrekend", "gevraagde_stukken"}:
        remedy = _deadline(dispute, DeadlineKind.REMEDY)
        asked = dispute.events.filter(kind="request_remedy").order_by("-at", "-pk").first()
        payload = asked.payload if asked else {}
        found["hersteltermijn"] = _day(remedy.due if remedy else None)
        found["ontbrekend"] = context.get("reason") or payload.get("reason", "") or "-"
        codes = [c for c in payload.get("documents", []) if c in DocumentType.values]
        found["gevraagde_stukken"] = Block([("li", str(DocumentType(c).label)) for c in codes])
    if "ontvankelijkheid_per_punt" in wanted:
        found["ontvankelijkheid_per_punt"] = _admissibility(dispute)
    if "verweertermijn" in wanted:
        response = _deadline(dispute, DeadlineKind.RESPONSE)
        found["verweertermijn"] = _day(response.due if response else None)
    if wanted & {"vraag", "antwoordtermijn"}:
        deadline = _information_deadline(dispute, context)
        asked = next((e for e in dispute.events.filter(kind="request_information").order_by("-at", "-pk")
                      if deadline is not None and e.payload.get("deadline") == deadline.pk), None)
        found["vraag"] = (asked.payload.get("question") if asked else "") or context.get("question", "") or "-"
        found["antwoordtermijn"] = _day(deadline.due if deadline else None)
    if wanted & {"hoorzitting_datum", "hoorzitting_plaats"}:
        hearing = dispute.events.filter(kind__in=("schedule_hearing", "hearing_rescheduled")).order_by(
            "-at", "-pk").first()
        if hearing is not None and hearing.payload.get("hearing_at"):
            from datetime import datetime

            moment = datetime.fromisoformat(hearing.payload["hearing_at"]).astimezone(AMSTERDAM)
            found["hoorzitting_datum"] = f"{_day(moment.date())}, {moment:%H.%M} uur"
            found["hoorzitting_plaats"] = hearing.payload.get("place") or "-"
        else:
            found["hoorzitting_datum"], found["hoorzitting_plaats"] = "-", "-"
    if "reden" in wanted:
        found["reden"] = context.get("reason") or "-"
    if "advies_datum" in wanted:
        advised = dispute.events.filter(kind="issue_advice").order_by("-at", "-pk").first()
        found["advies_datum"] = _day(localdate(advised.at) if advised else None)
    if "beslissing_per_punt" in wanted:
        found["beslissing_per_punt"] = _decisions(dispute)
    if "na_de_hersteltermijn" in wanted:
        late = context.get("late_remedy") or []
        found["na_de_hersteltermijn"] = Block([
            ("h", "Stukken ontvangen na de hersteltermijn"),
            ("p", "Na afloop van de hersteltermijn, maar vóór deze beslissing, heeft de verzoeker nog stukken "
                  f"gestuurd: {', '.join(late)}. De Minister heeft die bij deze beslissing betrokken: "
                  f"{context.get('late_remedy_weighed', '')}"),
        ] if late else [])
    if "uitspraak_datum" in wanted:
        found["uitspraak_datum"] = _day(localdate(dispute.decided_at) if dispute.decided_at else None)
    if wanted & {"ingetrokken_door", "verder"}:
        found["ingetrokken_door"], found["verder"] = _withdrawals(dispute)
    if "schikking" in wanted:
        found["schikking"] = ("een vaststellingsovereenkomst, ondertekend door alle partijen"
                              if dispute.settlement_basis == "agreement"
                              else "de intrekking van het verzoek door alle verzoekers")
    return found


# -- rendering ----------------------------------------------------------------------------------------------------
#: control, direction and zero-width characters: invisible in a letter, and a direction override would print a
#: party's "<RLO>fdp.exe" as "exe.pdf" in an official letter; taken out of every value and wording
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def visible(value) -> str:
    return INVISIBLE.sub("", str(value or ""))


def fill(text: str, found: dict) -> str:
    """A line of wording with its (text) placeholders filled in, escaped: safe HTML."""
    pieces, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append(escape(visible(text[last:match.start()])))
        value = found.get(match.group(1), "")
        pieces.append(escape(visible(value) if isinstance(value, str) else ""))
        last = match.end()
    pieces.append(escape(visible(text[last:])))
    return "".join(pieces)


def plain(text: str, found: dict) -> str:
    """A line of wording (the subject) with its placeholders filled in, as text."""
    return visible(PLACEHOLDER.sub(lambda m: found.get(m.group(1), "") if isinstance(found.get(m.group(1), ""), str)
                                   else "", text))


def _block_html(block: Block) -> str:
    html, items = [], []
    for kind, text in block.items:
        if kind == "li":
            items.append(f"<li>{escape(visible(text))}</li>")
            continue
        if items:
            html.append("<ul>" + "".join(items) + "</ul>")
            items = []
        tag = {"h": "h2", "small": 'p class="small"'}.get(kind, "p")
        html.append(f"<{tag}>{escape(visible(text))}</{tag.split()[0]}>")
    if items:
        html.append("<ul>" + "".join(items) + "</ul>")
    return "".join(html)


def body_html(body: str, found: dict) -> str:
    """The body of a wording as HTML: paragraphs, lists, headings and blocks; every value escaped."""
    html = []
    for paragraph in _paragraphs(body):
        stripped = paragraph.strip()
        whole = PLACEHOLDER.fullmatch(stripped)
        if whole and isinstance(found.get(whole.group(1)), Block):
            html.append(_block_html(found[whole.group(1)]))
            continue
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        if all(line.startswith("- ") for line in lines):
            html.append("<ul>" + "".join(f"<li>{fill(line[2:], found)}</li>" for line in lines) + "</ul>")
        elif len(lines) == 1 and lines[0].startswith("# "):
            html.append(f"<h2>{fill(lines[0][2:], found)}</h2>")
        else:
            html.append("<p>" + "<br>".join(fill(line, found) for line in lines) + "</p>")
    return "".join(html)


@dataclass(frozen=True)
class Signer:
    name: str = ""
    function: str = ""


def signature(kind: str, dispute: Dispute, signer=None) -> dict:
    """The signature block: "De Minister …, namens deze," with the function under which the official signs
    (mandate, Awb 10:1), the commission's chair, or the secretary who sends it."""
    spec = KINDS[kind]
    name = (signer.get_full_name() or signer.get_username()) if signer is not None else ""
    if spec.sender == MINISTER:
        if signer is None and kind in ("bindende_uitspraak", "niet_ontvankelijk") and dispute.decision_adopted_by:
            adopted = dispute.decision_adopted_by
            name = adopted.get_full_name() or adopted.get_username()
        return {"closing": "Hoogachtend,",
                "lines": [f"{upper_first(minister())},", "namens deze,", name,
                          upper_first(mandate_function())]}
    if spec.sender == COMMISSION:
        return {"closing": "Met vriendelijke groet,",
                "lines": ["Namens de Adviescommissie geschilbeslechting prestatieafspraken,", name,
                          "Secretaris van de commissie"]}
    return {"closing": "Met vriendelijke groet,",
            "lines": [name, "Secretariaat Adviescommissie geschilbeslechting prestatieafspraken"]}


def _remedies(kind: str) -> str:
    """The rechtsmiddelenclausule: the Minister's decisions (uitspraak, herstelbesluit, niet-ontvankelijk) name bezwaar
    or beroep; the extension notice says none is open on its own; the others are no decision."""
    from django.utils import translation

    with translation.override("nl"):
        return remedies_clause(kind)


def render_html(kind: str, dispute: Dispute, addressee: Addressee, *, subject: str, body: str, on: date,
                context: dict | None = None, signer=None) -> str:
    """The whole letter as HTML for WeasyPrint (``letterpress.render_pdf``)."""
    found = values(kind, dispute, addressee, context)
    spec = KINDS[kind]
    return letterpress.render_letter_html("letters/letter.html", {
        "dispute": dispute, "addressee": addressee, "on": on, "kind": spec,
        "subject": plain(subject, found),
        "body": mark_safe(body_html(body, found)),  # noqa: S308 - every value escaped in body_html
        "salutation": addressee.salutation,
        "signature": signature(kind, dispute, signer),
        "from_minister": spec.sender == MINISTER,
        "remedies": _remedies(kind),
        "remedies_title": "Bezwaar en beroep" if spec.sender == MINISTER and kind != "verlengingsbericht"
        else "Rechtsmiddelen",
    })


def subject_of(kind: str, dispute: Dispute, addressee: Addressee, subject: str, context: dict | None = None) -> str:
    """A wording's subject line with its placeholders filled in (the case event and the e-mail name it)."""
    return plain(subject, values(kind, dispute, addressee, context))


def render_pdf(kind: str, dispute: Dispute, addressee: Addressee, *, subject: str, body: str, on: date,
               context: dict | None = None, signer=None) -> bytes:
    """The letter as a tagged PDF/A-2b (ADR 0019)."""
    found = values(kind, dispute, addressee, context)
    html = render_html(kind, dispute, addressee, subject=subject, body=body, on=on, context=context, signer=signer)
    title = f"{plain(subject, found)} - {dispute.case_number or ''}".strip(" -")
    author = (upper_first(minister()) if KINDS[kind].sender == MINISTER
              else "Adviescommissie geschilbeslechting prestatieafspraken")
    return letterpress.render_pdf(html, title=title, lang="nl", subject=KINDS[kind].title, author=author)
