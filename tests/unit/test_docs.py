"""The documentation that is checked against the code: docs/states.md and docs/glossary.md.

No database: everything read here is module-level data of disputes/states.py and the models' choices.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from disputes.management.commands import states_doc
from disputes.models import (
    Admissibility,
    Confidentiality,
    DeadlineKind,
    DisputeKind,
    DocumentType,
    EffortKind,
    Finding,
    InadmissibilityReason,
    OrganisationKind,
    PartyRole,
    ReminderKind,
    StaffRole,
    Step,
)
from disputes.states import TRANSITIONS, Actor, DisputeState

DOCS = Path(settings.BASE_DIR) / "docs"


@pytest.fixture(scope="module")
def glossary() -> str:
    return (DOCS / "glossary.md").read_text(encoding="utf-8")


def test_states_md_is_generated_from_states_py():
    """docs/states.md is exactly what `manage.py states_doc` writes; run it after changing states.py."""
    committed = (DOCS / "states.md").read_text(encoding="utf-8")
    assert committed == states_doc.render(), states_doc.OUT_OF_DATE


def test_states_md_shows_every_state_and_transition():
    text = states_doc.render()
    assert "stateDiagram-v2" in text
    for state in DisputeState:
        assert f"| `{state.value}` | {state.label} |" in text
    for name, spec in TRANSITIONS.items():
        assert f"| `{name}` | {spec.label} |" in text
        if spec.target is not None:
            assert f": {name}" in text or f", {name}" in text, f"{name} is not drawn in the diagram"


def test_states_doc_check_fails_on_a_stale_file(tmp_path, monkeypatch):
    """`states_doc --check` passes on the generated text and names the fix when the file differs."""
    path = tmp_path / "states.md"
    monkeypatch.setattr(states_doc, "doc_path", lambda: path)
    call_command("states_doc", stdout=io.StringIO())
    out = io.StringIO()
    call_command("states_doc", "--check", stdout=out)
    assert "up to date" in out.getvalue()
    path.write_text(path.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    with pytest.raises(CommandError, match="docs/states.md is out of date; run python manage.py states_doc"):
        call_command("states_doc", "--check")


def test_glossary_names_every_state_and_transition(glossary):
    with translation.override("nl"):
        for state in DisputeState:
            assert f"`{state.value}`" in glossary, state.value
            assert f"| {state.label} | `{state.value}` |" in glossary, f"Dutch label of {state.value}"
        for name, spec in TRANSITIONS.items():
            assert f"`{name}`" in glossary, name
            assert f"| {spec.label} | `{name}` |" in glossary, f"Dutch label of {name}"


def test_glossary_names_every_document_type(glossary):
    with translation.override("nl"):
        for doc_type in DocumentType:
            assert f"| `{doc_type.value}` | {doc_type.label} |" in glossary, doc_type.value


@pytest.mark.parametrize(
    "choices",
    [
        Actor, Admissibility, Confidentiality, DeadlineKind, DisputeKind, EffortKind, Finding,
        InadmissibilityReason, OrganisationKind, PartyRole, ReminderKind, StaffRole, Step,
    ],
    ids=lambda c: c.__name__,
)
def test_glossary_names_every_value_of(choices, glossary):
    missing = [value for value in choices.values if f"`{value}`" not in glossary]
    assert not missing, f"docs/glossary.md does not mention {choices.__name__} values {missing}"
