"""CI cannot go green by skipping (issue 10, item 18).

Two nets: ``scripts/test.sh preflight`` refuses to start in CI without a tool or service that a stage needs, and
in the suite a skip is a failure in CI unless the test belongs to a later stage of ``make test`` (tests/needs.py).
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest_plugins = ["pytester"]

INNER_CONFTEST = "from tests.conftest import pytest_runtest_makereport  # noqa: F401 - the hook under test\n"
INNER_TESTS = '''
import pytest

def test_needs_a_tool():
    pytest.skip("frobnicator is not installed")

@pytest.mark.{later_stage}
def test_only_in_a_later_stage():
    pytest.skip("this stage runs it elsewhere")

@pytest.mark.broker
def test_only_through_a_broker():
    pytest.skip("set CELERY_BROKER_URL")

@pytest.mark.xfail(reason="known")
def test_expected_to_fail():
    assert False
'''


def _run_inner(pytester, monkeypatch, ci: str | None):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    monkeypatch.setattr("tests.needs.IN_CI", ci == "true")
    pytester.makeconftest(INNER_CONFTEST)
    from django.db import connection

    # a stage test of another database: marked postgres on SQLite, sqlite on PostgreSQL (make test runs both)
    later_stage = "sqlite" if connection.vendor == "postgresql" else "postgres"
    pytester.makepyfile(test_inner=INNER_TESTS.replace("{later_stage}", later_stage))
    pytester.makeini("[pytest]\nmarkers =\n    postgres: x\n    sqlite: x\n    broker: x\n")
    plugins_left_out = ["no:cacheprovider", "no:django", "no:playwright", "no:base_url"]
    return pytester.runpytest_inprocess(*(arg for name in plugins_left_out for arg in ("-p", name)), "-rA")


@pytest.mark.django_db
def test_in_ci_a_skip_for_a_missing_tool_fails_and_a_later_stage_skips(pytester, monkeypatch):
    result = _run_inner(pytester, monkeypatch, "true")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 1, result.stdout.str()
    result.stdout.fnmatch_lines(["*_ test_needs_a_tool _*",
                                 "CI=true: this test was skipped, and in CI a skip is a failure: "
                                 "frobnicator is not installed"])
    assert outcomes.get("skipped") == 2 and outcomes.get("xfailed") == 1  # the PostgreSQL and broker stages run later


@pytest.mark.django_db
def test_outside_ci_the_same_skips_are_skips(pytester, monkeypatch):
    outcomes = _run_inner(pytester, monkeypatch, None).parseoutcomes()
    assert outcomes.get("skipped") == 3 and "failed" not in outcomes


def _preflight(**env):
    environment = {k: v for k, v in os.environ.items() if k != "CI"} | env
    return subprocess.run(["bash", "scripts/test.sh", "preflight"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_preflight_in_ci_fails_when_a_service_is_missing():
    # port 9 (discard) is closed on the loopback interface: as if Redis were not running
    result = _preflight(CI="true", TEST_REDIS_PORT="9")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "missing: Redis on 127.0.0.1:9" in result.stdout
    assert "CI=true and something is missing" in result.stdout


def test_preflight_outside_ci_reports_the_gap_and_goes_on():
    result = _preflight(TEST_REDIS_PORT="9")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "missing: Redis on 127.0.0.1:9" in result.stdout
