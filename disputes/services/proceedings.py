"""The proceedings after acceptance: responses, the written round, information, the hearing."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..atw import format_date_nl
from ..errors import DeadlineError, GuardFailed
from ..models import DeadlineKind, Dispute, DisputeParty, DisputePoint, PartyRole, PointPosition, Step
from ..models.dispute import DEADLINE_NOTE_WORDS
from ..selectors import open_information_requests
from ..states import DisputeState
from . import deadlines
from ._core import change, fire, lock, on_commit_notify, require_operation, service
from .documents import store_all
from .joined import joint_step


@service
def dispute_respond(
    *, dispute: Dispute, actor, documents=(), positions: dict[str, str] | None = None, expected_version=None
) -> Dispute:
    """A respondent files its verweer; the round closes by itself when the last respondent has filed."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "respond", actor=actor,
                      message=_("Verweer kan alleen worden ingediend zolang de verweerronde loopt."))
    org_ids = permissions.party_organisations(actor, dispute, PartyRole.RESPONDENT)
    party = (
        DisputeParty.objects.select_for_update()
        .filter(dispute=dispute, organisation_id__in=org_ids, responded_at__isnull=True)
        .order_by("organisation__name")
        .first()
    )
    if party is None:
        raise ValidationError(_("Uw organisatie heeft al verweer ingediend."))
    response = deadlines.open_deadline(dispute, DeadlineKind.RESPONSE)
    if response is not None and clock.today() > response.due and not party.late_response_allowed:
        raise DeadlineError(
            _("De verweertermijn is verstreken op %(due)s. Vraag het secretariaat om te laat verweer toe te staan.")
            % {"due": f"{response.due:%d-%m-%Y}"}
        )
    if not documents and not positions:
        raise ValidationError(_("Voeg een verweerschrift toe of geef uw standpunt per geschilpunt."))
    now = clock.now()
    points = {p.key: p for p in dispute.points.all()}
    for key, text in (positions or {}).items():
        if key not in points:
            raise ValidationError({"positions": _("Onbekend geschilpunt: %(key)s") % {"key": key}})
        PointPosition.objects.update_or_create(
            point=points[key], organisation=party.organisation, defaults={"text": text, "recorded_at": now}
        )
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.RESPONSE)
    party.responded_at = now
    party.save(update_fields=["responded_at"])
    event = change(dispute, actor=actor, kind="responded", organisation=party.organisation)
    on_commit_notify(event)
    if not dispute.parties.filter(role=PartyRole.RESPONDENT, responded_at__isnull=True).exists():
        _close_responses(dispute, actor=None, why="all_responded")
    return dispute


def _close_responses(dispute: Dispute, *, actor, why: str) -> None:
    event = fire(dispute, "close_responses", actor=actor, payload={"why": why})
    with translation.override("nl"):  # stored in the dossier's language
        note = str(DEADLINE_NOTE_WORDS[why])
    deadlines.close(deadlines.open_deadline(dispute, DeadlineKind.RESPONSE), note=note)
    on_commit_notify(event)


@service
def dispute_close_responses(*, dispute: Dispute, actor=None, expected_version=None) -> Dispute:
    """Close the response round once every respondent answered or its deadline has passed."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "close_responses"))
    response = deadlines.open_deadline(dispute, DeadlineKind.RESPONSE)
    pending = dispute.parties.filter(role=PartyRole.RESPONDENT, responded_at__isnull=True).exists()
    still_running = response is not None and clock.today() <= response.due
    if dispute.state == DisputeState.AWAITING_RESPONSE and pending and still_running:
        raise GuardFailed(
            [_("De verweertermijn loopt nog tot en met %(due)s en niet alle verweerders hebben gereageerd.")
             % {"due": f"{response.due:%d-%m-%Y}"}]
        )
    _close_responses(dispute, actor=actor, why="all_responded" if not pending else "deadline_passed")
    return dispute


@service
def dispute_allow_late_response(*, dispute: Dispute, actor, organisation, expected_version: int | None = None) -> None:
    """The secretary lets one respondent file after the deadline."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "allow_late_response", actor=actor,
                      message=_("Te laat verweer toestaan kan alleen zolang de verweerronde loopt."))
    updated = DisputeParty.objects.filter(
        dispute=dispute, organisation=organisation, role=PartyRole.RESPONDENT
    ).update(late_response_allowed=True)
    if not updated:
        raise ValidationError(_("Deze organisatie is geen verweerder in dit geschil."))
    change(dispute, actor=actor, kind="late_response_allowed", payload={"organisation": organisation.name})


@service
def dispute_request_information(
    *, dispute: Dispute, actor, party, question: str, deadline: date | None = None, documents=(),
    expected_version=None,
) -> Dispute:
    """Ask one party a question, with its own deadline."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "request_information"))
    if party.pk not in dispute.organisation_ids():
        raise ValidationError({"party": _("Deze organisatie is geen partij in dit geschil.")})
    ask(dispute, actor=actor, party=party, question=question, deadline=deadline, documents=documents)
    return dispute


def ask(dispute: Dispute, *, actor, party, question: str, deadline: date | None, documents=(), payload=None):
    """Inside a service (the case is locked): put ``question`` to ``party`` with its own term (set by the
    secretariat, or the rule set's weeks), as the transition ``request_information``; returns its event."""
    if not question.strip():
        raise ValidationError({"question": _("Formuleer de vraag.")})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.RESPONSE)
    today = clock.today()
    if deadline is None:
        weeks = deadlines.rules_of(dispute).information_weeks
        term = deadlines.set_term(dispute, DeadlineKind.INFORMATION, start=today, weeks=weeks, organisation=party,
                                  note=question[:300])
    else:
        term = deadlines.set_due_date(dispute, DeadlineKind.INFORMATION, start=today, due=deadline,
                                      organisation=party, note=question[:300])
    # the question names its deadline, so a question and its answer are paired by id (selectors)
    event = fire(dispute, "request_information", actor=actor,
                 payload={"party": party.name, "question": question, "deadline": term.pk, **(payload or {})})
    on_commit_notify(event)
    return event


#: What a party sends in answer to a question of the secretariat (a reply to the verweer, or to the
#: reply, is asked for the same way: a question with its own deadline).
ANSWER_DOCUMENT_TYPES = ("antwoord", "repliek", "dupliek")


@service
def dispute_answer_information(
    *, dispute: Dispute, actor, deadline_id: int, answer: str = "", documents=(), expected_version=None
) -> Dispute:
    """A party answers an information request addressed to its organisation (or the secretary records
    an answer that came in another way). The request's deadline closes; a late answer is accepted and
    marked as late, the secretariat decides what it means. Every party and the secretariat hear of it.
    """
    dispute = lock(dispute, expected_version=expected_version)
    deadline = dispute.deadlines.filter(pk=deadline_id, kind=DeadlineKind.INFORMATION).select_related(
        "organisation").first()
    on_behalf = permissions.can_assess(actor, dispute)
    mine = permissions.organisation_ids(actor, dispute)
    permissions.require(
        deadline is not None and (on_behalf or deadline.organisation_id in mine),
        _("Deze vraag is niet aan uw organisatie gesteld."),
    )
    if deadline.closed_at is not None:
        raise ValidationError({"question": _("Deze vraag is al beantwoord.")})
    require_operation(dispute, "answer_information", actor=actor,
                      message=_("In deze fase van het geschil kunnen geen inlichtingen meer worden gegeven."))
    if not answer.strip() and not documents:
        raise ValidationError({"answer": _("Geef uw antwoord of voeg een document toe.")})
    if any(doc_type not in ANSWER_DOCUMENT_TYPES for doc_type, _file in documents):
        raise ValidationError({"doc_type": _("Een antwoord is een antwoord, een repliek of een dupliek.")})
    request = next((r for r in open_information_requests(dispute, [deadline.organisation_id])
                    if r.deadline.pk == deadline.pk), None)
    question = request.question if request is not None else deadline.note  # the note holds its first 300 characters
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.RESPONSE)
    late = clock.today() > deadline.due
    with translation.override("nl"):  # stored in the dossier's language, whoever answers
        note = _("beantwoord") + (f" ({_('te laat')})" if late else "")
    deadlines.close(deadline, note=note)
    everyone = {"organisations": [str(pk) for pk in dispute.organisation_ids()], "roles": ["secretary"]}
    event = change(
        dispute, actor=actor, kind="information_answered", organisation=deadline.organisation,
        payload={"party": deadline.organisation.name, "question": question, "answer": answer,
                 "deadline": deadline.pk, "due": deadline.due.isoformat(), "late": late,
                 "on_behalf": bool(on_behalf), "documents": len(documents), "audience": everyone},
    )
    on_commit_notify(event)
    return dispute


def _after_the_decision_term(dispute: Dispute, hearing_at: datetime, reason: str) -> dict:
    """A hearing after the last day of the decision term as it now stands is refused, unless a reason is given
    (issue 12, defect 13): the commission must still advise and the Minister decide within the term, so the
    secretariat extends the term first, or records why the hearing is later all the same. Returns what the
    hearing's event records of it (nothing when the hearing falls within the term)."""
    term = deadlines.open_deadline(dispute, DeadlineKind.DECISION)
    if term is None or clock.localdate(hearing_at) <= term.due:
        return {}
    if not reason.strip():
        raise ValidationError({"hearing_at": _(
            "De hoorzitting valt na het einde van de beslistermijn (%(due)s). Verleng eerst de beslistermijn, of "
            "geef aan waarom de hoorzitting toch na de beslistermijn plaatsvindt."
        ) % {"due": format_date_nl(term.due)}})
    return {"after_term_reason": reason.strip(), "decision_due": term.due.isoformat()}


@joint_step
@service
def dispute_schedule_hearing(
    *, dispute: Dispute, actor, hearing_at: datetime, place: str = "", documents=(), after_term_reason: str = "",
    expected_version=None,
) -> Dispute:
    """Plan the hearing; one after the decision term needs ``after_term_reason`` (recorded with it)."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "schedule_hearing"))
    if hearing_at <= clock.now():
        raise ValidationError({"hearing_at": _("De hoorzitting moet in de toekomst liggen.")})
    after_term = _after_the_decision_term(dispute, hearing_at, after_term_reason)
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.HEARING)
    event = fire(
        dispute, "schedule_hearing", actor=actor,
        payload={"hearing_at": hearing_at.isoformat(), "place": place, **after_term},
    )
    on_commit_notify(event)
    return dispute


#: The events that set a hearing's moment and place; the latest is the hearing as it now stands.
HEARING_EVENTS = ("schedule_hearing", "hearing_rescheduled")


def current_hearing(dispute: Dispute):
    """The event that set the hearing as it now stands, or None."""
    return dispute.events.filter(kind__in=HEARING_EVENTS).order_by("-at", "-pk").first()


def hearing_moment(event) -> datetime:
    """The moment of the hearing an event set, in Amsterdam time."""
    return datetime.fromisoformat(event.payload["hearing_at"]).astimezone(clock.AMSTERDAM)


@joint_step
@service
def dispute_reschedule_hearing(
    *, dispute: Dispute, actor, hearing_at: datetime, place: str, reason: str, documents=(),
    after_term_reason: str = "", expected_version=None,
) -> Dispute:
    """Move a scheduled hearing (another moment and/or place), with a reason. The state stays
    ``hearing_scheduled``; every party gets a new invitation whose calendar entry replaces the old
    one (same UID, higher SEQUENCE). A new moment after the decision term needs ``after_term_reason``."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "reschedule_hearing", actor=actor,
                      message=_("Er is geen geplande hoorzitting om te wijzigen."))
    if hearing_at <= clock.now():
        raise ValidationError({"hearing_at": _("De hoorzitting moet in de toekomst liggen.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan waarom de hoorzitting wordt gewijzigd.")})
    previous = current_hearing(dispute)
    if previous.payload.get("hearing_at") == hearing_at.isoformat() and previous.payload.get("place", "") == place:
        raise ValidationError({"hearing_at": _("Datum, tijd en plaats zijn niet gewijzigd.")})
    after_term = _after_the_decision_term(dispute, hearing_at, after_term_reason)
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.HEARING)
    change(
        dispute, actor=actor, kind="hearing_rescheduled",
        payload={"hearing_at": hearing_at.isoformat(), "place": place, "reason": reason, **after_term,
                 "previous_at": previous.payload.get("hearing_at", ""),
                 "previous_place": previous.payload.get("place", ""),
                 # the calendar entry of the first invitation, updated in place (RFC 5545 UID + SEQUENCE)
                 "calendar_event": previous.payload.get("calendar_event", previous.pk),
                 "sequence": previous.payload.get("sequence", 0) + 1},
    )
    return dispute


@joint_step
@service
def dispute_cancel_hearing(*, dispute: Dispute, actor, reason: str, expected_version=None) -> Dispute:
    """Call off a planned hearing, with a reason: the case is back in the written round, where the
    secretary plans a new hearing or the chair chooses the written procedure. Every party hears of it."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "cancel_hearing"))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan waarom de hoorzitting niet doorgaat.")})
    event = fire(dispute, "cancel_hearing", actor=actor, payload={"reason": reason})
    on_commit_notify(event)
    return dispute


@joint_step
@service
def dispute_record_hearing(*, dispute: Dispute, actor, documents=(), expected_version=None) -> Dispute:
    """Record that the hearing took place; the minutes (verslag hoorzitting) are required.

    Not before the hearing's moment (issue 12, defect 13): minutes dated before the hearing report nothing
    that happened. Minutes added to the case before that moment do not count either."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "record_hearing"))
    planned = current_hearing(dispute)
    held_from = hearing_moment(planned) if planned is not None else None
    if held_from is not None and clock.now() < held_from:
        raise ValidationError({"hearing_at": _(
            "De hoorzitting is gepland op %(moment)s. Het verslag kan pas worden vastgelegd nadat de hoorzitting "
            "heeft plaatsgevonden."
        ) % {"moment": f"{held_from:%d-%m-%Y %H:%M}"}})
    on_file = dispute.documents.current().filter(doc_type="verslag_hoorzitting")
    if held_from is not None:
        on_file = on_file.filter(uploaded_at__gte=held_from)
    has_minutes = any(t == "verslag_hoorzitting" for t, _f in documents) or on_file.exists()
    if not has_minutes:
        raise ValidationError({"documents": _("Voeg het verslag van de hoorzitting toe.")})
    store_all(dispute=dispute, actor=actor, files=documents, step=Step.HEARING)
    fire(dispute, "record_hearing", actor=actor)
    return dispute


@joint_step
@service
def dispute_skip_hearing(*, dispute: Dispute, actor, reason: str, expected_version=None) -> Dispute:
    """The chair decides on a written procedure instead of a hearing, with a reason."""
    dispute = lock(dispute, expected_version=expected_version)
    permissions.require(permissions.can_fire(actor, dispute, "skip_hearing"))
    if not reason.strip():
        raise ValidationError({"reason": _("Motiveer waarom er geen hoorzitting nodig is.")})
    fire(dispute, "skip_hearing", actor=actor, reason=reason, payload={"reason": reason})
    return dispute


def point_by_key(dispute: Dispute, key: str) -> DisputePoint:
    try:
        return dispute.points.get(key=key)
    except DisputePoint.DoesNotExist as exc:
        raise ValidationError({"point": _("Onbekend geschilpunt: %(key)s") % {"key": key}}) from exc
