"""The archive (``/werk/archief/``): the ended cases, filtered by year, kind, end state, decision and gemeente,
newest-ended first, 50 a page (the reads are ``workflow.archive``; docs/workflow.md, "Archief"). Each case opens
on the staff case page, which offers only what the operations table still allows after the end."""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disputes import paging
from disputes.models import DisputeKind
from disputes.portal.common import error_summary
from disputes.states import DisputeState

from .. import archive, worklist
from ..forms import PlainSelect
from .base import StaffView

FILTERS = ("jaar", "soort", "afloop", "uitspraak", "gemeente")


class ArchiveFilterForm(forms.Form):
    jaar = forms.TypedChoiceField(label=gettext_lazy("Jaar van beëindiging"), required=False, coerce=int,
                                  empty_value=None, widget=PlainSelect)
    soort = forms.ChoiceField(label=gettext_lazy("Soort"), required=False, widget=PlainSelect)
    afloop = forms.ChoiceField(label=gettext_lazy("Afloop"), required=False, widget=PlainSelect)
    uitspraak = forms.ChoiceField(label=gettext_lazy("Uitspraak over de punten"), required=False, widget=PlainSelect)
    gemeente = forms.ChoiceField(label=gettext_lazy("Gemeente"), required=False, widget=PlainSelect)

    def __init__(self, *args, years=(), municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("Alle"))
        self.fields["jaar"].choices = [everything, *((str(y), str(y)) for y in years)]
        self.fields["soort"].choices = [everything, *DisputeKind.choices]
        self.fields["afloop"].choices = [everything, *((s.value, s.label) for s in DisputeState
                                                      if s.value in archive.ARCHIVE_STATES)]
        self.fields["uitspraak"].choices = [everything, *archive.DECISIONS.items()]
        self.fields["gemeente"].choices = [everything, *municipalities]

    def filters(self) -> dict:
        """The chosen filters as ``workflow.archive`` takes them; a value that is no choice is left out (and said
        in the error summary), the rest kept."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data  # the valid fields only
        return {"year": data.get("jaar"), "kind": data.get("soort", ""), "state": data.get("afloop", ""),
                "decision": data.get("uitspraak", ""), "gemeente": data.get("gemeente", "")}


class ArchiveView(StaffView):
    def get(self, request):
        form = ArchiveFilterForm({k: v for k, v in request.GET.items() if k in FILTERS} or None,
                                 years=archive.year_choices(), municipalities=worklist.municipalities(request.user))
        filters = form.filters()
        sort = request.GET.get("sort", archive.DEFAULT_SORT)
        if sort.lstrip("-") not in archive.SORTS:
            sort = archive.DEFAULT_SORT
        page = archive.archive(request.user, sort=sort, page=request.GET.get("pagina", 1), **filters)
        base = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound else {}
        columns = []
        for key, label in (("zaak", _("Zaak")), ("beeindigd", _("Beëindigd op"))):
            active = sort.lstrip("-") == key
            descending = sort.startswith("-")
            next_sort = f"-{key}" if (not active and key == "beeindigd") or (active and not descending) else key
            columns.append({
                "key": key, "label": label, "url": "?" + urlencode({**base, "sort": next_sort}),
                "aria_sort": ("descending" if descending else "ascending") if active else "",
            })
        context = {
            "form": form, "errors": error_summary(form) if form.is_bound else [],
            "rows": page.object_list, "page": page,
            "pager": paging.pager(page, {**base, "sort": sort}), "columns": columns, "sort": sort,
            "filtered": bool(base), "nav": "archive",
        }
        return render(request, "workflow/archive.html", context)
