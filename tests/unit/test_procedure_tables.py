"""The tables of the procedure agree with each other and with procedure.md (issue 11).

``TRANSITIONS`` and ``OPERATIONS`` (disputes/states.py), the flow's nodes with their ``completed_by`` and
``expected_nodes`` (workflow/flows.py), and the task pages' actions (workflow/actions.py) describe the same
procedure from four sides. The expectations for the operations that are not transitions are written out
here by hand, from procedure.md and the pages, independently of the code's table.
"""

from types import SimpleNamespace

import pytest

from disputes.models import Admissibility
from disputes.states import (
    ALL_STATES,
    CONCLUDED_STATES,
    OPEN_STATES,
    OPERATIONS,
    TERMINAL_STATES,
    TRANSITIONS,
    Actor,
    DisputeState,
)

OPEN = set(OPEN_STATES)
NOT_CONCLUDED = set(DisputeState) - {"decided", "withdrawn", "settled", "closed"}
ANSWERABLE = {"exchange", "hearing_scheduled", "deliberation", "advice_issued"}

#: operation -> actor -> states, for every operation that is not a transition
EXPECTED_OPERATIONS = {
    "edit_draft": {"applicant": {"draft"}},
    "respond": {"respondent": {"awaiting_response"}},
    "allow_late_response": {"secretary": {"awaiting_response"}},
    "answer_information": {"applicant": ANSWERABLE, "respondent": ANSWERABLE, "interested": ANSWERABLE,
                           "secretary": ANSWERABLE},
    "reschedule_hearing": {"secretary": {"hearing_scheduled"}},
    "decide_point_admissibility": {"secretary": {"admissibility_review", "effort_review"}},
    "assess_efforts": {"secretary": {"effort_review"}},
    "advise_point": {"commission_chair": {"deliberation"}},
    "decide_point": {"minister_official": {"advice_issued"}},
    "draft_decision": {"minister_official": {"advice_issued"}, "secretary": {"advice_issued"}},
    "send_reminder": {"secretary": OPEN},
    "record_effort": {"applicant": OPEN, "respondent": OPEN},
    # a party adds documents at any open step (issue 13, item 3); the secretariat and the others are told
    "submit_documents": {"applicant": OPEN, "respondent": OPEN},
    "add_document": {
        "applicant": NOT_CONCLUDED, "respondent": NOT_CONCLUDED, "commission_chair": NOT_CONCLUDED,
        "commission_member": NOT_CONCLUDED, "secretary": set(DisputeState), "minister_official": set(DisputeState),
    },
    "recuse": {"commission_chair": set(DisputeState), "commission_member": set(DisputeState)},
    # after the decision (issue 12, defect 8): the ministry registers a received bezwaar; the Minister's
    # official corrects an obvious error (herstelbesluit), both while the case is decided (not closed)
    "record_objection": {"secretary": {"decided"}, "minister_official": {"decided"}},
    "correct_decision": {"minister_official": {"decided"}},
    # the commission per case (ADR 0017): seated from receipt until the advice is issued
    "compose_commission": {"secretary": set(OPEN_STATES) - {"advice_issued"}},
    "replace_commission_seat": {"secretary": set(OPEN_STATES) - {"advice_issued"}},
    # the others of the agreement (Awb 4:8): invited in the written round, joined as party until the advice
    "invite_view": {"secretary": {"exchange"}},
    "join_party": {"secretary": {"exchange", "hearing_scheduled", "deliberation"}},
    # joined cases: joined in the written round, before the hearing, advice and decision they take together
    "join_cases": {"secretary": {"exchange"}},
    # representatives (issue 15): appointed and checked while the case is handled, ended at any time after filing
    "request_representation": {"applicant": OPEN, "respondent": OPEN},
    "check_representation": {"secretary": OPEN},
    # letters (issue 16): drafted, checked and sent by the ministry's staff after filing
    "send_letter": {"secretary": set(DisputeState) - {"draft"}, "minister_official": set(DisputeState) - {"draft"}},
    "end_representation": {"applicant": set(DisputeState) - {"draft"}, "respondent": set(DisputeState) - {"draft"},
                           "secretary": set(DisputeState) - {"draft"}},
}


def test_every_transition_is_an_operation_with_the_same_states_and_actor():
    for name, spec in TRANSITIONS.items():
        operation = OPERATIONS[name]
        assert operation.transition == name
        assert dict(operation.allowed) == {spec.actor: frozenset(spec.sources)}, name


def test_the_other_operations_are_as_procedure_md_and_the_pages_say():
    others = {name: op for name, op in OPERATIONS.items() if op.transition is None}
    assert set(others) == set(EXPECTED_OPERATIONS)
    for name, op in others.items():
        assert {actor: set(states) for actor, states in op.allowed.items()} == EXPECTED_OPERATIONS[name], name


def test_every_state_and_actor_in_the_tables_exists():
    for op in OPERATIONS.values():
        assert op.states <= ALL_STATES, op.name
        assert op.actors <= set(Actor), op.name


def test_ended_and_open_are_defined_once_and_partition_the_states():
    assert TERMINAL_STATES == {"withdrawn", "settled", "closed"}
    assert CONCLUDED_STATES == {"decided", *TERMINAL_STATES}
    assert set(OPEN_STATES) | CONCLUDED_STATES | {"draft"} == ALL_STATES
    assert not set(OPEN_STATES) & CONCLUDED_STATES
    for name in TRANSITIONS:  # nothing leaves a terminal state
        assert not set(TRANSITIONS[name].sources) & TERMINAL_STATES, name


# -- the flow ---------------------------------------------------------------------------------------------
def _flow_nodes():
    from workflow.flows import DisputeFlow

    return {node.name: node for node in DisputeFlow.instance.nodes() if hasattr(node, "completed_by")}


#: the staff role of a task -> the actor it acts as in the operations table
ROLE_ACTOR = {"secretary": Actor.SECRETARY, "commission_chair": Actor.COMMISSION_CHAIR,
              "minister_official": Actor.MINISTER_OFFICIAL}


def _cases_in(state):
    """Every shape of case data that ``expected_nodes`` looks at, in ``state``."""
    for verdicts in ((), (Admissibility.PENDING,), (Admissibility.INADMISSIBLE,), (Admissibility.ADMISSIBLE,)):
        for sufficient in (None, False, True):
            for drafted in (None, 7):
                points = [SimpleNamespace(admissibility=v) for v in verdicts]
                yield SimpleNamespace(state=state, efforts_sufficient=sufficient, decision_drafted_by_id=drafted,
                                      points=SimpleNamespace(all=lambda points=points: points))


def _events_of_operations() -> dict[str, str]:
    """An event kind that is not a transition's name -> the operation that records it."""
    return {"decision_drafted": "draft_decision", "applicant_withdrawn": "withdraw"}


def test_a_withdrawal_that_leaves_other_applicants_is_the_withdraw_operation_without_its_transition():
    """procedure.md §0: ``withdraw`` stays the applicant's one action; a co-applicant's withdrawal records its own
    event and leaves the state; the transition fires with the last applicant (issue 12, defect 2)."""
    from disputes.guards import GUARD_PROBLEMS
    from disputes.models import EventKind
    from disputes.states import PARTIAL_EVENTS

    assert PARTIAL_EVENTS == {"applicant_withdrawn": "withdraw"}
    for kind, operation in PARTIAL_EVENTS.items():
        assert kind in EventKind.values and kind not in TRANSITIONS
        assert OPERATIONS[operation].transition == operation
        assert _events_of_operations()[kind] == operation
    assert "withdraw" in GUARD_PROBLEMS  # the transition waits for the last applicant


def test_every_task_is_completed_by_operations_that_exist():
    events = _events_of_operations()
    for name, node in _flow_nodes().items():
        assert node.completed_by, name
        for kind in node.completed_by:
            assert kind in TRANSITIONS or kind in events, f"{name}: {kind} is neither a transition nor an event"


def test_a_task_is_open_only_in_states_in_which_what_completes_it_can_happen():
    from workflow.flows import expected_nodes

    events = _events_of_operations()
    nodes = _flow_nodes()
    seen = set()
    for state in DisputeState:
        for dispute in _cases_in(state):
            for name in expected_nodes(dispute):
                seen.add(name)
                completing = {events.get(kind, kind) for kind in nodes[name].completed_by}
                assert any(state in OPERATIONS[op].states for op in completing), (name, state)
    assert seen == set(nodes), "every task of the flow is expected in some state"


def test_a_task_is_held_by_a_role_that_may_do_what_completes_it():
    events = _events_of_operations()
    for name, node in _flow_nodes().items():
        role = getattr(node, "role", "")
        if not role:  # a wait: a party or the system completes it
            continue
        completing = [OPERATIONS[events.get(kind, kind)] for kind in node.completed_by]
        assert any(ROLE_ACTOR[role] in op.actors for op in completing), name


def test_the_task_pages_offer_operations_allowed_where_their_task_is_open():
    from workflow.actions import TASK_ACTIONS
    from workflow.flows import expected_nodes

    nodes = _flow_nodes()
    assert set(TASK_ACTIONS) <= set(nodes)
    for node_name, actions in TASK_ACTIONS.items():
        open_in = {state for state in DisputeState for d in _cases_in(state) if node_name in expected_nodes(d)}
        role_actor = ROLE_ACTOR[nodes[node_name].role]
        for action in actions:
            assert action.operation, f"{node_name}: {action.slug} names no operation"
            operation = OPERATIONS[action.operation]
            assert open_in & operation.states, (node_name, action.slug)
            assert role_actor in operation.actors, (node_name, action.slug)


def test_the_operations_that_name_a_task_are_on_its_page():
    from workflow.actions import TASK_ACTIONS

    for op in OPERATIONS.values():
        for node_name in op.tasks:
            assert op.name in {a.operation for a in TASK_ACTIONS[node_name]}, (op.name, node_name)


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_no_transition_is_left_without_a_way_to_do_it(name):
    """A staff transition is on a task page or a case action; a party's in the portal; the system's in a task."""
    from workflow.actions import CASE_ACTIONS, TASK_ACTIONS

    offered = {a.operation for actions in TASK_ACTIONS.values() for a in actions}
    offered |= {a.operation for a in CASE_ACTIONS.values()}
    actor = TRANSITIONS[name].actor
    if actor in (Actor.APPLICANT, Actor.RESPONDENT, Actor.SYSTEM) and name not in offered:
        return  # portal pages and the periodic task (disputes.services.enforcement)
    assert name in offered, name


# -- the audit trail's event kinds -----------------------------------------------------------------------------
def _recorded_kinds() -> set[str]:
    """Every ``kind="..."`` the code passes to ``record`` or ``change`` (the two ways an event is written)."""
    import ast
    from pathlib import Path

    from django.conf import settings

    kinds = set()
    for package in ("disputes", "workflow"):
        for path in (Path(settings.BASE_DIR) / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ("record", "change"):
                    kinds |= {k.value.value for k in node.keywords
                              if k.arg == "kind" and isinstance(k.value, ast.Constant)}
    return kinds


def test_every_event_the_code_records_is_an_event_kind_with_a_label():
    from disputes.models import EventKind, event_label

    recorded = _recorded_kinds()
    assert len(recorded) > 20  # the scan finds the services' events
    assert recorded <= set(EventKind.values), recorded - set(EventKind.values)
    assert set(TRANSITIONS) <= set(EventKind.values)
    assert event_label("decide") == TRANSITIONS["decide"].label
    assert event_label("recused") != "recused"


# -- no state names outside the table -------------------------------------------------------------------------
#: literals that happen to spell a state but are something else: (file, text) -> what they are
NOT_STATES = {
    ("disputes/portal/urls.py", "submitted"): "the name of the 'submitted' page",
    ("workflow/forms.py", "draft"): "the draft-decision form's file field",
}


def test_no_state_is_named_by_a_string_outside_the_table_and_the_migrations():
    import ast
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    found = []
    for package in ("config", "disputes", "workflow"):
        for path in (root / package).rglob("*.py"):
            relative = path.relative_to(root).as_posix()
            if "migrations" in path.parts or relative == "disputes/states.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Constant) and node.value in DisputeState.values
                        and (relative, node.value) not in NOT_STATES):
                    found.append(f"{relative}:{node.lineno}: {node.value!r}")
    assert not found, "name the state through disputes.states (DisputeState or a named set):\n" + "\n".join(found)
