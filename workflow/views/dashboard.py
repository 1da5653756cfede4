"""The dashboard (``/werk/overzicht/``): the figures of ``workflow.dashboard`` as charts, tables and CSV, for the
secretariat and the ministry's officials (docs/workflow.md, "Dashboard"); and the year report built from them
(``workflow.annual_report``) as a PDF or CSV download (``/werk/overzicht/jaarverslag/``)."""

import csv
import io
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disputes import permissions
from disputes.models import DisputeKind, Province

from .. import annual_report, charts, dashboard
from .base import StaffView, render_error


class DashboardFilterForm(forms.Form):
    jaar = forms.TypedChoiceField(label=gettext_lazy("Jaar van indiening"), required=False, coerce=int,
                                  empty_value=None, widget=forms.Select)
    soort = forms.ChoiceField(label=gettext_lazy("Soort"), required=False, widget=forms.Select)
    gemeente = forms.ChoiceField(label=gettext_lazy("Gemeente"), required=False, widget=forms.Select)
    provincie = forms.ChoiceField(label=gettext_lazy("Provincie"), required=False, widget=forms.Select)

    def __init__(self, *args, years=(), municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("Alle"))
        self.fields["jaar"].choices = [everything, *((str(y), str(y)) for y in years)]
        self.fields["soort"].choices = [everything, *DisputeKind.choices]
        self.fields["gemeente"].choices = [everything, *municipalities]
        self.fields["provincie"].choices = [everything, *Province.choices]

    def filters(self) -> dashboard.Filters:
        """The chosen filters; a value that is no choice (an old bookmark, a typed URL) is left out, the rest kept."""
        if not self.is_bound:
            return dashboard.Filters()
        self.is_valid()
        data = self.cleaned_data  # the valid fields only
        return dashboard.Filters(year=data.get("jaar"), kind=data.get("soort", ""),
                                 gemeente=data.get("gemeente", ""), province=data.get("provincie", ""))


class DashboardView(StaffView):
    def get(self, request):
        if not permissions.can_view_dashboard(request.user):
            return render_error(request, 403, _("Het overzicht is voor het secretariaat en de ambtenaren van het "
                                                "ministerie."))
        years = dashboard.year_choices()
        form = DashboardFilterForm(
            {k: v for k, v in request.GET.items() if k in ("jaar", "soort", "gemeente", "provincie")} or None,
            years=years, municipalities=dashboard.municipality_choices(),
        )
        filters = form.filters()
        wanted = request.GET.get("csv")
        if wanted:
            figure = dashboard.figure(request.user, filters, wanted)
            if figure is None:
                return render_error(request, 404, _("Dit overzicht bestaat niet."))
            return csv_response(figure, filters)
        figures = dashboard.figures(request.user, filters)
        query = filters.as_query()
        shown = [
            {"figure": f, "svg": charts.render(f, chart_id=f"chart-{f.key}"),
             "csv_query": _query({**query, "csv": f.key})}
            for f in figures
        ]
        context = {"form": form, "figures": shown, "filtered": bool(query), "nav": "dashboard",
                   "report_year": filters.year, "report_years": years, "report_default": years[0]}
        return render(request, "workflow/dashboard.html", context)


class AnnualReportView(StaffView):
    """The year report (``workflow.annual_report``) as a download: ``?jaar=YEAR&formaat=pdf|csv``."""

    FORMATS = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}

    def get(self, request):
        if not permissions.can_view_dashboard(request.user):
            return render_error(request, 403, _("Het jaarverslag is voor het secretariaat en de ambtenaren van het "
                                                "ministerie."))
        kind = request.GET.get("formaat", "pdf")
        if kind not in self.FORMATS:
            return render_error(request, 404, _("Het jaarverslag is er als PDF of als CSV."),
                                back_url=reverse("workflow:dashboard"))
        try:
            year = annual_report.check_year(request.GET.get("jaar"))
        except annual_report.BadYear as exc:
            return render_error(request, 404, str(exc), back_url=reverse("workflow:dashboard"))
        if kind == "pdf":
            body = annual_report.pdf_bytes(request.user, year)
        else:
            body = annual_report.csv_bytes(request.user, year)
        response = HttpResponse(body, content_type=self.FORMATS[kind])
        response["Content-Disposition"] = f'attachment; filename="jaarverslag-{year}.{kind}"'
        return response


def _query(params: dict) -> str:
    return "?" + urlencode(params)


def csv_response(figure: dashboard.Figure, filters: dashboard.Filters) -> HttpResponse:
    """The figure's table as CSV for Excel in Dutch: UTF-8 with a byte order mark, ";" between the fields and a
    decimal comma (what a Dutch Excel opens without an import step)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(c) for c in figure.columns])
    for row in figure.rows:
        writer.writerow([_cell(v) for v in row])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    suffix = "-".join(str(v) for v in filters.as_query().values())
    name = f"overzicht-{figure.key}{'-' + suffix if suffix else ''}.csv"
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


_cell = dashboard.cell_text
