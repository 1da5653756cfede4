"""Reads for the staff pages: the worklist of open cases, a user's inbox and their roles' queue.

Every query starts from ``Dispute.objects.visible_to(user)``, so a recused commission member finds
the case in none of them. The number of queries does not depend on the number of cases: the worklist is
filtered, sorted and paginated in the database (50 a page; the due dates it sorts on are subqueries over the
partial indexes on open deadlines), its urgent section is a bounded query, and a page's open deadlines and
tasks are each read once (tests/integration/test_workflow_views.py, tests/benchmarks/test_bulk_lists.py).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from disputes import clock, permissions, selectors
from disputes.atw import working_days_between
from disputes.models import (
    Deadline,
    DeadlineKind,
    Dispute,
    DisputeEvent,
    DisputeKind,
    Organisation,
    OrganisationKind,
    StaffRole,
)
from disputes.rules import rule_set_by_code, rule_sets
from disputes.services.proceedings import HEARING_EVENTS, hearing_moment
from disputes.states import OPEN_STATES, DisputeState

from .models import role_permission
from .nodes import FourEyesTask

#: the cases on the worklist: every state in which something still has to happen
WORKLIST_STATES = (*OPEN_STATES, DisputeState.DECIDED)
STATE_ORDER = {state: index for index, state in enumerate(DisputeState.values)}
#: calendar days that hold every rule set's warning days (working days) with weekends and holidays to spare
URGENT_HORIZON_DAYS = 2 * max(r.staff_warning_working_days for r in rule_sets()) + 14


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
        # the enum's label, not get_state_display (which rebuilds a dict of every choice on each call)
        return _label(DisputeState, self.dispute.state)

    @property
    def kind_label(self) -> str:
        return _label(DisputeKind, self.dispute.kind)

    @property
    def next_deadline_label(self) -> str:
        return _label(DeadlineKind, self.next_deadline.kind) if self.next_deadline else ""

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


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


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
            if decision.due < today:
                urgency = "passed"  # counted only ahead: a term passed long ago is not counted day by day
            else:
                working = working_days_between(today, decision.due)
                if working <= rule_set_by_code(dispute.rule_set).staff_warning_working_days:
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


#: the worklist's page size (Django's Paginator, numbered pages)
PER_PAGE = 50
#: at most this many cases in the urgent section (a bounded query); more are said in words, the full list
#: sorted by decision term has them all
URGENT_LIMIT = 50


def _open_due(kind: str | None = None) -> Subquery:
    """The earliest due date of the case's open deadlines (of ``kind``): one index probe per case
    (the partial indexes on open deadlines, disputes/models/dispute.py)."""
    deadlines = Deadline.objects.filter(dispute=OuterRef("pk"), closed_at__isnull=True)
    if kind:
        deadlines = deadlines.filter(kind=kind)
    return Subquery(deadlines.order_by("due").values("due")[:1])


def _with_decision_due(disputes):
    """Annotate ``decision_due``, the open decision deadline's due date, by a LEFT JOIN on the partial index of
    open decision deadlines: the database sorts the list on it without a subquery per case (at 100,000 cases
    that subquery cost 170 ms, docs/load.md). A case has one open decision deadline (opened at filing, extended
    and suspended in place, closed by the decision: disputes/services/deadlines.py)."""
    return disputes.annotate(
        open_decision=FilteredRelation(
            "deadlines", condition=Q(deadlines__kind=DeadlineKind.DECISION, deadlines__closed_at__isnull=True)),
        decision_due=F("open_decision__due"),
    )


def _state_rank():
    return Case(*(When(state=state, then=Value(index)) for state, index in STATE_ORDER.items()),
                default=Value(99), output_field=IntegerField())


#: sort key -> the expression the database sorts on; the sorts keep their meaning: case number, gemeente name,
#: state in the order of the procedure, the next open deadline and the open decision term (cases without one last)
SORTS = {
    "zaak": lambda: F("case_number"),
    "gemeente": lambda: F("agreement__municipality__name"),
    "status": lambda: F("state_rank"),
    "termijn": lambda: F("next_due"),
    "beslistermijn": lambda: F("decision_due"),
}
DEFAULT_SORT = "beslistermijn"


def _cases(user):
    """The worklist's cases the user may see, with the due dates the list shows and sorts on."""
    return (
        Dispute.objects.visible_to(user)
        .filter(state__in=WORKLIST_STATES)
        .select_related("agreement__municipality")
    )


def _with_rows_data(disputes):
    """What a row shows beyond the case: its open deadlines and every decision deadline ("te laat beslist"),
    each read once for the whole page."""
    return disputes.prefetch_related(
        Prefetch("deadlines", queryset=Deadline.objects.filter(closed_at__isnull=True), to_attr="open_deadlines"),
        selectors.decision_deadlines_prefetch(),  # "te laat beslist", without a query per case
    )


def filtered_cases(user, *, state: str = "", kind: str = "", gemeente: str = ""):
    """The worklist's cases the user may see, with the list's filters (unsorted)."""
    disputes = _cases(user)
    if state in DisputeState.values:
        disputes = disputes.filter(state=state)
    if kind in DisputeKind.values:
        disputes = disputes.filter(kind=kind)
    if gemeente:
        disputes = disputes.filter(agreement__municipality__name=gemeente)
    return disputes


def ordered_cases(user, *, state: str = "", kind: str = "", gemeente: str = "", sort: str = DEFAULT_SORT):
    """The worklist's cases, filtered and sorted in the database (a queryset)."""
    disputes = filtered_cases(user, state=state, kind=kind, gemeente=gemeente)
    key = sort.lstrip("-") if sort.lstrip("-") in SORTS else DEFAULT_SORT
    descending = sort.startswith("-") and sort.lstrip("-") in SORTS
    if key == "termijn":
        disputes = disputes.annotate(next_due=_open_due())
    elif key == "beslistermijn":
        disputes = _with_decision_due(disputes)
    elif key == "status":
        disputes = disputes.annotate(state_rank=_state_rank())
    expression = SORTS[key]()
    primary = expression.desc(nulls_first=True) if descending else expression.asc(nulls_last=True)
    tie = F("case_number").desc() if descending and key == "zaak" else F("case_number").asc()
    return disputes.order_by(primary, tie) if key != "zaak" else disputes.order_by(primary)


class SplitOrder:
    """The keys of a list sorted on a due date that most cases lack, for the paginator: first the cases that have
    one, sorted on it, then the others by case number (reversed for a descending sort: those without first). Each
    part is a query the database answers from an index for the page asked (the cases with an open deadline
    through the partial indexes on open deadlines, the others through the case-number index), where one query
    sorting every case on a subquery or a join read them all (80-250 ms at 100,000 cases, docs/load.md)."""

    def __init__(self, with_due, without, *, having, everything, descending: bool):
        self.having, self.everything, self.descending = having, everything, descending
        self.parts = [without, with_due] if descending else [with_due, without]
        self._counts = None

    def counts(self) -> list[int]:
        """The size of each part: all cases, and those with a due date (``having``, unsorted), each counted on
        its own, so that the database answers the second with a semi-join it chooses for the size of the filtered
        list (index probes for a state's few thousand cases, one hash of the open deadlines for all of them); a
        ``COUNT(...) FILTER (WHERE id IN (...))`` read every open deadline for a filtered list too."""
        if self._counts is None:
            total, having = self.everything.count(), self.having.count()
            self._counts = [total - having, having] if self.descending else [having, total - having]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice):
            return self[window:window + 1][0]
        start, stop = window.start or 0, window.stop if window.stop is not None else self.count()
        keys, offset = [], 0
        for part, size in zip(self.parts, self.counts(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                keys.extend(part[low:high])
            else:  # one query a part wherever the page falls, so the number of queries stays the same
                list(part[:1])
            offset += size
        return keys


def ordered_keys(user, *, state: str = "", kind: str = "", gemeente: str = "", sort: str = DEFAULT_SORT):
    """The primary keys of the worklist's cases in the list's order, for the paginator: the sort on a due date
    in two parts (``SplitOrder``), the others one query on the cases' own columns and the gemeente."""
    key = sort.lstrip("-") if sort.lstrip("-") in SORTS else DEFAULT_SORT
    descending = sort.startswith("-") and key == sort.lstrip("-")
    if key not in ("termijn", "beslistermijn"):
        return ordered_cases(user, state=state, kind=kind, gemeente=gemeente, sort=sort).values_list("pk", flat=True)
    disputes = filtered_cases(user, state=state, kind=kind, gemeente=gemeente)
    # EXISTS, not IN: the database turns it into a semi-join and chooses index probes of ``deadline_open_by_case``
    # for the few thousand cases of a state, a hash of the open deadlines for all of them; a COUNT with a FILTER
    # (WHERE id IN ...) read every open deadline for any filter (EXPLAIN ANALYZE at 100,000 cases, docs/load.md)
    open_deadline = Deadline.objects.filter(dispute=OuterRef("pk"), closed_at__isnull=True)
    open_deadlines = Deadline.objects.filter(closed_at__isnull=True)
    if key == "beslistermijn":
        open_deadline = open_deadline.filter(kind=DeadlineKind.DECISION)
        open_deadlines = open_deadlines.filter(kind=DeadlineKind.DECISION)
        with_due = _with_decision_due(disputes).filter(decision_due__isnull=False)
        due = F("decision_due")
    else:
        with_due = disputes.filter(Exists(open_deadline)).annotate(next_due=_open_due())
        due = F("next_due")
    having = disputes.filter(Exists(open_deadline))
    with_due = with_due.order_by(due.desc() if descending else due.asc(), "case_number")
    # NOT IN, a hashed subplan, rather than NOT EXISTS: an anti-join planned without statistics (a fresh load
    # before autovacuum analysed it) became a nested loop over every open deadline for each case
    without = disputes.exclude(pk__in=open_deadlines.values("dispute_id")).order_by("case_number")
    return SplitOrder(with_due.values_list("pk", flat=True), without.values_list("pk", flat=True),
                      having=having, everything=disputes, descending=descending)


def urgent_cases(user, today: date) -> tuple[list[Dispute], bool]:
    """The cases whose decision term is passed or may be within the warning days, soonest first: a bounded query
    over the open decision deadlines due within a calendar horizon that covers every rule set's warning days
    (the partial index ``deadline_open_decision``, in due-date order). Returns (at most ``URGENT_LIMIT`` cases,
    whether there were more); ``_rows`` then applies the exact working-day test."""
    horizon = today + timedelta(days=URGENT_HORIZON_DAYS)
    disputes = list(
        _with_rows_data(_with_decision_due(_cases(user)).filter(decision_due__lte=horizon))
        .order_by("decision_due", "case_number")[:URGENT_LIMIT + 1]
    )
    disputes = list({d.pk: d for d in disputes}.values())  # one row a case, whatever the deadlines
    return disputes[:URGENT_LIMIT], len(disputes) > URGENT_LIMIT


def urgent_rows(user, today: date) -> list[CaseRow]:
    """The urgent section on its own: passed first, then near, each soonest first."""
    disputes, _more = urgent_cases(user, today)
    return _urgent([row for row in _rows(disputes, today)])


def _urgent(rows: list[CaseRow]) -> list[CaseRow]:
    rows = [row for row in rows if row.urgency]
    _mark_late(rows)
    return sorted(rows, key=lambda row: (row.urgency != "passed", row.decision_deadline.due))


def _mark_late(rows) -> None:
    late = selectors.late_decisions([row.dispute for row in rows])  # from the prefetch: "te laat beslist"
    for row in rows:
        row.late = late.get(row.dispute.pk)


def worklist(user, *, state: str = "", kind: str = "", gemeente: str = "", sort: str = DEFAULT_SORT,
             page: int | str = 1, per_page: int = PER_PAGE):
    """The urgent rows and one page of the open cases the user may see, filtered and sorted in the database:
    (urgent rows, page); ``page.object_list`` holds the page's rows, ``page.urgent_more`` whether the urgent
    section was cut at ``URGENT_LIMIT``. The same queries whatever the number of cases: the urgent cases, the
    page's keys and counts, the page's cases with their deadlines, and the tasks of both at once."""
    today = clock.today()
    urgent, more = urgent_cases(user, today)
    # the database sorts only the cases' keys (no joins for what a row shows), then the page's 50 are read whole
    keys = ordered_keys(user, state=state, kind=kind, gemeente=gemeente, sort=sort)
    paginator = Paginator(keys, per_page)
    if not isinstance(keys, SplitOrder):  # counted without the sort's joins (Paginator.count is a cached property)
        paginator.count = filtered_cases(user, state=state, kind=kind, gemeente=gemeente).count()
    result = paginator.get_page(page)
    ids = list(result.object_list)
    cases = {d.pk: d for d in _with_rows_data(_cases(user).filter(pk__in=ids))}
    listed = [cases[pk] for pk in ids if pk in cases]
    rows = _rows(urgent + listed, today)  # one query for the tasks of both
    result.object_list = rows[len(urgent):]
    _mark_late(result.object_list)
    result.urgent_more = more
    return _urgent(rows[:len(urgent)]), result


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


def municipalities(user=None) -> list[tuple[str, str]]:
    """The gemeente filter's choices: every gemeente with an agreement, from the small reference tables (not a
    DISTINCT over the cases). Names only, which are no secret: which cases a user sees is the list's business."""
    names = (
        Organisation.objects.filter(kind=OrganisationKind.GEMEENTE, agreements_as_municipality__isnull=False)
        .values_list("name", flat=True).distinct().order_by("name")
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
