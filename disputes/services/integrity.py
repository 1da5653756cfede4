"""The daily integrity check of the stored files (quality.md, Uploads): the SHA-256 taken on receipt is
checked again for every stored document, and a mismatch raises the alarm through the services.

Downloads (``portal/downloads.py``) and the dossier export re-check the one file they are about to
use. ``check_documents`` checks every stored document: every ``Document`` row, also documents taken out
of a draft, effort-log documents, the generated ones (letters) and the exports stored as documents
of step ``dossier`` before migration 0009. It runs daily as the Celery task
``disputes.tasks.check_integrity`` and on demand as ``manage.py check_integrity``.

The PDF and ZIP of a dossier export (``DossierExport.pdf_file`` / ``zip_file``) are not part of this
check: they are build products, not evidence; made from documents whose hashes were verified while
building, re-checked against their own SHA-256 on every download (a mismatch blocks it and is
recorded as ``integrity_failure``), and pruned to the newest few per case.

Each mismatch or missing file raises the same alarm as a blocked download
(``drafts.document_integrity_alarm``: an ERROR log line and an internal ``integrity_failure``
event on the case), and ``notify_secretariat`` e-mails the secretariat the case numbers, names and
ids of the documents concerned (never their contents). A failure on one document does not stop
the check of the others. Rows are read with ``.iterator()`` and files in 1 MiB chunks, so memory
does not grow with the size of the store; only the ids of bad documents are kept.
"""

import logging
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .. import integrity
from ..models import Document, StaffRole
from . import drafts

logger = logging.getLogger("disputes.integrity")

#: At most this many documents are listed in the e-mail; the rest are in the log and the report.
MAIL_LIST_LIMIT = 100

MISSING = "missing"
MISMATCH = "mismatch"


@dataclass
class Problem:
    document_id: str
    reason: str  # MISSING or MISMATCH


@dataclass
class IntegrityReport:
    checked: int = 0
    ok: int = 0
    mismatched: int = 0
    missing: int = 0
    bytes_read: int = 0
    duration: float = 0.0
    #: the documents whose file is missing or changed, in the order checked
    problems: list[Problem] = field(default_factory=list)
    #: documents whose alarm could not be recorded (logged with a traceback); they are still problems
    alarm_failures: int = 0
    #: True when the run was stopped (the task's soft time limit) before every document was checked
    interrupted: bool = False
    #: True when the private storage itself could not be reached (not mounted): nothing was checked,
    #: and no document was marked, since the files are most likely fine where they cannot be seen
    storage_unavailable: bool = False

    @property
    def bad_ids(self) -> list[str]:
        return [problem.document_id for problem in self.problems]

    @property
    def clean(self) -> bool:
        return not self.problems and not self.interrupted and not self.storage_unavailable

    def summary(self) -> str:
        """One Dutch line for the log, the command's output and the e-mail."""
        text = (
            f"Integriteitscontrole: {self.checked} documenten gecontroleerd, {self.ok} in orde, "
            f"{self.mismatched} gewijzigd, {self.missing} ontbrekend of onleesbaar; "
            f"{self.bytes_read} bytes gelezen in {self.duration:.1f} s"
        )
        if self.alarm_failures:
            text += f"; {self.alarm_failures} meldingen konden niet worden vastgelegd"
        if self.interrupted:
            text += "; AFGEBROKEN, niet alle documenten zijn gecontroleerd"
        if self.storage_unavailable:
            text += "; DE OPSLAG IS NIET BEREIKBAAR, er is niets gecontroleerd"
        return text

    def as_dict(self) -> dict:
        result = asdict(self)
        result["problems"] = [asdict(problem) for problem in self.problems]
        result["bad_ids"] = self.bad_ids
        return result


def storage_reachable() -> bool:
    """Whether the private storage can be seen at all. On a file system that is its root folder: a
    volume that is not mounted would otherwise make every document look missing."""
    storage = Document._meta.get_field("file").storage
    location = getattr(storage, "location", None)
    return location is None or os.path.isdir(location)


def check_documents(*, since: datetime | None = None, batch_size: int = 200) -> IntegrityReport:
    """Check the stored file of every document (uploaded at or after ``since``, if given) against its
    SHA-256, in primary-key order, and raise the alarm for each one that is missing or changed."""
    report = IntegrityReport()
    started = time.monotonic()
    if not storage_reachable():
        report.storage_unavailable = True
        report.duration = time.monotonic() - started
        return report
    documents = Document.objects.order_by("pk")
    if since is not None:
        documents = documents.filter(uploaded_at__gte=since)
    try:
        for document in documents.iterator(chunk_size=batch_size):
            report.checked += 1
            try:
                actual, size = integrity._hash_stored_file(document)
            except SoftTimeLimitExceeded:
                raise
            except Exception:  # noqa: BLE001 - a storage backend may fail in its own way; go on
                logger.exception("integrity check: could not read document=%s", document.pk)
                actual, size = None, 0
            report.bytes_read += size
            if actual == document.sha256:
                report.ok += 1
                continue
            if actual is None:
                report.missing += 1
                report.problems.append(Problem(str(document.pk), MISSING))
                detail = "integrity check: file missing or unreadable"
            else:
                report.mismatched += 1
                report.problems.append(Problem(str(document.pk), MISMATCH))
                detail = f"integrity check: stored file has sha256 {actual}"
            try:
                drafts.document_integrity_alarm(document=document, actor=None, detail=detail)
            except SoftTimeLimitExceeded:
                raise
            except Exception:  # noqa: BLE001 - one failing alarm must not stop the check of the others
                report.alarm_failures += 1
                logger.exception("integrity check: could not record the alarm for document=%s", document.pk)
    except SoftTimeLimitExceeded:
        report.interrupted = True
    report.duration = time.monotonic() - started
    return report


def _where(document: Document) -> str:
    """The case (number) or the effort log a document belongs to, for the e-mail."""
    if document.dispute_id is not None:
        return _("geschil %(case)s") % {"case": document.dispute}
    if document.effort_entry_id is not None:
        return _("overleglogboek %(agreement)s") % {"agreement": document.effort_entry.agreement}
    return _("zonder geschil")


def secretariat_addresses() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=StaffRole.SECRETARY).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def notify_secretariat(report: IntegrityReport) -> int:
    """E-mail the secretariat about a report that is not clean; returns the number of messages sent.

    One message per address. Only case numbers, document names and ids are sent, never a file.
    """
    if report.clean:
        return 0
    addresses = secretariat_addresses()
    if not addresses:
        logger.error("integrity check: problems found but no secretary has an e-mail address")
        return 0
    listed = report.problems[:MAIL_LIST_LIMIT]
    documents = {
        str(document.pk): document
        for document in Document.objects.select_related("dispute", "effort_entry__agreement__municipality").filter(
            pk__in=[problem.document_id for problem in listed]
        )
    }
    items = []
    with translation.override("nl"):
        for problem in listed:
            document = documents.get(problem.document_id)
            items.append({
                "id": problem.document_id,
                "where": _where(document) if document is not None else _("onbekend"),
                "name": document.display_name if document is not None else "",
                "reason": _("bestand ontbreekt of is onleesbaar") if problem.reason == MISSING
                else _("inhoud wijkt af van de SHA-256 bij ontvangst"),
            })
        context = {"report": report, "items": items, "more": len(report.problems) - len(listed)}
        subject = " ".join(render_to_string("emails/integrity_subject.txt", context).split())
        body = render_to_string("emails/integrity_body.txt", context)
    sent = 0
    for address in addresses:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # noqa: BLE001 - the other secretaries must still hear about it
            logger.exception("integrity check: could not e-mail %s", address)
            continue
        sent += 1
    return sent


def run_check(*, since: datetime | None = None, mail: bool = True) -> IntegrityReport:
    """The check as the daily task runs it: check, log one summary line, e-mail when not clean."""
    report = check_documents(since=since)
    if report.clean:
        logger.info("%s", report.summary())
    else:
        logger.error("%s; documents: %s", report.summary(), ", ".join(report.bad_ids[:MAIL_LIST_LIMIT]))
        if mail:
            notify_secretariat(report)
    return report
