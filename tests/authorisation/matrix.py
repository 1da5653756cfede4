"""Shared machinery of the authorisation matrix test (docs/authorisation-matrix.yaml).

Actors are described by their relation to the case; objects are built once per module through the
real services; every URL pattern of the project is resolved into a concrete URL.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import yaml
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

MATRIX_FILE = Path(__file__).resolve().parents[2] / "docs" / "authorisation-matrix.yaml"

#: actor -> how the World provides the user (None = anonymous)
ACTORS = {
    "anonymous": None,
    "outsider": "outsider",  # member of a party organisation that is not in this case
    "applicant": "tenant",
    "respondent": "corp_user",
    "interested": "interested",  # member of another party to the agreement, invited to give its view (Awb 4:8)
    "secretary": "secretary",
    "commission_chair": "chair",
    "commission_member": "commission_member",
    "recused_member": "recused",  # a commission member who declared a conflict of interest
    "minister_official": "official",
    # not logged in, holding the link of an open invitation into the respondent organisation (docs/accounts.md):
    # on the invitation's own URL (``invitation-accept``) the invitee; everywhere else the same as ``anonymous``
    "invitee": None,
    # a person outside the parties, authorised by the respondent for the case ``case`` only (a gemachtigde, approved
    # and accepted): there the respondent's answers, elsewhere an outsider's (rows name where it differs)
    "representative": "representative",
    # an account made by the eHerkenning log-in (disputes/oidc.py PartyBackend: the broker's KvK number of the
    # respondent corporation): a member like any other, so it answers as the respondent wherever a row does not
    # name it
    "oidc_party": "oidc_party",
    # the archive's roles (Django groups of disputes.models.ArchiveRole; docs/archive.md): no staff role, no party,
    # no case's contents; only the archive's own pages (destruction lists, transfer) name them
    "record_manager": "record_manager",
    "archive_reviewer": "archive_reviewer",
    "archivist": "archivist",
    # connected applications (docs/api.md): no session, their key as ``Authorization: Bearer`` (``API_ACTORS``).
    # On a web page they answer like the anonymous visitor (a key opens no web page); on an /api/ row: ``application``
    # holds every scope, up to internal documents, every kind of dispute; ``application_unscoped`` only the scope
    # ``notifications`` (403 wherever another is needed); ``application_other_kind`` every scope but only
    # ``nakoming`` cases (the matrix's cases are of another kind: 404, as a case that does not exist)
    "application": None,
    "application_unscoped": None,
    "application_other_kind": None,
}
#: the applications behind the API actors: (scopes, highest confidentiality, kinds); ``make_applications`` registers
#: them through the services and keeps their keys on the world
API_ACTORS = {
    "application": (None, "internal", []),
    "application_unscoped": (["notifications"], "parties", []),
    "application_other_kind": (None, "internal", ["nakoming"]),
}
#: an actor a row does not name answers like this one when the row names it (rather than as "*"); the archive's
#: roles, logged in without any relation to a case or a staff role, answer like the outsider
SAME_AS = {"invitee": "anonymous", "representative": "respondent", "oidc_party": "respondent",
           "record_manager": "outsider", "archive_reviewer": "outsider", "archivist": "outsider",
           "application": "anonymous", "application_unscoped": "anonymous", "application_other_kind": "anonymous"}
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
    """What a response is, in the matrix's words: ``login``, ``401``/``403``/``404``/``405``, or for any
    other answer its status, with the page (and fragment) it redirects to (``302 dossier:status``,
    ``302 portal:draft-points#points``), to compare with what the row says ``allow`` means."""
    if response.status_code in (301, 302, 303) and response["Location"].split("?")[0] == login_url:
        return "login"
    if response.status_code in (401, 403, 404, 405):
        return str(response.status_code)
    if response.status_code in (301, 302, 303):
        location = urlsplit(response["Location"])
        try:
            target = resolve(location.path).view_name
        except Resolver404:
            target = location.path
        fragment = f"#{location.fragment}" if location.fragment else ""
        return f"{response.status_code} {target}{fragment}"
    return str(response.status_code)


@dataclass
class Row:
    name: str
    args: list[str]
    methods: dict[str, dict[str, str]]  # method -> actor -> outcome
    data: dict  # what a POST sends: a valid submission, so an allowed actor's POST does what it is for
    data_for: dict[str, dict]  # actor -> what that actor sends instead (the question put to their organisation)
    query: dict  # the URL's query string (the kind and agreement a new filing carries from step to step)
    uploads: list[str]  # fields of the POST that carry a one-page PDF
    allow: dict[str, list[str]]  # method -> the answers that "allow" stands for (``200``, ``302 <url name>``)

    @classmethod
    def parse(cls, name: str, spec: dict) -> "Row":
        methods = {}
        for method in ("GET", "POST"):
            if method in spec:
                expected = dict(spec[method])
                default = expected.pop("*", None)
                table = {actor: str(expected.get(actor, expected.get(SAME_AS.get(actor), default)))
                         for actor in ACTORS}
                methods[method] = table
        allow = {"GET": ["200"]} | {m: [str(a) for a in answers] for m, answers in spec.get("allow", {}).items()}
        return cls(name=name, args=list(spec.get("args", [])), methods=methods, data=dict(spec.get("data", {})),
                   data_for={actor: dict(d) for actor, d in spec.get("data_for", {}).items()},
                   query=dict(spec.get("query", {})), uploads=list(spec.get("uploads", [])), allow=allow)

    def url(self, objects: dict) -> str:
        url = reverse(self.name, args=[objects[a] for a in self.args])
        if self.query:
            url += "?" + urlencode({key: _fill(value, objects) for key, value in self.query.items()})
        return url

    def post_data(self, actor: str, objects: dict) -> dict:
        """What ``actor`` POSTs: the row's data with ``{name}`` filled in from the objects (a version, an id); an
        actor the row's ``data_for`` does not name sends what its ``SAME_AS`` actor sends."""
        data = {**self.data, **self.data_for.get(actor, self.data_for.get(SAME_AS.get(actor), {}))}
        return {key: _fill(value, objects) for key, value in data.items()}


def _fill(value, objects: dict):
    if isinstance(value, list):
        return [_fill(v, objects) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return str(objects[value[1:-1]])
    return value


# -- the API's actors -----------------------------------------------------------------------------------------------
def make_applications(world) -> dict:
    """Register the ``API_ACTORS``' applications through the services and keep each key on ``world.api_keys``;
    returns the objects the staff pages on applications name (``application``'s application and key)."""
    from disputes.models import ApiScope
    from disputes.services import api as api_services

    world.api_keys, objects = {}, {}
    for actor, (scopes, highest, kinds) in API_ACTORS.items():
        application = api_services.application_register(
            actor=world.secretary, name=f"Matrix {actor}", scopes=scopes or list(ApiScope.values),
            max_confidentiality=highest, kinds=kinds)
        issued = api_services.key_issue(actor=world.secretary, application=application)
        world.api_keys[actor] = issued.key
        if actor == "application":
            objects = {"api_application": application.pk, "api_key": issued.api_key.pk}
    # a subscription to change notifications of ``application`` (api:subscription-detail; disputes/services/webhooks)
    from disputes.models import ApiApplication
    from disputes.services import webhooks

    subscriber = ApiApplication.objects.get(name="Matrix application").user
    subscribed = webhooks.subscription_add(actor=subscriber, callback_url="https://ministerie.example/hook")
    objects["subscription"] = subscribed.subscription.pk
    return objects


def is_api(name: str) -> bool:
    return name.startswith("api:")


def request_options(row: "Row", actor: str, world) -> dict:
    """What a request of ``actor`` on ``row`` carries besides its session: an application's key, and on an API
    write the ``Idempotency-Key`` it must have (a fresh one per request: each runs on the objects as made)."""
    options = {}
    if actor in API_ACTORS:
        options["HTTP_AUTHORIZATION"] = f"Bearer {world.api_keys[actor]}"
    if is_api(row.name):
        options["HTTP_IDEMPOTENCY_KEY"] = f"matrix-{row.name}-{actor}"
    return options
