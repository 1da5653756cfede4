"""Generate docs/states.md from the transition and operations tables in disputes/states.py.

    python manage.py states_doc           # (re)write docs/states.md
    python manage.py states_doc --check   # fail when docs/states.md differs from the table

The text depends only on disputes/states.py (no database), so the test suite compares it with the
committed file (tests/unit/test_docs.py).
"""

from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from disputes.states import (
    OPEN_STATES,
    OPERATIONS,
    PARTIAL_EVENTS,
    REMEDY_RETURN_STATES,
    RETURN,
    TERMINAL_STATES,
    TRANSITIONS,
    Actor,
    DisputeState,
)

OUT_OF_DATE = "docs/states.md is out of date; run python manage.py states_doc"


def doc_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "states.md"


def _code(value: str) -> str:
    return f"`{value}`"


def _target_text(target: str | None) -> str:
    if target is None:
        return "(same state)"
    if target == RETURN:
        back = " or ".join(_code(s) for s in REMEDY_RETURN_STATES)
        return f"back to {back} (where the request came from)"
    return _code(target)


def _clock_text(state: str) -> str:
    if state == TRANSITIONS["request_remedy"].target:
        return "suspended (moved on by the days the request was open)"
    return "yes" if state in OPEN_STATES else "no"


def _edges() -> tuple[dict[tuple[str, str], list[str]], list[str]]:
    """Diagram edges (source, target) -> transition names, and the transitions that keep the state.

    A transition that keeps the state everywhere (``target`` None) is listed apart instead of being
    drawn as a self-loop on every open state.
    """
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    stays: list[str] = []
    for spec in TRANSITIONS.values():
        if spec.target is None:
            stays.append(spec.name)
            continue
        for source in spec.sources:
            targets = REMEDY_RETURN_STATES if spec.target == RETURN else (spec.target,)
            for target in targets:
                edges[(str(source), str(target))].append(spec.name)
    return edges, stays


def render() -> str:
    """The full text of docs/states.md, with the Dutch labels."""
    with translation.override("nl"):
        return _render()


def _render() -> str:
    states = list(DisputeState)
    edges, stays = _edges()
    lines = [
        "<!-- Generated from disputes/states.py by `python manage.py states_doc`; do not edit by hand. -->",
        "# States and transitions of a dispute",
        "",
        "The legal state of a case (`Dispute.state`) and the transitions between them, from the table",
        "in `disputes/states.py` (procedure.md §5). Dutch labels are what the screens show;",
        "docs/glossary.md maps the other terms. `python manage.py states_doc --check` fails when this",
        "file no longer matches the code.",
        "",
        "## Diagram",
        "",
        "```mermaid",
        "stateDiagram-v2",
    ]
    for state in states:
        lines.append(f'    state "{state.label} ({state.value})" as {state.value}')
    lines.append(f"    [*] --> {DisputeState.DRAFT.value}")
    for (source, target), names in edges.items():
        lines.append(f"    {source} --> {target}: {', '.join(names)}")
    for state in states:
        if state in TERMINAL_STATES:
            lines.append(f"    {state.value} --> [*]")
    lines += ["```", ""]
    for name in stays:
        spec = TRANSITIONS[name]
        lines += [
            f"Not drawn: {_code(name)} ({spec.label}) keeps the case in the state it is in. It is possible",
            "in every state in which the decision term runs:",
            "",
            *(f"- {_code(s)}" for s in spec.sources),
            "",
        ]
    lines += [
        "`supply_remedy` and `lapse_remedy` return to the state the remedy request came from",
        "(`Dispute.remedy_return_state`, one of " + ", ".join(_code(s) for s in REMEDY_RETURN_STATES) + ").",
        "",
        "## States",
        "",
        "| state | Dutch label | terminal | decision term running |",
        "|---|---|---|---|",
    ]
    for state in states:
        terminal = "yes" if state in TERMINAL_STATES else "no"
        lines.append(f"| {_code(state.value)} | {state.label} | {terminal} | {_clock_text(state)} |")
    lines += [
        "",
        "## Transitions",
        "",
        "| transition | Dutch label | from | to | who |",
        "|---|---|---|---|---|",
    ]
    for spec in TRANSITIONS.values():
        sources = ", ".join(_code(s) for s in spec.sources)
        who = f"{_code(spec.actor)} ({Actor(spec.actor).label})"
        lines.append(
            f"| {_code(spec.name)} | {spec.label} | {sources} | {_target_text(spec.target)} | {who} |"
        )
    lines += [
        "",
        "## Operations",
        "",
        "Everything done to a case, the transitions above included, with who may do it in which states",
        "(`OPERATIONS`, ADR 0013). The portal, the staff pages and the services read this table through",
        "`permissions.may` / `permissions.available_actions`; an operation outside its states is refused.",
        "`system` is the periodic task; the secretary may do the system's operations by hand.",
        "",
        "| operation | Dutch label | who: in which states |",
        "|---|---|---|",
    ]
    order = {state: i for i, state in enumerate(states)}
    for op in OPERATIONS.values():
        who = "; ".join(
            f"{_code(actor)}: {_states_text(allowed, order)}" for actor, allowed in op.allowed.items()
        )
        lines.append(f"| {_code(op.name)} | {op.label} | {who} |")
    if PARTIAL_EVENTS:
        lines += [
            "",
            "An operation that is a transition records another event, and leaves the state, when it does not (yet)",
            "fire its transition (`PARTIAL_EVENTS`; the transition's guard says when it fires):",
            "",
        ]
        lines += [f"- {_code(op)}: {_code(kind)}" for kind, op in PARTIAL_EVENTS.items()]
    lines.append("")
    return "\n".join(lines)


def _states_text(allowed, order) -> str:
    if len(allowed) == len(order):
        return "every state"
    return ", ".join(_code(s) for s in sorted(allowed, key=order.__getitem__))


class Command(BaseCommand):
    help = "Write docs/states.md from disputes/states.py, or with --check fail when it is out of date."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Compare with docs/states.md instead of writing it."
        )

    def handle(self, *args, check: bool = False, **options):
        path = doc_path()
        text = render()
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != text:
                raise CommandError(OUT_OF_DATE)
            self.stdout.write("docs/states.md is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        self.stdout.write(f"Wrote {path}.")
