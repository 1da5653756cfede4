"""The authorisation matrix (docs/authorisation-matrix.yaml), tested over every URL of the project.

For each URL pattern and each actor (by relation to the case) the matrix says what must happen:
``allow``, ``login`` (sent to the log-in page), ``403``, ``404`` (the same as a case that does not
exist) or ``405``. A URL without a row fails the test, so a new page cannot skip the question
"who may use this?".
"""

import pytest
from django.conf import settings
from django.urls import reverse

from disputes import services
from disputes.models import DossierExport
from disputes.services import dossier as dossier_services
from tests.authorisation.matrix import ACTORS, OUTCOMES, Row, classify, load_matrix, url_names
from tests.factories import case_in_state, pdf, staff

MATRIX = load_matrix()
ROWS = {name: Row.parse(name, spec) for name, spec in MATRIX["urls"].items()}


def test_every_url_has_a_row_and_every_row_a_url():
    names = url_names()
    missing = sorted(set(names) - set(ROWS))
    stale = sorted(set(ROWS) - set(names))
    assert not missing, f"URLs without a row in {MATRIX_FILE_NAME}: {missing}"
    assert not stale, f"rows for URLs that no longer exist: {stale}"


MATRIX_FILE_NAME = "docs/authorisation-matrix.yaml"


def test_every_cell_is_a_known_outcome():
    for row in ROWS.values():
        assert row.methods, f"{row.name}: no GET or POST expectations"
        for method, table in row.methods.items():
            for actor, outcome in table.items():
                assert outcome in OUTCOMES, f"{row.name} {method} {actor}: {outcome!r}"


@pytest.fixture
def objects(world, at, django_capture_on_commit_callbacks):
    """One case of every kind a URL can name, made through the services."""
    from datetime import date

    from disputes.services import drafts
    from workflow.models import DisputeProcess

    world.recused = staff("recused", "commission_member")
    at("2017-01-10 10:00")
    entry = drafts.effort_record_with_documents(
        agreement=world.agreement, actor=world.corp_user, kind="bod", occurred_on=date(2016, 7, 1),
        summary="Bod", documents=[pdf("bod")])
    case = case_in_state(world, "exchange")
    services.dispute_recuse(dispute=case, actor=world.recused, reason="Eerder betrokken")
    decided = case_in_state(world, "decided")
    services.dispute_recuse(dispute=decided, actor=world.recused, reason="Eerder betrokken")
    at("2017-01-16 10:00")
    draft = world.file(documents=[pdf("verzoek")])
    at("2017-03-02 10:00")
    with django_capture_on_commit_callbacks(execute=True):
        export = dossier_services.dossier_request_export(dispute=decided, actor=world.secretary, audience="party")
    export = DossierExport.objects.get(pk=export.pk)
    # the secretary holds the open hearing-planning task of the case
    task = DisputeProcess.objects.get(dispute=case).task_set.get(finished__isnull=True, flow_task=_node("plan_hearing"))
    task.owner = world.secretary
    task.save(update_fields=["owner"])
    return {
        "case": case.pk,
        "point": case.points.first().pk,
        "document": case.documents.filter(confidentiality="parties").first().pk,
        "draft": draft.pk,
        "draft_point": draft.points.first().pk,
        "draft_document": draft.documents.first().pk,
        "agreement": world.agreement.pk,
        "effort_document": entry.documents.first().pk,
        "task": task.pk,
        "case_action": "verlengen",
        "letter": "verlengingsbericht",
        "decided": decided.pk,
        "export": export.pk,
        "download_kind": "pdf",
        "enrolment_token": "geen-geldige-link",
    }


def _node(name: str):
    from workflow.flows import DisputeFlow

    return getattr(DisputeFlow, name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROWS))
def test_the_matrix_holds(name, world, objects, client):
    row = ROWS[name]
    url = row.url(objects)
    login_url = reverse(settings.LOGIN_URL)
    failures = []
    for method, table in row.methods.items():
        for actor, expected in table.items():
            client.logout()
            user_attr = ACTORS[actor]
            if user_attr is not None:
                client.force_login(getattr(world, user_attr))
            response = client.get(url) if method == "GET" else client.post(url, row.data)
            got = classify(response, login_url)
            if got != expected:
                failures.append(f"{method} {actor}: expected {expected}, got {got} ({response.status_code})")
    assert not failures, f"{name} ({url}):\n" + "\n".join(failures)
