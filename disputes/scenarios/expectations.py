"""Expectations (``expect`` steps and the final ``expect``): the case's state, case number, points
and deadlines as the scenario says they should be at that moment.
"""

from __future__ import annotations

from ..models import DeadlineKind, Dispute
from ..services import deadlines as deadline_store
from .schema import EXPECT_KEYS, ScenarioError, parse_date
from .setup import World

#: expectation key of a point -> the DisputePoint field it compares
POINT_EXPECT_FIELDS = {
    "admissibility": "admissibility",
    "advice": "advice_finding",
    "decision": "decision_finding",
}


def check_expectation(world: World, what: str, expectation: dict) -> None:
    """Compare the case with ``expectation`` (state, case number, points, deadlines); every difference
    is listed in one ScenarioError."""
    unknown = set(expectation) - EXPECT_KEYS
    if unknown:
        raise ScenarioError(f"{what}: onbekende sleutel(s) {', '.join(sorted(unknown))}")
    dispute = Dispute.objects.get(pk=world.dispute.pk) if world.dispute is not None else None
    problems = []
    if dispute is None:
        raise ScenarioError(f"{what}: er is geen geschil om te controleren")
    if "state" in expectation and dispute.state != expectation["state"]:
        problems.append(f"status is '{dispute.state}', verwacht '{expectation['state']}'")
    if "case" in expectation and dispute.case_number != expectation["case"]:
        problems.append(f"zaaknummer is '{dispute.case_number}', verwacht '{expectation['case']}'")
    points = expectation.get("points") or {}
    if not isinstance(points, dict):
        raise ScenarioError(
            f"{what}: 'points' is een mapping sleutel -> {{admissibility, advice, decision}}"
        )
    actual_points = {p.key: p for p in dispute.points.all()}
    for key, fields in points.items():
        point = actual_points.get(str(key))
        if point is None:
            problems.append(f"geschilpunt '{key}' bestaat niet")
            continue
        if not isinstance(fields, dict) or set(fields) - set(POINT_EXPECT_FIELDS):
            raise ScenarioError(f"{what}: bij punt '{key}' kunnen admissibility, advice en decision")
        for name, value in fields.items():
            actual = getattr(point, POINT_EXPECT_FIELDS[name]) or None
            if actual != (value or None):
                problems.append(f"punt {key}: {name} is '{actual}', verwacht '{value}'")
    expected_deadlines = expectation.get("deadlines") or {}
    if not isinstance(expected_deadlines, dict):
        raise ScenarioError(f"{what}: 'deadlines' is een mapping termijn -> datum")
    for name, value in expected_deadlines.items():
        if name not in DeadlineKind.values:
            raise ScenarioError(
                f"{what}: onbekende termijn '{name}' (kies uit {', '.join(DeadlineKind.values)})"
            )
        due = parse_date(value, f"{what} deadlines.{name}")
        deadline = deadline_store.current(dispute, name)
        actual = deadline.due if deadline else None
        if actual != due:
            problems.append(
                f"termijn {name} eindigt op {actual.isoformat() if actual else '(geen)'}, "
                f"verwacht {due.isoformat() if due else '(geen)'}"
            )
    if problems:
        raise ScenarioError(f"{what}: verwachting klopt niet: " + "; ".join(problems))
