"""Scenarios (shared/docs/scenarios.md): the demo files run green, and the runner refuses what it must."""

import io
import json
import os
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from disputes import clock
from disputes.models import Dispute, DisputeEvent, Document
from disputes.scenarios import ScenarioError, run_scenario

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIO_FILES = sorted(SCENARIO_DIR.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Eager Celery, mail in memory, and case files in a temporary directory instead of var/private."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    storage = Document._meta.get_field("file").storage
    saved = {
        name: storage.__dict__[name] for name in ("base_location", "location") if name in storage.__dict__
    }
    storage.__dict__["base_location"] = str(tmp_path / "private")
    storage.__dict__["location"] = os.path.abspath(tmp_path / "private")
    yield
    for name in ("base_location", "location"):
        storage.__dict__.pop(name, None)
    storage.__dict__.update(saved)
    clock.set_now(None)


def run(path, *args) -> dict:
    out, err = io.StringIO(), io.StringIO()
    call_command("run_scenario", str(path), "--json", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue())


def write(tmp_path, data: dict, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def base_scenario(*extra_steps) -> dict:
    """A small totstandkoming case up to the response round, plus ``extra_steps``."""
    return {
        "name": "klein",
        "organisations": {
            "gem": {"kind": "gemeente", "name": "Gemeente Proefstad"},
            "corp": {"kind": "woningcorporatie", "name": "Woonstichting Proefstad"},
            "huur": {"kind": "huurdersorganisatie", "name": "Huurdersvereniging Proefstad"},
        },
        "users": {
            "anna": {"organisation": "huur"},
            "bert": {"organisation": "corp"},
            "gerda": {"organisation": "gem"},
            "sec": {"role": "secretary"},
            "official": {"role": "minister_official"},
        },
        "agreement": {
            "municipality": "gem",
            "corporations": ["corp"],
            "tenant_organisations": ["huur"],
            "year": 2019,
        },
        "steps": [
            {
                "at": "2019-01-14 10:00",
                "by": "anna",
                "do": "file",
                "kind": "totstandkoming",
                "applicants": ["huur"],
                "respondents": ["corp"],
                "arose_on": "2019-01-07",
                "points": [{"key": "p1", "title": "Huurbeleid", "position": "te hoog"}],
                "documents": [{"type": "verzoek", "pages": 2}],
            },
            {"at": "2019-01-14 10:05", "by": "anna", "do": "submit"},
            {"at": "2019-01-15 09:00", "by": "sec", "do": "start_review"},
            {"by": "sec", "do": "point_admissibility", "point": "p1", "admissible": True},
            {"by": "sec", "do": "pass_admissibility"},
            {"by": "sec", "do": "assess_efforts", "sufficient": True, "reason": "voldoende"},
            {"by": "sec", "do": "accept"},
            *extra_steps,
        ],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.name for p in SCENARIO_FILES])
def test_every_demo_scenario_runs_green(path):
    expected_state = yaml.safe_load(path.read_text(encoding="utf-8"))["expect"]["state"]
    summary = run(path)
    assert summary["state"] == expected_state
    assert summary["case"].startswith("GPA-")
    assert summary["events"] == DisputeEvent.objects.filter(dispute__case_number=summary["case"]).count()
    assert summary["documents"] > 0
    assert summary["dossier"] is None


def test_there_are_demo_scenarios():
    names = {p.name for p in SCENARIO_FILES}
    assert {"leiderdorp-2017.yaml", "rotterdam-de-brug-2020.yaml"} <= names
    assert len(names) >= 3


@pytest.mark.django_db
def test_json_summary_has_the_documented_shape_and_deadline_explanations():
    summary = run(SCENARIO_DIR / "leiderdorp-2017.yaml")
    assert set(summary) == {"case", "state", "kind", "points", "deadlines", "events", "documents", "dossier"}
    assert summary["case"] == "GPA-2017-0001"
    assert summary["kind"] == "totstandkoming"
    assert summary["points"] == {
        "p1": {
            "admissibility": "admissible",
            "advice": "not_manifestly_unreasonable",
            "decision": "not_manifestly_unreasonable",
        }
    }
    decision = summary["deadlines"]["decision"]
    assert decision["due"] == "2017-03-13"
    assert decision["explanation"] and all(isinstance(line, str) and line for line in decision["explanation"])
    for deadline in summary["deadlines"].values():
        assert deadline["explanation"]


@pytest.mark.django_db
def test_human_readable_summary_by_default():
    out = io.StringIO()
    call_command("run_scenario", str(SCENARIO_DIR / "leiderdorp-2017.yaml"), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "GPA-2017-0001" in text
    assert "decided" in text


@pytest.mark.django_db
def test_failing_expect_stops_with_the_step_in_the_message(tmp_path):
    path = write(tmp_path, base_scenario({"by": "sec", "do": "expect", "state": "decided"}))
    with pytest.raises(CommandError) as info:
        run(path)
    assert "stap 8 (expect)" in str(info.value)
    assert "awaiting_response" in str(info.value)


@pytest.mark.django_db
def test_failing_final_expect_is_reported(tmp_path):
    data = base_scenario()
    data["expect"] = {"state": "awaiting_response", "deadlines": {"response": "2019-02-13"}}
    with pytest.raises(CommandError) as info:
        run(write(tmp_path, data))
    assert "eindcontrole" in str(info.value)
    assert "2019-02-12" in str(info.value)


@pytest.mark.django_db
def test_expect_error_that_does_not_happen_fails_and_changes_nothing(tmp_path):
    path = write(
        tmp_path,
        base_scenario(
            {
                "by": "bert",
                "do": "respond",
                "expect_error": "deadline",
                "documents": [{"type": "verweerschrift"}],
            }
        ),
    )
    with pytest.raises(CommandError) as info:
        run(path)
    assert "stap 8 (respond)" in str(info.value)
    assert "verwachtte een fout" in str(info.value)
    dispute = Dispute.objects.get()
    assert dispute.state == "awaiting_response"
    assert not dispute.documents.filter(doc_type="verweerschrift").exists()


@pytest.mark.django_db
def test_unexpected_error_stops_with_the_step_and_kind(tmp_path):
    path = write(tmp_path, base_scenario({"by": "anna", "do": "decide"}, {"by": "sec", "do": "expect"}))
    with pytest.raises(CommandError) as info:
        run(path)
    assert "stap 8 (decide)" in str(info.value)
    assert "permission" in str(info.value)


@pytest.mark.django_db
def test_expected_permission_error_passes_and_changes_nothing(tmp_path):
    plain = run(write(tmp_path, base_scenario(), "plain.yaml"))
    refused = run(
        write(
            tmp_path,
            base_scenario(
                # a member of the gemeente, which is no party to this case, may not even see it
                {
                    "by": "gerda",
                    "do": "decide",
                    "expect_error": "permission",
                    "documents": [{"type": "bindende_uitspraak"}],
                },
                {"by": "bert", "do": "submit", "expect_error": "permission"},
                {"by": "sec", "do": "expect", "state": "awaiting_response"},
            ),
            "refused.yaml",
        )
    )
    assert refused["state"] == plain["state"] == "awaiting_response"
    assert refused["events"] == plain["events"]
    assert refused["documents"] == plain["documents"]


@pytest.mark.django_db
def test_a_step_failing_halfway_is_rolled_back(tmp_path):
    # request_remedy stores its documents before the transition is refused; all of it must go
    summary = run(
        write(
            tmp_path,
            base_scenario(
                {
                    "by": "sec",
                    "do": "request_remedy",
                    "reason": "stukken ontbreken",
                    "expect_error": "transition",
                    "documents": [{"type": "verzoek_herstel"}],
                },
            ),
        )
    )
    assert summary["documents"] == 2  # the request and the acknowledgement
    assert not Document.objects.filter(doc_type="verzoek_herstel").exists()


@pytest.mark.django_db
def test_late_response_and_early_close_fail_as_the_procedure_says(tmp_path):
    summary = run(
        write(
            tmp_path,
            base_scenario(
                {
                    "at": "2019-02-01 09:00",
                    "by": "sec",
                    "do": "close_responses",
                    "expect_error": "transition",
                },
                {
                    "at": "2019-02-13 09:00",
                    "by": "bert",
                    "do": "respond",
                    "expect_error": "deadline",
                    "documents": [{"type": "verweerschrift"}],
                },
                {"do": "tick"},
                {"do": "expect", "state": "exchange", "deadlines": {"response": "2019-02-12"}},
            ),
        )
    )
    assert summary["state"] == "exchange"


@pytest.mark.django_db
def test_the_clock_cannot_go_back(tmp_path):
    path = write(tmp_path, base_scenario({"at": "2019-01-10 09:00", "by": "sec", "do": "expect"}))
    with pytest.raises(CommandError) as info:
        run(path)
    assert "stap 8 (expect)" in str(info.value)
    assert "klok" in str(info.value)


@pytest.mark.django_db
def test_the_clock_is_released_after_a_run(tmp_path):
    run(write(tmp_path, base_scenario()))
    assert clock.now().year >= 2024


@pytest.mark.django_db
def test_bad_scenarios_are_scenario_errors(tmp_path):
    with pytest.raises(ScenarioError, match="onbekend werkwoord"):
        run_scenario(base_scenario({"by": "sec", "do": "fly"}))
    with pytest.raises(ScenarioError, match="onbekende gebruiker"):
        run_scenario(base_scenario({"by": "nobody", "do": "accept"}))
    with pytest.raises(ScenarioError, match="'by'"):
        run_scenario(base_scenario({"do": "accept"}))
    with pytest.raises(CommandError, match="kan het scenario"):
        run(tmp_path / "missing.yaml")


@pytest.mark.django_db
def test_password_option_sets_a_usable_password(tmp_path):
    from django.contrib.auth import get_user_model

    run(write(tmp_path, base_scenario()))
    assert not get_user_model().objects.get(username="anna").has_usable_password()
    data = base_scenario()
    data["users"]["nieuw"] = {"role": "secretary"}
    run_scenario(data, password="geheim-wachtwoord-1")
    user = get_user_model().objects.get(username="nieuw")
    assert user.check_password("geheim-wachtwoord-1")
    assert user.groups.filter(name="secretary").exists()


@pytest.mark.django_db
def test_export_dossier_writes_one_pdf_and_one_zip_and_reports_them(tmp_path):
    from pypdf import PdfReader

    path = write(tmp_path, base_scenario({"by": "sec", "do": "export_dossier"}))
    summary = run(path, "--export-dir", str(tmp_path / "out"))
    dossier = summary["dossier"]
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".pdf", ".zip"]
    assert Path(dossier["pdf"]).exists() and Path(dossier["zip"]).exists()
    assert dossier["pages"] == len(PdfReader(dossier["pdf"]).pages) > 1
    assert summary["case"] in PdfReader(dossier["pdf"]).pages[0].extract_text()


@pytest.mark.django_db
def test_load_demo_loads_the_cases_once():
    out = io.StringIO()
    call_command("load_demo", "--password", "demo-wachtwoord-2026", stdout=out, stderr=io.StringIO())
    assert Dispute.objects.count() == len(SCENARIO_FILES)
    text = out.getvalue()
    assert "GPA-2017-0001" in text
    assert "secretaris" in text
    assert "demo-wachtwoord-2026" in text
    events = DisputeEvent.objects.count()

    again = io.StringIO()
    call_command("load_demo", stdout=again, stderr=io.StringIO())
    assert Dispute.objects.count() == len(SCENARIO_FILES)
    assert DisputeEvent.objects.count() == events
    assert "al" in again.getvalue()


@pytest.mark.django_db
def test_a_party_exports_the_party_version_and_may_not_ask_for_the_full_one(tmp_path):
    """The runner's export goes through the web's permission: a respondent gets the party version
    (no internal documents), and asking for the full version is refused as on the web."""
    from pypdf import PdfReader

    internal = {"by": "sec", "do": "upload",
                "documents": [{"type": "correspondentie", "name": "interne-nota.pdf", "confidentiality": "internal"}]}
    summary = run(write(tmp_path, base_scenario(internal, {"by": "bert", "do": "export_dossier"})),
                  "--export-dir", str(tmp_path / "party"))
    text = "\n".join(page.extract_text() for page in PdfReader(summary["dossier"]["pdf"]).pages)
    assert summary["dossier"]["pdf"].endswith("-dossier-partijversie.pdf")
    assert summary["dossier"]["audience"] == "party"
    assert "interne-nota" not in text


@pytest.mark.django_db
def test_the_full_dossier_is_refused_to_a_party_and_made_for_the_secretariat(tmp_path):
    steps = [
        {"by": "bert", "do": "export_dossier", "audience": "full", "expect_error": "permission"},
        {"by": "anna", "do": "export_dossier", "audience": "full", "expect_error": "permission"},
        {"by": "sec", "do": "export_dossier", "audience": "nonsense", "expect_error": "validation"},
        {"by": "sec", "do": "export_dossier"},
    ]
    summary = run(write(tmp_path, base_scenario(*steps)), "--export-dir", str(tmp_path / "out"))
    assert summary["dossier"]["audience"] == "full"
    assert summary["dossier"]["pdf"].endswith("-dossier.pdf")


@pytest.mark.django_db
def test_a_draft_gets_no_dossier_in_a_scenario_either(tmp_path):
    data = base_scenario()
    data["steps"] = data["steps"][:1] + [{"by": "anna", "do": "export_dossier", "expect_error": "validation"}]
    summary = run(write(tmp_path, data), "--export-dir", str(tmp_path / "out"))
    assert summary["dossier"] is None and not (tmp_path / "out").exists()
