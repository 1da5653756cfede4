"""A human task's page: the case's facts for this step, its documents and one form per action of
the task (``workflow.actions.TASK_ACTIONS``); and taking, assigning or releasing the task.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from viewflow.workflow.models import Task

from disputes import permissions
from disputes.errors import Conflict
from disputes.models import Dispute
from disputes.portal.common import error_summary

from .. import casefile, services, sync
from ..actions import ROLE_LABELS, TASK_ACTIONS
from ..flows import DisputeFlow
from ..forms import AssignForm
from ..nodes import RoleTask
from .base import (
    DOMAIN_ERRORS,
    StaffView,
    apply_validation_error,
    build_form,
    check_version,
    domain_error,
    letters_for,
    page_message,
    render_error,
)


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
        if action.per_point and not request.POST.get("point"):
            return self._post_points(request, dispute, task, action, task_url)
        point = None
        if action.per_point:
            point = dispute.points.filter(number=request.POST.get("point") or 0).first()
            if point is None:
                raise Http404(_("Geschilpunt niet gevonden."))
        form = build_form(action, dispute, request.user, point=point, data=request.POST, files=request.FILES)
        bound = {(action.slug, point.pk if point else None): form}
        if not form.is_valid():
            return self._render(request, dispute, task, bound=bound)
        return self._perform(request, dispute, task, action, [(point, form)], bound)

    def _post_points(self, request, dispute, task, action, task_url):
        """A per-point action sent as one form for all points: every point whose fields were changed is
        recorded, in one transaction; one invalid point keeps all of them, with everything typed, on the page."""
        points = [p for p in casefile.points(dispute)
                  if not action.admissible_points_only or p.admissibility == "admissible"]
        sent = [(p, build_form(action, dispute, request.user, point=p, data=request.POST, files=request.FILES))
                for p in points]
        changed = [(p, form) for p, form in sent if form.has_changed()]
        # the untouched points are shown as they were, without "required" errors for what nobody filled in
        bound = {(action.slug, p.pk): form for p, form in changed}
        if not changed:
            if not sent:
                return render_error(request, 400, _("Er zijn geen geschilpunten om vast te leggen."),
                                    dispute=dispute, back_url=task_url)
            first_point, first = sent[0]
            first.full_clean()
            first.add_error(None, _("Er is niets ingevuld of gewijzigd: vul bij ten minste één geschilpunt iets in."))
            return self._render(request, dispute, task, bound={(action.slug, first_point.pk): first})
        if not all([form.is_valid() for _p, form in changed]):  # a list: every form validated, every error shown
            return self._render(request, dispute, task, bound=bound)
        return self._perform(request, dispute, task, action, changed, bound)

    def _perform(self, request, dispute, task, action, items, bound):
        """Perform ``action`` for each ``(point, form)`` (point None for a case-wide action) in one transaction
        under the flow lock, then reconcile the flow; a domain error rolls all of them back and is shown on the
        form that caused it."""
        node = task.flow_task
        task_url = reverse("workflow:task", args=[dispute.pk, task.pk])
        failing = items[0][1]
        try:
            with transaction.atomic(), DisputeFlow.lock(task.process_id):
                task.refresh_from_db()
                if task.finished is not None:
                    raise Conflict(_("Deze taak is intussen al afgerond."))
                current = check_version(dispute, failing)
                activation = node.activation_class(task)
                with sync.acting_on(task):
                    for point, form in items:
                        failing = form
                        # the page's version was checked once, above; the case is locked by us from here on, so
                        # each next point is recorded on the version the previous one left
                        form.cleaned_data["expected_version"] = Dispute.objects.get(pk=dispute.pk).version
                        action.perform(request, current, form, point=point)
                sync.reconcile(current, activation=activation)
        except DOMAIN_ERRORS as exc:
            response = domain_error(request, exc, failing, dispute, task_url)
            if response is not None:
                return response
            if isinstance(exc, ValidationError):
                apply_validation_error(failing, exc)
                return self._render(request, dispute, task, bound=bound)
            return self._render(request, dispute, task, bound=bound, page_error=page_message(exc))
        return self._done(request, dispute, task, action, [p for p, _form in items if p is not None])

    def _done(self, request, dispute, task, action, points):
        """Back to the task page with what was recorded in words, or to the case once the task is finished."""
        task.refresh_from_db()
        task_url = reverse("workflow:task", args=[dispute.pk, task.pk])
        if task.finished is not None:
            messages.success(request, _("Taak afgerond: %(task)s.") % {"task": task.flow_task.task_title})
            return redirect("workflow:case", pk=dispute.pk)
        if points:
            numbers = [str(p.number) for p in points]
            listed = numbers[0] if len(numbers) == 1 else _("%(first)s en %(last)s") % {
                "first": ", ".join(numbers[:-1]), "last": numbers[-1]}
            messages.success(request, ngettext("%(done)s voor geschilpunt %(points)s.",
                                               "%(done)s voor geschilpunten %(points)s.", len(points))
                             % {"done": action.done_text, "points": listed})
            return redirect(task_url + (f"#punt-{points[0].number}" if len(points) == 1 else ""))
        messages.success(request, action.done_text + ".")
        return redirect(task_url)

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
                    form = bound.get((action.slug, point.pk)) or build_form(action, dispute, user, point=point)
                    entries.append({"point": point, "form": form})
                sections.append({"action": action, "per_point": True, "points": entries})
            else:
                form = bound.get((action.slug, None)) or build_form(action, dispute, user)
                sections.append({"action": action, "per_point": False, "form": form})
        colleagues = (
            get_user_model().objects.filter(groups__name=node.role, is_active=True)
            .exclude(recusals__dispute=dispute).order_by("last_name", "username")
        )
        if task.owner_id:
            colleagues = colleagues.exclude(pk=task.owner_id)
        if node.name == "adopt_decision":  # four eyes: not whoever drafted it or decided its points
            colleagues = colleagues.exclude(pk__in=permissions.decision_preparer_ids(dispute))
        numbers = {point.pk: point.number for point in all_points}
        errors = []
        for (slug, point_pk), form in bound.items():  # the summary at the top links into the section of the form
            form.anchor = f"punt-{numbers.get(point_pk)}" if point_pk else f"action-{slug}"
            errors += error_summary(form)
        context = {
            "errors": errors,
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
            "letters": letters_for(user),
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
