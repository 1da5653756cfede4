"""Expectations (``expect`` steps and the final ``expect``): the case's state, case number, points,
deadlines, the applicants that withdrew (``withdrawn_by``), the letters and the publication (``published``,
``not_in_publication``) as the scenario says they should be at that moment.
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
    if "published" in expectation or "not_in_publication" in expectation:
        problems.extend(_publication_problems(what, dispute, expectation))
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
    """``letters: {document type: {count: n, sent_to: [org keys]}}``: the case has ``n`` letters of that type that
    the product made by itself (disputes/letterbook.py: one copy per addressee, each a case document), and each
    has a copy addressed to every organisation of ``sent_to``; a copy to the college van B&W (``municipality``)
    is also in the outbox as the letter itself (``disputes.tasks.send_letter``)."""
    from ..models import Letter, OutboxMessage

    if not isinstance(letters, dict):
        raise ScenarioError(f"{what}: 'letters' is een mapping documentsoort -> {{count, sent_to}}")
    problems = []
    for doc_type, spec in letters.items():
        if not isinstance(spec, dict) or set(spec) - {"count", "sent_to"}:
            raise ScenarioError(f"{what}: bij brief '{doc_type}' kunnen count en sent_to")
        generated = list(Letter.objects.filter(dispute=dispute, copies__document__doc_type=doc_type,
                                               copies__document__uploaded_by__isnull=True)
                         .distinct().order_by("created_at").prefetch_related("copies"))
        if "count" in spec and len(generated) != spec["count"]:
            problems.append(f"{len(generated)} brief/brieven '{doc_type}', verwacht {spec['count']}")
        wanted = {world.organisation(str(key), what) for key in spec.get("sent_to") or []}
        for letter in generated:
            copies = [c for c in letter.copies.all() if c.organisation_id]
            mailed = {m.kwargs.get("document_id") for m in OutboxMessage.objects.filter(
                task="disputes.tasks.send_letter", kwargs__document_id__in=[str(c.document_id) for c in copies])}
            name = f"brief '{doc_type}' van {letter.created_at:%d-%m-%Y}"
            for organisation in sorted(wanted, key=lambda o: o.name):
                theirs = [c for c in copies if c.organisation_id == organisation.pk]
                if not theirs:
                    problems.append(f"{name} niet aan {organisation.name}")
                elif any(c.capacity == "municipality" and str(c.document_id) not in mailed for c in theirs):
                    problems.append(f"{name} niet verstuurd aan het college van B&W van {organisation.name}")
    return problems


def _publication_problems(what: str, dispute: Dispute, expectation: dict) -> list[str]:
    """``published: true|false``: the case's decision is in the public register (docs/publication.md) or not;
    ``not_in_publication: [text]``: none of these texts is in the published text (its title, headings and
    paragraphs), compared case-insensitively."""
    from ..models import PublicationStatus

    found = dispute.publications.filter(status=PublicationStatus.PUBLISHED).first()
    problems = []
    if "published" in expectation:
        wanted = expectation["published"]
        if not isinstance(wanted, bool):
            raise ScenarioError(f"{what}: 'published' is true of false")
        if wanted != (found is not None):
            problems.append("de uitspraak is gepubliceerd, verwacht niet" if found is not None
                            else "de uitspraak is niet gepubliceerd")
    texts = expectation.get("not_in_publication") or []
    if not isinstance(texts, list):
        texts = [texts]
    if texts:
        if found is None:
            return [*problems, "er is geen gepubliceerde tekst om te controleren"]
        published = " ".join([found.title] + [t for part in found.published_sections
                                              for t in [part["heading"], *part["paragraphs"]]]).lower()
        problems += [f"'{t}' staat in de publicatie" for t in texts if str(t).lower() in published]
    return problems
