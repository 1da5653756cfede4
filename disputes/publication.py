"""The publication version of a decided case (issue 17, docs/publication.md): the advice and the binding decision
built from the case's structured data, and what must not be published found in it.

- ``sections(dispute)``: the text to publish, as sections of (heading, paragraphs): the parties (organisations stay
  named: public bodies and legal persons), the points, the commission's advice and the Minister's decision per
  point, with their reasons.
- ``people(dispute)``: the natural persons the product knows on the case (the users who acted on it, the members and
  representatives of its parties, the commission), each with the role that replaces their name.
- ``PATTERNS``: what identifies a person in free text whoever it is: e-mail addresses, telephone numbers, IBANs,
  BSNs (with the elfproef) and a postcode with a house number.
- ``apply(texts, replacements)``: the text with every active replacement applied, longest first, whole words only.

Nothing here writes; ``disputes/services/publication.py`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Dispute, PartyRole

#: what a person's name becomes, by role (the register reads "[medewerker secretariaat]")
ROLE_WORDS = {
    "secretary": "[medewerker secretariaat]",
    "commission_chair": "[voorzitter adviescommissie]",
    "commission_member": "[lid adviescommissie]",
    "minister_official": "[ambtenaar ministerie]",
    PartyRole.APPLICANT: "[medewerker verzoeker]",
    PartyRole.RESPONDENT: "[medewerker verweerder]",
    PartyRole.INTERESTED: "[medewerker belanghebbende]",
    "representative": "[gemachtigde]",
    "person": "[persoon]",
}


@dataclass(frozen=True)
class Found:
    kind: str  # ReplacementKind
    original: str
    replacement: str


def _bsn_ok(digits: str) -> bool:
    """The elfproef of a burgerservicenummer: 9 digits, weighted sum (9..2, -1) divisible by 11."""
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


#: (kind, pattern, replacement, check): found anywhere in the text
PATTERNS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE), "[e-mailadres]", None),
    ("iban", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"), "[IBAN]", None),
    ("phone", re.compile(r"(?<![\w+])(?:\+31[ -]?|0031[ -]?|0)(?:\d[ -]?){8,9}\d?(?!\d)"), "[telefoonnummer]",
     lambda s: 10 <= len(re.sub(r"\D", "", s).removeprefix("0031").removeprefix("31")) + 1 <= 11),
    ("bsn", re.compile(r"(?<!\d)\d{9}(?!\d)"), "[BSN]", lambda s: _bsn_ok(s)),
    ("address", re.compile(r"\b[1-9]\d{3} ?[A-Z]{2}\b(?:[ ,]+\d{1,5}\s?[a-zA-Z]?\b)?|"
                           r"\b[A-Z][a-z]+(?:straat|laan|weg|plein|singel|gracht|kade|dijk|hof|pad|dreef)\s+\d{1,5}"
                           r"(?:\s?[a-zA-Z])?\b"), "[adres]", None),
)


def _text(value) -> str:
    return " ".join(str(value or "").split()) if "\n" not in str(value or "") else str(value).strip()


def sections(dispute: Dispute) -> list[dict]:
    """The publication text of a decided case: a list of ``{"heading": str, "paragraphs": [str]}``."""
    parties = list(dispute.parties.select_related("organisation").order_by("role", "organisation__name"))
    out = [{"heading": "Partijen", "paragraphs": [
        f"{p.organisation.name} ({p.get_role_display().lower()})" for p in parties]}]
    out.append({"heading": "Het geschil", "paragraphs": [
        f"Geschil over de {dispute.kind} van de prestatieafspraken {dispute.agreement}."
        + (f" {dispute.title}." if dispute.title else "")]})
    for point in dispute.points.order_by("number").prefetch_related("positions__organisation"):
        paragraphs = [f"Standpunt van {pos.organisation.name}: {_text(pos.text)}" for pos in point.positions.all()]
        if point.advice_finding:
            paragraphs.append(f"Advies van de commissie: {point.get_advice_finding_display()}.")
        if point.advice_recommendation:
            paragraphs.append(f"Aanbeveling: {_text(point.advice_recommendation)}")
        decided = point.decision_admissibility or point.admissibility
        if decided == "inadmissible":
            from .letters import reasons_in_words

            paragraphs.append(f"Beslissing van de Minister: niet-ontvankelijk "
                              f"({reasons_in_words(point.inadmissibility_reasons)}).")
        elif point.decision_finding:
            paragraphs.append(f"Beslissing van de Minister: {point.get_decision_finding_display()}.")
        if point.decision_follows_advice is False and point.decision_reason:
            paragraphs.append(f"De Minister wijkt af van het advies: {_text(point.decision_reason)}")
        elif point.decision_follows_advice:
            paragraphs.append("De Minister volgt het advies van de commissie.")
        if point.admissibility_note and decided == "inadmissible":
            paragraphs.append(_text(point.admissibility_note))
        out.append({"heading": f"Geschilpunt {point.number}: {point.title}", "paragraphs": paragraphs})
    return out


def _name(user) -> str:
    return " ".join((user.get_full_name() or "").split())


def people(dispute: Dispute) -> list[Found]:
    """The natural persons known on the case, each with the words of their role: whoever acted on it (its events),
    the members and representatives of its parties, and the commission seated on it. A full name is replaced, and
    so is a last name of more than three letters on its own."""
    from django.contrib.auth import get_user_model

    from .models import CaseSeat, CaseSeatRole, Membership, Representation

    roles: dict[int, str] = {}
    for membership in Membership.objects.filter(organisation__in=dispute.organisations.all()).select_related("user"):
        role = next((p.role for p in dispute.parties.all() if p.organisation_id == membership.organisation_id),
                    "person")
        roles.setdefault(membership.user_id, role)
    for representation in Representation.objects.filter(dispute=dispute).exclude(user=None):
        roles.setdefault(representation.user_id, "representative")
    for seat in CaseSeat.objects.filter(dispute=dispute):
        roles.setdefault(seat.user_id, "commission_chair" if seat.role == CaseSeatRole.CHAIR else "commission_member")
    actors = set(dispute.events.exclude(actor=None).values_list("actor_id", flat=True))
    users = get_user_model().objects.filter(pk__in=set(roles) | actors).prefetch_related("groups")
    found: dict[str, Found] = {}
    for user in users:
        role = roles.get(user.pk)
        if role is None:
            groups = {g.name for g in user.groups.all()}
            role = next((r for r in ("minister_official", "secretary", "commission_chair", "commission_member")
                         if r in groups), "person")
        words = ROLE_WORDS.get(role, ROLE_WORDS["person"])
        name = _name(user)
        if name:
            found.setdefault(name, Found("person", name, words))
            last = user.last_name.strip()
            if len(last) > 3:
                found.setdefault(last, Found("person", last, words))
    for representation in Representation.objects.filter(dispute=dispute):
        name = " ".join(representation.name.split())
        if name:
            found.setdefault(name, Found("person", name, ROLE_WORDS["representative"]))
    return sorted(found.values(), key=lambda f: (-len(f.original), f.original))


def patterns_in(texts: list[str]) -> list[Found]:
    found: dict[str, Found] = {}
    for text in texts:
        for kind, pattern, words, check in PATTERNS:
            for match in pattern.finditer(text):
                value = match.group(0).strip(" ,")
                if check is not None and not check(value):
                    continue
                found.setdefault(value, Found(kind, value, words))
    return list(found.values())


def all_text(parts: list[dict]) -> list[str]:
    return [part["heading"] for part in parts] + [p for part in parts for p in part["paragraphs"]]


def apply(parts: list[dict], replacements) -> list[dict]:
    """``parts`` with every replacement (objects with ``original`` and ``replacement``) applied: longest first,
    whole words only, case-insensitive for names."""
    ordered = sorted(replacements, key=lambda r: -len(r.original))
    compiled = [(re.compile(r"(?<!\w)" + re.escape(r.original) + r"(?!\w)", re.IGNORECASE), r.replacement)
                for r in ordered if r.original.strip()]

    def clean(text: str) -> str:
        for pattern, words in compiled:
            text = pattern.sub(words, text)
        return text

    return [{"heading": clean(p["heading"]), "paragraphs": [clean(t) for t in p["paragraphs"]]} for p in parts]


def marked(parts: list[dict], replacements) -> list[dict]:
    """For the review: ``parts`` as (text, is-replaced) runs per paragraph, the replaced ones showing what goes in
    their place: ``{"heading": [...runs], "paragraphs": [[...runs]]}``."""
    ordered = sorted(replacements, key=lambda r: -len(r.original))
    if not ordered:
        return [{"heading": [(p["heading"], None)], "paragraphs": [[(t, None)] for t in p["paragraphs"]]}
                for p in parts]
    pattern = re.compile("|".join(r"(?<!\w)" + re.escape(r.original) + r"(?!\w)" for r in ordered), re.IGNORECASE)
    words = {r.original.lower(): r.replacement for r in ordered}

    def runs(text: str) -> list[tuple[str, str | None]]:
        out, last = [], 0
        for match in pattern.finditer(text):
            if match.start() > last:
                out.append((text[last:match.start()], None))
            out.append((match.group(0), words.get(match.group(0).lower(), "")))
            last = match.end()
        if last < len(text):
            out.append((text[last:], None))
        return out

    return [{"heading": runs(p["heading"]), "paragraphs": [runs(t) for t in p["paragraphs"]]} for p in parts]
