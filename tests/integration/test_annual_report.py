"""The year report (docs/workflow.md, "Jaarverslag"): ``manage.py annual_report YEAR --out DIR`` and the download
from the dashboard build the PDF (the dashboard's figures as charts and tables, the year's decisions) and the CSV of
the figures. The PDFs are real, parsed back with pypdf; the CSV is compared with the dashboard's own CSV."""

import csv
import io
import re
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from disputes.models import Deadline, DeadlineKind, Dispute
from tests.factories import case_in_state, moment
from workflow import annual_report, dashboard

pytestmark = pytest.mark.django_db

URL = reverse("workflow:annual-report")
DASHBOARD = reverse("workflow:dashboard")


@pytest.fixture
def cases(world):
    """Decided in 2017: one on time, one late (filed in December 2016); decided in 2016: one; and a case in the
    written round (filed in 2017, not decided)."""
    on_time = case_in_state(world, "decided")
    late = case_in_state(world, "decided")
    Deadline.objects.filter(dispute=late, kind=DeadlineKind.DECISION).update(due=moment("2017-02-28 00:00").date())
    Dispute.objects.filter(pk=late.pk).update(submitted_at=moment("2016-12-20 10:00"))
    earlier = case_in_state(world, "decided")
    Dispute.objects.filter(pk=earlier.pk).update(submitted_at=moment("2016-05-02 10:00"),
                                                 decided_at=moment("2016-07-01 09:00"))
    pending = case_in_state(world, "exchange")
    return {"on_time": on_time, "late": late, "earlier": earlier, "pending": pending}


def words(text: str) -> str:
    """A regular expression for ``text`` wherever the PDF's lines break it."""
    return r"\s+".join(re.escape(word) for word in text.split())


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # a byte order mark, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


# -- the command -----------------------------------------------------------------------------------------------------
def test_the_command_writes_the_pdf_and_the_csv(world, cases, tmp_path):
    out = tmp_path / "verslagen" / "2017"  # made, parents too
    stdout = io.StringIO()
    call_command("annual_report", "2017", "--out", str(out), stdout=stdout)
    assert sorted(p.name for p in out.iterdir()) == ["jaarverslag-2017.csv", "jaarverslag-2017.pdf"]
    assert str(out / "jaarverslag-2017.pdf") in stdout.getvalue()
    assert str(out / "jaarverslag-2017.csv") in stdout.getvalue()
    reader = PdfReader(out / "jaarverslag-2017.pdf")
    assert reader.metadata.title == "Jaarverslag Adviescommissie geschilbeslechting prestatieafspraken 2017"
    assert reader.metadata.author == "Adviescommissie geschilbeslechting prestatieafspraken"
    assert str(reader.trailer["/Root"]["/Lang"]).startswith("nl")
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 3
    assert re.search(words("Jaarverslag Adviescommissie geschilbeslechting prestatieafspraken 2017"), pages[0])
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in page
    assert read_csv((out / "jaarverslag-2017.csv").read_bytes())[0] == ["Code", "Overzicht", "Rij", "Kolom", "Waarde"]


def test_the_pdf_holds_the_figures_and_the_decisions_of_its_year_only(world, cases, tmp_path):
    call_command("annual_report", "2017", "--out", str(tmp_path), stdout=io.StringIO())
    text = pdf_text((tmp_path / "jaarverslag-2017.pdf").read_bytes())
    for figure in dashboard.figures(world.secretary, dashboard.Filters(year=2017)):
        assert figure.title in text
        for row in figure.rows:  # every row of its table, with its numbers
            cells = [str(row[0])] + [dashboard.cell_text(v) or "-" for v in row[1:]]
            assert re.search(words(" ".join(cells)), text), (figure.key, row)
    # the decisions of 2017, the late one filed in 2016 too; not the decision of 2016
    decisions = text[text.index("Beslissingen in 2017"):]
    assert cases["on_time"].case_number in decisions and cases["late"].case_number in decisions
    assert cases["earlier"].case_number not in text and cases["pending"].case_number not in text
    on_time, late = cases["on_time"].case_number, cases["late"].case_number
    assert re.search(words(f"{on_time} Gemeente Leiderdorp Totstandkoming 01-03-2017 ja 1. Geschilpunt p1: Niet "
                           "kennelijk onredelijk"), decisions)
    assert re.search(words(f"{late} Gemeente Leiderdorp Totstandkoming 01-03-2017 nee 1. Geschilpunt p1:"), decisions)
    assert re.search(words("100,0% binnen de termijn beslist"), text)  # of the cases filed in 2017

    call_command("annual_report", "2016", "--out", str(tmp_path), stdout=io.StringIO())
    text = pdf_text((tmp_path / "jaarverslag-2016.pdf").read_bytes())
    decisions = text[text.index("Beslissingen in 2016"):]
    assert cases["earlier"].case_number in decisions
    assert re.search(words(f"{cases['earlier'].case_number} Gemeente Leiderdorp Totstandkoming 01-07-2016 ja"),
                     decisions)
    for other in ("on_time", "late", "pending"):
        assert cases[other].case_number not in text


def test_the_csv_is_the_dashboards_figures(client, world, cases, tmp_path):
    """Each figure's cells in the report's CSV are those of the dashboard's own CSV for that year."""
    call_command("annual_report", "2017", "--out", str(tmp_path), stdout=io.StringIO())
    table = read_csv((tmp_path / "jaarverslag-2017.csv").read_bytes())
    cells = defaultdict(dict)
    titles = {}
    for key, title, row, column, value in table[1:]:
        cells[key][(row, column)] = value
        titles[key] = title
    client.force_login(world.secretary)
    keys = [f.key for f in dashboard.figures(world.secretary, dashboard.Filters(year=2017))]
    assert list(cells) == keys and len(keys) == 6
    for key in keys:
        page = read_csv(client.get(DASHBOARD, {"jaar": "2017", "csv": key}).content)
        expected = {(line[0], column): value for line in page[1:] for column, value in zip(page[0][1:], line[1:],
                                                                                              strict=True)}
        assert cells[key] == expected, key
    assert titles["doorlooptijd"] == "Doorlooptijd per fase"
    assert cells["kwartaal"][("2017 K1", "Beslist")] == "2"  # the late case, filed in 2016, decided in 2017
    assert cells["kwartaal"][("2017 K1", "Ingediend")] == "2"  # the case on time and the one in the written round
    assert cells["termijn"][("Te laat", "Aantal zaken")] == "0"  # the late case was filed in 2016
    assert cells["doorlooptijd"][("Indiening tot beslissing", "Gemiddeld aantal dagen")] == "44,0"


def test_the_list_of_decisions_runs_over_several_tables_and_pages(world, monkeypatch):
    monkeypatch.setattr(annual_report, "ROWS_PER_TABLE", 4)
    made = [case_in_state(world, "decided") for _ in range(11)]
    text = pdf_text(annual_report.pdf_bytes(dashboard.ALL_CASES, 2017))
    decisions = text[text.index("Beslissingen in 2017"):]
    positions = [decisions.index(case.case_number) for case in made]
    assert positions == sorted(positions)  # by date of decision, then case number
    assert decisions.count("Uitkomst per geschilpunt") == 3  # 4 + 4 + 3: each table its header


def test_a_year_without_decisions(world, tmp_path, at):
    at("2017-06-01 10:00")
    call_command("annual_report", "2017", "--out", str(tmp_path), stdout=io.StringIO())
    text = pdf_text((tmp_path / "jaarverslag-2017.pdf").read_bytes())
    assert "Geen beslissingen in 2017." in text
    assert "Nog geen besliste zaken met een beslistermijn." in text


def test_a_bad_year_or_folder_is_a_clear_error(world, cases, tmp_path):
    for year in ("1999", "2018", "abc"):  # before the first filing, after this year (2017), no year
        with pytest.raises(CommandError, match="kies een jaar van 2016 tot en met 2017"):
            call_command("annual_report", year, "--out", str(tmp_path / "uit"))
    assert not (tmp_path / "uit").exists()
    occupied = tmp_path / "bestand"
    occupied.write_text("geen map")
    with pytest.raises(CommandError, match="Kan de map .* niet aanmaken"):
        call_command("annual_report", "2017", "--out", str(occupied))
    with pytest.raises(CommandError, match="Kan de map .* niet aanmaken"):
        call_command("annual_report", "2017", "--out", str(occupied / "onder"))


# -- the download from the dashboard ------------------------------------------------------------------------------
def test_the_download_is_for_those_who_may_see_the_dashboard(client, world, cases):
    assert client.get(URL, {"jaar": "2017"}).status_code == 302  # to the log-in page
    for user in (world.chair, world.commission_member, world.tenant, world.corp_user, world.outsider):
        client.force_login(user)
        for kind in ("pdf", "csv"):
            response = client.get(URL, {"jaar": "2017", "formaat": kind})
            assert response.status_code == 403
            assert b"%PDF" not in response.content and b"Overzicht;" not in response.content
    for user in (world.official, world.secretary):
        client.force_login(user)
        response = client.get(URL, {"jaar": "2017", "formaat": "pdf"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="jaarverslag-2017.pdf"'
        assert cases["on_time"].case_number in pdf_text(response.content)
        response = client.get(URL, {"jaar": "2016", "formaat": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="jaarverslag-2016.csv"'
        assert read_csv(response.content)[0] == ["Code", "Overzicht", "Rij", "Kolom", "Waarde"]


def test_the_download_refuses_a_year_or_format_that_is_no_choice(client, world, cases):
    client.force_login(world.official)
    for params in ({"jaar": "2015"}, {"jaar": "2018", "formaat": "csv"}, {"jaar": "x"}, {}):
        response = client.get(URL, params)
        assert response.status_code == 404
        assert "kies een jaar van 2016 tot en met 2017" in response.content.decode()
    response = client.get(URL, {"jaar": "2017", "formaat": "docx"})
    assert response.status_code == 404
    assert "als PDF of als CSV" in response.content.decode()


def test_the_dashboard_offers_the_report_of_the_chosen_year(client, world, cases):
    client.force_login(world.secretary)
    html = client.get(DASHBOARD, {"jaar": "2016"}).content.decode()
    assert f'href="{URL}?jaar=2016&amp;formaat=pdf"' in html and "Jaarverslag 2016 downloaden (PDF)" in html
    assert f'href="{URL}?jaar=2016&amp;formaat=csv"' in html and "Jaarverslag 2016 downloaden (CSV)" in html
    # no year chosen: a form to choose one, this year first
    html = client.get(DASHBOARD).content.decode()
    assert f'action="{URL}"' in html
    assert '<option value="2017" selected>2017</option><option value="2016">2016</option>' in html
    assert 'name="formaat" value="pdf"' in html and 'name="formaat" value="csv"' in html


# -- bounded work ------------------------------------------------------------------------------------------------------
def _queries(client, kind: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"jaar": "2017", "formaat": kind})
        assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_decisions(client, world):
    client.force_login(world.official)
    for _ in range(2):
        case_in_state(world, "decided")
    few = _queries(client, "pdf"), _queries(client, "csv")
    for _ in range(10):
        case_in_state(world, "decided")
    case_in_state(world, "withdrawn")
    assert Dispute.objects.filter(decided_at__isnull=False).count() == 12
    many = _queries(client, "pdf"), _queries(client, "csv")
    assert few == many
    assert max(many) <= 25


def test_the_decisions_are_read_in_chunks(world):
    """The cases in one query, read a chunk at a time (a cursor), and the points of each chunk in one more: bounded
    memory, batched reads."""
    for _ in range(5):
        case_in_state(world, "decided")
    with CaptureQueriesContext(connection) as queries:
        listed = list(annual_report.decisions(dashboard.ALL_CASES, 2017, chunk_size=2))
    assert len(listed) == 5 and all(d.outcomes for d in listed)
    assert len(queries) == 1 + 3  # the cases; the points of each of the three chunks (2 + 2 + 1)
