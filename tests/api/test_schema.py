"""The API's description (issue 18, docs/api.md): /api/v1/schema/ serves OpenAPI 3 that validates, with the bearer
key as security scheme and problem+json errors; /api/v1/docs/ runs no inline script and keeps the site's Content
Security Policy."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.urls import reverse
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/cases/", "get"), ("/api/v1/cases/{id}/", "get"), ("/api/v1/cases/{id}/events/", "get"),
    ("/api/v1/events/", "get"), ("/api/v1/cases/{id}/documents/", "get"), ("/api/v1/documents/{id}/", "get"),
    ("/api/v1/documents/{id}/download/", "get"), ("/api/v1/exports/{id}/", "get"),
    ("/api/v1/exports/{id}/download/", "get"),
}


def load_schema(client) -> dict:
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_valid_openapi_3_with_every_read_operation_and_the_bearer_scheme(client):
    schema = load_schema(client)
    assert schema["openapi"].startswith("3.")
    validate(schema)  # openapi-spec-validator: raises on an invalid description
    present = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert OPERATIONS <= present, OPERATIONS - present
    assert schema["components"]["securitySchemes"]["applicationKey"] == {
        **schema["components"]["securitySchemes"]["applicationKey"], "type": "http", "scheme": "bearer"}
    for path, method in OPERATIONS:
        operation = schema["paths"][path][method]
        assert operation["security"] == [{"applicationKey": []}], path
        for code in ("401", "403", "429"):
            assert "application/problem+json" in operation["responses"][code]["content"], (path, code)
    case_filters = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"cursor", "page_size", "state", "kind", "municipality", "submitted_after", "submitted_before",
            "decided_after", "decided_before"} <= case_filters


def test_the_schema_is_served_without_a_key_but_the_data_is_not(client):
    assert client.get(reverse("api:schema")).status_code == 200
    assert client.get(reverse("api:case-list")).status_code == 401


def test_the_docs_page_runs_no_inline_script_and_keeps_the_content_security_policy(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "Swagger UI is loaded"
    for attributes, body in scripts:
        assert "src=" in attributes and not body.strip(), f"inline script: {body[:80]!r}"
    assert "<style" not in html and " style=" not in html, "no inline style (style-src 'self')"
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "http" not in policy, "no CDN, nothing inline"
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    for source in sources:
        assert source.startswith("/"), f"self-hosted, not {source}"
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), f"{source} is one of our static files"
    script_url = next(s for s in sources if "script" in s and not s.startswith("/static/"))
    script = client.get(script_url)
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "SwaggerUIBundle" in script.content.decode()


def test_every_operation_is_described_with_its_bodies_and_the_writes_with_their_idempotency_key(client):
    """drf-spectacular leaves a view it cannot describe out of the schema's bodies with only an error in the log
    ("unable to guess serializer"): then schemathesis would fuzz it blind. Every operation has a described answer,
    and each write its request body and the Idempotency-Key header."""
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    schema = load_schema(client)
    assert not GENERATOR_STATS._error_cache and not GENERATOR_STATS._warn_cache, (
        GENERATOR_STATS._error_cache, GENERATOR_STATS._warn_cache)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert any(code.startswith("2") for code in operation["responses"]), (path, method)
            if method == "post":
                assert "requestBody" in operation, (path, method)
                headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
                assert "Idempotency-Key" in headers, (path, method)
