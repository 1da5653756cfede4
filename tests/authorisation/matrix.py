"""Shared machinery of the authorisation matrix test (docs/authorisation-matrix.yaml).

Actors are described by their relation to the case; objects are built once per test through the
real services; every URL pattern of the project is resolved into a concrete URL.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.urls import URLPattern, URLResolver, get_resolver, reverse

MATRIX_FILE = Path(__file__).resolve().parents[2] / "docs" / "authorisation-matrix.yaml"

#: actor -> how the World provides the user (None = anonymous)
ACTORS = {
    "anonymous": None,
    "outsider": "outsider",  # member of a party organisation that is not in this case
    "applicant": "tenant",
    "respondent": "corp_user",
    "secretary": "secretary",
    "commission_chair": "chair",
    "commission_member": "commission_member",
    "recused_member": "recused",  # a commission member who declared a conflict of interest
    "minister_official": "official",
}
OUTCOMES = {"allow", "login", "401", "403", "404", "405"}


def url_names() -> list[str]:
    """Every named URL pattern of the project except Django's admin (which has its own permissions)."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                yield from walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL pattern {pattern.pattern} has no name"
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))


def load_matrix() -> dict:
    return yaml.safe_load(MATRIX_FILE.read_text())


def classify(response, login_url: str) -> str:
    if response.status_code in (301, 302) and response["Location"].split("?")[0] == login_url:
        return "login"
    if response.status_code in (401, 403, 404, 405):
        return str(response.status_code)
    if response.status_code >= 500:
        return f"error {response.status_code}"
    return "allow"


@dataclass
class Row:
    name: str
    args: list[str]
    methods: dict[str, dict[str, str]]  # method -> actor -> outcome
    data: dict  # what a POST sends (an action name, say), so the check reaches the permission

    @classmethod
    def parse(cls, name: str, spec: dict) -> "Row":
        methods = {}
        for method in ("GET", "POST"):
            if method in spec:
                expected = dict(spec[method])
                default = expected.pop("*", None)
                table = {actor: str(expected.get(actor, default)) for actor in ACTORS}
                methods[method] = table
        return cls(name=name, args=list(spec.get("args", [])), methods=methods, data=dict(spec.get("data", {})))

    def url(self, objects: dict) -> str:
        return reverse(self.name, args=[objects[a] for a in self.args])
