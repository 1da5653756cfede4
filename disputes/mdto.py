"""MDTO metadata for the transfer of cases to be kept (issue 17, item 7; docs/archive.md, "Overbrenging (MDTO)").

MDTO 1.0 (Metagegevens Duurzaam Toegankelijke Overheidsinformatie, Nationaal Archief), namespace
``https://www.nationaalarchief.nl/mdto``. One XML file holds one object (the standard's ``MDTO`` root):

- ``case_xml``: the case as an ``informatieobject`` of aggregatieniveau "Dossier": its case number, kind
  (classificatie), the period it ran (dekkingInTijd), its filing and end (event), the waardering and bewaartermijn
  of its retention rule, the selectielijst category (informatiecategorie), its documents (bevatOnderdeel), the
  ministry as archiefvormer and the parties as organisations (betrokkene: no natural persons);
- ``document_xml``: each document as an ``informatieobject`` of aggregatieniveau "Archiefstuk", part of the case,
  with its file as representation;
- ``file_xml``: each file as a ``bestand``: name, size, PRONOM format, SHA-256 checksum, and the document it
  represents.

``validate`` checks a generated file against ``schemas/mdto-subset.xsd``: a schema written from the standard (not
the Nationaal Archief's own file, which no installed package ships; its header says what it covers). Pure: the
caller reads the rows and the hashes, this module only writes XML.
"""

import functools
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from lxml import etree

from . import clock
from .models import (
    CaseRetention,
    Confidentiality,
    Dispute,
    DisputeKind,
    Document,
    DocumentRetention,
    DocumentType,
    Nomination,
    PartyRole,
)

NAMESPACE = "https://www.nationaalarchief.nl/mdto"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "mdto-subset.xsd"
#: the system the identifiers come from (identificatieBron)
SOURCE = "Geschilbeslechting prestatieafspraken"
DEFAULT_ARCHIVE_CREATOR = "Ministerie van Volkshuisvesting en Ruimtelijke Ordening"

#: the begrippenlijsten the labels come from (begripBegrippenlijst)
LIST_AGGREGATION = "Begrippenlijst Aggregatieniveaus MDTO"
LIST_VALUATION = "Begrippenlijst Waarderingen MDTO"
LIST_CHECKSUM = "Begrippenlijst ChecksumAlgoritme MDTO"
LIST_PRONOM = "PRONOM-register"
LIST_SELECTION = "Selectielijst geschilbeslechting prestatieafspraken (docs/archive.md)"
LIST_KINDS = "Soorten geschil (Woningwet art. 44)"
LIST_DOCUMENT_TYPES = "Documentsoorten geschilbeslechting"
LIST_ROLES = "Rollen in het geschil"
LIST_EVENTS = "Begrippenlijst Eventtypen"
LIST_COVERAGE = "Begrippenlijst Dekking in tijd"
LIST_RESTRICTIONS = "Begrippenlijst Openbaarheid (Archiefwet 1995)"

VALUATIONS = {Nomination.KEEP: ("blijvend te bewaren", "B"), Nomination.DESTROY: ("te vernietigen", "V")}
#: the PRONOM identifier of each PDF version (the header's %PDF-1.x)
PDF_FORMATS = {"1.0": "fmt/14", "1.1": "fmt/15", "1.2": "fmt/16", "1.3": "fmt/17", "1.4": "fmt/18",
               "1.5": "fmt/19", "1.6": "fmt/20", "1.7": "fmt/276", "2.0": "fmt/1129"}
KIND_LABELS = {DisputeKind.NAKOMING: "Nakoming prestatieafspraken",
               DisputeKind.TOTSTANDKOMING: "Totstandkoming prestatieafspraken"}
ROLE_LABELS = {PartyRole.APPLICANT: "Verzoeker", PartyRole.RESPONDENT: "Verweerder",
               PartyRole.INTERESTED: "Belanghebbende"}


class MdtoInvalid(ValueError):
    """A generated file that does not validate against the schema (a bug: the export is refused)."""


def archive_creator() -> str:
    """The archiefvormer: the ministry (``settings.ARCHIVE_CREATOR`` where set)."""
    return getattr(settings, "ARCHIVE_CREATOR", DEFAULT_ARCHIVE_CREATOR)


@functools.cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def validate(xml: bytes) -> None:
    """Raise ``MdtoInvalid`` (with the schema's messages) when ``xml`` does not validate against the schema."""
    checker = schema()
    if not checker.validate(etree.fromstring(xml)):
        raise MdtoInvalid("; ".join(f"line {e.line}: {e.message}" for e in checker.error_log))


# -- building blocks -----------------------------------------------------------------------------------------
def _el(parent, name: str, text=None):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        element.text = str(text)
    return element


def _identification(parent, name: str, kenmerk: str, bron: str = SOURCE):
    element = _el(parent, name)
    _el(element, "identificatieKenmerk", kenmerk)
    _el(element, "identificatieBron", bron)
    return element


def _reference(parent, name: str, naam: str, kenmerk: str = "", bron: str = SOURCE):
    element = _el(parent, name)
    _el(element, "verwijzingNaam", naam)
    if kenmerk:
        _identification(element, "verwijzingIdentificatie", kenmerk, bron)
    return element


def _concept(parent, name: str, label: str, begrippenlijst: str, code: str = ""):
    element = _el(parent, name)
    _el(element, "begripLabel", label)
    if code:
        _el(element, "begripCode", code)
    _reference(element, "begripBegrippenlijst", begrippenlijst)
    return element


def _root():
    root = etree.Element(f"{{{NAMESPACE}}}MDTO", nsmap={None: NAMESPACE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd")
    return root


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _term(parent, *, category: str, source_date: date, years: int, action_date: date):
    term = _el(parent, "bewaartermijn")
    _concept(term, "termijnTriggerStartLooptijd", "Beëindiging van de zaak", LIST_SELECTION, category)
    _el(term, "termijnStartdatumLooptijd", source_date.isoformat())
    _el(term, "termijnLooptijd", f"P{years}Y")
    _el(term, "termijnEinddatum", action_date.isoformat())


def _restriction(parent, confidentiality: str = Confidentiality.PARTIES):
    restriction = _el(parent, "beperkingGebruik")
    _concept(restriction, "beperkingGebruikType", "beperkt openbaar", LIST_RESTRICTIONS)
    note = ("Alleen voor het ministerie." if confidentiality == Confidentiality.INTERNAL
            else "Gedeeld met de partijen en de adviescommissie; niet gepubliceerd.")
    _el(restriction, "beperkingGebruikNadereBeschrijving",
        f"{note} De zorgdrager stelt de openbaarheid vast bij de overbrenging (Archiefwet 1995, artikel 15).")


def _moment(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


# -- the objects ---------------------------------------------------------------------------------------------
@dataclass
class FileEntry:
    """A document as the transfer writes it: its file's name in the package, size and SHA-256 (read by the
    caller from the stored file), and the moment the hash was taken."""

    document: Document
    file_name: str
    size: int
    sha256: str
    checked_at: datetime

    @property
    def document_id(self) -> str:
        return str(self.document.pk)

    @property
    def file_id(self) -> str:
        return f"{self.document.pk}/bestand"


def case_xml(dispute: Dispute, retention: CaseRetention, entries: list[FileEntry], *, started: datetime,
             ended: datetime, parties) -> bytes:
    """The case's informatieobject (Dossier). ``parties``: ``(organisation, role)`` pairs."""
    root = _root()
    case = _el(root, "informatieobject")
    _identification(case, "identificatie", dispute.case_number)
    _identification(case, "identificatie", str(dispute.pk), f"{SOURCE} (technisch kenmerk)")
    _el(case, "naam", f"Geschil {dispute.case_number}" + (f": {dispute.title}" if dispute.title else ""))
    _concept(case, "aggregatieniveau", "Dossier", LIST_AGGREGATION)
    if dispute.kind in KIND_LABELS:
        _concept(case, "classificatie", KIND_LABELS[dispute.kind], LIST_KINDS, dispute.kind)
    _el(case, "omschrijving", f"{retention.description} ({retention.category})")
    coverage = _el(case, "dekkingInTijd")
    _concept(coverage, "dekkingInTijdType", "Looptijd", LIST_COVERAGE)
    _el(coverage, "dekkingInTijdBegindatum", clock.localdate(started).isoformat())
    _el(coverage, "dekkingInTijdEinddatum", retention.source_date.isoformat())
    _el(case, "taal", "nl")
    filed = _el(case, "event")
    _concept(filed, "eventType", "Ontvangst", LIST_EVENTS)
    _el(filed, "eventTijd", _moment(started))
    closed = _el(case, "event")
    _concept(closed, "eventType", "Afsluiting", LIST_EVENTS)
    _el(closed, "eventTijd", _moment(ended))
    _el(closed, "eventResultaat", retention.outcome)
    label, code = VALUATIONS[Nomination(retention.nomination)]
    _concept(case, "waardering", label, LIST_VALUATION, code)
    _term(case, category=retention.category, source_date=retention.source_date, years=retention.years,
          action_date=retention.action_date)
    _concept(case, "informatiecategorie", retention.description, LIST_SELECTION, retention.category)
    for entry in entries:
        _reference(case, "bevatOnderdeel", entry.document.display_name, entry.document_id)
    _reference(case, "archiefvormer", archive_creator())
    for organisation, role in parties:
        involved = _el(case, "betrokkene")
        _concept(involved, "betrokkeneTypeRelatie", ROLE_LABELS.get(role, str(role)), LIST_ROLES, str(role))
        kvk = getattr(organisation, "kvk_number", "")
        kenmerk, bron = (kvk, "KvK") if kvk else (str(organisation.pk), SOURCE)
        _reference(involved, "betrokkeneActor", organisation.name, kenmerk, bron)
    _reference(case, "activiteit", "Geschilbeslechting prestatieafspraken (Woningwet, artikel 44)")
    _restriction(case)
    return _serialise(root)


def document_xml(dispute: Dispute, case_retention: CaseRetention, entry: FileEntry,
                 document_retention: DocumentRetention | None = None) -> bytes:
    """A document's informatieobject (Archiefstuk): part of the case, represented by its file. A document with
    a shorter term of its own (a ``DocumentRetention``) carries that term and is valued "te vernietigen"."""
    document = entry.document
    root = _root()
    item = _el(root, "informatieobject")
    _identification(item, "identificatie", entry.document_id)
    _el(item, "naam", document.display_name)
    _concept(item, "aggregatieniveau", "Archiefstuk", LIST_AGGREGATION)
    type_label = str(DocumentType(document.doc_type).label) if document.doc_type in DocumentType.values else ""
    _concept(item, "classificatie", type_label or document.doc_type, LIST_DOCUMENT_TYPES, document.doc_type)
    received = document.submitted_at or document.uploaded_at
    event = _el(item, "event")
    _concept(event, "eventType", "Ontvangst", LIST_EVENTS)
    _el(event, "eventTijd", _moment(received))
    if document_retention is not None:
        label, code = VALUATIONS[Nomination.DESTROY]
        _concept(item, "waardering", label, LIST_VALUATION, code)
        _term(item, category=document_retention.category, source_date=case_retention.source_date,
              years=document_retention.years, action_date=document_retention.action_date)
        _concept(item, "informatiecategorie", document.doc_type, LIST_SELECTION, document_retention.category)
    else:
        label, code = VALUATIONS[Nomination(case_retention.nomination)]
        _concept(item, "waardering", label, LIST_VALUATION, code)
        _term(item, category=case_retention.category, source_date=case_retention.source_date,
              years=case_retention.years, action_date=case_retention.action_date)
        _concept(item, "informatiecategorie", case_retention.description, LIST_SELECTION, case_retention.category)
    _reference(item, "isOnderdeelVan", f"Geschil {dispute.case_number}", dispute.case_number)
    _reference(item, "heeftRepresentatie", entry.file_name, entry.file_id)
    _reference(item, "archiefvormer", archive_creator())
    _restriction(item, document.confidentiality)
    return _serialise(root)


def pdf_format(head: bytes) -> tuple[str, str]:
    """(label, PRONOM code) of a PDF from its first bytes; ("", "") when it is no PDF header we know."""
    if head.startswith(b"%PDF-"):
        version = head[5:8].decode("ascii", "replace")
        if version in PDF_FORMATS:
            return f"Acrobat PDF {version} - Portable Document Format", PDF_FORMATS[version]
    return "", ""


def file_xml(entry: FileEntry, *, head: bytes = b"") -> bytes:
    """A file's bestand: name in the package, size, format (PRONOM, from ``head``: the file's first bytes),
    SHA-256 and the document it represents."""
    document = entry.document
    root = _root()
    item = _el(root, "bestand")
    _identification(item, "identificatie", entry.file_id)
    _el(item, "naam", entry.file_name)
    _el(item, "omvang", entry.size)
    label, code = pdf_format(head)
    _concept(item, "bestandsformaat", label or document.content_type or "onbekend", LIST_PRONOM, code)
    checksum = _el(item, "checksum")
    _concept(checksum, "checksumAlgoritme", "SHA-256", LIST_CHECKSUM)
    _el(checksum, "checksumWaarde", entry.sha256)
    _el(checksum, "checksumDatum", _moment(entry.checked_at))
    _reference(item, "isRepresentatieVan", document.display_name, entry.document_id)
    return _serialise(root)
