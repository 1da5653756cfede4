"""Node types of the dispute flow, built on viewflow 2.4's own nodes (viewflow itself is not changed).

- ``RoleTask``: a human task (``flow.View``) done by one staff role. It knows which transitions or
  events of the case finish it (``completed_by``), and who may hold it (role, case visibility and,
  for some tasks, segregation of duties).
- ``Wait``: a ``flow.Handle`` the case sits in while a party or the system must act (remedy,
  responses, objection term); the receiver runs it when the matching transition is recorded.
- ``Route``: a parallel gateway (``flow.Split``) that creates the task(s) the case's current state
  calls for (see flows.expected_nodes). Unlike Split it may find nothing to create, and it keeps
  the token flat (no joins are used, and nested split tokens would outgrow the 150-char column).
- ``DisputeFirstLock``: the flow lock. It locks the dispute row first, then the process row, so
  every path takes the two locks in the same order as the services (dispute first).
"""

from contextlib import contextmanager

from django.db import connection, transaction
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.split import SplitActivation

from disputes import permissions

from .models import role_permission


class DisputeFirstLock:
    """``select ... for update`` on the dispute, then on the process; blocking, in one transaction.

    viewflow's ``SelectForUpdateLock`` locks only the process row with NOWAIT. Our services lock
    the dispute row first; a receiver that then took the process lock would invert the order of a
    task view (process, then dispute) and could fail under load. Taking the dispute lock inside
    the flow lock makes the order the same everywhere. SQLite ignores row locks (one writer).
    """

    @contextmanager
    def __call__(self, flow_class, process_pk):
        from disputes.models import Dispute

        from .models import DisputeProcess

        with transaction.atomic():
            if connection.features.has_select_for_update:
                dispute_ids = list(DisputeProcess.objects.filter(pk=process_pk).values_list("dispute_id", flat=True))
                list(Dispute.objects.select_for_update().filter(pk__in=dispute_ids).values_list("pk", flat=True))
                list(
                    flow_class.process_class._default_manager.select_for_update()
                    .filter(pk=process_pk)
                    .values_list("pk", flat=True)
                )
            yield


class RoleTask(flow.View):
    """A task for one staff role; finished by the transitions/events in ``completed_by``."""

    def __init__(self, view, *, role: str, completed_by=(), step: str = "", **kwargs):
        super().__init__(view, **kwargs)
        self.role = role
        self.completed_by = frozenset(completed_by)
        #: the bundle (Step) whose documents this task shows and adds to
        self.step = step
        self.Permission(role_permission(role))

    def may_hold(self, user, dispute) -> bool:
        """Whether ``user`` may hold (be assigned) and do this task on ``dispute``."""
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return permissions.has_role(user, self.role) and permissions.can_view_dispute(user, dispute)

    def can_assign(self, user, task):
        return task.owner_id is None and self.may_hold(user, _dispute_of(task))

    def can_execute(self, user, task):
        return task.owner_id == getattr(user, "pk", None) and self.may_hold(user, _dispute_of(task))


class FourEyesTask(RoleTask):
    """A task its case's drafter, or whoever decided its points, may not do (the adoption of a binding decision)."""

    def may_hold(self, user, dispute) -> bool:
        return super().may_hold(user, dispute) and permissions.may_adopt_decision(user, dispute)


class Wait(flow.Handle):
    """The case waits for a party or the system; ``completed_by`` are the transitions that end it."""

    def __init__(self, *, completed_by=(), **kwargs):
        super().__init__(**kwargs)
        self.completed_by = frozenset(completed_by)
        self.role = ""


class RouteActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        """Pick every branch whose condition holds; none is fine (everything already exists)."""
        for node, cond, _data_source in self.flow_task._branches:
            if cond is None or cond(self):
                self.next_tasks.append((node, None))

    @Activation.status.super()
    def create_next(self):
        for node, data in self.next_tasks:
            yield node._create(prev_activation=self, token=self.task.token, data=data)


class Route(flow.Split):
    """The gateway after every task: create what the case's state calls for."""

    activation_class = RouteActivation


def _dispute_of(task):
    process = task.process
    dispute_process = process if hasattr(process, "dispute_id") else process.disputeprocess
    return dispute_process.dispute
