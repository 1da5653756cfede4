"""The archive's retention and transfer (issue 17, items 5 and 7; docs/archive.md).

**Retention** (``retention_assign``): when a case ends (an event whose ``to_state`` is in ``CONCLUDED_STATES``,
followed through ``disputes.signals.event_recorded`` in the ending service's own transaction) it gets the row of
the selectielijst table for how it ended (``disputes.retention.outcome``), copied into its ``CaseRetention``: a
later change of the table does not change it. The brondatum is the day it ended (Dutch time): the decision's day
for a decided case, so closing it after the objection term keeps the rule it got then. Its documents whose type
has a row of its own (a shorter term where the selectielijst allows it) get a ``DocumentRetention`` from the
same brondatum. A draft withdrawn before filing was never a case and gets none. The event
``retention_assigned`` (internal, by the system) records the nomination, category and archiefactiedatum.

**Transfer** (``transfer_export``): a case to be kept (nomination "blijvend bewaren", not destroyed) is packed for
the archive by a record manager: a ZIP with the case's MDTO metadata, each document's file with its own two
MDTO files (informatieobject and bestand), and ``manifest-sha256.txt`` over every file in it. Each file is hashed
while it is copied into the ZIP and compared with the hash taken on receipt: a changed or missing file refuses
the export. The ZIP is written to a temporary file one file at a time (memory stays flat); the caller removes it.
"""

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .. import clock, mdto, permissions
from ..integrity import CHUNK_SIZE, file_sha256
from ..models import (
    CaseRetention,
    Confidentiality,
    Dispute,
    Document,
    DocumentRetention,
    Nomination,
    RetentionRule,
    RetentionScope,
)
from ..retention import action_date, outcome, source_moment
from ..signals import event_recorded
from ..states import CONCLUDED_STATES
from ._core import lock, record, service

log = logging.getLogger(__name__)

MANIFEST = "manifest-sha256.txt"


# -- retention -----------------------------------------------------------------------------------------------
def _document_rules() -> dict[str, RetentionRule]:
    return {rule.key: rule for rule in RetentionRule.objects.filter(scope=RetentionScope.DOCUMENT)}


def _shorter(rule: RetentionRule, case: CaseRetention) -> bool:
    """A document's own term applies where it is shorter than the case's (always, for a case to be kept)."""
    return case.nomination == Nomination.KEEP or rule.years < case.years


@service
def retention_assign(dispute: Dispute) -> CaseRetention | None:
    """Give an ended case its retention rule (see the module); the one it has when it has one already. None for
    a case that has not ended, was never filed, or whose outcome has no row in the table (logged)."""
    existing = CaseRetention.objects.filter(dispute=dispute).first()
    if existing is not None:
        return existing
    if dispute.state not in CONCLUDED_STATES or dispute.submitted_at is None:
        return None
    key = outcome(dispute)
    rule = RetentionRule.objects.filter(scope=RetentionScope.CASE, key=key).first()
    if rule is None:
        log.warning("retention: no rule for outcome %r in the selectielijst table (case %s)", key, dispute.pk)
        return None
    source_date = clock.localdate(source_moment(dispute))
    retention = CaseRetention.objects.create(
        dispute=dispute, outcome=key, category=rule.category, description=rule.description,
        nomination=rule.nomination, years=rule.years, source_date=source_date,
        action_date=action_date(source_date, rule.years), assigned_at=clock.now(),
    )
    rules = _document_rules()
    documents = 0
    for document in Document.objects.filter(dispute=dispute).current().filter(doc_type__in=rules):
        own = rules[document.doc_type]
        if not _shorter(own, retention):
            continue
        DocumentRetention.objects.get_or_create(document=document, defaults={
            "category": own.category, "years": own.years, "action_date": action_date(source_date, own.years)})
        documents += 1
    # recorded quietly: it follows from the event that ended the case, which the workflow and the change
    # notifications must see first and alone (tests/integration/test_workflow_flow.py)
    record(dispute, actor=None, kind="retention_assigned", visibility=Confidentiality.INTERNAL, announce=False,
           payload={
               "outcome": key, "nomination": retention.nomination, "category": retention.category,
               "years": retention.years, "action_date": retention.action_date.isoformat(), "documents": documents,
           })
    return retention


def follow_event(sender, *, dispute, event, **kwargs) -> None:
    """A case entering a concluded state gets its rule (``retention_assign``; idempotent on a later end state)."""
    if event.to_state in CONCLUDED_STATES and event.to_state != event.from_state:
        retention_assign(dispute)


def connect() -> None:
    """Connected in ``DisputesConfig.ready`` (disputes/apps.py)."""
    event_recorded.connect(follow_event, dispatch_uid="disputes.retention.follow_event")


def assign_missing() -> dict[str, int]:
    """Every ended case without a rule gets one (for data from before the archive): counts per result."""
    counts = {"assigned": 0, "without_rule": 0}
    pending = (Dispute.objects.filter(state__in=CONCLUDED_STATES, submitted_at__isnull=False, retention__isnull=True)
               .order_by("case_number"))
    for dispute in pending.iterator():
        assigned = retention_assign(dispute)
        counts["assigned" if assigned is not None else "without_rule"] += 1
    return counts


# -- transfer ------------------------------------------------------------------------------------------------
def _safe_name(name: str) -> str:
    """A file name safe in any archive system: ASCII letters, digits, dot, dash and underscore."""
    stem = Path(name).stem if name.lower().endswith(".pdf") else name
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_only).strip("-.")
    return (cleaned or "document")[:80]


def transferable(dispute: Dispute) -> CaseRetention:
    """The case's retention rule when it may be transferred; ValidationError with the reason otherwise."""
    retention = CaseRetention.objects.filter(dispute=dispute).first()
    if retention is None:
        raise ValidationError(_("Deze zaak heeft nog geen bewaartermijn; alleen afgeronde zaken worden overgebracht."))
    if retention.nomination != Nomination.KEEP:
        raise ValidationError(_("Deze zaak wordt niet blijvend bewaard (archiefnominatie: vernietigen) en wordt dus "
                                "niet overgebracht."))
    if retention.destroyed_at is not None:
        raise ValidationError(_("Deze zaak is vernietigd en kan niet meer worden overgebracht."))
    return retention


class _Package:
    """The ZIP being written: every member is hashed as it is written, for the manifest."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.hashes: list[tuple[str, str]] = []

    def write_bytes(self, name: str, data: bytes) -> None:
        self.archive.writestr(name, data)
        self.hashes.append((hashlib.sha256(data).hexdigest(), name))

    def copy(self, name: str, handle) -> tuple[str, int, bytes]:
        """Copy an open file into the package in 1 MiB chunks: (SHA-256, size, first bytes)."""
        digest, size, head = hashlib.sha256(), 0, b""
        with self.archive.open(name, "w", force_zip64=True) as target:
            for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
                if not head:
                    head = chunk[:16]
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self.hashes.append((digest.hexdigest(), name))
        return digest.hexdigest(), size, head

    def manifest(self) -> bytes:
        return "".join(f"{sha}  {name}\n" for sha, name in self.hashes).encode("utf-8")


def _xml(data: bytes) -> bytes:
    mdto.validate(data)
    return data


def _build(dispute: Dispute, retention: CaseRetention, path: Path) -> int:
    """Write the package to ``path``; returns the number of documents. ValidationError on a changed file."""
    number = dispute.case_number
    documents = list(Document.objects.filter(dispute=dispute).current().select_related("retention")
                     .order_by("uploaded_at", "pk"))
    entries = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        package = _Package(archive)
        for n, document in enumerate(documents, start=1):
            base = f"{n:03d}-{_safe_name(document.display_name)}"
            file_name = f"{base}.pdf"
            try:
                with document.file.storage.open(document.file.name, "rb") as handle:
                    sha, size, head = package.copy(f"{number}/bestanden/{file_name}", handle)
            except (OSError, ValueError):
                sha, size, head = None, 0, b""
            if sha != document.sha256:
                raise ValidationError(_(
                    "Het bestand van document ‘%(name)s’ is niet meer hetzelfde als bij ontvangst (de SHA-256 klopt "
                    "niet, of het bestand ontbreekt). De zaak is niet overgebracht; meld dit bij het beheer."
                ) % {"name": document.display_name})
            entry = mdto.FileEntry(document=document, file_name=file_name, size=size, sha256=sha,
                                   checked_at=clock.now())
            entries.append(entry)
            own = getattr(document, "retention", None)
            package.write_bytes(f"{number}/bestanden/{base}.mdto.xml",
                                _xml(mdto.document_xml(dispute, retention, entry, own)))
            package.write_bytes(f"{number}/bestanden/{file_name}.bestand.mdto.xml",
                                _xml(mdto.file_xml(entry, head=head)))
        parties = [(p.organisation, p.role) for p in dispute.parties.select_related("organisation")]
        started = dispute.submitted_at or dispute.created_at
        package.write_bytes(f"{number}/dossier.mdto.xml", _xml(mdto.case_xml(
            dispute, retention, entries, started=started, ended=source_moment(dispute), parties=parties)))
        archive.writestr(MANIFEST, package.manifest())
    return len(documents)


@service
def transfer_export(*, actor, dispute: Dispute) -> Path:
    """Build the transfer package of a case to be kept (see the module) and record it: the path of a temporary
    ZIP the caller removes when done. Only a record manager; a case not to be kept, or destroyed, is refused."""
    permissions.require(permissions.can_manage_records(actor))
    dispute = lock(dispute)
    retention = transferable(dispute)
    handle, name = tempfile.mkstemp(prefix=f"overbrenging-{dispute.case_number}-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        with translation.override("nl"):
            documents = _build(dispute, retention, path)
        package_sha, package_size = file_sha256(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    first = retention.transferred_at is None
    retention.transferred_at = clock.now()
    retention.save(update_fields=["transferred_at"])
    record(dispute, actor=actor, kind="case_transferred", visibility=Confidentiality.INTERNAL, payload={
        "documents": documents, "sha256": package_sha, "size": package_size, "again": not first,
    })
    return path
