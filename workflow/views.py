"""The staff pages under /werk/: worklist, inbox and queue, case page, task pages, case actions.

Thin views: parse a form with explicit fields, make one service call, respond. Cases are loaded
through ``permissions.get_dispute_for_user_or_404``; state changes only by POST (CSRF). The
domain's errors are mapped once (``_domain_error``): Conflict -> 409 page, NotPermitted -> 403
page, ValidationError -> form errors, a refused transition or operation / DeadlineError -> a
clear message on the page. Never a 500 for something the user did.
"""

from contextlib import nullcontext
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from viewflow.workflow.models import Task

from disputes import clock, permissions, selectors
from disputes.errors import NOT_IN_THIS_STATE, Conflict, DeadlineError, NotPermitted
from disputes.letters import LETTERS, render_letter
from disputes.models import COMMISSION_ROLES, Dispute, DisputeKind, StaffRole
from disputes.services import CONFLICT_MESSAGE
from disputes.services.proceedings import current_hearing, hearing_moment
from disputes.states import DisputeState

from . import casefile, services, sync, worklist
from .actions import CASE_ACTIONS, ROLE_LABELS, TASK_ACTIONS
from .flows import DisputeFlow
from .forms import AssignForm, WorklistFilterForm
from .nodes import RoleTask


def render_error(request, status: int, message: str, *, dispute=None, back_url: str = ""):
    context = {"status": status, "message": message, "dispute": dispute, "back_url": back_url}
    return render(request, "workflow/error.html", context, status=status)


class StaffView(View):
    """Every page under /werk/ is for staff (secretariat, commission, ministry) only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (permissions.is_staff_member(request.user) or request.user.is_superuser):
            if "pk" in kwargs:
                # a case that is not theirs answers like a case that does not exist (404); only on
                # their own case does a party learn that this page is for staff (403)
                permissions.get_dispute_for_user_or_404(request.user, pk=kwargs["pk"])
            return render_error(
                request, 403,
                _("Deze pagina's zijn voor het secretariaat, de adviescommissie en de ambtenaren van het ministerie."),
            )
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotPermitted as exc:
            return render_error(request, 403, str(exc))


def _case_lock(dispute):
    """The flow lock (dispute row, then process row), or a plain transaction before a process exists."""
    process = sync.process_of(dispute)
    return DisputeFlow.lock(process.pk) if process is not None else nullcontext()


def _check_version(dispute, form) -> Dispute:
    current = Dispute.objects.get(pk=dispute.pk)
    if current.version != form.cleaned_data["expected_version"]:
        raise Conflict(CONFLICT_MESSAGE())
    return current


def _apply_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the upload, else on top."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            name = form.error_fields.get(key, key)
            form.add_error(name if name in form.fields else None, errors)
        return
    uploads = [name for name in form.document_fields if form.cleaned_data.get(name)]
    if not uploads and "file" in form.fields and form.cleaned_data.get("file"):
        uploads = ["file"]
    form.add_error(uploads[0] if len(uploads) == 1 else None, exc.messages)


def _domain_error(request, exc, form, dispute, back_url):
    """Map a domain error to a response; None means: re-render the page with ``page_error``."""
    if isinstance(exc, Conflict):
        return render_error(request, 409, str(exc), dispute=dispute, back_url=back_url)
    if isinstance(exc, NotPermitted):
        return render_error(request, 403, str(exc), dispute=dispute, back_url=back_url)
    return None


DOMAIN_ERRORS = (Conflict, NotPermitted, ValidationError, *NOT_IN_THIS_STATE, DeadlineError)


def _page_message(exc) -> str:
    problems = getattr(exc, "problems", None)
    if problems:
        return " ".join(str(p) for p in problems)
    return str(exc.args[0]) if getattr(exc, "args", None) else str(exc)


def _build_form(action, dispute, user, *, point=None, data=None, files=None):
    prefix = action.slug if point is None else f"{action.slug}-p{point.number}"
    kwargs = action.form_kwargs(dispute, user)
    if data is None:
        initial = {"expected_version": dispute.version, **action.initial(dispute, point)}
        return action.form_class(prefix=prefix, initial=initial, **kwargs)
    return action.form_class(data, files, prefix=prefix, **kwargs)


# -- worklist, inbox, roster -----------------------------------------------------------------------
class WorklistView(StaffView):
    def get(self, request):
        municipalities = worklist.municipalities(request.user)
        filters = WorklistFilterForm(
            request.GET or None,
            states=[(s.value, s.label) for s in DisputeState if s.value in worklist.WORKLIST_STATES],
            kinds=DisputeKind.choices,
            municipalities=municipalities,
        )
        chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
        sort = request.GET.get("sort", worklist.DEFAULT_SORT)
        if sort.lstrip("-") not in worklist.SORTS:
            sort = worklist.DEFAULT_SORT
        urgent, rows = worklist.worklist(
            request.user, state=chosen.get("state", ""), kind=chosen.get("kind", ""),
            gemeente=chosen.get("gemeente", ""), sort=sort,
        )
        base = {k: v for k, v in chosen.items() if v}
        columns = []
        for key, label in (
            ("zaak", _("Zaak")), ("gemeente", _("Gemeente")), ("status", _("Status")),
            ("termijn", _("Eerstvolgende termijn")), ("beslistermijn", _("Beslistermijn")),
        ):
            active = sort.lstrip("-") == key
            descending = sort.startswith("-")
            next_sort = f"-{key}" if active and not descending else key
            columns.append({
                "key": key, "label": label, "url": "?" + urlencode({**base, "sort": next_sort}),
                "aria_sort": ("descending" if descending else "ascending") if active else "",
            })
        context = {
            "filters": filters, "urgent": urgent, "rows": rows, "columns": columns, "sort": sort,
            "hearings": worklist.hearings(request.user),
            "inbox_count": worklist.inbox_count(request.user), "today": clock.today(), "nav": "worklist",
        }
        return render(request, "workflow/worklist.html", context)


class InboxView(StaffView):
    def get(self, request):
        context = {"inbox": worklist.inbox(request.user), "queue": worklist.queue(request.user),
                   "today": clock.today()}
        return render(request, "workflow/inbox.html", {**context, "nav": "inbox"})


class RosterView(StaffView):
    def get(self, request):
        from .models import CommissionSeat

        users = (
            get_user_model().objects.filter(groups__name__in=COMMISSION_ROLES, is_active=True)
            .distinct().prefetch_related("groups").order_by("last_name", "first_name", "username")
        )
        seats = {seat.user_id: seat for seat in CommissionSeat.objects.all()}
        roster = []
        for user in users:
            groups = {g.name for g in user.groups.all()}
            seat = seats.get(user.pk)
            chair = StaffRole.COMMISSION_CHAIR in groups
            roster.append({
                "user": user, "seat": seat, "chair": chair,
                "deputy": bool(seat and seat.deputy),
            })
        roster.sort(key=lambda r: (not r["chair"], r["deputy"], r["user"].last_name, r["user"].username))
        return render(request, "workflow/roster.html", {"roster": roster, "nav": "roster"})


# -- the case page -------------------------------------------------------------------------------
def _task_links(user, dispute, tasks) -> list:
    rows = []
    for task in tasks:
        node = task.flow_task
        can_see = isinstance(node, RoleTask) and node.may_hold(user, dispute)
        rows.append({
            "task": task, "title": node.task_title, "role": ROLE_LABELS.get(getattr(node, "role", ""), ""),
            "holder": task.owner, "waiting": not isinstance(node, RoleTask),
            "url": reverse("workflow:task", args=[dispute.pk, task.pk]) if can_see else "",
            "mine": task.owner_id == user.pk,
        })
    return rows


class CaseView(StaffView):
    def get(self, request, pk):
        dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
        tasks = worklist.open_tasks_of(dispute)
        context = {
            "dispute": dispute,
            "parties": dispute.parties.select_related("organisation"),
            "points": casefile.points(dispute),
            "show_decisions": casefile.shows_decisions(request.user, dispute),
            "deadlines": dispute.deadlines.select_related("organisation").order_by("created_at", "pk"),
            "information": selectors.information_requests(dispute),
            "bundles": casefile.bundles(request.user, dispute),
            "events": casefile.timeline(request.user, dispute),
            "effort_log": casefile.effort_log(dispute),
            "tasks": _task_links(request.user, dispute, tasks),
            "actions": [a for a in CASE_ACTIONS.values() if a.allowed(request.user, dispute)],
            "dossier_panel": casefile.dossier_panel(),
            "letters": _letters(request.user),
        }
        return render(request, "workflow/case.html", context)


def _letters(user) -> list:
    if not permissions.has_role(user, StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL):
        return []
    return [(kind, title) for kind, (_doc_type, title) in LETTERS.items()]


# -- task pages ----------------------------------------------------------------------------------
class TaskView(StaffView):
    """A human task: the case's facts for this step, its documents, and one form per action."""

    def _objects(self, request, pk, task_pk):
        dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
        task = (
            Task.objects.select_related("owner")
            .filter(pk=task_pk, process__disputeprocess__dispute_id=dispute.pk)
            .first()
        )
        if task is None or not isinstance(task.flow_task, RoleTask):
            raise Http404(_("Taak niet gevonden."))
        return dispute, task

    def get(self, request, pk, task_pk):
        dispute, task = self._objects(request, pk, task_pk)
        return self._render(request, dispute, task)

    def post(self, request, pk, task_pk):
        dispute, task = self._objects(request, pk, task_pk)
        node = task.flow_task
        action = {a.slug: a for a in TASK_ACTIONS.get(node.name, ())}.get(request.POST.get("action", ""))
        task_url = reverse("workflow:task", args=[dispute.pk, task.pk])
        if action is None:
            return render_error(request, 400, _("Onbekende handeling."), dispute=dispute, back_url=task_url)
        if task.finished is not None:
            return self._render(request, dispute, task, page_error=_("Deze taak is al afgerond."))
        if not node.can_execute(request.user, task):
            return render_error(
                request, 403, _("U kunt deze taak pas uitvoeren als zij aan u is toegewezen."),
                dispute=dispute, back_url=task_url,
            )
        point = None
        if action.per_point:
            point = dispute.points.filter(number=request.POST.get("point") or 0).first()
            if point is None:
                raise Http404(_("Geschilpunt niet gevonden."))
        form = _build_form(action, dispute, request.user, point=point, data=request.POST, files=request.FILES)
        bound = {(action.slug, point.pk if point else None): form}
        if not form.is_valid():
            return self._render(request, dispute, task, bound=bound)
        try:
            with transaction.atomic(), DisputeFlow.lock(task.process_id):
                task.refresh_from_db()
                if task.finished is not None:
                    raise Conflict(_("Deze taak is intussen al afgerond."))
                current = _check_version(dispute, form)
                activation = node.activation_class(task)
                with sync.acting_on(task):
                    action.perform(request, current, form, point=point)
                sync.reconcile(current, activation=activation)
        except DOMAIN_ERRORS as exc:
            response = _domain_error(request, exc, form, dispute, task_url)
            if response is not None:
                return response
            if isinstance(exc, ValidationError):
                _apply_validation_error(form, exc)
                return self._render(request, dispute, task, bound=bound)
            return self._render(request, dispute, task, bound=bound, page_error=_page_message(exc))
        task.refresh_from_db()
        if task.finished is None:
            messages.success(request, _("Vastgelegd: %(action)s.") % {"action": action.label})
            anchor = f"#punt-{point.number}" if point else ""
            return redirect(task_url + anchor)
        messages.success(request, _("Taak afgerond: %(task)s.") % {"task": node.task_title})
        return redirect("workflow:case", pk=dispute.pk)

    def _render(self, request, dispute, task, *, bound=None, page_error: str = ""):
        dispute = Dispute.objects.select_related("agreement__municipality", "decision_drafted_by").get(pk=dispute.pk)
        node = task.flow_task
        bound = bound or {}
        user = request.user
        can_execute = task.finished is None and node.can_execute(user, task)
        sections = []
        all_points = list(casefile.points(dispute))
        for action in TASK_ACTIONS.get(node.name, ()):
            if action.per_point:
                entries = []
                for point in all_points:
                    if action.admissible_points_only and point.admissibility != "admissible":
                        continue
                    form = bound.get((action.slug, point.pk)) or _build_form(action, dispute, user, point=point)
                    entries.append({"point": point, "form": form})
                sections.append({"action": action, "per_point": True, "points": entries})
            else:
                form = bound.get((action.slug, None)) or _build_form(action, dispute, user)
                sections.append({"action": action, "per_point": False, "form": form})
        colleagues = (
            get_user_model().objects.filter(groups__name=node.role, is_active=True)
            .exclude(recusals__dispute=dispute).order_by("last_name", "username")
        )
        if task.owner_id:
            colleagues = colleagues.exclude(pk=task.owner_id)
        if dispute.decision_drafted_by_id and node.name == "adopt_decision":
            colleagues = colleagues.exclude(pk=dispute.decision_drafted_by_id)
        context = {
            "dispute": dispute,
            "task": task,
            "node": node,
            "role_label": ROLE_LABELS.get(node.role, ""),
            "can_execute": can_execute,
            "can_take": task.finished is None and task.owner_id is None and node.may_hold(user, dispute),
            "may_assign": task.finished is None and node.may_hold(user, dispute),
            "assign_form": AssignForm(colleagues=colleagues) if node.may_hold(user, dispute) else None,
            "sections": sections,
            "page_error": page_error,
            "points": all_points,
            "show_decisions": casefile.shows_decisions(user, dispute),
            "deadlines": dispute.deadlines.filter(closed_at__isnull=True).order_by("due"),
            "bundles": casefile.bundles(user, dispute),
            "step": node.step,
            "letters": _letters(user),
        }
        if node.name in ("register", "assess_admissibility", "declare_inadmissible"):
            context["prechecks"] = casefile.prechecks(dispute)
        if node.name in ("review_efforts", "declare_inadmissible"):
            context["effort_log"] = casefile.effort_log(dispute)
            context["show_effort_log"] = True
        if node.name == "register":
            context["acknowledgement"] = dispute.documents.current().filter(doc_type="ontvangstbevestiging").first()
        return render(request, "workflow/task.html", context, status=400 if page_error else 200)


class TaskAssignView(StaffView):
    """Take a task, give it to a colleague with the same role, or put it back in the queue (POST)."""

    def post(self, request, pk, task_pk):
        dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
        task_url = reverse("workflow:task", args=[dispute.pk, task_pk])
        what = request.POST.get("action")
        try:
            if what == "take":
                services.task_assign(dispute=dispute, task_pk=task_pk, actor=request.user, assignee=request.user)
                messages.success(request, _("De taak staat nu op uw naam."))
            elif what == "assign":
                form = AssignForm(request.POST, colleagues=get_user_model().objects.filter(is_active=True))
                if not form.is_valid():
                    return render_error(request, 400, _("Kies een collega."), dispute=dispute, back_url=task_url)
                assignee = form.cleaned_data["assignee"]
                services.task_assign(dispute=dispute, task_pk=task_pk, actor=request.user, assignee=assignee)
                messages.success(request, _("De taak is toegewezen aan %(name)s.")
                                 % {"name": assignee.get_full_name() or assignee.username})
            elif what == "release":
                services.task_release(dispute=dispute, task_pk=task_pk, actor=request.user)
                messages.success(request, _("De taak staat weer in de wachtrij."))
            else:
                return render_error(request, 400, _("Onbekende handeling."), dispute=dispute, back_url=task_url)
        except Conflict as exc:
            return render_error(request, 409, str(exc), dispute=dispute, back_url=task_url)
        return redirect(task_url)


# -- case actions --------------------------------------------------------------------------------
class CaseActionView(StaffView):
    """An action on the case outside a task: extension, settlement, late response, document, recusal."""

    def _objects(self, request, pk, slug):
        dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
        action = CASE_ACTIONS.get(slug)
        if action is None:
            raise Http404(_("Onbekende handeling."))
        if not action.allowed(request.user, dispute):
            raise NotPermitted(_("Deze handeling is voor u in deze stap niet beschikbaar."))
        return dispute, action

    def get(self, request, pk, action):
        dispute, action = self._objects(request, pk, action)
        form = _build_form(action, dispute, request.user)
        return self._render(request, dispute, action, form)

    def post(self, request, pk, action):
        dispute, action = self._objects(request, pk, action)
        form = _build_form(action, dispute, request.user, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self._render(request, dispute, action, form)
        back_url = reverse("workflow:case", args=[dispute.pk])
        try:
            with transaction.atomic(), _case_lock(dispute):
                current = _check_version(dispute, form)
                action.perform(request, current, form)
        except DOMAIN_ERRORS as exc:
            response = _domain_error(request, exc, form, dispute, back_url)
            if response is not None:
                return response
            if isinstance(exc, ValidationError):
                _apply_validation_error(form, exc)
                return self._render(request, dispute, action, form)
            return self._render(request, dispute, action, form, page_error=_page_message(exc))
        messages.success(request, _("Vastgelegd: %(action)s.") % {"action": action.label})
        if not permissions.can_view_dispute(request.user, dispute):
            return redirect("workflow:worklist")
        return redirect(back_url)

    def _render(self, request, dispute, action, form, page_error: str = ""):
        context = {"dispute": dispute, "action": action, "form": form, "page_error": page_error,
                   "deadlines": dispute.deadlines.filter(closed_at__isnull=True).order_by("due")}
        return render(request, "workflow/action.html", context, status=400 if page_error else 200)


# -- letters -------------------------------------------------------------------------------------
class LetterView(StaffView):
    """A generated letter (disputes.letters) as a starting point: staff download, check and upload it."""

    def get(self, request, pk, kind):
        dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
        if not permissions.has_role(request.user, StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL):
            raise NotPermitted(_("Brieven opstellen is voor het secretariaat en de ambtenaren."))
        if kind not in LETTERS:
            raise Http404(_("Onbekende brief."))
        context = {}
        if kind == "uitnodiging_hoorzitting":
            event = current_hearing(dispute)
            if event is not None:
                context = {"when": hearing_moment(event).strftime("%d-%m-%Y %H:%M"),
                           "place": event.payload.get("place", "")}
        content = render_letter(kind, dispute, on=clock.today(), **context)
        response = HttpResponse(content, content_type="application/pdf")
        filename = f"{kind}-{dispute.case_number or dispute.pk}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response
