"""The read API (issue 18, docs/api.md): what a connected application sees of cases, events, documents and dossier
exports, and what it does not; scopes; problem+json errors; the access log; the rate limit."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse

from disputes import clock
from disputes.models import (
    AccessAction,
    AccessLogEntry,
    ApiScope,
    Confidentiality,
    Dispute,
    DisputeEvent,
    Document,
    DossierExport,
)
from disputes.states import DisputeState
from tests.api.conftest import ApiClient
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def is_problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= body.keys(), body
    assert body["status"] == status
    return body


def copy_document(document: Document, **changes) -> Document:
    """Another row on the same stored file (as tests/benchmarks/test_case_page_bulk.py grows a case)."""
    fields = {f.name: getattr(document, f.name) for f in Document._meta.fields if f.name not in ("id", "supersedes")}
    fields.update(changes)
    return Document.objects.bulk_create([Document(**fields)])[0]


def nakoming_case(world) -> Dispute:
    """A filed case of the other kind (its documents do not matter here: the kind is set afterwards)."""
    case = case_in_state(world, DisputeState.SUBMITTED)
    Dispute.objects.filter(pk=case.pk).update(kind="nakoming")
    return Dispute.objects.get(pk=case.pk)


# -- cases ---------------------------------------------------------------------------------------------------------
def test_the_case_list_shows_filed_cases_by_number_and_never_a_draft(world, api):
    decided = case_in_state(world, DisputeState.DECIDED)
    submitted = nakoming_case(world)
    draft = world.file()
    response = api.get(reverse("api:case-list"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(decided.pk), str(submitted.pk)], "by case number, no draft"
    assert str(draft.pk) not in response.content.decode()
    row = rows[0]
    assert row["case_number"] == decided.case_number and row["kind"] == "totstandkoming"
    assert row["state"] == {"code": DisputeState.DECIDED, "label": "Bindende uitspraak"}
    assert row["municipality"] == {"id": str(world.gemeente.pk), "name": "Gemeente Leiderdorp"}
    assert row["url"].endswith(f"/api/v1/cases/{decided.pk}/")
    assert api.get(reverse("api:case-detail", args=[draft.pk])).status_code == 404


def test_the_case_list_filters_and_pages_with_a_cursor(world, api):
    decided = case_in_state(world, DisputeState.DECIDED)
    submitted = nakoming_case(world)
    url = reverse("api:case-list")

    def ids(params):
        response = api.get(url, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids({"state": DisputeState.DECIDED}) == [str(decided.pk)]
    assert ids({"kind": "nakoming"}) == [str(submitted.pk)]
    assert ids({"municipality": str(world.gemeente.pk)}) == ids({"municipality": "gemeente leiderdorp"}) == [
        str(decided.pk), str(submitted.pk)]
    assert ids({"municipality": "Gemeente Elders"}) == []
    day = clock.localdate(submitted.submitted_at)
    both = [str(decided.pk), str(submitted.pk)]  # filed on the same day (the clock of case_in_state)
    assert ids({"submitted_after": day.isoformat(), "submitted_before": day.isoformat()}) == both
    assert ids({"submitted_after": (day + timedelta(days=1)).isoformat()}) == []
    assert ids({"submitted_before": (day - timedelta(days=1)).isoformat()}) == []
    assert ids({"decided_after": "2017-03-01", "decided_before": "2017-03-01"}) == [str(decided.pk)]
    assert ids({"decided_before": "2017-02-28"}) == []
    assert ids({"submitted_before": "9999-12-31", "submitted_after": "0001-01-01"}) == [str(decided.pk),
                                                                                      str(submitted.pk)]
    for bad in ({"state": "nope"}, {"state": DisputeState.DRAFT}, {"submitted_after": "gisteren"}):
        body = is_problem(api.get(url, bad), 400)
        assert body["errors"], body
    first = api.get(url, {"page_size": 1}).json()
    assert [row["id"] for row in first["results"]] == [str(decided.pk)] and first["previous"] is None
    second = api.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [str(submitted.pk)] and second["next"] is None
    is_problem(api.get(url, {"cursor": "not-a-cursor"}), 404)


def test_the_case_detail_has_parties_points_deadlines_and_the_advice_and_decision_once_given(world, api):
    case = case_in_state(world, DisputeState.DELIBERATION)
    point = case.points.get()
    point.advice_finding, point.advice_recommendation = "manifestly_unreasonable", "Concept van de commissie"
    point.save()
    body = api.get(reverse("api:case-detail", args=[case.pk])).json()
    assert body["case_number"] == case.case_number and body["state"]["code"] == DisputeState.DELIBERATION
    assert {(p["organisation"]["name"], p["kind"], p["role"]) for p in body["parties"]} == {
        ("Huurdersbelangenorganisatie Leiderdorp", "huurdersorganisatie", "applicant"),
        ("Rijnhart Wonen", "woningcorporatie", "respondent"), ("Gemeente Leiderdorp", "gemeente", "respondent")}
    assert body["points"] == [{"number": 1, "key": "p1", "title": "Geschilpunt p1", "admissibility": "admissible",
                               "inadmissibility_reasons": [], "advice": None, "decision": None}], "no draft advice"
    assert "Concept van de commissie" not in str(body)
    decision_deadline = [d for d in body["deadlines"] if d["kind"] == "decision"]
    assert decision_deadline and decision_deadline[0]["due"] and decision_deadline[0]["closed_at"] is None
    decided = case_in_state(world, DisputeState.DECIDED)
    points = api.get(reverse("api:case-detail", args=[decided.pk])).json()["points"]
    assert points[0]["advice"] == {"finding": "not_manifestly_unreasonable", "recommendation": "",
                                   "admissibility": ""}
    assert points[0]["decision"]["finding"] == "not_manifestly_unreasonable"
    assert points[0]["decision"]["follows_advice"] is True
    assert "sec" not in {p["organisation"]["name"] for p in api.get(
        reverse("api:case-detail", args=[decided.pk])).json()["parties"]}


def test_an_application_sees_only_its_kinds_and_a_case_of_another_kind_is_404(world, application):
    totstandkoming = case_in_state(world, DisputeState.SUBMITTED)
    nakoming = nakoming_case(world)
    _, key = application(kinds=["nakoming"])
    api = ApiClient(key)
    assert [row["id"] for row in api.get(reverse("api:case-list")).json()["results"]] == [str(nakoming.pk)]
    for name in ("api:case-detail", "api:case-events", "api:case-documents"):
        is_problem(api.get(reverse(name, args=[totstandkoming.pk])), 404)
        assert api.get(reverse(name, args=[nakoming.pk])).status_code == 200


# -- who: keys and scopes ------------------------------------------------------------------------------------------
def test_without_a_key_401_with_a_wrong_one_401_and_a_session_does_not_open_the_api(world, client):
    case = case_in_state(world, DisputeState.SUBMITTED)
    url = reverse("api:case-detail", args=[case.pk])
    response = client.get(url)
    assert is_problem(response, 401) and response["WWW-Authenticate"] == "Bearer"
    is_problem(client.get(url, HTTP_AUTHORIZATION="Bearer gpa_00000000_wrong"), 401)
    client.force_login(world.secretary)
    is_problem(client.get(url), 401)


def test_a_revoked_key_is_401(world, application):
    from disputes.services import api as api_service

    app, key = application()
    api = ApiClient(key)
    assert api.get(reverse("api:case-list")).status_code == 200
    api_service.key_revoke(actor=world.secretary, api_key=app.keys.get())
    is_problem(api.get(reverse("api:case-list")), 401)


@pytest.mark.parametrize(("scope", "names"), [
    (ApiScope.READ_CASES, ("api:case-list", "api:case-detail", "api:case-events", "api:event-feed")),
    (ApiScope.READ_DOCUMENTS, ("api:case-documents", "api:document-detail", "api:document-download")),
    (ApiScope.REQUEST_EXPORTS, ("api:export-detail", "api:export-download")),
])
def test_an_application_without_the_scope_gets_403_on_every_endpoint_of_it(world, application, scope, names):
    case = case_in_state(world, DisputeState.SUBMITTED)
    document = case.documents.first()
    export = DossierExport.objects.create(dispute=case, audience="party", case_version="1-1-1",
                                          requested_by=world.secretary, requested_at=clock.now())
    others = [s for s in ApiScope.values if s != scope]
    _, key = application(scopes=others)
    api = ApiClient(key)
    arguments = {"api:case-list": [], "api:event-feed": [], "api:document-detail": [document.pk],
                 "api:document-download": [document.pk], "api:export-detail": [export.pk],
                 "api:export-download": [export.pk]}
    for name in names:
        body = is_problem(api.get(reverse(name, args=arguments.get(name, [case.pk]))), 403)
        assert body["detail"] == "Deze applicatie heeft niet het recht voor deze gegevens."
    _, key = application(scopes=[scope], name="Met het recht")
    for name in names:
        assert ApiClient(key).get(reverse(name, args=arguments.get(name, [case.pk]))).status_code != 403


# -- events --------------------------------------------------------------------------------------------------------
def test_the_case_events_leave_out_the_draft_history_and_confidential_events_and_name_no_person(world, api):
    case = case_in_state(world, DisputeState.DECIDED)
    rows = api.get(reverse("api:case-events", args=[case.pk]), {"page_size": 100}).json()["results"]
    shown = {row["id"] for row in rows}
    visible = set(DisputeEvent.objects.filter(dispute=case, visibility="parties", at__gte=case.submitted_at)
                  .values_list("id", flat=True))
    assert shown == visible and visible, "exactly the parties' events since the submission"
    assert DisputeEvent.objects.filter(dispute=case).exclude(id__in=shown).exists(), "some were left out"
    assert "drafted" not in {row["kind"] for row in rows}
    submit = next(row for row in rows if row["kind"] == "submit")
    assert submit["from_state"] == DisputeState.DRAFT and submit["to_state"] == DisputeState.SUBMITTED
    assert submit["label"] and submit["organisation"]["name"] == "Huurdersbelangenorganisatie Leiderdorp"
    assert set(submit) == {"id", "case", "case_number", "kind", "label", "at", "from_state", "to_state",
                           "organisation"}, "no actor, no details"
    assert "anna" not in str(rows)


def test_the_event_feed_runs_by_id_and_a_kept_cursor_brings_what_changed_since(world, api):
    first = case_in_state(world, DisputeState.SUBMITTED)
    url = reverse("api:event-feed")
    page = api.get(url, {"page_size": 100}).json()
    ids = [row["id"] for row in page["results"]]
    assert ids == sorted(ids) and {row["case"] for row in page["results"]} == {str(first.pk)}
    cursor_url = page["next"]
    assert cursor_url is None, "everything on one page"
    # the connected system keeps the position after the last event it read: the next page's cursor
    page = api.get(url, {"page_size": 1}).json()
    while page["next"]:
        last_next = page["next"]
        page = api.get(page["next"]).json()
    assert page["results"][-1]["id"] == ids[-1]
    second = case_in_state(world, DisputeState.SUBMITTED)
    newer = api.get(last_next).json()
    while newer["next"]:
        newer = api.get(newer["next"]).json()
    assert {row["case"] for row in newer["results"]} == {str(second.pk)}, "what changed since the kept cursor"


# -- documents -----------------------------------------------------------------------------------------------------
def test_documents_up_to_the_applications_confidentiality_and_never_a_withdrawn_one(world, api, application):
    case = case_in_state(world, DisputeState.SUBMITTED)
    document = case.documents.current().first()
    internal = copy_document(document, confidentiality=Confidentiality.INTERNAL, display_name="intern.pdf")
    withdrawn = copy_document(document, display_name="teruggetrokken.pdf", withdrawn_at=clock.now())
    listed = api.get(reverse("api:case-documents", args=[case.pk])).json()["results"]
    assert {row["id"] for row in listed} == {str(d.pk) for d in case.documents.current().filter(
        confidentiality="parties")} and str(document.pk) in {row["id"] for row in listed}
    body = api.get(reverse("api:document-detail", args=[document.pk])).json()
    assert body == {**body, "id": str(document.pk), "case": str(case.pk), "type": document.doc_type,
                    "name": document.display_name, "size": document.size, "sha256": document.sha256,
                    "confidentiality": "parties"}
    for hidden in (internal, withdrawn):
        is_problem(api.get(reverse("api:document-detail", args=[hidden.pk])), 404)
        is_problem(api.get(reverse("api:document-download", args=[hidden.pk])), 404)
    _, key = application(max_confidentiality=Confidentiality.INTERNAL, name="Intern systeem")
    assert ApiClient(key).get(reverse("api:document-detail", args=[internal.pk])).status_code == 200
    is_problem(ApiClient(key).get(reverse("api:document-detail", args=[withdrawn.pk])), 404)


def test_a_download_streams_the_file_after_checking_its_sha256_and_a_mismatch_is_refused_and_raises_the_alarm(
        world, api, private_storage):
    case = case_in_state(world, DisputeState.SUBMITTED)
    document = case.documents.current().first()
    response = api.get(reverse("api:document-download", args=[document.pk]), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == document.sha256 and content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment") and response["Cache-Control"] == "no-store"
    with private_storage.open(document.file.name, "wb") as handle:
        handle.write(b"%PDF-1.7 tampered")
    body = is_problem(api.get(reverse("api:document-download", args=[document.pk]),
                              HTTP_ACCEPT="application/pdf"), 409)
    assert "controlegetal" in body["detail"]
    assert DisputeEvent.objects.filter(dispute=case, kind="integrity_failure").exists()


# -- exports -------------------------------------------------------------------------------------------------------
def test_an_export_shows_its_progress_and_the_full_version_only_to_an_internal_application(world, api, application):
    case = case_in_state(world, DisputeState.DECIDED)
    party = DossierExport.objects.create(dispute=case, audience="party", case_version="1-1-1", status="running",
                                         progress=40, requested_by=world.secretary, requested_at=clock.now())
    full = DossierExport.objects.create(dispute=case, audience="full", case_version="1-1-1",
                                        requested_by=world.secretary, requested_at=clock.now())
    body = api.get(reverse("api:export-detail", args=[party.pk])).json()
    assert body["status"] == "running" and body["progress"] == 40 and body["downloads"] == []
    assert body["case"] == str(case.pk) and body["audience"] == "party"
    is_problem(api.get(reverse("api:export-detail", args=[full.pk])), 404)
    body = is_problem(api.get(reverse("api:export-download", args=[party.pk])), 409)
    assert "nog niet klaar" in body["detail"] or body["detail"]
    is_problem(api.get(reverse("api:export-download", args=[party.pk]), {"file": "exe"}), 400)
    _, key = application(max_confidentiality=Confidentiality.INTERNAL, name="Intern systeem")
    assert ApiClient(key).get(reverse("api:export-detail", args=[full.pk])).status_code == 200


# -- errors, access log, rate limit --------------------------------------------------------------------------------
def test_every_error_is_problem_json_also_for_unknown_addresses_and_methods(world, api):
    body = is_problem(api.get("/api/v1/nergens/"), 404)
    assert body["instance"] == "/api/v1/nergens/"
    response = api.request("post", reverse("api:case-list"), data={}, content_type="application/json")
    is_problem(response, 405)
    assert "GET" in response["Allow"]
    is_problem(api.get(reverse("api:case-list"), HTTP_ACCEPT="text/csv"), 406)
    is_problem(api.get("/api/v1/cases/not-a-uuid/"), 404)


def test_every_call_is_in_the_access_log_once_with_its_application_path_and_status(world, api, application):
    case = case_in_state(world, DisputeState.SUBMITTED)
    AccessLogEntry.objects.all()  # (nothing to clear: the log is append-only; count from here)
    before = AccessLogEntry.objects.count()
    api.get(reverse("api:case-list"), {"state": DisputeState.SUBMITTED, "cursor": "x"})
    api.get(reverse("api:case-detail", args=[case.pk]))
    api.get("/api/v1/cases/00000000-0000-0000-0000-000000000000/")
    _, key = application(scopes=[ApiScope.READ_DOCUMENTS], name="Alleen documenten")
    ApiClient(key).get(reverse("api:case-list"))
    ApiClient(None).get(reverse("api:case-list"))
    rows = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert [(r.action, r.object, r.status_code) for r in rows] == [
        (AccessAction.API_CALL, "/api/v1/cases/", 404),  # a bad cursor
        (AccessAction.API_CALL, f"/api/v1/cases/{case.pk}/", 200),
        (AccessAction.API_CALL, "/api/v1/cases/00000000-0000-0000-0000-000000000000/", 404),
        (AccessAction.API_CALL, "/api/v1/cases/", 403),
        (AccessAction.API_CALL, "/api/v1/cases/", 401),
    ], "one row per call, the path without its query string"
    assert rows[1].application == api.application and rows[1].actor == api.application.user
    assert rows[1].origin == "127.0.0.1" and rows[1].result == "allowed"
    assert rows[3].application.name == "Alleen documenten" and rows[3].result == "denied"
    assert rows[4].application is None and rows[4].actor is None


def test_the_rate_limit_is_per_application_and_answers_429(world, api, application, settings):
    settings.API_RATE_LIMIT = 3
    url = reverse("api:case-list")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(url)
    is_problem(response, 429)
    assert int(response["Retry-After"]) > 0
    _, key = application(name="Ander systeem")
    assert ApiClient(key).get(url).status_code == 200, "another application counts on its own"


def test_a_key_past_its_expiry_is_401(world, application):
    app, key = application()
    clock.set_now(clock.now() + timedelta(days=400))
    is_problem(ApiClient(key).get(reverse("api:case-list")), 401)
    assert Dispute.objects.count() == 0
