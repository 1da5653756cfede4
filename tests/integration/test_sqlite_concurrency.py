"""Concurrent requests on the embedded default: SQLite in a file, as ``make run`` uses it.

Given a case, when two or three requests for the same step (submit, start the review, withdraw)
arrive at the same moment, then exactly one takes effect with one audit event, and every other
request gets the answer it gets on PostgreSQL, never a 500 "database is locked": the 409 page
("het geschil is intussen gewijzigd", nothing saved); for a second submit the page of the submitted case
(a double click); on the staff task page, for a click that only reads the task once the winner is done,
the task page saying the task is finished.

This holds because the embedded default's SQLite (config/settings.py) begins every transaction with
``BEGIN IMMEDIATE`` and waits for the write lock (busy timeout), in WAL mode. With SQLite's default
deferred transactions every request reads first and asks for the write lock later; SQLite refuses one
of two such transactions at once ("database is locked") instead of letting it wait.

pytest-django's SQLite test database lives in shared memory, where SQLite locks whole tables and
never waits (no busy timeout), so it cannot show this. The race therefore runs in a child process
(``python -m tests.integration.test_sqlite_concurrency <folder>``) with the product's own settings
on a fresh database file in ``tmp_path``: migrate, build the cases with the test factories, then let
threads post through Django's test client at the same moment (a barrier), each thread on its own
database connection as in a threaded web server. The child prints what happened as JSON.

The same child runs against PostgreSQL too (``DATABASE_URL=postgres://... python -m
tests.integration.test_sqlite_concurrency <folder>`` on an empty database) and gives the same answers.
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")  # the child process, run as a module
THREADS = 3

pytestmark = [
    pytest.mark.sqlite,  # the SQLite stage of make test runs it; in CI its skip on PostgreSQL is allowed
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="tests the embedded SQLite default; the PostgreSQL run has tests/integration/test_postgres.py",
    ),
]


@pytest.fixture(scope="module")
def race(tmp_path_factory):
    """Run the child once for all three steps; its JSON report."""
    folder = tmp_path_factory.mktemp("sqlite-race")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_VAR_DIR": str(folder),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "DJANGO_STAFF_TWO_FACTOR": "0",
        "DJANGO_DEBUG": "0",
        # plain HTTP from the test client, as behind a TLS proxy on loopback
        "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_HSTS_SECONDS": "0", "DJANGO_SECURE_COOKIES": "0",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.integration.test_sqlite_concurrency", str(folder)],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_embedded_database_waits_for_a_writer_instead_of_failing(race):
    assert race["options"]["journal_mode"] == "wal"
    assert race["options"]["transaction_mode"] == "IMMEDIATE"
    assert race["options"]["timeout"] >= 5


@pytest.mark.parametrize("step", ["submit", "start_review", "withdraw"])
def test_concurrent_requests_for_one_step_one_wins_the_others_see_the_change(race, step):
    outcome = race[step]
    statuses = sorted(r["status"] for r in outcome["responses"])
    assert all(r["status"] != 500 for r in outcome["responses"]), outcome["errors"]
    assert outcome["events"] == 1, outcome  # one effect, one audit event
    assert outcome["state"] == outcome["expected_state"], outcome
    winners = [r for r in outcome["responses"] if r["status"] == 302 and r["location"] == outcome["success_url"]]
    assert winners, outcome
    losers = [r for r in outcome["responses"] if r is not winners[0]]
    if step == "submit":
        # as a double click: every request ends on the page of the submitted case (filing.py, wizard.py)
        assert statuses == [302] * THREADS, outcome
        assert outcome["case_numbers"] == 1, outcome
    elif step == "withdraw":
        assert statuses == [302] + [409] * (THREADS - 1), outcome
        assert all("Uw wijziging is daarom niet opgeslagen" in r["body"] for r in losers), outcome
    else:
        # a click that waited for the winner's lock gets the 409 page; one whose thread only got to read
        # the task after the winner had committed finds it done (the task page, 400), as on PostgreSQL
        assert len(winners) == 1, outcome
        for loser in losers:
            assert (loser["status"] == 409 and "Er is niets vastgelegd" in loser["body"]) or (
                loser["status"] == 400 and "Deze taak is al afgerond" in loser["body"]), loser


# -- the child process -----------------------------------------------------------------------------------------

def _post_together(posts):
    """Each (client, url, data, moment) posted from its own thread, all released at the same moment."""
    from django.core.signals import got_request_exception
    from django.db import connection

    from disputes import clock

    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)
    errors = []

    def crashed(sender, **kwargs):
        kind, exc, _ = sys.exc_info()
        errors.append(f"{kind.__name__}: {exc}")

    got_request_exception.connect(crashed, weak=False)

    def run(i, client, url, data, moment):
        clock.set_now(moment)
        try:
            barrier.wait()
            response = client.post(url, data)
            responses[i] = {"status": response.status_code, "location": response.get("Location", ""),
                            "body": response.content.decode()[:20000] if response.status_code != 302 else ""}
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            responses[i] = {"status": 500, "location": "", "body": f"{type(exc).__name__}: {exc}"}
        finally:
            clock.set_now(None)
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    got_request_exception.disconnect(crashed)
    return responses, errors


def _clients(user, count):
    from django.test import Client

    clients = []
    for _ in range(count):
        client = Client(raise_request_exception=False)  # a crash is the 500 page a user would see
        client.force_login(user)
        clients.append(client)
    return clients


def _child(folder: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from viewflow.workflow.models import Task

    from disputes import clock
    from disputes.models import Dispute, DisputeEvent
    from tests.factories import World, case_in_state, moment

    setup_test_environment()  # testserver host, mail in memory
    call_command("migrate", verbosity=0)
    report = {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal_mode = cursor.fetchone()[0]
        options = settings.DATABASES["default"].get("OPTIONS", {})
        report["options"] = {"journal_mode": journal_mode, "transaction_mode": options.get("transaction_mode"),
                             "timeout": options.get("timeout", 5)}
    world = World.create()
    when = moment("2017-01-16 10:00")

    def outcome(dispute, kinds, posted, success_url, expected_state):
        current = Dispute.objects.get(pk=dispute.pk)
        responses, errors = posted
        return {"responses": responses, "errors": errors, "state": current.state, "expected_state": expected_state,
                "events": DisputeEvent.objects.filter(dispute=dispute, kind__in=kinds).count(),
                "success_url": success_url,
                "case_numbers": Dispute.objects.filter(pk=dispute.pk).exclude(case_number=None).count()}

    # submit: the applicant's draft, posted from three tabs
    clock.set_now(when)
    draft = world.file()
    url = reverse("portal:draft-review", args=[draft.pk])
    data = {"confirm": "on", "expected_version": draft.version}
    responses = _post_together([(c, url, data, when) for c in _clients(world.tenant, THREADS)])
    report["submit"] = outcome(draft, ["submit"], responses, reverse("portal:submitted", args=[draft.pk]),
                               "submitted")

    # start the review: the secretary holds the registration task and clicks three times
    case = case_in_state(world, "submitted")
    clock.set_now(None)
    task = next(t for t in Task.objects.filter(process__disputeprocess__dispute=case, finished__isnull=True)
                if t.flow_task.name == "register")
    clients = _clients(world.secretary, THREADS)
    clients[0].post(reverse("workflow:task-assign", args=[case.pk, task.pk]), {"action": "take"})
    url = reverse("workflow:task", args=[case.pk, task.pk])
    data = {"action": "start_review", "start_review-expected_version": Dispute.objects.get(pk=case.pk).version}
    later = moment("2017-01-17 10:00")
    responses = _post_together([(c, url, data, later) for c in clients])
    report["start_review"] = outcome(case, ["start_review"], responses, None, "admissibility_review")
    report["start_review"]["success_url"] = next(
        (r["location"] for r in responses[0] if r["status"] == 302), "")

    # withdraw: the applicant withdraws from three tabs
    case = case_in_state(world, "admissibility_review")
    clock.set_now(None)
    url = reverse("portal:withdraw", args=[case.pk])
    data = {"confirm": "on", "reason": "Er is alsnog overeenstemming", "expected_version": case.version}
    responses = _post_together([(c, url, data, later) for c in _clients(world.tenant, THREADS)])
    report["withdraw"] = outcome(case, ["withdraw"], responses, reverse("portal:dispute", args=[case.pk]),
                                 "withdrawn")
    return report


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1])))
