"""The staff's lists: the worklist (cases, filters, sorting, urgent deadlines, hearings), the inbox
and queue of tasks, and the commission's roster. The rows come from ``workflow.worklist``.
"""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext as _

from disputes import clock, paging
from disputes.models import COMMISSION_ROLES, DisputeKind, StaffRole
from disputes.states import DisputeState

from .. import worklist
from ..forms import WorklistFilterForm
from .base import StaffView


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
        urgent, page = worklist.worklist(
            request.user, state=chosen.get("state", ""), kind=chosen.get("kind", ""),
            gemeente=chosen.get("gemeente", ""), sort=sort, page=request.GET.get("pagina", 1),
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
            "filters": filters, "urgent": urgent, "urgent_more": page.urgent_more,
            "urgent_limit": worklist.URGENT_LIMIT,
            "rows": page.object_list, "page": page, "pager": paging.pager(page, {**base, "sort": sort}),
            "columns": columns, "sort": sort,
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
        from ..models import CommissionSeat

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
