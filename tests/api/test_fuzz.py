"""The API fuzzed from its own description (issue 18, docs/api.md): schemathesis generates requests for every
operation of /api/v1/schema/ (valid and invalid input, random ids and the ids of real objects) and sends them to a
live server on 127.0.0.1 with a key that holds every scope. No input may cause a server error (500); every error
answer must be problem+json. About 25 examples per operation and mode keep it near a minute."""

import pytest
import requests
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from disputes import clock
from disputes.models import Confidentiality, DossierExport
from disputes.services import api as api_service
from disputes.states import DisputeState
from tests.factories import case_in_state

EXAMPLES = 25


def problem_json_errors(ctx, response, case):
    """Every error answer of the API is problem+json (RFC 9457)."""
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/problem+json"), (response.status_code, content_type)
        body = response.json()
        assert {"type", "title", "status", "detail", "instance"} <= body.keys(), body
    return None


def fuzz(operation, mode, path_parameters, auth, base_url, session, statuses):
    """A Hypothesis test of one operation in one mode: every answer is no 500 and, if an error, problem+json."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(generated=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters, headers=auth))
    def run(generated):
        response = generated.call(base_url=base_url, session=session, timeout=30)
        statuses.setdefault(operation.path, set()).add(response.status_code)
        generated.validate_response(response, checks=[not_a_server_error, problem_json_errors])

    return run


@pytest.mark.django_db(transaction=True)
def test_no_input_makes_the_api_fail_with_a_server_error(live_server, world, settings):
    django_settings = settings
    case = case_in_state(world, DisputeState.DECIDED)
    document = case.documents.current().first()
    export = DossierExport.objects.create(dispute=case, audience="party", case_version="1-1-1",
                                          requested_by=world.secretary, requested_at=clock.now())
    clock.set_now(None)  # the key lives from now (the server's thread runs on the real clock)
    application = api_service.application_register(
        actor=world.secretary, name="Fuzzer", scopes=["cases:read", "documents:read", "exports:write",
                                                       "letters:write", "notifications"],
        max_confidentiality=Confidentiality.INTERNAL)
    key = api_service.key_issue(actor=world.secretary, application=application).key
    django_settings.API_RATE_LIMIT = 100_000  # the fuzzer is one fast client (the live server reads the same settings)

    base_url = live_server.url
    schema = schemathesis.openapi.from_url(base_url + reverse("api:schema"))
    session = requests.Session()
    auth = {"Authorization": f"Bearer {key}"}  # fixed: the generated ones are random keys (401)
    real_ids = {"/api/v1/documents/": document.pk, "/api/v1/exports/": export.pk}
    tried, statuses = [], {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:
        real = str(next((pk for prefix, pk in real_ids.items() if operation.path.startswith(prefix)), case.pk))
        variants = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
        if "{id}" in operation.path:
            variants.append((GenerationMode.POSITIVE, {"id": real}))
        for mode, path_parameters in variants:
            run = fuzz(operation, mode, path_parameters, auth, base_url, session, statuses)
            try:
                run()
            except Unsatisfiable:
                # nothing in the operation can be made invalid (e.g. only free-text query parameters)
                assert mode == GenerationMode.NEGATIVE, (operation.path, mode)
                continue
            tried.append((operation.method.upper(), operation.path, mode.value))
    print("\nfuzzed:", len(tried), "operation/mode pairs; statuses per path:",
          {path: sorted(codes) for path, codes in statuses.items()})
    assert 200 in statuses["/api/v1/cases/{id}/"], "the real case was reached"
    assert 200 in statuses["/api/v1/documents/{id}/download/"], "the real document was downloaded"
