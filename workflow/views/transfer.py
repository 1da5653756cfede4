"""The transfer of cases to be kept (``/werk/archief/overbrenging/``; docs/archive.md, "Overbrenging (MDTO)"):
the record manager's list of the ended cases whose archiefnominatie is "blijvend bewaren", with their
archiefactiedatum and whether they were transferred, filtered on "due" (the date has come), 50 a page; a POST on
a case builds its transfer package (``disputes.services.retention.transfer_export``) and downloads it.

Only record managers (``permissions.can_manage_records``): they hold no staff role, so these pages do not use
``StaffView``; they see the list, not the cases' contents. Staff and the archive's other roles get the 403 of a page
not theirs, a party the 403 on its own case's URL and on another case's the 404 of a case that does not exist."""

import os

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from disputes import clock, paging, permissions
from disputes.errors import NotPermitted
from disputes.models import CaseRetention, Dispute, Nomination
from disputes.services.retention import transfer_export

from .base import render_error

PER_PAGE = 50
#: ``?termijn=verstreken``: only the cases whose archiefactiedatum has come
DUE = "verstreken"


class RecordManagerView(View):
    """Pages for the record manager only (see the module)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_manage_records(request.user):
            staff_like = permissions.is_staff_member(request.user) or permissions.is_archive_staff(request.user)
            if "pk" in kwargs and not staff_like:
                permissions.get_dispute_for_user_or_404(request.user, pk=kwargs["pk"])
            return render_error(request, 403, _("Deze pagina is voor de recordmanager."))
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotPermitted as exc:
            return render_error(request, 403, str(exc))


def _kept_cases(*, due: bool):
    rows = (CaseRetention.objects.filter(nomination=Nomination.KEEP, destroyed_at__isnull=True)
            .select_related("dispute").order_by("action_date", "dispute__case_number"))
    if due:
        rows = rows.filter(action_date__lte=clock.today())
    return rows


class TransferListView(RecordManagerView):
    def get(self, request):
        due = request.GET.get("termijn") == DUE
        page = Paginator(_kept_cases(due=due), PER_PAGE).get_page(request.GET.get("pagina", 1))
        context = {
            "page": page, "rows": page.object_list, "due": due, "due_value": DUE, "today": clock.today(),
            "pager": paging.pager(page, {"termijn": DUE if due else ""}), "nav": "transfer",
        }
        return render(request, "workflow/transfer.html", context)


class TransferExportView(RecordManagerView):
    def post(self, request, pk):
        dispute = get_object_or_404(Dispute, pk=pk)
        try:
            path = transfer_export(actor=request.user, dispute=dispute)
        except ValidationError as exc:
            return render_error(request, 400, " ".join(exc.messages), back_url=reverse("workflow:transfer"))
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it when the download is sent
        os.unlink(path)  # the open handle keeps the data until then; nothing stays behind on disk
        return FileResponse(handle, as_attachment=True, content_type="application/zip",
                            filename=f"overbrenging-{dispute.case_number}.zip")
