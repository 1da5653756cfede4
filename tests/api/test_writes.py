"""The API's writes (issue 18, docs/api.md "Schrijven"): a dossier export asked for, and a letter recorded as
posted. Each goes through the web's own service (permission check, audit event naming the application's account,
outbox), needs its scope (403 without) and a case the application sees (404 otherwise), and an Idempotency-Key:
the same key and request answer the stored response without doing it again; the same key with another request is
a 409; no key is a 400.
"""

import json
import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client

from disputes import clock
from disputes.models import (
    ApiScope,
    DisputeEvent,
    DossierExport,
    ExportStatus,
    IdempotentRequest,
    LetterCopy,
)
from disputes.services import api as api_services
from tests.factories import case_in_state

PROBLEM = "application/problem+json"


def application_key(world, *, scopes=(ApiScope.READ_CASES, ApiScope.REQUEST_EXPORTS, ApiScope.RECORD_POST),
                    kinds=(), max_confidentiality="parties", name="Zaaksysteem BZK"):
    application = api_services.application_register(actor=world.secretary, name=name, scopes=list(scopes),
                                                    kinds=list(kinds), max_confidentiality=max_confidentiality)
    return application, api_services.key_issue(actor=world.secretary, application=application).key


def post(client, key, url, body, idempotency_key="schrijf-1"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if idempotency_key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def export_url(dispute) -> str:
    return f"/api/v1/cases/{dispute.pk}/exports/"


def posted_url(copy) -> str:
    return f"/api/v1/letters/copies/{copy.pk}/posted/"


@pytest.fixture
def decided(world):
    return case_in_state(world, "decided")


# -- the export -----------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_export_is_requested_through_the_service_and_names_the_application(
        world, decided, client, django_capture_on_commit_callbacks):
    application, key = application_key(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, key, export_url(decided), {"audience": "party"})
    assert response.status_code == 202, response.content
    body = response.json()
    export = DossierExport.objects.get(pk=body["id"])
    assert response["Location"] == f"http://testserver/api/v1/exports/{export.pk}/" == body["url"]
    assert body["audience"] == "party" and body["case"] == str(decided.pk)
    assert export.requested_by == application.user
    event = DisputeEvent.objects.get(dispute=decided, kind="dossier_requested")
    assert event.actor == application.user and event.payload["export"] == str(export.pk)
    # the build ran (Celery is eager in the tests): the same task the web's request schedules
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    # the follow-up is H4's read endpoint
    followed = client.get(response["Location"], HTTP_AUTHORIZATION=f"Bearer {key}")
    assert followed.status_code == 200 and followed.json()["id"] == str(export.pk)


@pytest.mark.django_db
def test_the_same_key_and_request_replays_without_a_second_export(world, decided, client):
    _application, key = application_key(world)
    first = post(client, key, export_url(decided), {"audience": "party"})
    again = post(client, key, export_url(decided), {"audience": "party"})
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert again["Location"] == first["Location"]
    assert DisputeEvent.objects.filter(dispute=decided, kind="dossier_requested").count() == 1
    assert DossierExport.objects.filter(dispute=decided).count() == 1
    stored = IdempotentRequest.objects.get(key="schrijf-1")
    assert stored.status_code == 202 and stored.response["body"] == first.json()


@pytest.mark.django_db
def test_the_same_key_with_another_request_is_a_409(world, decided, client):
    _application, key = application_key(world, max_confidentiality="internal")
    assert post(client, key, export_url(decided), {"audience": "party"}).status_code == 202
    response = post(client, key, export_url(decided), {"audience": "full"})
    assert response.status_code == 409
    assert response["Content-Type"].startswith(PROBLEM)
    assert DossierExport.objects.filter(dispute=decided).count() == 1


@pytest.mark.django_db
def test_keys_are_per_application(world, decided, client):
    _one, key_one = application_key(world)
    _two, key_two = application_key(world, name="Postkamer")
    assert post(client, key_one, export_url(decided), {"audience": "party"}).status_code == 202
    response = post(client, key_two, export_url(decided), {"audience": "party"})
    assert response.status_code == 202 and "Idempotent-Replayed" not in response
    assert DisputeEvent.objects.filter(dispute=decided, kind="dossier_requested").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("idempotency_key", [None, "", "x" * 101, "met\tteken"])
def test_without_a_valid_idempotency_key_a_400(world, decided, client, idempotency_key):
    _application, key = application_key(world)
    response = post(client, key, export_url(decided), {"audience": "party"}, idempotency_key=idempotency_key)
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    assert "Idempotency-Key" in response.json()["detail"]
    assert not DossierExport.objects.exists()


@pytest.mark.django_db
def test_a_refused_request_keeps_no_key(world, decided, client):
    _application, key = application_key(world)
    refused = post(client, key, export_url(decided), {"audience": "alles"})
    assert refused.status_code == 400 and refused["Content-Type"].startswith(PROBLEM)
    assert not IdempotentRequest.objects.exists()
    assert post(client, key, export_url(decided), {"audience": "party"}).status_code == 202


@pytest.mark.django_db
def test_without_the_scope_403_and_outside_its_kinds_404(world, decided, client):
    _reader, reader_key = application_key(world, scopes=[ApiScope.READ_CASES], name="Alleen lezen")
    response = post(client, reader_key, export_url(decided), {"audience": "party"})
    assert response.status_code == 403 and response["Content-Type"].startswith(PROBLEM)
    _other, other_key = application_key(world, kinds=["nakoming"], name="Alleen nakoming")
    assert decided.kind != "nakoming"
    response = post(client, other_key, export_url(decided), {"audience": "party"})
    assert response.status_code == 404 and response["Content-Type"].startswith(PROBLEM)
    assert not DossierExport.objects.exists()


@pytest.mark.django_db
def test_a_draft_is_404_and_the_full_version_needs_internal_clearance(world, decided, client):
    _application, key = application_key(world)
    draft = world.file()
    assert post(client, key, export_url(draft), {"audience": "party"}, "k-1").status_code == 404
    response = post(client, key, export_url(decided), {"audience": "full"}, "k-2")
    assert response.status_code == 403
    _internal, internal_key = application_key(world, max_confidentiality="internal", name="Directie")
    assert post(client, internal_key, export_url(decided), {"audience": "full"}, "k-3").status_code == 202


@pytest.mark.django_db
def test_the_web_account_rules_are_untouched_an_application_account_is_no_staff(world, decided):
    from disputes import permissions
    from disputes.services.dossier import allowed_audiences

    application, _key = application_key(world, max_confidentiality="internal")
    assert not permissions.can_view_dispute(application.user, decided)  # no role: the web shows it nothing
    assert allowed_audiences(application.user, decided) == ["full", "party"]
    other, _key = application_key(world, kinds=["nakoming"], max_confidentiality="internal", name="Nakoming")
    assert allowed_audiences(other.user, decided) == []  # a case of another kind: none
    unscoped, _key = application_key(world, scopes=[ApiScope.READ_CASES], name="Lezer")
    assert allowed_audiences(unscoped.user, decided) == []  # without exports:write: none
    api_services.application_revoke(actor=world.secretary, application=application)
    application.user.refresh_from_db()
    assert allowed_audiences(application.user, decided) == []


# -- a letter posted ---------------------------------------------------------------------------------------------------
@pytest.fixture
def acknowledgement(decided):
    """The acknowledgement of the filing, sent to the applicant when the case was submitted."""
    return LetterCopy.objects.filter(letter__dispute=decided, letter__kind="ontvangstbevestiging").first()


@pytest.mark.django_db
def test_a_letter_is_recorded_as_posted_once(world, client, acknowledgement):
    application, key = application_key(world)
    sent_on = clock.localdate(acknowledgement.letter.sent_at)
    response = post(client, key, posted_url(acknowledgement), {"posted_on": sent_on.isoformat()}, "post-1")
    assert response.status_code == 200, response.content
    assert response.json()["posted_on"] == sent_on.isoformat()
    acknowledgement.refresh_from_db()
    assert acknowledgement.posted_on == sent_on
    event = DisputeEvent.objects.get(kind="letter_posted")
    assert event.actor == application.user and event.visibility == "internal"
    assert event.payload["kind"] == "ontvangstbevestiging"
    assert event.payload["organisation"] == str(acknowledgement.organisation_id)
    # the same day again, with a new key: nothing new recorded
    again = post(client, key, posted_url(acknowledgement), {"posted_on": sent_on.isoformat()}, "post-2")
    assert again.status_code == 200 and "Idempotent-Replayed" not in again
    assert DisputeEvent.objects.filter(kind="letter_posted").count() == 1


@pytest.mark.django_db
def test_a_posting_day_in_the_future_or_before_sending_is_refused(world, client, acknowledgement):
    _application, key = application_key(world)
    sent_on = clock.localdate(acknowledgement.letter.sent_at)
    for day, idem in ((clock.today() + timedelta(days=1), "p-1"), (sent_on - timedelta(days=1), "p-2")):
        response = post(client, key, posted_url(acknowledgement), {"posted_on": day.isoformat()}, idem)
        assert response.status_code == 400, day
        assert response["Content-Type"].startswith(PROBLEM)
    assert post(client, key, posted_url(acknowledgement), {"posted_on": "16-01-2017"}, "p-3").status_code == 400
    acknowledgement.refresh_from_db()
    assert acknowledgement.posted_on is None
    assert not DisputeEvent.objects.filter(kind="letter_posted").exists()


@pytest.mark.django_db
def test_posting_needs_its_scope_and_a_case_of_the_applications_kinds(world, client, acknowledgement):
    day = clock.localdate(acknowledgement.letter.sent_at).isoformat()
    _reader, reader_key = application_key(world, scopes=[ApiScope.READ_CASES, ApiScope.REQUEST_EXPORTS])
    assert post(client, reader_key, posted_url(acknowledgement), {"posted_on": day}).status_code == 403
    _other, other_key = application_key(world, scopes=[ApiScope.RECORD_POST], kinds=["nakoming"], name="Ander")
    assert post(client, other_key, posted_url(acknowledgement), {"posted_on": day}).status_code == 404
    assert post(client, reader_key, "/api/v1/letters/copies/999999/posted/", {"posted_on": day}).status_code == 403
    acknowledgement.refresh_from_db()
    assert acknowledgement.posted_on is None


@pytest.mark.django_db
def test_the_service_refuses_a_person(world, acknowledgement):
    from disputes.errors import NotPermitted
    from disputes.services.letters import letter_copy_posted

    with pytest.raises(NotPermitted):
        letter_copy_posted(actor=world.secretary, copy=acknowledgement, posted_on=date(2017, 1, 16))


# -- concurrency (PostgreSQL: row locks and a unique constraint that waits) ------------------------------------
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_the_same_key_at_once_do_the_work_once(world):
    decided = case_in_state(world, "decided")
    _application, key = application_key(world)
    moment = clock.now()
    barrier = threading.Barrier(2)
    responses = [None, None]

    def run(i):
        clock.set_now(moment)
        barrier.wait()
        try:
            responses[i] = post(Client(), key, export_url(decided), {"audience": "party"}, "tegelijk")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r.status_code for r in responses] == [202, 202]
    assert responses[0].json() == responses[1].json()
    assert sorted(r.get("Idempotent-Replayed", "") for r in responses) == ["", "true"]
    assert DisputeEvent.objects.filter(dispute=decided, kind="dossier_requested").count() == 1
    assert DossierExport.objects.filter(dispute=decided).count() == 1


@pytest.mark.django_db
def test_keys_older_than_a_day_are_pruned_by_the_periodic_task(world, decided, client):
    import io

    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    from disputes.tasks import prune_idempotency_keys

    _application, key = application_key(world)
    assert post(client, key, export_url(decided), {"audience": "party"}, "oud").status_code == 202
    clock.set_now(clock.now() + timedelta(hours=23))
    assert post(client, key, export_url(decided), {"audience": "party"}, "nieuw").status_code == 202
    clock.set_now(clock.now() + timedelta(hours=2))
    assert prune_idempotency_keys.delay().get() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["nieuw"]
    call_command("setup_periodic_tasks", stdout=io.StringIO())
    assert PeriodicTask.objects.filter(task="disputes.tasks.prune_idempotency_keys", enabled=True).exists()
