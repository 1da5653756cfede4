"""The shared mechanics of every service: lock the case, check, transition, save, record."""

import functools
import threading

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from .. import clock, outbox, permissions, signals
from ..errors import Conflict, GuardFailed, OperationNotAllowed
from ..guards import GUARD_PROBLEMS
from ..models import Confidentiality, Dispute, DisputeEvent
from ..states import OPERATIONS, TRANSITIONS, DisputeState

_files = threading.local()


def track_stored_file(storage, name: str) -> None:
    """Remember a file written inside a service, so a failing service can remove it again."""
    stack = getattr(_files, "stack", None)
    if stack:
        stack[-1].append((storage, name))


def service(func):
    """``transaction.atomic`` for a service, plus: files it stored are deleted when it fails.

    The database rolls back its rows; this makes the private storage follow, so a refused or
    crashing service leaves no orphaned files (quality.md, faults). Nested services hand their
    files to the outer one.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        stack = _files.__dict__.setdefault("stack", [])
        stack.append([])
        try:
            with transaction.atomic():
                result = func(*args, **kwargs)
        except BaseException:
            for storage, name in stack.pop():
                storage.delete(name)
            raise
        stored = stack.pop()
        if stack:
            stack[-1].extend(stored)
        return result

    return wrapper


def CONFLICT_MESSAGE() -> str:  # noqa: N802 - reads like the constant it stands for
    return _("Het geschil is intussen gewijzigd, door iemand anders of door uzelf in een ander venster. Bekijk de "
             "nieuwe stand en probeer het opnieuw.")


def lock(dispute: Dispute, *, expected_version: int | None = None) -> Dispute:
    """Re-read the case under a row lock (PostgreSQL) and refuse a stale form.

    ``expected_version`` is the version the actor saw; a mismatch means someone else changed the
    case in the meantime, which the actor must see before acting (HTTP 409).
    """
    locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(CONFLICT_MESSAGE())
    return locked


def save(dispute: Dispute) -> None:
    """Save a changed case, bumping its version; a concurrent transition becomes a ``Conflict``."""
    dispute.version += 1
    try:
        with transaction.atomic():
            dispute.save()
    except ConcurrentTransition as exc:
        raise Conflict(CONFLICT_MESSAGE()) from exc


def record(
    dispute: Dispute,
    *,
    actor,
    kind: str,
    from_state: str = "",
    to_state: str = "",
    payload: dict | None = None,
    visibility: str = Confidentiality.PARTIES,
    organisation=None,
    announce: bool = True,
) -> DisputeEvent:
    """Append an event to the audit trail, in the caller's transaction, and announce it (``event_recorded``; not
    when ``announce`` is False: an event recorded by a receiver of another event, which would otherwise reach the
    other receivers before the event it follows from). An act of a
    representative (gemachtigde) for ``organisation`` names them in the payload (``representative``), so every
    timeline says who acted "namens" the organisation."""
    if representing(actor, dispute, organisation):
        payload = {**(payload or {}), "representative": actor.get_full_name() or actor.get_username()}
    event = DisputeEvent.objects.create(
        dispute=dispute,
        at=clock.now(),
        actor=actor,
        actor_organisation=organisation,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        payload=payload or {},
        visibility=visibility,
    )
    if announce:  # a consequence recorded by a receiver of another event stays quiet (services/retention.py)
        signals.event_recorded.send(sender=DisputeEvent, dispute=dispute, event=event)
    if dispute.state != DisputeState.DRAFT:  # staff search does not see drafts (disputes/search.py)
        outbox.enqueue("disputes.tasks.index_case", dispute_id=str(dispute.pk))
    return event


def representing(actor, dispute: Dispute, organisation) -> bool:
    """Whether ``actor`` acts for ``organisation`` on ``dispute`` as its representative, not as a member."""
    if actor is None or organisation is None:
        return False
    return (organisation.pk not in permissions.organisation_ids(actor)
            and organisation.pk in permissions.organisation_ids(actor, dispute))


def change(
    dispute: Dispute,
    *,
    actor,
    kind: str,
    payload: dict | None = None,
    visibility: str = Confidentiality.PARTIES,
    organisation=None,
    already_set: tuple[str, ...] = (),
    **fields,
) -> DisputeEvent:
    """The one way a service changes a locked case without a transition: set ``fields``, bump the version
    (ADR 0005: an open form of the case becomes stale), save, and append the event to the audit trail.
    ``already_set`` names fields the caller has set on the instance itself (e.g. while validating)."""
    for name, value in fields.items():
        setattr(dispute, name, value)
    bump(dispute, *fields, *already_set)
    return record(dispute, actor=actor, kind=kind, payload=payload, visibility=visibility, organisation=organisation)


def bump(dispute: Dispute, *fields: str) -> None:
    """Save ``fields`` of a locked case with a new version, for a change whose event another service records
    (e.g. a document added to a draft: ``store_document`` records it)."""
    dispute.version += 1
    dispute.save(update_fields=[*fields, "version"])


def require_operation(
    dispute: Dispute, name: str, *, actor, message: str | None = None, not_permitted: str | None = None
) -> None:
    """Who, then when, from the operations table: ``NotPermitted`` (with ``not_permitted``) when the actor is
    never one who may do ``name`` on this case; ``OperationNotAllowed`` (with ``message``) when not in the
    case's current state."""
    permissions.require(permissions.may_ever(actor, dispute, name), not_permitted)
    if not permissions.may(actor, dispute, name):
        raise OperationNotAllowed(
            message
            or _("'%(action)s' is niet mogelijk in de status '%(state)s'.")
            % {"action": OPERATIONS[name].label, "state": state_label(dispute.state)}
        )


def state_label(state: str) -> str:
    return str(DisputeState(state).label)


def check_transition(dispute: Dispute, name: str) -> None:
    """Refuse a transition that does not exist from the current state, or whose guard fails."""
    method = getattr(dispute, name)
    if not can_proceed(method, check_conditions=False):
        raise TransitionNotAllowed(
            _("'%(action)s' is niet mogelijk in de status '%(state)s'.")
            % {"action": TRANSITIONS[name].label, "state": state_label(dispute.state)},
            object=dispute,
            method=method,
        )
    problems = GUARD_PROBLEMS.get(name, lambda d: [])(dispute)
    if problems:
        if name == "submit":
            raise ValidationError(problems)
        raise GuardFailed(problems, object=dispute, method=method)


def fire(
    dispute: Dispute,
    name: str,
    *,
    actor,
    payload: dict | None = None,
    organisation=None,
    visibility: str = Confidentiality.PARTIES,
    **kwargs,
) -> DisputeEvent:
    """Run transition ``name`` on a locked case: permission, state, guard, save, audit event."""
    permissions.require(permissions.can_fire(actor, dispute, name))
    check_transition(dispute, name)
    from_state = dispute.state
    getattr(dispute, name)(**kwargs)
    save(dispute)
    return record(
        dispute, actor=actor, kind=name, from_state=from_state, to_state=dispute.state, payload=payload,
        organisation=organisation, visibility=visibility,
    )


def on_commit_notify(event: DisputeEvent) -> None:
    """Tell the parties about an event once the transaction has committed (through the outbox)."""
    outbox.enqueue("disputes.tasks.notify_event", event_id=event.pk)
