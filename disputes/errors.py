"""The kinds of failure a service can report. Each maps to one HTTP status and one scenario
``expect_error`` value (scenarios.md): permission, transition, validation, deadline, conflict.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed


class NotPermitted(PermissionDenied):
    """The actor may not do this (HTTP 403; 404 when they may not even see the case)."""

    kind = "permission"


class GuardFailed(TransitionNotAllowed):
    """The transition exists from this state but its condition does not hold; says why."""

    kind = "transition"

    def __init__(self, problems: list[str], **kwargs):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems), **kwargs)


class OperationNotAllowed(Exception):
    """An operation that is not a transition (OPERATIONS in states.py) is not possible in the case's state:
    e.g. moving a hearing when none is planned. Reported like a refused transition (scenario ``transition``).
    """

    kind = "transition"


#: "Not possible in this state", whether the operation is a transition or not: the views catch these alike.
NOT_IN_THIS_STATE = (TransitionNotAllowed, OperationNotAllowed)


class Conflict(Exception):
    """The case was changed by someone else since the actor looked at it (HTTP 409)."""

    kind = "conflict"


class DeadlineError(Exception):
    """A term has passed, or an extension came too late."""

    kind = "deadline"


class ImmutableRecord(Exception):
    """An attempt to change or delete something the law keeps as it was (audit trail, documents)."""


def error_kind(exc: BaseException) -> str | None:
    """The scenario/API name of a domain error, or None for an unexpected exception."""
    if isinstance(exc, PermissionDenied):
        return "permission"
    if isinstance(exc, TransitionNotAllowed):
        return "transition"
    if isinstance(exc, ValidationError):
        return "validation"
    return getattr(exc, "kind", None)
