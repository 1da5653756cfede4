"""The pages everyone starts from: the home page after log-in and the generic case page.

Parties get the portal: "Mijn geschillen" at home and the party case page (disputes/portal/).
Staff go to their worklist when the workflow app provides one, otherwise they see the case list
and the staff case page here. Every view reads through ``selectors`` and loads a case through
``get_dispute_for_user_or_404``.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import clock, paging, permissions, selectors
from .models import Deadline, PartyRole
from .portal import common, guidance
from .portal.case import case_context, render_case_page
from .states import OPEN_STATES


def _is_staff(user) -> bool:
    return permissions.is_staff_member(user) or user.is_superuser


#: "Mijn geschillen" shows this many cases a page (numbered pages; an organisation may have a thousand cases)
PORTAL_PER_PAGE = 50


def _portal_cases(user):
    """The cases of the user's organisations, newest first, with what a row reads (a query each per page)."""
    return selectors.disputes_for(user).prefetch_related(
        Prefetch("deadlines", queryset=Deadline.objects.filter(closed_at__isnull=True), to_attr="portal_open_deadlines")
    )


def _portal_rows(user, disputes=None) -> list[dict]:
    """One row per case of the user's organisations (or of ``disputes``, one page of ``_portal_cases``), with
    their role and what is expected of them."""
    disputes = list(_portal_cases(user) if disputes is None else disputes)
    rows = []
    late = selectors.late_decisions(disputes)  # "te laat beslist"
    for dispute in disputes:
        parties = list(dispute.parties.all())
        org_ids = permissions.organisation_ids(user, dispute)  # a representative acts for a party on this case only
        mine = [p for p in parties if p.organisation_id in org_ids]
        role = PartyRole.APPLICANT if any(p.role == PartyRole.APPLICANT for p in mine) else PartyRole.RESPONDENT
        done = role == PartyRole.RESPONDENT and mine and all(p.responded_at for p in mine)
        guide = guidance.guidance_for(dispute.state, guidance.RESPONDENT_DONE if done else role)
        due = guidance.deadline_for(guide, dispute.portal_open_deadlines, org_ids)
        expected, action_needed = guide.expected, guide.action in ("remedy", "respond", "wizard")
        question = guidance.waiting_question(dispute.state, dispute.portal_open_deadlines, org_ids)
        if question is not None:  # a question of the secretariat waits for this party
            expected, action_needed, due = _("Beantwoord de vraag van het secretariaat."), True, question
        role_label = dict(PartyRole.choices)[role]
        if mine and all(p.withdrawn_at for p in mine):  # a former applicant: it withdrew its part of the request
            role_label = _("%(role)s (ingetrokken op %(date)s)") % {
                "role": role_label, "date": clock.localdate(mine[0].withdrawn_at).strftime("%d-%m-%Y")}
            if dispute.state in OPEN_STATES:
                expected, action_needed, due = _("U hoeft niets meer te doen."), False, None
        rows.append({
            "dispute": dispute,
            "role": role,
            "role_label": role_label,
            "others": [p for p in parties if p.organisation_id not in org_ids],
            "action_needed": action_needed,
            "expected": expected,
            "due": guidance.due_text(due),
            "late": late.get(dispute.pk),
        })
    return rows


@require_GET
@login_required
def home(request):
    user = request.user
    if _is_staff(user):
        try:
            return redirect(reverse("workflow:worklist"))
        except NoReverseMatch:
            pass
        disputes = list(selectors.disputes_for(user))
        return render(request, "disputes/home.html",
                      {"disputes": disputes, "late": selectors.late_decisions(disputes)})
    if permissions.is_archive_staff(user) and not permissions.organisation_ids(user):
        # the archive's roles (record manager, reviewer, archivist) start at the destruction lists
        return redirect(reverse("workflow:destruction-lists"))
    agreements = list(common.agreements_for(user))
    page = Paginator(_portal_cases(user), PORTAL_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "portal/home.html", {
        "rows": _portal_rows(user, page.object_list), "agreements": agreements,
        "page": page, "pager": paging.pager(page, {}),
    })


@require_GET
@login_required
def dispute_detail(request, pk):
    dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
    if common.role_of(request.user, dispute) in (common.APPLICANT, common.RESPONDENT, common.FORMER_APPLICANT):
        return render_case_page(request, dispute)
    if permissions.is_staff_member(request.user):
        return redirect("workflow:case", pk=dispute.pk)  # staff work on the case from the staff case page
    return render(request, "disputes/detail.html", case_context(request, dispute))
