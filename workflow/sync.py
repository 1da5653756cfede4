"""Keeping the flow in step with the legal state: start, reconcile, finish.

One rule, applied after every audit event of a case (receivers.py) and after every task view:

    the open tasks of the case's process == flows.expected_nodes(dispute)

``reconcile`` gets there in four moves, under the flow lock (dispute row, then process row):
1. an open task that is no longer expected and that the event does not finish is *canceled*
   (e.g. the secretary's task when the applicant withdraws);
2. the task a task view is working on is *completed* (``activation.execute()``) once its service
   made it unnecessary; the flow's ``route`` gateway then creates the next task(s);
3. an open task that the event finishes (``node.completed_by``), done through another door (the
   scenario runner, a case-page action, the periodic task, the portal) is *completed* as well, so
   the archive shows who did it and ``route`` creates the next task(s);
4. whatever is still missing is created through ``route``; an ended case ends its process.
"""

import logging
import threading
from contextlib import contextmanager

from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from disputes import permissions
from disputes.models import Dispute
from disputes.states import TERMINAL_STATES, DisputeState

from .flows import DisputeFlow, expected_nodes
from .models import DisputeProcess
from .nodes import RoleTask, Wait

log = logging.getLogger(__name__)
_acting = threading.local()

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


@contextmanager
def acting_on(task):
    """A task view runs its service: the receiver leaves this process to the view, which reconciles."""
    previous = getattr(_acting, "process_id", None)
    _acting.process_id = task.process_id
    try:
        yield
    finally:
        _acting.process_id = previous


def is_acting_on(process_id) -> bool:
    return getattr(_acting, "process_id", None) == process_id


def process_of(dispute) -> DisputeProcess | None:
    return DisputeProcess.objects.filter(dispute_id=dispute.pk).first()


def start(dispute) -> DisputeProcess:
    """Start the case's process (on submission); its first task follows from the state."""
    existing = process_of(dispute)
    if existing is not None:
        return existing
    return DisputeFlow.start.run(dispute=dispute)


def open_tasks(process, *, exclude_pk=None) -> list:
    tasks = Task.objects.filter(process_id=process.pk, finished__isnull=True).order_by("pk")
    if exclude_pk is not None:
        tasks = tasks.exclude(pk=exclude_pk)
    return list(tasks)


def reconcile(dispute, *, event=None, activation=None) -> None:
    """Make the process's open tasks match what the case's state calls for (see module doc).

    ``activation``: the task a task view is doing (its service has just run); ``event``: the audit
    event that moved the case outside a task view, if any.
    """
    process = process_of(dispute)
    if process is None:
        if dispute.state != DisputeState.DRAFT:
            start(dispute)
        return
    with DisputeFlow.lock(process.pk):
        process.refresh_from_db()
        if process.status in (PROCESS.DONE, PROCESS.CANCELED):
            return
        dispute = Dispute.objects.get(pk=dispute.pk)  # a fresh copy: never touch the caller's instance
        expected = expected_nodes(dispute)
        acting_pk = activation.task.pk if activation is not None else None
        kind = getattr(event, "kind", None)
        to_complete = []
        for task in open_tasks(process, exclude_pk=acting_pk):
            node = task.flow_task
            if node is not None and node.name in expected:
                if isinstance(node, RoleTask) and task.owner_id and not node.may_hold(task.owner, dispute):
                    _release(task)  # e.g. the holder declared a conflict of interest
                continue
            if kind is not None and kind in getattr(node, "completed_by", ()):
                to_complete.append(task)
            else:
                _cancel(task, kind)
        if activation is not None and activation.flow_task.name not in expected:
            if activation.start.can_proceed():
                activation.start(None)
            activation.execute()
        for task in to_complete:
            _complete(task, event)
        _create_missing(process, dispute)


def _cancel(task, kind) -> None:
    activation = task.flow_task.activation_class(task) if task.flow_task else None
    if activation is None or not hasattr(activation, "cancel") or not activation.cancel.can_proceed():
        log.warning("workflow: cannot cancel task %s (%s)", task.pk, task.status)
        return
    task.data = {**(task.data or {}), "canceled_by": kind or "sync"}
    activation.cancel()


def _release(task) -> None:
    activation = task.flow_task.activation_class(task)
    if activation.unassign.can_proceed():
        activation.unassign()


def _complete(task, event) -> None:
    """Finish a task whose work was done through another door, then route on."""
    node = task.flow_task
    task.data = {**(task.data or {}), "completed_by_event": event.kind, "event": event.pk}
    if isinstance(node, Wait):
        activation = node.activation_class(task)
        activation.run(None)
        activation.execute()
        return
    activation = node.activation_class(task)
    actor = event.actor
    if activation.assign.can_proceed():
        holder = actor if actor is not None and permissions.has_role(actor, node.role) else None
        activation.assign(holder)
    elif actor is not None and task.owner_id != actor.pk and permissions.has_role(actor, node.role):
        task.owner = actor  # the archive shows who actually did it
    activation.start(None)
    activation.execute()


def _create_missing(process, dispute) -> None:
    """Run the route gateway once more if a task is missing or the case has ended."""
    from .flows import open_node_names

    missing = expected_nodes(dispute) - open_node_names(process)
    process.refresh_from_db()
    ended = dispute.state in TERMINAL_STATES and process.status not in (PROCESS.DONE, PROCESS.CANCELED)
    if not missing and not ended:
        return
    previous = Task.objects.filter(process_id=process.pk).order_by("-pk").first()
    previous_activation = previous.flow_task.activation_class(previous)
    route = DisputeFlow.route._create(previous_activation, previous.token)
    previous_activation._activate_next({route})


def on_event(dispute, event) -> None:
    """The receiver's work for one audit event (see receivers.py)."""
    if dispute.state == DisputeState.DRAFT:
        return
    process = process_of(dispute)
    if process is None:
        start(dispute)
        return
    if is_acting_on(process.pk):
        return
    reconcile(dispute, event=event)
