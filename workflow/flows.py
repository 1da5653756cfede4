"""DisputeFlow: the staff's to-do list for a case (viewflow 2.4), following the legal state.

"The FSM is the law, viewflow is the to-do list" (architecture.md). The flow never decides where a
case goes: ``Dispute.state`` and the case's own data do. ``expected_nodes(dispute)`` derives from
them which open task(s) must exist; the ``route`` gateway after every task creates exactly those;
the receiver (receivers.py / sync.py) closes the tasks a transition made obsolete when the case
moved outside the flow (portal, periodic task, scenario runner, case-page actions).

    start ──> route ──> register ─────────────┐
                │  ──> assess_admissibility ──┤  (every task returns to route)
                │  ──> declare_inadmissible ──┤
                │  ──> await_remedy (wait) ───┤
                │  ──> ... ───────────────────┤
                └─> end (withdrawn / settled / closed)

See docs/workflow.md for the full diagram and the table of which transition completes which task.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.status import STATUS

from disputes.models import Admissibility, StaffRole, Step
from disputes.states import TERMINAL_STATES, DisputeState

from .models import DisputeProcess
from .nodes import DisputeFirstLock, FourEyesTask, RoleTask, Route, Wait

S = DisputeState


def expected_nodes(dispute) -> frozenset[str]:
    """The open tasks a case in its current state must have, and no others (the sync invariant).

    Derived from the legal state plus the case's own data: e.g. in admissibility review the
    Minister's official gets a task as soon as every point is inadmissible, and in advice_issued the
    adoption task replaces the drafting task once a draft decision exists.
    """
    state = dispute.state
    if state == S.SUBMITTED:
        return frozenset({"register"})
    if state == S.ADMISSIBILITY_REVIEW:
        nodes = {"assess_admissibility"}
        verdicts = [p.admissibility for p in dispute.points.all()]
        if verdicts and Admissibility.PENDING not in verdicts and Admissibility.ADMISSIBLE not in verdicts:
            nodes.add("declare_inadmissible")
        return frozenset(nodes)
    if state == S.AWAITING_REMEDY:
        return frozenset({"await_remedy"})
    if state == S.EFFORT_REVIEW:
        nodes = {"review_efforts"}
        if dispute.efforts_sufficient is False:
            nodes.add("declare_inadmissible")
        return frozenset(nodes)
    if state == S.AWAITING_RESPONSE:
        return frozenset({"await_responses"})
    if state == S.EXCHANGE:
        return frozenset({"plan_hearing", "choose_written_procedure"})
    if state == S.HEARING_SCHEDULED:
        return frozenset({"record_hearing"})
    if state == S.DELIBERATION:
        return frozenset({"prepare_advice"})
    if state == S.ADVICE_ISSUED:
        return frozenset({"adopt_decision" if dispute.decision_drafted_by_id else "draft_decision"})
    if state == S.DECIDED:
        return frozenset({"await_objection"})
    return frozenset()


def wants(name: str):
    """Route condition: ``name`` is expected for the case now and has no open task yet."""

    def condition(activation) -> bool:
        wanted = getattr(activation, "_wanted", None)
        if wanted is None:
            dispute = _fresh_dispute(activation.process)
            wanted = activation._wanted = expected_nodes(dispute) - open_node_names(
                activation.process, exclude_pk=activation.task.pk
            )
        return name in wanted

    return condition


def has_ended(activation) -> bool:
    return _fresh_dispute(activation.process).state in TERMINAL_STATES


def open_node_names(process, *, exclude_pk=None) -> set[str]:
    """The names of the nodes that have an unfinished task in ``process``."""
    from viewflow.workflow.models import Task

    tasks = Task.objects.filter(process_id=process.pk, finished__isnull=True)
    if exclude_pk is not None:
        tasks = tasks.exclude(pk=exclude_pk)
    return {node.name for node in tasks.values_list("flow_task", flat=True) if node is not None}


def _fresh_dispute(process):
    from disputes.models import Dispute

    dispute_id = process.dispute_id if hasattr(process, "dispute_id") else process.disputeprocess.dispute_id
    return Dispute.objects.get(pk=dispute_id)


def task_page(request, process_pk: int, task_pk: int, **kwargs):
    """Viewflow's own address of a task leads to the page where every task is done: ``workflow:task``.

    The flow is not mounted under viewflow's URLs (config/urls.py mounts workflow/urls.py), so this only
    answers should it ever be; viewflow checks ``can_execute`` first. Named, not imported: the views sit
    above the flow in the layers (docs/adr/0011-import-layers.md).
    """
    dispute_id = DisputeProcess.objects.filter(pk=process_pk).values_list("dispute_id", flat=True).first()
    if dispute_id is None:
        raise Http404
    return redirect("workflow:task", pk=dispute_id, task_pk=task_pk)


class DisputeFlow(flow.Flow):
    """Geschilbeslechting prestatieafspraken

    Wie wat moet doen in een geschil, afgeleid van de juridische status van het geschil.
    """

    process_class = DisputeProcess
    lock_impl = DisputeFirstLock()
    process_title = _("Geschilbeslechting prestatieafspraken")

    start = flow.StartHandle(this.start_process).Next(this.route)

    route = (
        Route()
        .Annotation(title=_("Volgende stap bepalen"))
        .Next(this.register, case=wants("register"))
        .Next(this.assess_admissibility, case=wants("assess_admissibility"))
        .Next(this.declare_inadmissible, case=wants("declare_inadmissible"))
        .Next(this.await_remedy, case=wants("await_remedy"))
        .Next(this.review_efforts, case=wants("review_efforts"))
        .Next(this.await_responses, case=wants("await_responses"))
        .Next(this.plan_hearing, case=wants("plan_hearing"))
        .Next(this.choose_written_procedure, case=wants("choose_written_procedure"))
        .Next(this.record_hearing, case=wants("record_hearing"))
        .Next(this.prepare_advice, case=wants("prepare_advice"))
        .Next(this.draft_decision, case=wants("draft_decision"))
        .Next(this.adopt_decision, case=wants("adopt_decision"))
        .Next(this.await_objection, case=wants("await_objection"))
        .Next(this.end, case=has_ended)
    )

    register = (
        RoleTask(this.task_view, role=StaffRole.SECRETARY, completed_by={"start_review"}, step=Step.REGISTRATION)
        .Annotation(title=_("Registreren"), description=_("Ontvangst controleren en de beoordeling starten."))
        .Assign(this.case_worker)
        .Next(this.route)
    )
    assess_admissibility = (
        RoleTask(
            this.task_view, role=StaffRole.SECRETARY, completed_by={"pass_admissibility", "request_remedy"},
            step=Step.ADMISSIBILITY,
        )
        .Annotation(
            title=_("Ontvankelijkheid beoordelen"),
            description=_("Per geschilpunt de ontvankelijkheid vaststellen (redenen A1-A9), of herstel vragen."),
        )
        .Assign(this.case_worker)
        .Next(this.route)
    )
    declare_inadmissible = (
        RoleTask(
            this.task_view, role=StaffRole.MINISTER_OFFICIAL, completed_by={"declare_inadmissible"},
            step=Step.DECISION,
        )
        .Annotation(
            title=_("Geheel niet-ontvankelijk verklaren"),
            description=_("Het verzoek als geheel niet-ontvankelijk verklaren, met redenen."),
        )
        .Assign(this.case_worker)
        .Next(this.route)
    )
    await_remedy = (
        Wait(completed_by={"supply_remedy", "lapse_remedy"})
        .Annotation(title=_("Wachten op herstel verzuim"))
        .Next(this.route)
    )
    review_efforts = (
        RoleTask(
            this.task_view, role=StaffRole.SECRETARY, completed_by={"accept", "request_remedy"},
            step=Step.ADMISSIBILITY,
        )
        .Annotation(
            title=_("Inspanningen toetsen"),
            description=_("Het overleglogboek toetsen en het verzoek in behandeling nemen."),
        )
        .Assign(this.case_worker)
        .Next(this.route)
    )
    await_responses = (
        Wait(completed_by={"close_responses"})
        .Annotation(title=_("Wachten op verweer"))
        .Next(this.route)
    )
    plan_hearing = (
        RoleTask(this.task_view, role=StaffRole.SECRETARY, completed_by={"schedule_hearing"}, step=Step.HEARING)
        .Annotation(
            title=_("Hoorzitting plannen"),
            description=_("Inlichtingen vragen en de hoorzitting plannen."),
        )
        .Assign(this.case_worker)
        .Next(this.route)
    )
    choose_written_procedure = (
        RoleTask(
            this.task_view, role=StaffRole.COMMISSION_CHAIR, completed_by={"skip_hearing"}, step=Step.HEARING,
        )
        .Annotation(
            title=_("Schriftelijke afdoening overwegen"),
            description=_("Als voorzitter beslissen of een hoorzitting nodig is."),
        )
        .Assign(this.case_worker)
        .Next(this.route)
    )
    record_hearing = (
        RoleTask(this.task_view, role=StaffRole.SECRETARY, completed_by={"record_hearing"}, step=Step.HEARING)
        .Annotation(title=_("Verslag hoorzitting vastleggen"))
        .Assign(this.case_worker)
        .Next(this.route)
    )
    prepare_advice = (
        RoleTask(this.task_view, role=StaffRole.COMMISSION_CHAIR, completed_by={"issue_advice"}, step=Step.ADVICE)
        .Annotation(
            title=_("Advies opstellen"),
            description=_("Per geschilpunt bevinding en aanbeveling vastleggen en het advies uitbrengen."),
        )
        .Assign(this.case_worker)
        .Next(this.route)
    )
    draft_decision = (
        RoleTask(
            this.task_view, role=StaffRole.MINISTER_OFFICIAL, completed_by={"decision_drafted", "decide"},
            step=Step.DECISION,
        )
        .Annotation(
            title=_("Uitspraak voorbereiden"),
            description=_("Per geschilpunt beslissen en de ontwerpuitspraak opstellen."),
        )
        .Assign(this.case_worker)
        .Next(this.route)
    )
    adopt_decision = (
        FourEyesTask(this.task_view, role=StaffRole.MINISTER_OFFICIAL, completed_by={"decide"}, step=Step.DECISION)
        .Annotation(
            title=_("Bindende uitspraak vaststellen"),
            description=_("De uitspraak vaststellen (niet door wie haar opstelde) en verzenden."),
        )
        .Next(this.route)
    )
    await_objection = (
        Wait(completed_by={"close"})
        .Annotation(title=_("Bezwaartermijn loopt"))
        .Next(this.route)
    )
    end = flow.End().Annotation(title=_("Afgesloten"))

    # -- callbacks ------------------------------------------------------------------------------
    @property
    def task_view(self):
        """Every human task is done on one page, ``workflow:task`` (views.TaskView) under /werk/."""
        return task_page

    def start_process(self, activation, dispute):
        activation.process.dispute = dispute
        return activation.process

    def case_worker(self, activation):
        """Give a new task to whoever did this role's last task on the case, if they still may.

        The first task of a role stays in the role's queue; colleagues can reassign it.
        """
        node = activation.flow_task
        dispute = _fresh_dispute(activation.process)
        previous = (
            self.task_class._default_manager.filter(
                process=activation.process, status=STATUS.DONE, owner__isnull=False,
                owner_permission=activation.task.owner_permission,
            )
            .select_related("owner")
            .order_by("-finished", "-pk")
            .first()
        )
        if previous is not None and node.may_hold(previous.owner, dispute):
            return previous.owner
        return None
