"""The dashboard /werk/overzicht/ (docs/workflow.md, "Dashboard"): the figures, counted in the database over the
cases the user may see, the filters, the charts (inline SVG without script or inline style), the tables and CSV,
who may open it, and a query budget that does not grow with the number of cases."""

import csv
import dataclasses
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import clock, services
from disputes.models import Deadline, DeadlineKind, Dispute, LocalAgreement
from tests.factories import OrganisationFactory, case_in_state, moment
from workflow import charts, dashboard

pytestmark = pytest.mark.django_db

URL = reverse("workflow:dashboard")


def rows(figure) -> dict:
    return {str(row[0]): row[1:] for row in figure.rows}


def figure(user, key, **filters):
    return dashboard.figure(user, dashboard.Filters(**filters), key)


@pytest.fixture
def cases(world):
    """Two decided cases (one of them decided after its term), one in the written round with an extended term,
    one nakoming case awaiting a remedy (a suspension) and one withdrawn; all filed on 16 January 2017."""
    world.gemeente.province = "zuid_holland"
    world.gemeente.save()
    on_time = case_in_state(world, "decided")
    late = case_in_state(world, "decided")
    Deadline.objects.filter(dispute=late, kind=DeadlineKind.DECISION).update(due=moment("2017-02-28 00:00").date())
    extended = case_in_state(world, "exchange")
    services.dispute_extend_decision_term(dispute=extended, actor=world.official, weeks=4, reason="Complexe zaak")
    remedy = case_in_state(world, "awaiting_remedy")
    Dispute.objects.filter(pk=remedy.pk).update(kind="nakoming")  # (filing one needs the signed agreement)
    withdrawn = case_in_state(world, "withdrawn")
    return {"on_time": on_time, "late": late, "extended": extended, "remedy": remedy, "withdrawn": withdrawn}


# -- the figures ----------------------------------------------------------------------------------------------
def test_cases_per_state_and_kind(world, cases):
    table = rows(figure(world.secretary, "status"))
    # columns: totstandkoming, nakoming, total
    assert table["Bindende uitspraak"] == [2, 0, 2]
    assert table["Schriftelijke ronde"] == [1, 0, 1]
    assert table["Herstel verzuim"] == [0, 1, 1]
    assert table["Ingetrokken"] == [1, 0, 1]
    assert "Concept" not in table and "Hoorzitting gepland" not in table  # no drafts, no empty rows


def test_filed_and_decided_per_quarter(world, cases):
    table = rows(figure(world.secretary, "kwartaal"))
    assert table == {"2017 K1": [5, 2]}
    table = rows(figure(world.secretary, "kwartaal", year=2017))
    assert table == {"2017 K1": [5, 2], "2017 K2": [0, 0], "2017 K3": [0, 0], "2017 K4": [0, 0]}
    # a case filed in another year counts there; its decision counts in the year it was decided
    Dispute.objects.filter(pk=cases["late"].pk).update(submitted_at=moment("2016-12-20 10:00"))
    table = rows(figure(world.secretary, "kwartaal"))
    assert table == {"2016 K4": [1, 0], "2017 K1": [4, 2]}
    assert rows(figure(world.secretary, "kwartaal", year=2017))["2017 K1"] == [4, 2]
    assert rows(figure(world.secretary, "kwartaal", year=2016))["2016 K4"] == [1, 0]


def test_throughput_per_phase_is_the_mean_in_days(world, cases):
    table = rows(figure(world.secretary, "doorlooptijd"))
    # filed 16-01 10:05, admissible 17-01 09:30, advice 22-02 09:00, decided 01-03 09:00 (tests/factories.py)
    assert table["Indiening tot ontvankelijk"] == [1.0, 3]  # both decided cases and the one in the written round
    assert table["Ontvankelijk tot advies"] == [36.0, 2]
    assert table["Advies tot beslissing"] == [7.0, 2]
    assert table["Indiening tot beslissing"] == [44.0, 2]


def test_share_decided_within_the_term_follows_late_decision(world, cases):
    from disputes import selectors

    assert selectors.late_decision(cases["on_time"]) is None
    assert selectors.late_decision(cases["late"]) is not None
    result = figure(world.secretary, "termijn")
    assert rows(result) == {"Binnen de termijn": [1], "Te laat": [1], "Zonder beslistermijn": [0]}
    assert result.share == 50.0


def test_decided_on_the_due_date_itself_is_within_the_term(world, cases):
    """The Amsterdam date counts: decided 1 March 09:00, due 1 March, is on time (not compared as moments)."""
    Deadline.objects.filter(dispute=cases["late"], kind=DeadlineKind.DECISION).update(
        due=moment("2017-03-01 00:00").date())
    assert rows(figure(world.secretary, "termijn"))["Binnen de termijn"] == [2]


def test_extensions_and_suspensions(world, cases):
    table = rows(figure(world.secretary, "verlenging"))
    assert table["Verlenging beslistermijn"] == [1, 1]
    assert table["Opschorting (herstel verzuim)"] == [1, 1]


def test_outcomes_per_point(world, cases):
    table = rows(figure(world.secretary, "uitkomst"))
    assert table["Niet kennelijk onredelijk"] == [2]  # one point in each decided case
    assert table["Kennelijk onredelijk"] == [0]
    assert table["Niet-ontvankelijk"] == [0]


def test_a_case_declared_inadmissible_counts_its_points_as_inadmissible(world):
    dispute = case_in_state(world, "admissibility_review")
    clock.set_now(moment("2017-01-20 09:00"))
    point = dispute.points.get()
    services.point_decide_admissibility(point=point, actor=world.secretary, admissible=False, reasons=["A2"],
                                        note="Gaat over een huurcontract.")
    services.dispute_declare_inadmissible(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.official,
                                          reasons=["A2"])
    assert rows(figure(world.secretary, "uitkomst"))["Niet-ontvankelijk"] == [1]
    assert rows(figure(world.secretary, "doorlooptijd"))["Indiening tot beslissing"][1] == 1


# -- filters ------------------------------------------------------------------------------------------------------
def test_the_filters_narrow_every_figure(world, cases):
    other = OrganisationFactory(name="Gemeente Zoeterwoude", kind="gemeente", province="utrecht")
    agreement = LocalAgreement.objects.create(municipality=other, year=2017)
    agreement.corporations.add(world.corporatie)
    agreement.tenant_organisations.add(world.huurders)
    elsewhere = dataclasses.replace(world, gemeente=other, agreement=agreement)
    case_in_state(elsewhere, "submitted")

    def total(**filters):
        return sum(row[-1] for row in figure(world.secretary, "status", **filters).rows)

    assert total() == 6
    assert total(kind="nakoming") == 1
    assert total(kind="totstandkoming") == 5
    assert total(gemeente="Gemeente Zoeterwoude") == 1
    assert total(gemeente="Gemeente Leiderdorp") == 5
    assert total(province="utrecht") == 1
    assert total(province="zuid_holland") == 5
    assert total(province="zeeland") == 0
    assert total(year=2017) == 6
    assert total(year=2016) == 0
    assert rows(figure(world.secretary, "verlenging", kind="nakoming"))["Verlenging beslistermijn"] == [0, 0]
    assert figure(world.secretary, "termijn", gemeente="Gemeente Zoeterwoude").share is None


def test_the_page_applies_the_filters_from_the_query(client, world, cases):
    client.force_login(world.secretary)
    html = client.get(URL, {"soort": "nakoming"}).content.decode()
    assert 'value="nakoming" selected' in html
    status = html[html.index('id="status-title"'):html.index('id="kwartaal-title"')]
    assert "Herstel verzuim" in status and "Bindende uitspraak" not in status
    assert 'href="?soort=nakoming&amp;csv=status"' in html
    # an unknown choice is left out, not an error; the other filters still apply
    html = client.get(URL, {"jaar": "abc", "provincie": "atlantis", "soort": "nakoming"}).content.decode()
    assert 'href="?soort=nakoming&amp;csv=status"' in html


# -- who may see it -------------------------------------------------------------------------------------------------
def test_the_dashboard_is_for_the_secretariat_and_the_ministry(client, world):
    assert client.get(URL).status_code == 302  # to the log-in page
    for user in (world.secretary, world.official):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        assert 'href="/werk/overzicht/" aria-current="page"' in response.content.decode()
    for user in (world.chair, world.commission_member, world.tenant, world.outsider):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(URL, {"csv": "status"}).status_code == 403


def test_the_menu_links_to_the_dashboard_only_for_those_who_may_open_it(client, world):
    client.force_login(world.secretary)
    assert reverse("workflow:dashboard") in client.get(reverse("workflow:worklist")).content.decode()
    client.force_login(world.chair)
    assert reverse("workflow:dashboard") not in client.get(reverse("workflow:worklist")).content.decode()


def test_the_figures_count_only_the_cases_the_user_may_see(world, cases):
    """The figures start from ``Dispute.objects.visible_to``: someone who sees no cases counts none (the
    commission may not open the page at all; this is the rule underneath)."""
    assert figure(world.outsider, "status").rows == []
    assert sum(r[-1] for r in figure(world.tenant, "status").rows) == 5  # a party: its own cases
    assert sum(r[-1] for r in figure(world.secretary, "status").rows) == 5


# -- the page: charts, tables, CSV -----------------------------------------------------------------------------------
def test_every_chart_is_an_accessible_svg_without_script_or_inline_style(client, world, cases):
    client.force_login(world.secretary)
    html = client.get(URL).content.decode()
    assert "<script" not in html.replace('<script src="/static/', "")  # only the site's own scripts
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html and " style=" not in html
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) == 6
    for tag in svgs:
        key = re.search(r'id="chart-([a-z]+)"', tag).group(1)
        assert 'role="img"' in tag and f'aria-labelledby="chart-{key}-title"' in tag
        assert f'aria-describedby="chart-{key}-desc"' in tag
    assert '<title id="chart-status-title">Zaken per status en soort</title>' in html
    assert html.count('class="table-scroll" role="region" tabindex="0"') == 6
    assert html.count("CSV downloaden") == 6
    assert '<th scope="row">Bindende uitspraak</th>' in html
    assert "gemiddelde (niet de mediaan)" in html


def test_a_chart_stays_plain_svg_when_another_library_re_registers_the_empty_prefix():
    """WeasyPrint (the letters) registers the empty XML prefix for its XMP at import; a chart drawn after that was
    "<ns0:svg ...>", and the dashboard lost its six charts in a process that had rendered a letter first."""
    import xml.etree.ElementTree as ET

    import weasyprint.pdf.metadata  # noqa: F401 - registers its namespaces, the empty prefix among them

    ET.register_namespace("", "")  # what it does, in case it was imported before this test
    figure = dashboard.Figure(key="x", title="Titel", description="Uitleg", columns=["a", "b"],
                              rows=[["één", 1], ["twee", 2]], series={"b": [1, 2]})
    svg = str(charts.render(figure, chart_id="chart-x"))
    assert svg.startswith("<svg ") and "ns0:" not in svg


def test_chart_render_takes_out_what_the_csp_refuses():
    figure = dashboard.Figure(key="x", title="Titel", description="Uitleg", columns=["a", "b"],
                              rows=[["één", 1], ["twee", 2]], series={"b": [1, 2]})
    svg = str(charts.render(figure, chart_id="chart-x"))
    assert svg.startswith("<svg ") and "<script" not in svg and "<style" not in svg and "style=" not in svg
    assert 'id="chart-x"' in svg and svg.count(' id="') == 3  # the svg, its title and its description
    assert charts.render(dataclasses.replace(figure, rows=[]), chart_id="chart-x") == ""


def test_csv_download(client, world, cases):
    client.force_login(world.official)
    response = client.get(URL, {"csv": "doorlooptijd", "jaar": "2017"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="overzicht-doorlooptijd-2017.csv"'
    body = response.content
    assert body.startswith("\ufeff".encode())  # a byte order mark, for Excel
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Fase", "Gemiddeld aantal dagen", "Aantal zaken"]
    assert table[1] == ["Indiening tot ontvankelijk", "1,0", "3"]
    assert client.get(URL, {"csv": "onbekend"}).status_code == 404


def test_an_empty_dashboard(client, world):
    client.force_login(world.secretary)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Geen zaken met deze filters." in response.content.decode()


# -- speed: a constant number of queries -----------------------------------------------------------------------------
def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params or {}).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_cases(client, world):
    client.force_login(world.secretary)
    for _ in range(5):
        case_in_state(world, "decided")
    few = _queries(client), _queries(client, {"jaar": "2017", "provincie": "zuid_holland"})
    for state, n in (("decided", 25), ("exchange", 10), ("withdrawn", 5), ("awaiting_remedy", 5)):
        for _ in range(n):
            case_in_state(world, state)
    assert Dispute.objects.count() == 50
    many = _queries(client), _queries(client, {"jaar": "2017", "provincie": "zuid_holland"})
    assert few == many
    assert max(many) <= 20
