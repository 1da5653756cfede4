"""A case as ZGW resources (issue 18, item 6; docs/zgw.md).

``export(dispute, documents=…)`` gives one case as the resources of the ZGW APIs ("Zaakgericht werken", VNG), in
their field names and value lists: a Zaak (Zaken API 1.5), its Statussen, Rollen and ZaakInformatieObjecten, an
EnkelvoudigInformatieObject per document (Documenten API 1.4), and the Besluiten with their
BesluitInformatieObjecten (Besluiten API 1.1), so a ZGW system (Open Zaak) can import the case.

Pure mapping: it reads the case and writes nothing. The caller chooses the documents (the API passes those the
application may read). The catalogue the resources point to (zaaktype, statustypen, roltypen,
informatieobjecttypen, besluittypen) is written down in docs/zgw.md; its URLs are made from
``ZGW_CATALOGI_URL`` and a UUID derived from the entry's name, so they are the same on every export and a
catalogue set up with those UUIDs resolves them. The resources' own ``url``s are identifiers under
``SITE_URL/api/v1/zgw/`` (this product does not serve the ZGW APIs; the importing system gives them its own).

Every value list is a table below, one entry per value of our own choices (``DisputeKind``, ``DisputeState``,
``PartyRole``, ``DocumentType``, ``Confidentiality``): tests/api/test_zgw.py fails for a value without an entry.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from .clock import localdate
from .models import Confidentiality, Dispute, DisputeKind, DocumentType, OrganisationKind, PartyRole
from .states import CONCLUDED_STATES, DisputeState

#: the RSIN of the ministry (bronorganisatie, verantwoordelijkeOrganisatie): a placeholder until set. 9 digits
#: passing the elfproef; 000000000 is what ZGW examples use for "unknown" and does not look like a real one.
DEFAULT_RSIN = "000000000"
#: the bestuursorgaan that takes the decisions (max. 50 characters in the Besluiten API)
BESTUURSORGAAN = "Minister van VRO"
#: documents whose author is not a party (the acknowledgement, letters, the decision): the ministry
MINISTRY = "Ministerie van Volkshuisvesting en Ruimtelijke Ordening"
_NAMESPACE = uuid.UUID("6f1d3c52-0c1e-4d52-9b7e-2a7c5e0f9a18")  # fixed: the catalogue's UUIDs never change


def catalogue_uuid(resource: str, key: str) -> uuid.UUID:
    """The UUID of a catalogue entry, e.g. ``("zaaktypen", "totstandkoming")`` (docs/zgw.md lists them)."""
    return uuid.uuid5(_NAMESPACE, f"{resource}:{key}")


@dataclass(frozen=True)
class Entry:
    """One entry of the catalogue: its ``omschrijving`` and, where the type has one, ``generiek`` (roltypen:
    omschrijvingGeneriek) or ``volgnummer`` (statustypen)."""

    omschrijving: str
    generiek: str = ""
    volgnummer: int = 0


#: zaaktypen: one per kind of dispute
ZAAKTYPEN = {
    DisputeKind.TOTSTANDKOMING: Entry("Geschil over de totstandkoming van prestatieafspraken"),
    DisputeKind.NAKOMING: Entry("Geschil over de nakoming van prestatieafspraken"),
}

#: statustypen (of each zaaktype): one per state, in the order of the procedure. A draft is never exported (it is
#: not a case yet), but has its entry so the table is complete.
STATUSTYPEN = {
    DisputeState.DRAFT: Entry("Concept", volgnummer=1),
    DisputeState.SUBMITTED: Entry("Ingediend", volgnummer=2),
    DisputeState.ADMISSIBILITY_REVIEW: Entry("Toets ontvankelijkheid", volgnummer=3),
    DisputeState.AWAITING_REMEDY: Entry("Herstel verzuim", volgnummer=4),
    DisputeState.EFFORT_REVIEW: Entry("Toets inspanningen", volgnummer=5),
    DisputeState.AWAITING_RESPONSE: Entry("Verweer", volgnummer=6),
    DisputeState.EXCHANGE: Entry("Schriftelijke ronde", volgnummer=7),
    DisputeState.HEARING_SCHEDULED: Entry("Hoorzitting gepland", volgnummer=8),
    DisputeState.DELIBERATION: Entry("Beraadslaging adviescommissie", volgnummer=9),
    DisputeState.ADVICE_ISSUED: Entry("Advies uitgebracht", volgnummer=10),
    DisputeState.DECIDED: Entry("Bindende uitspraak gedaan", volgnummer=11),
    DisputeState.WITHDRAWN: Entry("Ingetrokken", volgnummer=12),
    DisputeState.SETTLED: Entry("Geschikt", volgnummer=13),
    DisputeState.CLOSED: Entry("Afgesloten", volgnummer=14),
}

#: roltypen: omschrijving and omschrijvingGeneriek (the Catalogi API's fixed list)
ROLTYPEN = {
    PartyRole.APPLICANT: Entry("Verzoeker", generiek="initiator"),
    PartyRole.RESPONDENT: Entry("Verweerder", generiek="belanghebbende"),
    PartyRole.INTERESTED: Entry("Belanghebbende", generiek="belanghebbende"),
}

#: informatieobjecttypen: one per document type
INFORMATIEOBJECTTYPEN = {
    DocumentType.BOD: Entry("Bod"),
    DocumentType.INDICATIE_MIDDELEN: Entry("Indicatie middelen"),
    DocumentType.WOONVISIE: Entry("Woonvisie of volkshuisvestingsbeleid"),
    DocumentType.UITNODIGING_OVERLEG: Entry("Uitnodiging tot overleg"),
    DocumentType.VERSLAG_OVERLEG: Entry("Verslag overleg"),
    DocumentType.PROCESAFSPRAKEN: Entry("Procesafspraken"),
    DocumentType.CONCEPT_PRESTATIEAFSPRAKEN: Entry("Concept-prestatieafspraken"),
    DocumentType.CORRESPONDENTIE: Entry("Correspondentie"),
    DocumentType.VERSLAG_MEDIATION: Entry("Verslag mediation"),
    DocumentType.ONDERTEKENDE_PRESTATIEAFSPRAKEN: Entry("Ondertekende prestatieafspraken"),
    DocumentType.MONITOR: Entry("Monitor of jaarverantwoording"),
    DocumentType.INGEBREKESTELLING: Entry("Ingebrekestelling"),
    DocumentType.REACTIE_WEDERPARTIJ: Entry("Reactie wederpartij"),
    DocumentType.VERZOEK: Entry("Verzoek tot geschilbeslechting"),
    DocumentType.MACHTIGING: Entry("Machtiging"),
    DocumentType.ONTVANGSTBEVESTIGING: Entry("Ontvangstbevestiging"),
    DocumentType.VERZOEK_HERSTEL: Entry("Verzoek herstel verzuim"),
    DocumentType.AANVULLING: Entry("Aanvulling"),
    DocumentType.MEDEDELING_ONTVANKELIJKHEID: Entry("Mededeling (niet-)ontvankelijkheid"),
    DocumentType.VERWEERSCHRIFT: Entry("Verweerschrift"),
    DocumentType.REPLIEK: Entry("Repliek"),
    DocumentType.DUPLIEK: Entry("Dupliek"),
    DocumentType.VRAAG_INLICHTINGEN: Entry("Vraag om inlichtingen"),
    DocumentType.ANTWOORD: Entry("Antwoord op vraag om inlichtingen"),
    DocumentType.UITNODIGING_HOORZITTING: Entry("Uitnodiging hoorzitting"),
    DocumentType.VERSLAG_HOORZITTING: Entry("Verslag hoorzitting"),
    DocumentType.VERLENGINGSBERICHT: Entry("Verlengingsbericht"),
    DocumentType.ADVIES: Entry("Advies adviescommissie"),
    DocumentType.AANBIEDINGSBRIEF: Entry("Aanbiedingsbrief"),
    DocumentType.BINDENDE_UITSPRAAK: Entry("Bindende uitspraak"),
    DocumentType.INTREKKING: Entry("Intrekking"),
    DocumentType.VASTSTELLINGSOVEREENKOMST: Entry("Vaststellingsovereenkomst"),
    DocumentType.PUBLICATIE: Entry("Publicatie"),
    DocumentType.OVERIG: Entry("Overig"),
}

#: besluittypen, keyed by the audit event that takes the decision
BESLUITTYPEN = {
    "decide": Entry("Bindende uitspraak"),
    "declare_inadmissible": Entry("Niet-ontvankelijkverklaring"),
}
#: the documents that carry a decision (its BesluitInformatieObjecten)
BESLUIT_DOCUMENTS = {
    "decide": {DocumentType.BINDENDE_UITSPRAAK},
    "declare_inadmissible": {DocumentType.MEDEDELING_ONTVANKELIJKHEID},
}

#: vertrouwelijkheidaanduiding of a document by its confidentiality (the ZGW list, ascending)
VERTROUWELIJKHEID = {
    Confidentiality.PARTIES: "zaakvertrouwelijk",
    Confidentiality.COMMISSION: "vertrouwelijk",
    Confidentiality.INTERNAL: "confidentieel",
}
#: the case itself: its parties see it, nobody else
ZAAK_VERTROUWELIJKHEID = "zaakvertrouwelijk"

#: innRechtsvorm of a party by its kind, where the kind settles it (a corporation is a stichting or a vereniging,
#: a tenants' organisation either too: left empty rather than guessed)
RECHTSVORM = {
    OrganisationKind.GEMEENTE: "publiekrechtelijke_rechtspersoon",
}


def rsin() -> str:
    return getattr(settings, "ZGW_RSIN", "") or DEFAULT_RSIN


def catalogi_url() -> str:
    return (getattr(settings, "ZGW_CATALOGI_URL", "") or f"{settings.SITE_URL}/zgw/catalogi/api/v1").rstrip("/")


def _type_url(resource: str, key: str) -> str:
    return f"{catalogi_url()}/{resource}/{catalogue_uuid(resource, key)}"


def zaaktype_url(kind: str) -> str:
    return _type_url("zaaktypen", kind)


def statustype_url(kind: str, state: str) -> str:
    return _type_url("statustypen", f"{kind}:{state}")


def roltype_url(kind: str, role: str) -> str:
    return _type_url("roltypen", f"{kind}:{role}")


def informatieobjecttype_url(doc_type: str) -> str:
    return _type_url("informatieobjecttypen", doc_type)


def besluittype_url(event_kind: str) -> str:
    return _type_url("besluittypen", event_kind)


def _resource_url(resource: str, pk) -> str:
    return f"{settings.SITE_URL}/api/v1/zgw/{resource}/{pk}"


def _derived(resource: str, key) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{resource}:{key}")


def _date(moment: datetime | None) -> str | None:
    return localdate(moment).isoformat() if moment is not None else None


def _datetime(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment is not None else None


def _retention(dispute: Dispute):
    try:
        return dispute.retention
    except ObjectDoesNotExist:  # an open case has none yet
        return None


def zaak(dispute: Dispute, *, rollen: list, statussen: list, zaakinformatieobjecten: list, last_change) -> dict:
    retention = _retention(dispute)
    archiefstatus = "nog_te_archiveren"
    if retention is not None and retention.transferred_at is not None:
        archiefstatus = "overgedragen"
    ended = dispute.decided_at or dispute.ended_at
    return {
        "url": _resource_url("zaken", dispute.pk),
        "uuid": str(dispute.pk),
        "identificatie": dispute.case_number or "",
        "bronorganisatie": rsin(),
        "omschrijving": (dispute.title or ZAAKTYPEN[dispute.kind].omschrijving)[:80],
        "toelichting": "",
        "zaaktype": zaaktype_url(dispute.kind),
        "registratiedatum": _date(dispute.submitted_at),
        "verantwoordelijkeOrganisatie": rsin(),
        "startdatum": _date(dispute.submitted_at),
        "einddatum": _date(ended) if dispute.state in CONCLUDED_STATES else None,
        "einddatumGepland": None,
        "uiterlijkeEinddatumAfdoening": None,
        "publicatiedatum": None,
        "laatstGemuteerd": _datetime(last_change),
        "laatstGeopend": None,
        "communicatiekanaal": "",
        "communicatiekanaalNaam": "",
        "productenOfDiensten": [],
        "vertrouwelijkheidaanduiding": ZAAK_VERTROUWELIJKHEID,
        "betalingsindicatie": "",
        "betalingsindicatieWeergave": "",
        "laatsteBetaaldatum": None,
        "zaakgeometrie": None,
        "verlenging": None,
        "opschorting": None,
        "selectielijstklasse": "",
        "hoofdzaak": None,
        "deelzaken": [],
        "relevanteAndereZaken": [],
        "gerelateerdeZaken": [],
        "eigenschappen": [],
        "rollen": [rol["url"] for rol in rollen],
        "status": statussen[-1]["url"] if statussen else None,
        "zaakinformatieobjecten": [zio["url"] for zio in zaakinformatieobjecten],
        "zaakobjecten": [],
        "kenmerken": [],
        "archiefnominatie": retention.nomination if retention is not None else None,
        "archiefstatus": archiefstatus,
        "archiefactiedatum": retention.action_date.isoformat() if retention is not None else None,
        "resultaat": None,
        "opdrachtgevendeOrganisatie": rsin(),
        "processobjectaard": "",
        "startdatumBewaartermijn": retention.source_date.isoformat() if retention is not None else None,
        "processobject": None,
    }


def statussen(dispute: Dispute, events) -> list[dict]:
    """A Status per state change (the transitions of the audit trail), oldest first."""
    zaak_url = _resource_url("zaken", dispute.pk)
    changes = [event for event in events if event.to_state and event.to_state != DisputeState.DRAFT]
    result = []
    for index, event in enumerate(changes):
        pk = _derived("statussen", event.pk)
        result.append({
            "url": _resource_url("statussen", pk),
            "uuid": str(pk),
            "zaak": zaak_url,
            "statustype": statustype_url(dispute.kind, event.to_state),
            "datumStatusGezet": _datetime(event.at),
            "statustoelichting": STATUSTYPEN[event.to_state].omschrijving,
            "indicatieLaatstGezetteStatus": index == len(changes) - 1,
            "gezetdoor": None,
            "zaakinformatieobjecten": [],
        })
    return result


def rollen(dispute: Dispute) -> list[dict]:
    """A Rol per party: an organisation (niet-natuurlijk persoon) with its name and KvK number. ``innNnpId`` (the
    RSIN) is left out: the product does not know the parties' RSINs, and the standard allows no empty one."""
    zaak_url = _resource_url("zaken", dispute.pk)
    result = []
    for party in dispute.parties.select_related("organisation").order_by("role", "organisation__name"):
        organisation = party.organisation
        entry = ROLTYPEN[party.role]
        pk = _derived("rollen", party.pk)
        result.append({
            "url": _resource_url("rollen", pk),
            "uuid": str(pk),
            "zaak": zaak_url,
            "betrokkene": "",
            "betrokkeneType": "niet_natuurlijk_persoon",
            "afwijkendeNaamBetrokkene": "",
            "roltype": roltype_url(dispute.kind, party.role),
            "omschrijving": entry.omschrijving,
            "omschrijvingGeneriek": entry.generiek,
            "roltoelichting": entry.omschrijving,
            "registratiedatum": _datetime(dispute.submitted_at),
            "indicatieMachtiging": "",
            "contactpersoonRol": None,
            "statussen": [],
            "beginGeldigheid": None,
            "eindeGeldigheid": _date(party.withdrawn_at),
            "betrokkeneIdentificatie": {
                "annIdentificatie": "",
                "kvkNummer": organisation.kvk_number or "",
                "vestigingsNummer": "",
                "statutaireNaam": organisation.name[:500],
                "innRechtsvorm": RECHTSVORM.get(organisation.kind, ""),
                "bezoekadres": "",
                "verblijfsadres": None,
                "subVerblijfBuitenland": None,
            },
        })
    return result


def informatieobject(document, download_url=None) -> dict:
    """``download_url(document)``: where its content is (the API's download; ``inhoud``), or None."""
    created = document.submitted_at or document.uploaded_at
    return {
        "url": _resource_url("enkelvoudiginformatieobjecten", document.pk),
        "identificatie": str(document.pk),
        "bronorganisatie": rsin(),
        "creatiedatum": _date(created),
        "titel": document.display_name[:200],
        "vertrouwelijkheidaanduiding": VERTROUWELIJKHEID[document.confidentiality],
        "auteur": (document.organisation.name if document.organisation_id else MINISTRY)[:200],
        "status": "definitief" if document.submitted_at else "",
        "formaat": document.content_type[:255],
        "taal": "dut",
        "versie": 1,
        "beginRegistratie": _datetime(document.uploaded_at),
        "bestandsnaam": document.display_name[:255],
        "inhoud": download_url(document) if download_url is not None else None,
        "bestandsomvang": document.size,
        "link": "",
        "beschrijving": INFORMATIEOBJECTTYPEN[document.doc_type].omschrijving,
        "ontvangstdatum": _date(document.submitted_at) if document.organisation_id else None,
        "verzenddatum": None,
        "indicatieGebruiksrecht": None,
        "verschijningsvorm": "",
        "ondertekening": None,
        "integriteit": {"algoritme": "sha_256", "waarde": document.sha256, "datum": _date(created)},
        "informatieobjecttype": informatieobjecttype_url(document.doc_type),
        "locked": False,
        "bestandsdelen": [],
        "trefwoorden": [],
    }


def zaakinformatieobject(dispute: Dispute, document) -> dict:
    pk = _derived("zaakinformatieobjecten", document.pk)
    return {
        "url": _resource_url("zaakinformatieobjecten", pk),
        "uuid": str(pk),
        "informatieobject": _resource_url("enkelvoudiginformatieobjecten", document.pk),
        "zaak": _resource_url("zaken", dispute.pk),
        "aardRelatieWeergave": "Hoort bij, omgekeerd: kent",
        "titel": document.display_name[:200],
        "beschrijving": "",
        "registratiedatum": _datetime(document.submitted_at or document.uploaded_at),
        "vernietigingsdatum": None,
        "status": None,
    }


def _besluit_toelichting(dispute: Dispute, event_kind: str) -> str:
    if event_kind == "declare_inadmissible":
        codes = ", ".join(dispute.inadmissibility_reasons) or "-"
        return f"Het verzoek is niet-ontvankelijk verklaard (redenen: {codes})."
    return "Bindende uitspraak van de Minister op het verzoek tot geschilbeslechting (Woningwet art. 44)."


def besluiten(dispute: Dispute, events, documents) -> tuple[list[dict], list[dict]]:
    """The binding decision and the inadmissibility decision, each with the documents that carry it (of those
    given); a decision taken again after a remedy return counts once, the last."""
    taken = {}
    for event in events:
        if event.kind in BESLUITTYPEN:
            taken[event.kind] = event
    result, links = [], []
    for event_kind, event in taken.items():
        pk = _derived("besluiten", event.pk)
        url = _resource_url("besluiten", pk)
        day = _date(dispute.decided_at or event.at)
        suffix = "BU" if event_kind == "decide" else "NO"
        result.append({
            "url": url,
            "identificatie": f"{dispute.case_number}-{suffix}"[:50],
            "verantwoordelijkeOrganisatie": rsin(),
            "besluittype": besluittype_url(event_kind),
            "zaak": _resource_url("zaken", dispute.pk),
            "datum": day,
            "toelichting": _besluit_toelichting(dispute, event_kind),
            "bestuursorgaan": BESTUURSORGAAN,
            "ingangsdatum": day,
            "vervaldatum": None,
            "vervalreden": "",
            "vervalredenWeergave": "",
            "publicatiedatum": None,
            "verzenddatum": None,
            "uiterlijkeReactiedatum": None,
        })
        for document in documents:
            if document.doc_type in BESLUIT_DOCUMENTS[event_kind]:
                link = _derived("besluitinformatieobjecten", f"{event.pk}:{document.pk}")
                links.append({
                    "url": _resource_url("besluitinformatieobjecten", link),
                    "informatieobject": _resource_url("enkelvoudiginformatieobjecten", document.pk),
                    "besluit": url,
                })
    return result, links


def export(dispute: Dispute, *, documents, events=None, download_url=None) -> dict:
    """The case as ZGW resources. ``documents``: the case's documents to include (the caller filters them by
    confidentiality); ``events``: its audit events (default: all, oldest first) for the statuses and decisions;
    ``download_url(document)``: the URL of a document's content (``inhoud``)."""
    documents = list(documents)
    events = list(events if events is not None else dispute.events.order_by("at", "pk"))
    status_list = statussen(dispute, events)
    rol_list = rollen(dispute)
    zio_list = [zaakinformatieobject(dispute, document) for document in documents]
    besluit_list, bio_list = besluiten(dispute, events, documents)
    last_change = max((event.at for event in events), default=dispute.submitted_at or dispute.created_at)
    return {
        "zaak": zaak(dispute, rollen=rol_list, statussen=status_list, zaakinformatieobjecten=zio_list,
                     last_change=last_change),
        "statussen": status_list,
        "rollen": rol_list,
        "enkelvoudiginformatieobjecten": [informatieobject(document, download_url) for document in documents],
        "zaakinformatieobjecten": zio_list,
        "besluiten": besluit_list,
        "besluitinformatieobjecten": bio_list,
    }


def catalogue() -> dict:
    """The catalogue as a table (docs/zgw.md is written from it): every entry with its URL."""
    return {
        "zaaktypen": {kind: {"omschrijving": entry.omschrijving, "url": zaaktype_url(kind)}
                      for kind, entry in ZAAKTYPEN.items()},
        "statustypen": {state: {"omschrijving": entry.omschrijving, "volgnummer": entry.volgnummer}
                        for state, entry in STATUSTYPEN.items()},
        "roltypen": {role: {"omschrijving": entry.omschrijving, "omschrijvingGeneriek": entry.generiek}
                     for role, entry in ROLTYPEN.items()},
        "informatieobjecttypen": {doc_type: {"omschrijving": entry.omschrijving,
                                             "url": informatieobjecttype_url(doc_type)}
                                  for doc_type, entry in INFORMATIEOBJECTTYPEN.items()},
        "besluittypen": {kind: {"omschrijving": entry.omschrijving, "url": besluittype_url(kind)}
                         for kind, entry in BESLUITTYPEN.items()},
    }
