"""A case action's page: an action on the case outside a task (extension, settlement, late
response, document, recusal, ...), one row of ``workflow.actions.CASE_ACTIONS`` each.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from disputes import permissions
from disputes.errors import NotPermitted
from disputes.portal.common import error_summary

from ..actions import CASE_ACTIONS
from .base import (
    DOMAIN_ERRORS,
    StaffView,
    apply_validation_error,
    build_form,
    case_lock,
    check_version,
    domain_error,
    page_message,
)


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
        form = build_form(action, dispute, request.user)
        return self._render(request, dispute, action, form)

    def post(self, request, pk, action):
        dispute, action = self._objects(request, pk, action)
        form = build_form(action, dispute, request.user, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self._render(request, dispute, action, form)
        back_url = reverse("workflow:case", args=[dispute.pk])
        try:
            with transaction.atomic(), case_lock(dispute):
                current = check_version(dispute, form)
                action.perform(request, current, form)
        except DOMAIN_ERRORS as exc:
            response = domain_error(request, exc, form, dispute, back_url)
            if response is not None:
                return response
            if isinstance(exc, ValidationError):
                apply_validation_error(form, exc)
                return self._render(request, dispute, action, form)
            return self._render(request, dispute, action, form, page_error=page_message(exc))
        messages.success(request, action.done_text + ".")
        if not permissions.can_view_dispute(request.user, dispute):
            return redirect("workflow:worklist")
        return redirect(back_url)

    def _render(self, request, dispute, action, form, page_error: str = ""):
        form.anchor = "main"
        context = {"dispute": dispute, "action": action, "form": form, "page_error": page_error,
                   "errors": error_summary(form) if form.is_bound else [],
                   "deadlines": dispute.deadlines.filter(closed_at__isnull=True).order_by("due")}
        if action.slug == "verlengen":  # who the notice goes to (BTIV art. 40 lid 2), and whether they can be reached
            from disputes.letters import extension_addressees, notice_addresses

            context["notice_to"] = [
                {"name": o.name, "capacity": capacity, "reachable": bool(notice_addresses(o, capacity))}
                for capacity, o in extension_addressees(dispute)
            ]
        return render(request, "workflow/action.html", context, status=400 if page_error else 200)
