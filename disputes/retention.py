"""The retention rules of ended cases (issue 17, item 5; docs/archive.md): pure rules, below the services.

- ``outcome(dispute)``: how a concluded case ended, as the key of its row in the selectielijst table
  (``RetentionRule`` with scope "case"): a binding decision with at least one point decided on the merits
  (``UITSPRAAK``), a decision without any point decided on the merits, i.e. the request or every point declared
  inadmissible (``NIET_ONTVANKELIJK``), a settlement (``GESCHIKT``) or a withdrawal (``INGETROKKEN``). A case
  closed after its decision (CLOSED) ended with that decision and has the same outcome.
- ``source_moment(dispute)``: the moment the term starts (brondatum): the day of the Minister's decision for a
  decided or closed case (closing after the objection term is administrative), else the day it was withdrawn or
  settled: the same moment as the archive's ``concluded_at`` (workflow/archive.py).
- ``action_date(source_date, years)``: the archiefactiedatum, ``years`` after the brondatum (29 February goes to
  28 February in a year without it).
"""

from datetime import date

from .models import Admissibility, Dispute, Finding
from .states import CONCLUDED_STATES, DisputeState

UITSPRAAK = "uitspraak"
NIET_ONTVANKELIJK = "niet-ontvankelijk"
GESCHIKT = "geschikt"
INGETROKKEN = "ingetrokken"
#: the keys of the case rows of the selectielijst table (``RetentionRule.key`` for scope "case")
OUTCOMES = (UITSPRAAK, NIET_ONTVANKELIJK, GESCHIKT, INGETROKKEN)


def decided_on_merits(points) -> bool:
    """Whether any of a decided case's points got a decision on the merits (a finding), not an inadmissibility."""
    return any(p.decision_finding in Finding.values and p.decision_admissibility != Admissibility.INADMISSIBLE
               for p in points)


def outcome(dispute: Dispute) -> str:
    """The outcome key of a concluded case (see the module); ValueError for a case that has not ended."""
    if dispute.state not in CONCLUDED_STATES:
        raise ValueError(f"case {dispute.pk} has not ended")
    if dispute.state == DisputeState.SETTLED:
        return GESCHIKT
    if dispute.state == DisputeState.WITHDRAWN:
        return INGETROKKEN
    # DECIDED, or CLOSED after the decision: by the Minister's decision on the points
    return UITSPRAAK if decided_on_merits(dispute.points.all()) else NIET_ONTVANKELIJK


def source_moment(dispute: Dispute):
    """The moment the case ended (the brondatum's moment): the decision, else the withdrawal or settlement."""
    return dispute.decided_at or dispute.ended_at


def action_date(source_date: date, years: int) -> date:
    """``years`` after ``source_date``; 29 February becomes 28 February in a year that has none."""
    try:
        return source_date.replace(year=source_date.year + years)
    except ValueError:  # 29 February into a common year
        return source_date.replace(year=source_date.year + years, day=28)
