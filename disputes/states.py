"""The legal states of a dispute and the transition table of procedure.md §5.

This module is the single source of the table: the model's ``@transition`` decorators, the
services, the permission rules, the documentation check (docs/states.md) and the table-driven
tests all read it.
"""

from dataclasses import dataclass

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

#: States in which the case has ended for good (no further transitions except ``close``).
TERMINAL_STATES = frozenset({S.WITHDRAWN, S.SETTLED, S.CLOSED})
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


class Actor(models.TextChoices):
    """Who may fire a transition (procedure.md §5, column 'who')."""

    APPLICANT = "applicant", _("verzoeker")
    RESPONDENT = "respondent", _("verweerder")
    SECRETARY = "secretary", _("secretaris")
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
