"""Reads for the staff pages: the worklist of open cases, a user's inbox and their roles' queue.

Every query starts from ``Dispute.objects.visible_to(user)``, so a recused commission member finds
the case in none of them. The number of queries does not depend on the number of cases: cases,
their open deadlines and their open tasks are each read once (tests/integration/test_workflow_views.py).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from disputes import clock, permissions, selectors
from disputes.atw import working_days_between
from disputes.models import Deadline, DeadlineKind, Dispute, DisputeEvent, DisputeKind, StaffRole
from disputes.rules import rule_set_by_code
from disputes.services.proceedings import HEARING_EVENTS, hearing_moment
from disputes.states import OPEN_STATES, DisputeState

from .models import role_permission
from .nodes import FourEyesTask

#: the cases on the worklist: every state in which something still has to happen
WORKLIST_STATES = (*OPEN_STATES, DisputeState.DECIDED)
STATE_ORDER = {state: index for index, state in enumerate(DisputeState.values)}


@dataclass
class CaseRow:
    dispute: Dispute
    next_deadline: Deadline | None
    days_left: int | None
    decision_deadline: Deadline | None
    decision_working_days: int | None
    #: "passed", "near" or "" (decision term; near = at most the rule set's warning days)
    urgency: str
    tasks: list = field(default_factory=list)
    #: a decision taken after the decision term (selectors.late_decision), or None
    late: object = None

    @property
    def state_label(self) -> str:
        return self.dispute.get_state_display()

    @property
    def days_text(self) -> str:
        return days_text(self.days_left)

    @property
    def urgency_text(self) -> str:
        """The warning in words (the page never relies on colour alone)."""
        if self.urgency == "passed":
            return _("Beslistermijn verstreken")
        if self.urgency == "near":
            return ngettext(
                "Beslistermijn nadert: nog %(n)d werkdag", "Beslistermijn nadert: nog %(n)d werkdagen",
                self.decision_working_days,
            ) % {"n": self.decision_working_days}
        return ""


def days_text(days: int | None) -> str:
    """'nog 5 dagen', 'vandaag', '3 dagen verstreken'."""
    if days is None:
        return ""
    if days == 0:
        return _("vandaag")
    if days > 0:
        return ngettext("nog %(n)d dag", "nog %(n)d dagen", days) % {"n": days}
    return ngettext("%(n)d dag verstreken", "%(n)d dagen verstreken", -days) % {"n": -days}


def _rows(disputes, today: date) -> list[CaseRow]:
    ids = [d.pk for d in disputes]
    tasks_by_case: dict = {pk: [] for pk in ids}
    for task in _open_tasks_for(ids).select_related("owner"):
        tasks_by_case[task.dispute_id].append(task)
    rows = []
    for dispute in disputes:
        deadlines = sorted(dispute.open_deadlines, key=lambda d: (d.due, d.pk))
        next_deadline = deadlines[0] if deadlines else None
        decision = next((d for d in deadlines if d.kind == DeadlineKind.DECISION), None)
        working = None
        urgency = ""
        if decision is not None:
            working = working_days_between(today, decision.due)
            warn = rule_set_by_code(dispute.rule_set).staff_warning_working_days
            if decision.due < today:
                urgency = "passed"
            elif working <= warn:
                urgency = "near"
        rows.append(
            CaseRow(
                dispute=dispute,
                next_deadline=next_deadline,
                days_left=(next_deadline.due - today).days if next_deadline else None,
                decision_deadline=decision,
                decision_working_days=working,
                urgency=urgency,
                tasks=tasks_by_case.get(dispute.pk, []),
            )
        )
    return rows


SORTS = {
    "zaak": lambda row: (row.dispute.case_number or ""),
    "status": lambda row: STATE_ORDER.get(row.dispute.state, 99),
    "termijn": lambda row: (row.next_deadline is None, row.next_deadline.due if row.next_deadline else date.max),
    "beslistermijn": lambda row: (
        row.decision_deadline is None, row.decision_deadline.due if row.decision_deadline else date.max
    ),
    "gemeente": lambda row: row.dispute.agreement.municipality.name,
}
DEFAULT_SORT = "beslistermijn"


def worklist(user, *, state: str = "", kind: str = "", gemeente: str = "", sort: str = DEFAULT_SORT):
    """The open cases the user may see, filtered and sorted; returns (urgent rows, all rows)."""
    today = clock.today()
    disputes = (
        Dispute.objects.visible_to(user)
        .filter(state__in=WORKLIST_STATES)
        .select_related("agreement__municipality")
        .prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.filter(closed_at__isnull=True), to_attr="open_deadlines"),
            selectors.decision_deadlines_prefetch(),  # "te laat beslist", without a query per case
        )
    )
    if state in DisputeState.values:
        disputes = disputes.filter(state=state)
    if kind in DisputeKind.values:
        disputes = disputes.filter(kind=kind)
    if gemeente:
        disputes = disputes.filter(agreement__municipality__name=gemeente)
    rows = _rows(list(disputes), today)
    late = selectors.late_decisions([row.dispute for row in rows])  # one query: "te laat beslist"
    for row in rows:
        row.late = late.get(row.dispute.pk)
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT])
    rows.sort(key=key, reverse=descending)
    urgent = sorted(
        (row for row in rows if row.urgency),
        key=lambda row: (row.urgency != "passed", row.decision_deadline.due),
    )
    return urgent, rows


@dataclass
class Hearing:
    dispute: Dispute
    at: datetime
    place: str
    moved: bool


def hearings(user) -> list[Hearing]:
    """The scheduled hearings of the cases the user may see, soonest first: each as it now stands
    (the latest ``schedule_hearing`` or ``hearing_rescheduled``). One query, whatever the number."""
    scheduled = Dispute.objects.visible_to(user).filter(state=DisputeState.HEARING_SCHEDULED)
    latest = {}
    for event in (
        DisputeEvent.objects.filter(dispute__in=scheduled, kind__in=HEARING_EVENTS)
        .select_related("dispute__agreement__municipality").order_by("at", "pk")
    ):
        latest[event.dispute_id] = event
    result = [
        Hearing(dispute=e.dispute, at=hearing_moment(e), place=e.payload.get("place", ""),
                moved=e.kind == "hearing_rescheduled")
        for e in latest.values() if e.payload.get("hearing_at")
    ]
    return sorted(result, key=lambda h: h.at)


def municipalities(user) -> list[tuple[str, str]]:
    names = (
        Dispute.objects.visible_to(user)
        .filter(state__in=WORKLIST_STATES)
        .values_list("agreement__municipality__name", flat=True)
        .distinct()
        .order_by("agreement__municipality__name")
    )
    return [(name, name) for name in names]


def _visible_tasks(user):
    return _open_tasks_for(Dispute.objects.visible_to(user).values("pk")).select_related("owner")


def _open_tasks_for(dispute_ids, types=("HUMAN",)):
    return (
        Task.objects.filter(
            process__disputeprocess__dispute_id__in=dispute_ids, finished__isnull=True, flow_task_type__in=types
        )
        .annotate(dispute_id=F("process__disputeprocess__dispute_id"))
        .order_by("created", "pk")
    )


def inbox(user) -> list:
    """The open tasks assigned to the user (still allowed to do them)."""
    return _with_disputes(list(_visible_tasks(user).filter(owner=user, status=STATUS.ASSIGNED)), user)


def inbox_count(user) -> int:
    return _visible_tasks(user).filter(owner=user, status=STATUS.ASSIGNED).count()


def queue(user) -> list:
    """The unassigned open tasks of the user's roles, without those the user may not do."""
    perms = [role_permission(role) for role in permissions.roles(user) if role in StaffRole.values]
    tasks = list(_visible_tasks(user).filter(status=STATUS.NEW, owner_permission__in=perms))
    tasks = _with_disputes(tasks, user)
    # the case is visible and the role matches; what is left is segregation of duties
    return [
        t for t in tasks
        if not (isinstance(t.flow_task, FourEyesTask) and not permissions.may_adopt_decision(user, t.dispute))
    ]


def _with_disputes(tasks, user) -> list:
    disputes = {
        d.pk: d
        for d in Dispute.objects.filter(pk__in={t.dispute_id for t in tasks}).select_related(
            "agreement__municipality"
        ).prefetch_related(
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.filter(closed_at__isnull=True).order_by("due"),
                to_attr="open_deadlines",
            )
        )
    }
    for task in tasks:
        task.dispute = disputes[task.dispute_id]
    # the most pressing first: the case's earliest running deadline
    tasks.sort(key=lambda t: t.dispute.open_deadlines[0].due if t.dispute.open_deadlines else date.max)
    return tasks


def open_tasks_of(dispute) -> list:
    """The open tasks of one case, human ones with their holders and the waits (for the case page)."""
    return list(_open_tasks_for([dispute.pk], types=("HUMAN", "FUNCTION")).select_related("owner"))
