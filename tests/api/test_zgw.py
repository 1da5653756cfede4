"""The ZGW-shaped export (issue 18, item 6; docs/zgw.md): ``GET /api/v1/cases/{id}/zgw/``.

The resources are validated against the response schemas of the ZGW APIs (tests/api/zgw_schemas.json, taken from
Open Zaak's OpenAPI files: Zaken API 1.5.1, Documenten API 1.4.2, Besluiten API 1.1.0), with no field those
schemas do not have; the catalogue tables cover every value of our own choices, and docs/zgw.md lists them."""

import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest

from disputes import clock, services, zgw
from disputes.models import (
    CaseRetention,
    Confidentiality,
    Dispute,
    DisputeKind,
    DocumentType,
    EventKind,
    PartyRole,
)
from disputes.states import DisputeState
from tests import factories

from .conftest import ApiClient

SCHEMAS = json.loads((Path(__file__).parent / "zgw_schemas.json").read_text())
DEFINITIONS = SCHEMAS["definitions"]
DOCS = (Path(__file__).resolve().parents[2] / "docs" / "zgw.md").read_text()
#: each exported list and the schema of its resources
RESOURCES = {
    "statussen": "zaken.Status",
    "rollen": "zaken.niet_natuurlijk_persoon_RolSerializer",
    "enkelvoudiginformatieobjecten": "documenten.EnkelvoudigInformatieObject",
    "zaakinformatieobjecten": "zaken.ZaakInformatieObject",
    "besluiten": "besluiten.Besluit",
    "besluitinformatieobjecten": "besluiten.BesluitInformatieObject",
}


def url(case) -> str:
    return f"/api/v1/cases/{case.pk}/zgw/"


def properties(name: str) -> set:
    """Every field a resource of schema ``name`` has (through allOf)."""
    schema = DEFINITIONS[name]
    found = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found |= properties(part["$ref"].rsplit("/", 1)[1])
    return found


def validate(resource: dict, name: str) -> None:
    validator = jsonschema.Draft7Validator({"$ref": f"#/definitions/{name}", "definitions": DEFINITIONS},
                                           format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(resource), key=str)
    assert not errors, f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    unknown = set(resource) - properties(name)
    assert not unknown, f"{name} has no field(s) {unknown}"


def validate_all(body: dict) -> None:
    validate(body["zaak"], "zaken.Zaak")
    for key, name in RESOURCES.items():
        for resource in body[key]:
            validate(resource, name)
    for rol in body["rollen"]:
        validate(rol["betrokkeneIdentificatie"], "zaken.NietNatuurlijkPersoonIdentificatie")


@pytest.fixture
def zgw_settings(settings):
    settings.SITE_URL = "https://geschil.example"
    settings.ZGW_RSIN = "002220647"  # the Ministerie van BZK's RSIN, as an example of a real one
    settings.ZGW_CATALOGI_URL = "https://zaken.minvro.example/catalogi/api/v1"


@pytest.fixture
def decided(world):
    """A decided case with a commission and an internal document beside the parties' ones."""
    case = factories.case_in_state(world, "deliberation")
    for doc_type, level in (("correspondentie", Confidentiality.COMMISSION), ("overig", Confidentiality.INTERNAL)):
        services.document_upload(dispute=Dispute.objects.get(pk=case.pk), actor=world.secretary,
                                 uploaded=factories.pdf(doc_type)[1], doc_type=doc_type, confidentiality=level)
    return advance(world, case, "decided")


def advance(world, case, target):
    """Bring a case on through the factories' steps (the clock as they set it)."""
    started = False
    for reached, when, step in factories._steps(world):
        if reached == case.state:
            started = True
            continue
        if started:
            clock.set_now(factories.moment(when))
            step(Dispute.objects.get(pk=case.pk))
            if reached == target:
                break
    return Dispute.objects.get(pk=case.pk)


# -- the catalogue ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("choices", "table"), [
    (DisputeKind, zgw.ZAAKTYPEN),
    (DisputeState, zgw.STATUSTYPEN),
    (PartyRole, zgw.ROLTYPEN),
    (DocumentType, zgw.INFORMATIEOBJECTTYPEN),
    (Confidentiality, zgw.VERTROUWELIJKHEID),
])
def test_every_value_of_our_choices_has_its_catalogue_entry_and_its_line_in_the_docs(choices, table):
    """A new kind, state, role, document type or confidentiality fails here until it is mapped and documented."""
    assert set(table) == set(choices.values)
    for value in choices.values:
        assert f"`{value}`" in DOCS, f"docs/zgw.md does not list {value}"
        entry = table[value]
        described = entry if isinstance(entry, str) else entry.omschrijving
        assert described in DOCS, f"docs/zgw.md does not give {value} as {described!r}"
        assert 0 < len(described) <= 80  # omschrijving in the Catalogi API: at most 80 characters


def test_the_catalogue_values_are_the_zgw_standards():
    vertrouwelijkheid = DEFINITIONS["documenten.VertrouwelijkheidaanduidingEnum"]["enum"]
    assert set(zgw.VERTROUWELIJKHEID.values()) <= set(vertrouwelijkheid)
    # ascending: a more confidential document gets a higher aanduiding
    ranks = [vertrouwelijkheid.index(zgw.VERTROUWELIJKHEID[level]) for level in Confidentiality.values]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert {entry.generiek for entry in zgw.ROLTYPEN.values()} <= {
        "adviseur", "behandelaar", "belanghebbende", "beslisser", "initiator", "klantcontacter", "zaakcoordinator",
        "mede_initiator"}
    numbers = [entry.volgnummer for entry in zgw.STATUSTYPEN.values()]
    assert sorted(numbers) == list(range(1, len(DisputeState.values) + 1))
    assert set(zgw.BESLUITTYPEN) <= set(EventKind.values) and set(zgw.BESLUITTYPEN) == set(zgw.BESLUIT_DOCUMENTS)
    for kind, entry in zgw.BESLUITTYPEN.items():
        assert f"`{kind}`" in DOCS and entry.omschrijving in DOCS
    # the UUIDs docs/zgw.md gives are the ones the export uses
    for kind in DisputeKind.values:
        assert str(zgw.catalogue_uuid("zaaktypen", kind)) in DOCS
    assert str(zgw.catalogue_uuid("besluittypen", "decide")) in DOCS


# -- the export -----------------------------------------------------------------------------------------------------


def test_a_decided_case_as_zgw_resources(world, application, decided, zgw_settings):
    _, key = application(scopes=["cases:read"], max_confidentiality=Confidentiality.INTERNAL)
    response = ApiClient(key).get(url(decided))
    assert response.status_code == 200, response.content
    body = response.json()
    validate_all(body)

    zaak = body["zaak"]
    base = "https://geschil.example/api/v1/zgw"
    catalogi = "https://zaken.minvro.example/catalogi/api/v1"
    assert zaak["url"] == f"{base}/zaken/{decided.pk}" and zaak["uuid"] == str(decided.pk)
    assert zaak["identificatie"] == decided.case_number
    assert zaak["bronorganisatie"] == zaak["verantwoordelijkeOrganisatie"] == "002220647"
    assert zaak["zaaktype"] == f"{catalogi}/zaaktypen/{zgw.catalogue_uuid('zaaktypen', 'totstandkoming')}"
    assert zaak["registratiedatum"] == zaak["startdatum"] == "2017-01-16"
    assert zaak["einddatum"] == "2017-03-01"
    assert zaak["vertrouwelijkheidaanduiding"] == "zaakvertrouwelijk"

    states = [s["statustype"].rsplit("/", 1)[1] for s in body["statussen"]]
    path = ["submitted", "admissibility_review", "effort_review", "awaiting_response", "exchange", "deliberation",
            "advice_issued", "decided"]
    assert states == [str(zgw.catalogue_uuid("statustypen", f"totstandkoming:{state}")) for state in path]
    assert [s["indicatieLaatstGezetteStatus"] for s in body["statussen"]] == [False] * 7 + [True]
    assert zaak["status"] == body["statussen"][-1]["url"]
    assert body["statussen"][-1]["statustoelichting"] == "Bindende uitspraak gedaan"
    assert body["statussen"][0]["datumStatusGezet"] == "2017-01-16T09:05:00Z"  # 10:05 in Amsterdam

    roles = {(r["omschrijving"], r["omschrijvingGeneriek"], r["betrokkeneIdentificatie"]["statutaireNaam"])
             for r in body["rollen"]}
    assert roles == {("Verzoeker", "initiator", "Huurdersbelangenorganisatie Leiderdorp"),
                     ("Verweerder", "belanghebbende", "Rijnhart Wonen"),
                     ("Verweerder", "belanghebbende", "Gemeente Leiderdorp")}
    assert all(r["betrokkeneType"] == "niet_natuurlijk_persoon" for r in body["rollen"])
    gemeente = next(r for r in body["rollen"] if r["betrokkeneIdentificatie"]["statutaireNaam"].startswith("Gem"))
    assert gemeente["betrokkeneIdentificatie"]["innRechtsvorm"] == "publiekrechtelijke_rechtspersoon"
    assert gemeente["betrokkeneIdentificatie"]["kvkNummer"] == world.gemeente.kvk_number
    assert sorted(zaak["rollen"]) == sorted(r["url"] for r in body["rollen"])

    documents = {d.pk: d for d in decided.documents.current()}
    objects = body["enkelvoudiginformatieobjecten"]
    assert {o["identificatie"] for o in objects} == {str(pk) for pk in documents}
    for resource in objects:
        document = documents[next(pk for pk in documents if str(pk) == resource["identificatie"])]
        stored = document.file.open("rb").read()
        assert resource["integriteit"] == {"algoritme": "sha_256", "waarde": hashlib.sha256(stored).hexdigest(),
                                           "datum": resource["creatiedatum"]}
        assert resource["bestandsomvang"] == len(stored) and resource["formaat"] == "application/pdf"
        assert resource["taal"] == "dut" and resource["bestandsnaam"] == document.display_name
        assert resource["vertrouwelijkheidaanduiding"] == zgw.VERTROUWELIJKHEID[document.confidentiality]
        assert resource["informatieobjecttype"] == zgw.informatieobjecttype_url(document.doc_type)
        assert resource["inhoud"] == f"http://testserver/api/v1/documents/{document.pk}/download/"
    levels = {o["vertrouwelijkheidaanduiding"] for o in objects}
    assert {"zaakvertrouwelijk", "vertrouwelijk", "confidentieel"} <= levels
    links = body["zaakinformatieobjecten"]
    assert sorted(link["informatieobject"] for link in links) == sorted(o["url"] for o in objects)
    assert {link["zaak"] for link in links} == {zaak["url"]}
    assert sorted(zaak["zaakinformatieobjecten"]) == sorted(link["url"] for link in links)

    [besluit] = body["besluiten"]
    assert besluit["besluittype"] == zgw.besluittype_url("decide") and besluit["zaak"] == zaak["url"]
    assert besluit["datum"] == besluit["ingangsdatum"] == "2017-03-01"
    assert besluit["identificatie"] == f"{decided.case_number}-BU"
    uitspraak = [o["url"] for o in objects if o["informatieobjecttype"] == zgw.informatieobjecttype_url(
        "bindende_uitspraak")]
    assert uitspraak and [b["informatieobject"] for b in body["besluitinformatieobjecten"]] == uitspraak
    assert zaak["archiefnominatie"] is None or zaak["archiefnominatie"] in {"blijvend_bewaren", "vernietigen"}


def test_documents_above_the_applications_confidentiality_are_left_out(world, application, decided, zgw_settings):
    _, key = application(scopes=["cases:read"])  # up to parties
    body = ApiClient(key).get(url(decided)).json()
    validate_all(body)
    hidden = decided.documents.current().exclude(confidentiality=Confidentiality.PARTIES)
    assert hidden.count() == 2
    text = json.dumps(body)
    for document in hidden:
        assert str(document.pk) not in text and document.sha256 not in text
    assert {o["vertrouwelijkheidaanduiding"] for o in body["enkelvoudiginformatieobjecten"]} == {"zaakvertrouwelijk"}
    assert len(body["zaakinformatieobjecten"]) == len(body["enkelvoudiginformatieobjecten"]) == \
        decided.documents.current().filter(confidentiality=Confidentiality.PARTIES).count()
    _, commission_key = application(scopes=["cases:read"], max_confidentiality=Confidentiality.COMMISSION)
    levels = {o["vertrouwelijkheidaanduiding"]
              for o in ApiClient(commission_key).get(url(decided)).json()["enkelvoudiginformatieobjecten"]}
    assert levels == {"zaakvertrouwelijk", "vertrouwelijk"}


def test_an_inadmissible_request_has_its_besluit(world, application, zgw_settings):
    case = factories.case_in_state(world, "admissibility_review")
    clock.set_now(factories.moment("2017-01-20 09:00"))
    services.point_decide_admissibility(point=case.points.get(), actor=world.secretary, admissible=False,
                                        reasons=["A2"], note="Gaat over een huurcontract.")
    services.dispute_declare_inadmissible(dispute=Dispute.objects.get(pk=case.pk), actor=world.official,
                                          reasons=["A2"])
    case = Dispute.objects.get(pk=case.pk)
    _, key = application(scopes=["cases:read"])
    body = ApiClient(key).get(url(case)).json()
    validate_all(body)
    [besluit] = body["besluiten"]
    assert besluit["besluittype"] == zgw.besluittype_url("declare_inadmissible")
    assert besluit["datum"] == "2017-01-20" and "A2" in besluit["toelichting"]
    assert besluit["identificatie"] == f"{case.case_number}-NO"
    mededeling = [o["url"] for o in body["enkelvoudiginformatieobjecten"]
                  if o["informatieobjecttype"] == zgw.informatieobjecttype_url("mededeling_ontvankelijkheid")]
    assert [b["informatieobject"] for b in body["besluitinformatieobjecten"]] == mededeling
    assert body["zaak"]["einddatum"] == "2017-01-20"


def test_a_case_with_its_retention_rule_has_its_archive_dates(world, application, zgw_settings):
    case = factories.case_in_state(world, "closed")
    retention = CaseRetention.objects.filter(dispute=case).first()
    if retention is None:  # the rule is assigned when the case ends (disputes/services/retention.py)
        from datetime import date

        retention = CaseRetention.objects.create(
            dispute=case, outcome="decided", category="1.1", description="Geschil", nomination="vernietigen",
            years=10, source_date=date(2017, 4, 20), action_date=date(2027, 4, 20), assigned_at=clock.now())
    _, key = application(scopes=["cases:read"])
    body = ApiClient(key).get(url(case)).json()
    validate_all(body)
    zaak = body["zaak"]
    assert zaak["archiefnominatie"] == retention.nomination
    assert zaak["archiefactiedatum"] == retention.action_date.isoformat()
    assert zaak["startdatumBewaartermijn"] == retention.source_date.isoformat()
    assert zaak["archiefstatus"] == "nog_te_archiveren"


def test_an_open_case_has_no_archive_dates_and_no_besluit(world, application, zgw_settings):
    case = factories.case_in_state(world, "exchange")
    _, key = application(scopes=["cases:read"])
    body = ApiClient(key).get(url(case)).json()
    validate_all(body)
    assert body["zaak"]["archiefnominatie"] is None and body["zaak"]["archiefactiedatum"] is None
    assert body["zaak"]["einddatum"] is None and body["besluiten"] == []


def test_who_may_read_the_export(world, application, zgw_settings, client):
    case = factories.case_in_state(world, "submitted")
    clock.set_now(factories.moment("2017-01-16 09:00"))
    draft = world.file()
    _, key = application(scopes=["cases:read"])
    _, other_kind = application(scopes=["cases:read"], kinds=["nakoming"])
    _, no_scope = application(scopes=["documents:read"])
    assert ApiClient(key).get(url(case)).status_code == 200
    assert ApiClient(key).get(url(draft)).status_code == 404  # a draft is nobody's case yet
    assert ApiClient(other_kind).get(url(case)).status_code == 404
    assert ApiClient(no_scope).get(url(case)).status_code == 403
    assert ApiClient().get(url(case)).status_code == 401
    client.force_login(world.secretary)
    assert client.get(url(case)).status_code in (401, 403)  # a session does not open the API


def test_docs_name_every_field_name_we_fill_as_the_standard_spells_it():
    """The field names in docs/zgw.md's tables are the standard's (a typo there would mislead an importer)."""
    named = set(re.findall(r"`([a-z][A-Za-z]+)`", DOCS))
    fields = set()
    for name in ("zaken.Zaak", *RESOURCES.values(), "zaken.NietNatuurlijkPersoonIdentificatie",
                 "documenten.Integriteit"):
        fields |= properties(name)
    camel = {word for word in named if re.search(r"[a-z][A-Z]", word)}
    assert camel, "docs/zgw.md names no fields"
    assert camel <= fields, f"not ZGW field names: {sorted(camel - fields)}"
