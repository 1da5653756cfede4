"""Expectations (``expect`` steps and the final ``expect``): the case's state, case number, points,
deadlines and the applicants that withdrew (``withdrawn_by``) as the scenario says they should be at that moment.
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
    "advised_admissibility": "advice_admissibility",
    "decided_admissibility": "decision_admissibility",
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
            raise ScenarioError(f"{what}: bij punt '{key}' kunnen {', '.join(POINT_EXPECT_FIELDS)}")
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
    if "withdrawn_by" in expectation:
        problems.extend(_withdrawn_problems(world, what, dispute, expectation["withdrawn_by"]))
    if "letters" in expectation:
        problems.extend(_letter_problems(world, what, dispute, expectation["letters"]))
    if problems:
        raise ScenarioError(f"{what}: verwachting klopt niet: " + "; ".join(problems))


def _withdrawn_problems(world: World, what: str, dispute: Dispute, keys) -> list[str]:
    """``withdrawn_by: [org keys]``: exactly these applicants have withdrawn their part of the request."""
    if not isinstance(keys, list):
        keys = [] if keys is None else [keys]
    expected = {world.organisation(str(key), what).name for key in keys}
    actual = {p.organisation.name for p in dispute.parties.select_related("organisation") if p.withdrawn_at}
    if actual == expected:
        return []
    return [f"ingetrokken hebben {', '.join(sorted(actual)) or '(niemand)'}, "
            f"verwacht {', '.join(sorted(expected)) or '(niemand)'}"]


def _letter_problems(world: World, what: str, dispute: Dispute, letters) -> list[str]:
    """``letters: {document type: {count: n, sent_to: [org keys]}}``: the case has ``n`` letters of that type
    that the product generated, and the event of each names every organisation of ``sent_to`` as notified; one
    notified as the college van B&W (``municipality``) also has the letter itself in the outbox
    (``disputes.tasks.send_letter``)."""
    from ..models import DisputeEvent, OutboxMessage

    if not isinstance(letters, dict):
        raise ScenarioError(f"{what}: 'letters' is een mapping documentsoort -> {{count, sent_to}}")
    problems = []
    for doc_type, spec in letters.items():
        if not isinstance(spec, dict) or set(spec) - {"count", "sent_to"}:
            raise ScenarioError(f"{what}: bij brief '{doc_type}' kunnen count en sent_to")
        generated = list(dispute.documents.filter(doc_type=doc_type, uploaded_by__isnull=True).order_by("uploaded_at"))
        if "count" in spec and len(generated) != spec["count"]:
            problems.append(f"{len(generated)} brief/brieven '{doc_type}', verwacht {spec['count']}")
        wanted = {world.organisation(str(key), what) for key in spec.get("sent_to") or []}
        for document in generated:
            event = DisputeEvent.objects.filter(dispute=dispute, payload__letter=str(document.pk)).first()
            notified = {n["organisation"]: n["as"] for n in (event.payload.get("notified") or [])} if event else {}
            mailed = {r["organisation"] for m in OutboxMessage.objects.filter(
                task="disputes.tasks.send_letter", kwargs__event_id=getattr(event, "pk", None))
                for r in m.kwargs.get("recipients", [])}
            letter = f"brief '{doc_type}' van {document.uploaded_at:%d-%m-%Y}"
            for organisation in sorted(wanted, key=lambda o: o.name):
                pk = str(organisation.pk)
                if pk not in notified:
                    problems.append(f"{letter} niet aan {organisation.name}")
                elif notified[pk] == "municipality" and pk not in mailed:
                    problems.append(f"{letter} niet verstuurd aan het college van B&W van {organisation.name}")
    return problems
