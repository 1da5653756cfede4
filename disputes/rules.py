"""Rule sets: the numbers of the procedure, versioned by kind and effective date (procedure.md).

A dispute is judged by the rule set in force on its filing date; its code is stored on the case.
Every number the procedure uses comes from here, never from a literal in a service.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings


@dataclass(frozen=True)
class RuleSet:
    code: str
    kinds: tuple[str, ...]
    effective_from: date
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


def _nakoming_effective_from() -> date:
    return date.fromisoformat(getattr(settings, "NAKOMING_EFFECTIVE_FROM", "2025-01-01"))


def rule_sets() -> list[RuleSet]:
    """All rule sets, oldest first."""
    return [
        RuleSet(
            code="woningwet-2015",
            kinds=("totstandkoming",),
            effective_from=date(2015, 7, 1),
            notes="Woningwet art. 44 lid 4-5; BTIV art. 40; Instellingsbesluit adviescommissie 2016.",
        ),
        RuleSet(
            code="regie-volkshuisvesting",
            kinds=("totstandkoming", "nakoming"),
            effective_from=_nakoming_effective_from(),
            provisional=True,
            notes="Wet versterking regie volkshuisvesting (Kamerstuk 36 512): nakoming, voorlopig.",
        ),
    ]


def rule_set_on(day: date) -> RuleSet:
    """The rule set in force on ``day`` (the latest that had taken effect)."""
    in_force = [r for r in rule_sets() if r.effective_from <= day]
    return in_force[-1] if in_force else rule_sets()[0]


def rule_set_by_code(code: str) -> RuleSet:
    for rule_set in rule_sets():
        if rule_set.code == code:
            return rule_set
    raise KeyError(code)
