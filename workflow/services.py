"""Writes of the workflow's own: who holds a task. The assignment itself is viewflow's bookkeeping
(``Task.owner``); the audit trail gets an event through the domain's ``record`` in the same
transaction, with the dispute locked first like every service.
"""

from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from disputes import permissions
from disputes.errors import NotPermitted
from disputes.models import Confidentiality, StaffRole
from disputes.services import lock, on_commit_notify, record, service

from .flows import DisputeFlow
from .nodes import RoleTask


def _visibility(node) -> str:
    return Confidentiality.INTERNAL if node.role == StaffRole.MINISTER_OFFICIAL else Confidentiality.COMMISSION


def _locked_task(dispute, task_pk: int):
    task = (
        Task.objects.select_related("owner")
        .filter(pk=task_pk, process__disputeprocess__dispute_id=dispute.pk, finished__isnull=True)
        .first()
    )
    if task is None or not isinstance(task.flow_task, RoleTask):
        raise NotPermitted(_("Deze taak is al afgerond of bestaat niet."))
    return task


@service
def task_assign(*, dispute, task_pk: int, actor, assignee) -> Task:
    """Give an open task to ``assignee`` (the actor themself, or a colleague with the same role).

    Anyone holding the task's role on the case may (re)assign it within that role; the assignee
    must be allowed to do it (role, not recused, not the drafter for the adoption of a decision).
    """
    dispute = lock(dispute)
    with DisputeFlow.lock(_locked_task(dispute, task_pk).process_id):
        task = _locked_task(dispute, task_pk)
        node = task.flow_task
        permissions.require(node.may_hold(actor, dispute), _("Deze taak hoort niet bij uw rol."))
        permissions.require(
            node.may_hold(assignee, dispute),
            _("%(name)s kan deze taak niet uitvoeren.") % {"name": assignee.get_full_name() or assignee.username},
        )
        previous = task.owner
        activation = node.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(assignee)
        else:
            activation.reassign(user=assignee)
        event = record(
            dispute, actor=actor, kind="task_assigned", visibility=_visibility(node),
            payload={
                "task": node.name, "task_pk": task.pk, "title": str(node.task_title), "to": assignee.username,
                "from": previous.username if previous else "",
                # a colleague who is given a task hears it by e-mail; taking one yourself needs no mail
                **({"notify_users": [assignee.pk]} if assignee.pk != actor.pk else {}),
            },
        )
        if assignee.pk != actor.pk:
            on_commit_notify(event)
    return task


@service
def task_release(*, dispute, task_pk: int, actor) -> Task:
    """Put an open task back in its role's queue (by its holder or a colleague with the role)."""
    dispute = lock(dispute)
    with DisputeFlow.lock(_locked_task(dispute, task_pk).process_id):
        task = _locked_task(dispute, task_pk)
        node = task.flow_task
        permissions.require(node.may_hold(actor, dispute) or task.owner_id == actor.pk,
                            _("Deze taak hoort niet bij uw rol."))
        if task.status != STATUS.ASSIGNED:
            return task
        previous = task.owner
        node.activation_class(task).unassign()
        record(
            dispute, actor=actor, kind="task_released", visibility=_visibility(node),
            payload={"task": node.name, "title": str(node.task_title), "from": previous.username if previous else ""},
        )
    return task
