"""The case page (facts, parties, points, deadlines, documents, timeline, open tasks and the case
actions this user may take) and the letters generated from a case (``disputes.letters``).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from disputes import clock, permissions, selectors
from disputes.errors import NotPermitted
from disputes.letters import LETTERS, render_letter
from disputes.models import StaffRole
from disputes.services.proceedings import current_hearing, hearing_moment
from disputes.states import CONCLUDED_STATES

from .. import casefile, organisations, worklist
from ..actions import CASE_ACTIONS, ROLE_LABELS
from ..nodes import RoleTask
from .base import StaffView, letters_for


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
        if request.GET.get("verloop") == "alle":  # the whole timeline, else its latest events and a link to the rest
            events, earlier = casefile.timeline(request.user, dispute), False
        else:
            events, earlier = casefile.recent_timeline(request.user, dispute)
        parties = organisations.case_parties(dispute)  # with their active members (the "Uitnodigingen" too)
        context = {
            "dispute": dispute,
            "parties": parties,
            "signatories": casefile.settlement_signatories(dispute) if dispute.settlement_basis else [],
            "points": casefile.points(dispute),
            "commission_seats": casefile.commission_seats(dispute),
            "joined_cases": casefile.joined_cases(request.user, dispute),
            "show_decisions": casefile.shows_decisions(request.user, dispute),
            "deadlines": dispute.deadlines.select_related("organisation").order_by("created_at", "pk"),
            "information": selectors.information_requests(dispute),
            "bundles": casefile.bundles(request.user, dispute),
            "events": events,
            "earlier_events": earlier,
            "effort_log": casefile.effort_log(dispute),
            "tasks": _task_links(request.user, dispute, tasks),
            "actions": [a for a in CASE_ACTIONS.values() if a.allowed(request.user, dispute)],
            "dossier_panel": casefile.dossier_panel(),
            "letters": letters_for(request.user),
            # an ended case is in the archive and opens read-only: the actions above are only those the operations
            # table still allows in its state (a bezwaar, a herstelbesluit, a document, a recusal)
            "archived": dispute.state in CONCLUDED_STATES,
            "concluded_at": dispute.decided_at or dispute.ended_at,
            # per party organisation: active members and invitations (docs/accounts.md, "Uitnodigingen")
            # (the secretariat's business: it names the invitees' addresses, which the commission does not need)
            "party_invitations": (organisations.case_invitations(dispute, parties)
                                  if permissions.can_manage_organisations(request.user) else []),
            # representatives (gemachtigden): the secretariat checks each machtiging here and may end one
            "representations": (list(dispute.representations.select_related("organisation", "authorisation",
                                                                             "user", "checked_by"))
                                if permissions.can_manage_organisations(request.user) else []),
            "may_check_representations": permissions.may(request.user, dispute, "check_representation"),
            "may_end_representations": permissions.may(request.user, dispute, "end_representation"),
        }
        return render(request, "workflow/case.html", context)


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
