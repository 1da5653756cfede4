"""The legal states of a dispute, the transition table of procedure.md §5, and the operations table.

This module is the single source of "in which state may X happen, and who may do it?" (ADR 0013):

- ``TRANSITIONS``: the legal state changes (procedure.md §5), read by the model's ``@transition``
  decorators;
- ``OPERATIONS``: everything a user or the system does to a case, transitions included, each with the
  states in which each kind of actor may do it. ``permissions.available_actions`` answers from it for the
  party portal, the staff pages, the scenario runner and (later) the API; the services refuse an
  operation out of its states through ``services._core.require_operation``; the flow's tasks and the
  documentation (docs/states.md) are checked against it by tests/unit/test_procedure_tables.py.

No state is named by a string outside this module and the migrations.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    ADMISSIBILITY_REVIEW = "admissibility_review", _("Ontvankelijkheid")
    AWAITING_REMEDY = "awaiting_remedy", _("Herstel verzuim")
    EFFORT_REVIEW = "effort_review", _("Toets inspanningen")
    AWAITING_RESPONSE = "awaiting_response", _("Verweer")
    EXCHANGE = "exchange", _("Schriftelijke ronde")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hoorzitting gepland")
    DELIBERATION = "deliberation", _("Beraadslaging")
    ADVICE_ISSUED = "advice_issued", _("Advies uitgebracht")
    DECIDED = "decided", _("Bindende uitspraak")
    WITHDRAWN = "withdrawn", _("Ingetrokken")
    SETTLED = "settled", _("Geschikt")
    CLOSED = "closed", _("Afgesloten")


S = DisputeState

ALL_STATES = frozenset(S)
#: States in which the case has ended for good: withdrawn, settled or closed. No transition leaves them and
#: the staff's process for the case is over (workflow: the flow ends).
TERMINAL_STATES = frozenset({S.WITHDRAWN, S.SETTLED, S.CLOSED})
#: States in which the procedure has reached its outcome: the binding decision, or a terminal state. Parties
#: add nothing more to such a case (only the objection to the Minister's decision, outside this product).
CONCLUDED_STATES = frozenset({S.DECIDED, *TERMINAL_STATES})
#: States in which the decision term runs: from receipt until the binding decision.
OPEN_STATES = (
    S.SUBMITTED,
    S.ADMISSIBILITY_REVIEW,
    S.AWAITING_REMEDY,
    S.EFFORT_REVIEW,
    S.AWAITING_RESPONSE,
    S.EXCHANGE,
    S.HEARING_SCHEDULED,
    S.DELIBERATION,
    S.ADVICE_ISSUED,
)
#: States from which the case can return after a remedy request (``supply_remedy``/``lapse_remedy``).
REMEDY_RETURN_STATES = (S.ADMISSIBILITY_REVIEW, S.EFFORT_REVIEW)
#: States in which a question of the secretariat (request for information, repliek, dupliek) can be answered:
#: from the end of the response round until the Minister has decided.
ANSWERABLE_STATES = (S.EXCHANGE, S.HEARING_SCHEDULED, S.DELIBERATION, S.ADVICE_ISSUED)
#: States in which the secretariat seats the commission for a case, or replaces a member: from receipt until
#: the advice is issued (the commission advises as composed then).
COMPOSABLE_STATES = tuple(s for s in OPEN_STATES if s != S.ADVICE_ISSUED)
#: States in which another party to the agreement, invited to give its view, can be joined as party: from the
#: written round until the commission advises.
JOINABLE_STATES = (S.EXCHANGE, S.HEARING_SCHEDULED, S.DELIBERATION)


class Actor(models.TextChoices):
    """Who may fire a transition (procedure.md §5, column 'who')."""

    APPLICANT = "applicant", _("verzoeker")
    RESPONDENT = "respondent", _("verweerder")
    #: another party to the agreement, invited to give its view (Awb 4:8)
    INTERESTED = "interested", _("belanghebbende")
    SECRETARY = "secretary", _("secretaris")
    COMMISSION_MEMBER = "commission_member", _("lid adviescommissie")
    COMMISSION_CHAIR = "commission_chair", _("voorzitter adviescommissie")
    MINISTER_OFFICIAL = "minister_official", _("ambtenaar namens de Minister")
    SYSTEM = "system", _("systeem")


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    sources: tuple[str, ...]
    #: The target state; ``None`` means "stays in the same state", ``"return"`` means "back to the
    #: state the remedy request came from".
    target: str | None
    actor: str
    label: str


RETURN = "return"

TRANSITIONS: dict[str, TransitionSpec] = {
    t.name: t
    for t in (
        TransitionSpec("submit", (S.DRAFT,), S.SUBMITTED, Actor.APPLICANT, _("Indienen")),
        TransitionSpec(
            "start_review", (S.SUBMITTED,), S.ADMISSIBILITY_REVIEW, Actor.SECRETARY, _("Beoordeling starten")
        ),
        TransitionSpec(
            "request_remedy", REMEDY_RETURN_STATES, S.AWAITING_REMEDY, Actor.SECRETARY,
            _("Herstel verzuim vragen"),
        ),
        TransitionSpec("supply_remedy", (S.AWAITING_REMEDY,), RETURN, Actor.APPLICANT, _("Verzuim herstellen")),
        TransitionSpec("lapse_remedy", (S.AWAITING_REMEDY,), RETURN, Actor.SYSTEM, _("Hersteltermijn verstreken")),
        TransitionSpec(
            "pass_admissibility", (S.ADMISSIBILITY_REVIEW,), S.EFFORT_REVIEW, Actor.SECRETARY,
            _("Ontvankelijkheid vaststellen"),
        ),
        TransitionSpec("accept", (S.EFFORT_REVIEW,), S.AWAITING_RESPONSE, Actor.SECRETARY, _("In behandeling nemen")),
        TransitionSpec(
            "declare_inadmissible", REMEDY_RETURN_STATES, S.DECIDED, Actor.MINISTER_OFFICIAL,
            _("Niet-ontvankelijk verklaren"),
        ),
        TransitionSpec(
            "close_responses", (S.AWAITING_RESPONSE,), S.EXCHANGE, Actor.SYSTEM, _("Verweerronde sluiten")
        ),
        TransitionSpec(
            "request_information", (S.EXCHANGE,), S.EXCHANGE, Actor.SECRETARY, _("Inlichtingen vragen")
        ),
        TransitionSpec(
            "schedule_hearing", (S.EXCHANGE,), S.HEARING_SCHEDULED, Actor.SECRETARY, _("Hoorzitting plannen")
        ),
        TransitionSpec(
            "record_hearing", (S.HEARING_SCHEDULED,), S.DELIBERATION, Actor.SECRETARY,
            _("Verslag hoorzitting vastleggen"),
        ),
        TransitionSpec(
            "cancel_hearing", (S.HEARING_SCHEDULED,), S.EXCHANGE, Actor.SECRETARY, _("Hoorzitting afzeggen")
        ),
        TransitionSpec(
            "skip_hearing", (S.EXCHANGE,), S.DELIBERATION, Actor.COMMISSION_CHAIR, _("Schriftelijk afdoen")
        ),
        TransitionSpec(
            "issue_advice", (S.DELIBERATION,), S.ADVICE_ISSUED, Actor.COMMISSION_CHAIR, _("Advies uitbrengen")
        ),
        TransitionSpec(
            "decide", (S.ADVICE_ISSUED,), S.DECIDED, Actor.MINISTER_OFFICIAL, _("Bindende uitspraak vaststellen")
        ),
        TransitionSpec(
            "extend_decision_term", OPEN_STATES, None, Actor.MINISTER_OFFICIAL, _("Beslistermijn verlengen")
        ),
        # ``withdraw`` is the applicant's action (the operation); it fires this transition only when the last
        # applicant withdraws (or a draft is withdrawn): until then it ends one applicant's part of a joint
        # request and the case stays where it is (``PARTIAL_EVENTS``; guards.withdrawal_problems).
        TransitionSpec("withdraw", (S.DRAFT, *OPEN_STATES), S.WITHDRAWN, Actor.APPLICANT, _("Intrekken")),
        TransitionSpec("settle", OPEN_STATES[1:], S.SETTLED, Actor.SECRETARY, _("Schikking vastleggen")),
        TransitionSpec("close", (S.DECIDED,), S.CLOSED, Actor.SYSTEM, _("Afsluiten")),
    )
}


def targets_of(spec: TransitionSpec, source: str) -> str:
    """The state a transition leads to from ``source`` (for the table-driven tests and docs)."""
    if spec.target is None:
        return source
    if spec.target == RETURN:
        return "(" + "|".join(REMEDY_RETURN_STATES) + ")"
    return spec.target


# -- operations ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Operation:
    """Something done to a case: who (kind of actor) may do it in which states.

    ``allowed`` maps an ``Actor`` to the states in which that actor may do it; most operations have one set
    of states for all their actors, a few differ per actor (staff of the ministry still add documents to a
    decided case, parties do not). ``transition`` names the entry of ``TRANSITIONS`` it fires, if any.
    """

    name: str
    label: str
    allowed: Mapping[str, frozenset[str]]
    transition: str | None = None
    #: the staff's flow task whose page offers it (workflow.actions.TASK_ACTIONS), for the agreement test
    tasks: tuple[str, ...] = field(default=())

    @property
    def states(self) -> frozenset[str]:
        """Every state in which someone may do it."""
        return frozenset().union(*self.allowed.values())

    @property
    def actors(self) -> frozenset[str]:
        return frozenset(self.allowed)


def _op(name: str, label, states, *actors: str, tasks: tuple[str, ...] = ()) -> Operation:
    return Operation(name, label, {actor: frozenset(states) for actor in actors}, tasks=tasks)


def _from_transition(spec: TransitionSpec) -> Operation:
    return Operation(spec.name, spec.label, {spec.actor: frozenset(spec.sources)}, transition=spec.name)


_STAFF_OF_THE_MINISTRY = (Actor.SECRETARY, Actor.MINISTER_OFFICIAL)
_COMMISSION = (Actor.COMMISSION_CHAIR, Actor.COMMISSION_MEMBER)
_PARTIES = (Actor.APPLICANT, Actor.RESPONDENT)
_NOT_CONCLUDED = ALL_STATES - CONCLUDED_STATES

OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        *(_from_transition(spec) for spec in TRANSITIONS.values()),
        _op("edit_draft", _("Concept bewerken"), (S.DRAFT,), Actor.APPLICANT),
        _op("respond", _("Verweer indienen"), (S.AWAITING_RESPONSE,), Actor.RESPONDENT),
        _op("allow_late_response", _("Te laat verweer toestaan"), (S.AWAITING_RESPONSE,), Actor.SECRETARY),
        _op("answer_information", _("Vraag om inlichtingen beantwoorden"), ANSWERABLE_STATES,
            *_PARTIES, Actor.INTERESTED, Actor.SECRETARY),
        # the others of the agreement (Awb 4:8): invited to give their view in the written round, with a question
        # and its term as any information request; joined as party (respondent) until the commission advises
        _op("invite_view", _("Belanghebbende uitnodigen voor een zienswijze"), (S.EXCHANGE,), Actor.SECRETARY),
        _op("join_party", _("Belanghebbende als partij toevoegen"), JOINABLE_STATES, Actor.SECRETARY),
        # related disputes about the same agreement handled together (one hearing, one advice, one decision
        # moment; each case its own number and points): joined in the written round, before any of it
        _op("join_cases", _("Zaken voegen"), (S.EXCHANGE,), Actor.SECRETARY),
        _op("reschedule_hearing", _("Hoorzitting wijzigen"), (S.HEARING_SCHEDULED,), Actor.SECRETARY),
        _op("decide_point_admissibility", _("Ontvankelijkheid geschilpunt vastleggen"), REMEDY_RETURN_STATES,
            Actor.SECRETARY, tasks=("assess_admissibility",)),
        _op("assess_efforts", _("Inspanningen beoordelen"), (S.EFFORT_REVIEW,), Actor.SECRETARY,
            tasks=("review_efforts",)),
        _op("advise_point", _("Advies over geschilpunt vastleggen"), (S.DELIBERATION,), Actor.COMMISSION_CHAIR,
            tasks=("prepare_advice",)),
        _op("decide_point", _("Beslissing over geschilpunt vastleggen"), (S.ADVICE_ISSUED,),
            Actor.MINISTER_OFFICIAL, tasks=("draft_decision",)),
        _op("draft_decision", _("Ontwerpuitspraak opstellen"), (S.ADVICE_ISSUED,), *_STAFF_OF_THE_MINISTRY,
            tasks=("draft_decision",)),
        _op("send_reminder", _("Herinnering sturen"), OPEN_STATES, Actor.SECRETARY),
        _op("record_effort", _("Overleglogboek aanvullen"), OPEN_STATES, *_PARTIES),
        # a party adds documents to its case at any open step, not only in answer to a question (the
        # secretariat and the other parties are told); ``add_document`` is the staff's and the commission's
        _op("submit_documents", _("Stukken toevoegen"), OPEN_STATES, *_PARTIES),
        Operation(
            "add_document", _("Document toevoegen"),
            {**{actor: _NOT_CONCLUDED for actor in (*_PARTIES, *_COMMISSION)},
             **{actor: ALL_STATES for actor in _STAFF_OF_THE_MINISTRY}},
        ),
        _op("recuse", _("Verschonen"), ALL_STATES, *_COMMISSION),
        # after the decision (Awb 6:9, herstelbesluit): the ministry registers a received bezwaar; only the
        # Minister's official corrects an obvious error in the decision, while the case is still decided
        _op("record_objection", _("Bezwaar ontvangen"), (S.DECIDED,), *_STAFF_OF_THE_MINISTRY),
        _op("correct_decision", _("Herstelbesluit vaststellen"), (S.DECIDED,), Actor.MINISTER_OFFICIAL),
        _op("compose_commission", _("Commissie samenstellen"), COMPOSABLE_STATES, Actor.SECRETARY),
        # representatives (gemachtigden, docs/accounts.md): a member of a party authorises a person outside its
        # organisation for one case while it is being handled; the secretariat checks the machtiging; the party
        # or the secretariat ends the representation at any time after filing (permissions: only a member of the
        # party, never a representative, appoints or ends one)
        _op("request_representation", _("Gemachtigde aanmelden"), OPEN_STATES, *_PARTIES),
        # the letters of the procedure (docs/letters.md): made from the secretariat's wording, checked and sent by
        # the ministry's staff; which letter fits which state is the letter kind's (disputes/letterbook.KINDS)
        _op("send_letter", _("Brief opstellen en versturen"), ALL_STATES - {S.DRAFT}, *_STAFF_OF_THE_MINISTRY),
        _op("check_representation", _("Machtiging controleren"), OPEN_STATES, Actor.SECRETARY),
        _op("end_representation", _("Machtiging beëindigen"), ALL_STATES - {S.DRAFT}, *_PARTIES, Actor.SECRETARY),
        _op("replace_commission_seat", _("Lid commissie vervangen"), COMPOSABLE_STATES, Actor.SECRETARY),
    )
}


#: The event an operation that is a transition records when it does not (yet) fire it, with the operation: the
#: case stays in its state. One co-applicant's withdrawal ends only its own part of a joint request; the
#: transition ``withdraw`` follows with the last applicant (procedure.md §0).
PARTIAL_EVENTS: dict[str, str] = {"applicant_withdrawn": "withdraw"}


def operation_states(name: str) -> frozenset[str]:
    """The states in which anyone may do operation ``name``."""
    return OPERATIONS[name].states
