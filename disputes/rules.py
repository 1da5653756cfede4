"""Rule sets: the numbers of the procedure, versioned by kind and effective date (procedure.md).

A dispute is judged by the rule set in force on its filing date; its code is stored on the case.
Every number the procedure uses comes from here, never from a literal in a service.

Which kinds of dispute a rule set covers is law, not a number: ``woningwet-2015`` (Woningwet art. 44 lid 4-5,
in force for disputes since 1 July 2016) covers only totstandkoming. Nakoming comes with the Wet versterking
regie volkshuisvesting (Kamerstuk 36 512), which has no commencement date we can cite; its rule set
``regie-volkshuisvesting`` is in force only from the date an installation configures
(``NAKOMING_EFFECTIVE_FROM``, no default). Unset, no rule set covers nakoming and a nakoming request is
inadmissible (reason A4; ``guards.rule_set_problems``). Set (the demo does), the rule set is *provisional* and
every screen that relies on it says so.

The stored code ``woningwet-2015`` is kept although the rule set starts on 1 July 2016: cases store the code
(``Dispute.rule_set``), so renaming it would need a data migration of every existing case.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings


@dataclass(frozen=True)
class RuleSet:
    code: str
    kinds: tuple[str, ...]
    #: the first day the rule set is in force; ``None``: not in force in this installation (no date configured)
    effective_from: date | None
    provisional: bool = False
    overleg_months: int = 6
    filing_weeks: int = 4
    decision_weeks: int = 8
    extension_max_weeks: int = 4
    remedy_weeks: int = 2
    response_weeks: int = 4
    information_weeks: int = 2
    objection_weeks: int = 6
    #: parties are reminded this many working days before their deadline
    party_reminder_working_days: int = 3
    #: staff are warned when the decision deadline is this many working days away (or passed)
    staff_warning_working_days: int = 10
    #: ministry window for totstandkoming filings: from (month, day) to (month, day), inclusive
    window: tuple[tuple[int, int], tuple[int, int]] | None = ((7, 1), (1, 29))
    notes: str = ""
    #: the law that gives the rule set, for the notice that the rules are provisional
    law: str = ""

    def in_force_on(self, day: date) -> bool:
        return self.effective_from is not None and self.effective_from <= day

    def covers(self, kind: str) -> bool:
        return kind in self.kinds


def _nakoming_effective_from() -> date | None:
    """The configured commencement of the nakoming rule set; ``None`` (not in force) when not configured."""
    value = getattr(settings, "NAKOMING_EFFECTIVE_FROM", None)
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


#: The day the dispute provisions of Woningwet art. 44 took effect (procedure.md §0).
DISPUTE_PROVISIONS_FROM = date(2016, 7, 1)


def rule_sets() -> list[RuleSet]:
    """All rule sets, oldest first (a rule set without a configured date last)."""
    return [
        RuleSet(
            code="woningwet-2015",
            kinds=("totstandkoming",),
            effective_from=DISPUTE_PROVISIONS_FROM,
            notes="Woningwet art. 44 lid 4-5; BTIV art. 40; Instellingsbesluit adviescommissie 2016.",
            law="Woningwet art. 44 lid 4-5",
        ),
        RuleSet(
            code="regie-volkshuisvesting",
            kinds=("totstandkoming", "nakoming"),
            effective_from=_nakoming_effective_from(),
            provisional=True,
            notes="Wet versterking regie volkshuisvesting (Kamerstuk 36 512): nakoming, voorlopig.",
            law="Wet versterking regie volkshuisvesting (Kamerstuk 36 512)",
        ),
    ]


def rule_set_on(day: date) -> RuleSet:
    """The rule set in force on ``day`` (the latest that had taken effect; before any, the oldest)."""
    in_force = sorted((r for r in rule_sets() if r.in_force_on(day)), key=lambda r: r.effective_from)
    return in_force[-1] if in_force else rule_sets()[0]


def rule_set_by_code(code: str) -> RuleSet:
    for rule_set in rule_sets():
        if rule_set.code == code:
            return rule_set
    raise KeyError(code)


def kind_covered(kind: str, *, code: str, filed_on: date) -> bool:
    """Whether a case of ``kind``, filed on ``filed_on`` and stored with rule set ``code``, may be decided on the
    merits: its rule set covers the kind and a rule set covering the kind was in force on the filing day (so a
    case stored under a provisional rule set whose date has since been removed or moved is not)."""
    try:
        stored = rule_set_by_code(code)
    except KeyError:
        stored = rule_set_on(filed_on)
    return stored.covers(kind) and rule_set_on(filed_on).covers(kind)
