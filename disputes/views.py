"""Pages of the first release: the case list after log-in and a read-only case page.

The portal (filing wizard) and the back office (task views) come with their own issues; every view
here reads through ``selectors`` and loads a case through ``get_dispute_for_user_or_404``.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import permissions, selectors


@require_GET
@login_required
def home(request):
    return render(request, "disputes/home.html", {"disputes": selectors.disputes_for(request.user)})


@require_GET
@login_required
def dispute_detail(request, pk):
    dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
    context = {
        "dispute": dispute,
        "parties": dispute.parties.select_related("organisation"),
        "points": dispute.points.all(),
        "deadlines": dispute.deadlines.all(),
        "documents": selectors.documents_for(request.user, dispute),
        "events": selectors.events_for(request.user, dispute),
    }
    return render(request, "disputes/detail.html", context)
