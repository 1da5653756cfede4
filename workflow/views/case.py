"""The case page (facts, parties, points, deadlines, documents, letters, timeline, open tasks and the case
actions this user may take). A case's letters have their own pages (``letters``).
"""

from django.shortcuts import render
from django.urls import reverse

from disputes import permissions, selectors
from disputes.models import CaseRetention, PublicationStatus
from disputes.services.publication import PUBLISHABLE_STATES
from disputes.states import CONCLUDED_STATES

from .. import casefile, organisations, worklist
from ..actions import CASE_ACTIONS, ROLE_LABELS
from ..nodes import RoleTask
from .base import StaffView, letters_for
from .letters import case_letters, draft_choices
from .publication import public_path


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


def _publication_panel(user, dispute) -> dict | None:
    """The section "Publicatie" (docs/publication.md): for the secretariat on a decided or closed case only, so other
    cases and users cost no query; one query for the latest publication."""
    if dispute.state not in PUBLISHABLE_STATES or not permissions.can_publish(user):
        return None
    latest = dispute.publications.select_related("prepared_by").order_by("-prepared_at").first()
    status = latest.status if latest is not None else None
    return {"latest": latest, "prepared": status == PublicationStatus.PREPARED,
            "published": status == PublicationStatus.PUBLISHED,
            "public_url": public_path(latest) if latest is not None else ""}


def _retention(dispute):
    """The section "Archief" (docs/archive.md): the retention an ended case got, with the list it was destroyed by;
    one query, and none for a case still open (it has no retention yet)."""
    if dispute.state not in CONCLUDED_STATES:
        return None
    return CaseRetention.objects.select_related("destruction_list").filter(dispute=dispute).first()


class CaseView(StaffView):
    def get(self, request, pk):
        dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
        tasks = worklist.open_tasks_of(dispute)
        if request.GET.get("verloop") == "alle":  # the whole timeline, else its latest events and a link to the rest
            events, earlier = casefile.timeline(request.user, dispute), False
        else:
            events, earlier = casefile.recent_timeline(request.user, dispute)
        parties = organisations.case_parties(dispute)  # with their active members (the "Uitnodigingen" too)
        information = selectors.information_requests(dispute)
        # the section "Brieven": draft a letter that fits the state now, the drafts and the sent letters (2 queries)
        may_send_letters = permissions.may(request.user, dispute, "send_letter")
        context = {
            "dispute": dispute,
            "parties": parties,
            "signatories": casefile.settlement_signatories(dispute) if dispute.settlement_basis else [],
            "points": casefile.points(dispute),
            "commission_seats": casefile.commission_seats(dispute),
            "joined_cases": casefile.joined_cases(request.user, dispute),
            "show_decisions": casefile.shows_decisions(request.user, dispute),
            "deadlines": dispute.deadlines.select_related("organisation").order_by("created_at", "pk"),
            "information": information,
            "bundles": casefile.bundles(request.user, dispute),
            "events": events,
            "earlier_events": earlier,
            "effort_log": casefile.effort_log(dispute),
            "tasks": _task_links(request.user, dispute, tasks),
            "actions": [a for a in CASE_ACTIONS.values() if a.allowed(request.user, dispute)],
            "dossier_panel": casefile.dossier_panel(),
            "letters": letters_for(request.user),
            "may_send_letters": may_send_letters,
            "letter_choices": draft_choices(dispute, information) if may_send_letters else {},
            "case_letters": case_letters(dispute) if may_send_letters else {},
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
            # the publication of a decided case without personal data: the secretariat prepares it, a second person
            # approves (docs/publication.md)
            "publication_panel": _publication_panel(request.user, dispute),
            # the archive: nomination, category and archiefactiedatum; once destroyed, when and by which list
            "retention": _retention(dispute),
        }
        return render(request, "workflow/case.html", context)

