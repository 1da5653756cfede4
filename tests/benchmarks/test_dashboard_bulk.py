"""The dashboard at scale: the same number of queries at 1,000 and 5,000 generated cases (``manage.py seed_bulk``),
plain and filtered, served within a time bound, and every figure still adds up (issue 14: the figures are
aggregates in the database)."""

import os
import time
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes.models import Dispute
from workflow import dashboard

URL = reverse("workflow:dashboard")
#: the page's server time at 5,000 cases, best of three (issue 14 asks 1 s at 100,000 on PostgreSQL; SQLite is
#: slower at its date functions, which run in Python)
BUDGET_MS = {"postgresql": 1000, "sqlite": 3000}
FILTERED = {"jaar": "2020", "soort": "nakoming", "provincie": "utrecht"}


def seed(total: int) -> None:
    have = Dispute.objects.count()
    call_command("seed_bulk", total - have, municipalities=12, stdout=open(os.devnull, "w"))


def queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params or {})
        assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_dashboard_issues_the_same_queries_at_1000_and_5000_cases(world, client):
    client.force_login(world.secretary)
    seed(1000)
    small = (queries(client), queries(client, FILTERED), queries(client, {"csv": "termijn", **FILTERED}))
    seed(5000)
    large = (queries(client), queries(client, FILTERED), queries(client, {"csv": "termijn", **FILTERED}))
    assert small == large
    assert max(large) <= 20
    best = min(_timed(client) for _ in range(3))
    print(f"dashboard at 5,000 cases on {connection.vendor}: {best:.0f} ms")
    assert best < BUDGET_MS[connection.vendor], f"{best:.0f} ms"
    total = sum(row[-1] for row in dashboard.figure(world.secretary, dashboard.Filters(), "status").rows)
    assert total == Dispute.objects.exclude(state="draft").filter(submitted_at__isnull=False).count()


def _timed(client) -> float:
    start = time.perf_counter()
    assert client.get(URL).status_code == 200
    return (time.perf_counter() - start) * 1000


@pytest.mark.django_db
def test_within_the_term_reads_the_latest_decision_deadline_of_each_case(world):
    """``within_term`` finds each case's last decision deadline with an anti-join (no subquery per case): the latest
    stored wins (by created_at, then by id), as ``selectors.late_decision`` rules, whatever earlier ones said."""
    from disputes import selectors
    from disputes.models import Deadline, DeadlineKind
    from tests.factories import case_in_state

    case = case_in_state(world, "decided")
    decided_on = selectors.late_decision(case, due=date(2000, 1, 1)).decided_on
    first = Deadline.objects.get(dispute=case, kind=DeadlineKind.DECISION)
    Deadline.objects.filter(pk=first.pk).update(due=decided_on)  # on time by the first one

    def counted():
        result = dashboard.figure(world.secretary, dashboard.Filters(), "termijn")
        return {str(row[0]): row[1] for row in result.rows}

    assert counted() == {"Binnen de termijn": 1, "Te laat": 0, "Zonder beslistermijn": 0}
    later = Deadline.objects.create(  # a later decision deadline, stored afterwards: late by it
        dispute=case, kind=DeadlineKind.DECISION, starts_on=first.starts_on, nominal_end=first.nominal_end,
        due=decided_on - timedelta(days=1), explanation={}, created_at=first.created_at + timedelta(seconds=1))
    assert selectors.late_decision(case) is not None
    assert counted() == {"Binnen de termijn": 0, "Te laat": 1, "Zonder beslistermijn": 0}
    Deadline.objects.filter(pk=later.pk).update(created_at=first.created_at)  # the same moment: the higher id wins
    assert selectors.late_decision(case) is not None
    assert counted() == {"Binnen de termijn": 0, "Te laat": 1, "Zonder beslistermijn": 0}
    Deadline.objects.filter(dispute=case).delete()
    assert counted() == {"Binnen de termijn": 0, "Te laat": 0, "Zonder beslistermijn": 1}
