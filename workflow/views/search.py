"""Staff search (``/werk/zoeken/?q=``): cases and their documents' text, each result passing the same
visibility rules as the case pages (``disputes.search``; docs/search.md)."""

from django.conf import settings
from django.shortcuts import render

from disputes import paging, search

from .base import StaffView


class SearchView(StaffView):
    def get(self, request):
        q = search.normalise_query(request.GET.get("q", ""))
        page = search.search(request.user, q, page=request.GET.get("pagina", 1)) if q else None
        context = {
            "q": q, "page": page, "results": page.object_list if page else [],
            "pager": paging.pager(page, {"q": q}) if page else None,
            "max_length": settings.SEARCH_MAX_QUERY_LENGTH, "postgres": search.is_postgres(), "nav": "search",
        }
        return render(request, "workflow/search.html", context)
