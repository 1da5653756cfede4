"""Exporting the decision dossier: request (idempotent per case version), build, download.

The request is a service like any other (lock, check, write, record, then ``on_commit``); the
build runs in a Celery task and calls ``dossier_build_export`` here, which claims the export row,
builds into a temporary folder outside any transaction, and stores the PDF and the ZIP on the
export itself (not as documents of the case: they are build products) in one short transaction at
the end. That transaction also prunes: per case and audience only the newest
``settings.DOSSIER_EXPORTS_KEPT`` finished exports keep their files; the files of older ones are
deleted after the commit.

Case version. ``case_version`` (disputes/dossier/content.py) counts the case's version, its
documents and its events, but not the documents of step ``dossier`` (exports stored as documents
before migration 0009) nor the events that only record reading (``dossier_requested``,
``dossier_exported``, downloads). It is computed before the ``dossier_requested`` event is written
and that event is not counted anyway: asking twice for the same case gives the same version, so the
same export; any real change (a transition, a document, a decision) gives a new version and so a
new export.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from .. import clock, outbox, permissions
from ..dossier import file_stem
from ..dossier.content import case_version
from ..dossier.errors import DossierDocumentTooCostlyError, DossierIntegrityError, ExportFileIntegrityError
from ..integrity import file_sha256, stored_file_sha256
from ..models import (
    Confidentiality,
    Dispute,
    Document,
    DossierAudience,
    DossierExport,
    ExportStatus,
    StaffRole,
)
from ..states import DisputeState
from ._core import lock, on_commit_notify, record, service, track_stored_file

log = logging.getLogger(__name__)

FULL_ROLES = (StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL)


# -- who may ------------------------------------------------------------------------------------
def allowed_audiences(user, dispute: Dispute) -> list[str]:
    """Which versions of the dossier ``user`` may export (and see): staff of the ministry both,
    the commission and the parties of the case the party version, anyone else none.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if permissions.application_of(user) is not None:  # a connected application's account: its own narrow rule
        return permissions.application_export_audiences(user, dispute)
    if not permissions.can_view_dispute(user, dispute):
        return []
    if user.is_superuser or permissions.has_role(user, *FULL_ROLES):
        return [DossierAudience.FULL, DossierAudience.PARTY]
    if permissions.is_staff_member(user) or permissions.is_applicant(user, dispute) or (
        permissions.is_respondent(user, dispute)
    ):
        return [DossierAudience.PARTY]
    return []


def can_export_dossier(user, dispute: Dispute, audience: str) -> bool:
    return audience in allowed_audiences(user, dispute)


def widest_audience(user, dispute: Dispute) -> str:
    """The most complete version ``user`` may export (full for the ministry, party for the others);
    ``party`` when they may export none, so that ``require_export`` refuses it."""
    audiences = allowed_audiences(user, dispute)
    return audiences[0] if audiences else DossierAudience.PARTY


def require_export(*, actor, dispute: Dispute, audience: str) -> None:
    """What must hold before ``actor`` gets ``audience`` of the dossier of ``dispute``: a known version,
    one the actor may export (``NotPermitted`` otherwise), and a case that was filed.

    The one check for every way to a dossier that acts for a user: the web request
    (``dossier_request_export``) and the scenario runner's ``export_dossier`` step.
    """
    if audience not in DossierAudience.values:
        raise ValidationError({"audience": _("Kies de volledige versie of de partijversie.")})
    permissions.require(
        can_export_dossier(actor, dispute, audience),
        _("U mag deze versie van het dossier niet exporteren."),
    )
    if dispute.state == DisputeState.DRAFT or not dispute.case_number:
        raise ValidationError(_("Van een concept wordt geen dossier gemaakt; dien het verzoek eerst in."))


def exports_visible_to(user, dispute: Dispute):
    """The exports of a case this user may see (newest first)."""
    return DossierExport.objects.filter(dispute=dispute, audience__in=allowed_audiences(user, dispute)).order_by(
        "-requested_at"
    )


# -- request ------------------------------------------------------------------------------------
@service
def dossier_request_export(*, dispute: Dispute, actor, audience: str) -> DossierExport:
    """Ask for the dossier of a case; returns the existing export of this case version if any.

    A failed export of the same version, or one whose files were pruned, is reset and built again.
    The build is scheduled after the commit (Celery task ``build_dossier_export``).
    """
    dispute = lock(dispute)
    require_export(actor=actor, dispute=dispute, audience=audience)
    version = case_version(dispute)  # before the event below (which is not counted anyway)
    export = DossierExport.objects.filter(dispute=dispute, audience=audience, case_version=version).first()
    schedule = False
    if export is None:
        export = DossierExport.objects.create(
            dispute=dispute, audience=audience, case_version=version, requested_by=actor,
            requested_at=clock.now(),
        )
        schedule = True
    elif export.status == ExportStatus.FAILED or export.pruned_at is not None:
        DossierExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.PENDING, progress=0, error="", pages=None, requested_by=actor,
            requested_at=clock.now(), started_at=None, finished_at=None, pruned_at=None,
            pdf_file="", pdf_sha256="", pdf_size=None, zip_file="", zip_sha256="", zip_size=None,
        )
        export.refresh_from_db()
        schedule = True
    elif export.status in (ExportStatus.PENDING, ExportStatus.RUNNING) and _stale(export):
        schedule = True  # its task was lost (broker down before the outbox relay) or died: ask again
    record(
        dispute, actor=actor, kind="dossier_requested",
        organisation=_acting_organisation(actor, dispute),
        payload={"export": str(export.pk), "audience": audience, "case_version": version, "new": schedule},
        visibility=_visibility(audience),
    )
    if schedule:
        outbox.enqueue("disputes.dossier.tasks.build_dossier_export", export_id=str(export.pk))
    return export


def _stale(export: DossierExport) -> bool:
    """A pending or running export that should have finished long ago (beyond the task time limit)."""
    since = export.started_at or export.requested_at
    return (clock.now() - since).total_seconds() > settings.CELERY_TASK_TIME_LIMIT


def _visibility(audience: str) -> str:
    return Confidentiality.INTERNAL if audience == DossierAudience.FULL else Confidentiality.PARTIES


def _acting_organisation(actor, dispute):
    return None if permissions.is_staff_member(actor) else permissions.acting_organisation(actor, dispute)


# -- build (called by the Celery task) ------------------------------------------------------------
def dossier_build_export(*, export_id) -> DossierExport | None:
    """Build one export. Idempotent: a finished or failed export is left alone; a ``running`` one
    (its worker died: the message came back because of ``acks_late``) is rebuilt from scratch.

    Each attempt claims the row under a lock and is identified by its ``started_at``; only the
    attempt that still holds the claim at the end may store its result, so a late duplicate can
    never produce a second set of documents.
    """
    claim = _claim(export_id)
    if claim is None:
        return DossierExport.objects.filter(pk=export_id).first()
    export, token = claim

    def progress(percent: int) -> None:
        # Own small UPDATEs outside any transaction, so a polling page sees them move.
        DossierExport.objects.filter(pk=export.pk, started_at=token, status=ExportStatus.RUNNING).update(
            progress=min(percent, 99)
        )

    from ..dossier import export_dossier

    try:
        current = case_version(export.dispute)
        if current != export.case_version:
            raise _Stale(current)
        _remove_leftovers(export)
        with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{export.pk}-") as tmp:
            result = export_dossier(export.dispute, tmp, audience=export.audience, progress=progress)
            return _finish(export, token, result)
    except DossierIntegrityError as exc:
        _fail(export, token, str(exc), integrity=exc)
    except DossierDocumentTooCostlyError as exc:  # a decompression bomb in storage: named, not a crash
        log.warning("dossier export %s failed: document %s is past the PDF limits", export.pk, exc.document.pk)
        _fail(export, token, str(exc))
    except _Stale:
        _fail(export, token, _("Het geschil is gewijzigd sinds het dossier werd aangevraagd. Vraag het dossier "
                               "opnieuw aan."))
    except Exception:  # noqa: BLE001 - a broken export must end as "failed", never stay "running"
        log.exception("dossier export %s failed", export.pk)
        _fail(export, token, _("Het dossier kon door een technische fout niet worden gemaakt. Probeer het later "
                               "opnieuw of meld het bij de beheerder."))
    return DossierExport.objects.get(pk=export.pk)


class _Stale(Exception):
    pass


#: The build works in a temporary folder named after its export: ``dossier-<export id>-<random>``.
WORK_PREFIX = "dossier-"


def _remove_leftovers(export: DossierExport) -> None:
    """Remove what killed builds left in the temporary folder (a SIGKILL skips every clean-up).

    The folders of earlier attempts at this export go at once: this attempt holds the claim, so
    they can only belong to a dead or superseded attempt. Those of other exports go once they are
    older than the task time limit, when no build can still be using them.
    """
    root = Path(tempfile.gettempdir())
    oldest_alive = time.time() - settings.CELERY_TASK_TIME_LIMIT  # file times are real time, not the case clock
    for folder in root.glob(f"{WORK_PREFIX}*-*"):
        try:
            if not folder.is_dir() or folder.is_symlink():
                continue
            if folder.name.startswith(f"{WORK_PREFIX}{export.pk}-") or folder.stat().st_mtime < oldest_alive:
                shutil.rmtree(folder, ignore_errors=True)
                log.info("removed the temporary folder of an earlier dossier build: %s", folder)
        except OSError:
            continue


def _claim(export_id):
    with transaction.atomic():
        export = DossierExport.objects.select_for_update().select_related("dispute").filter(pk=export_id).first()
        if export is None or export.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return None
        token = clock.now()
        if export.started_at is not None and token <= export.started_at:
            from datetime import timedelta

            token = export.started_at + timedelta(microseconds=1)
        export.status, export.progress, export.started_at, export.error = ExportStatus.RUNNING, 0, token, ""
        export.save(update_fields=["status", "progress", "started_at", "error"])
        return export, token


def _store_export_file(export: DossierExport, kind: str, path: Path) -> None:
    """Store a file of the export (``kind`` pdf or zip) with its hash and size, in the private storage
    under ``dossier-exports/<export id>/``; a failing service removes it again."""
    sha256, size = file_sha256(path)
    field: FieldFile = getattr(export, f"{kind}_file")
    with open(path, "rb") as fh:
        field.save(f"dossier.{kind}", File(fh), save=False)
    track_stored_file(field.storage, field.name)
    setattr(export, f"{kind}_sha256", sha256)
    setattr(export, f"{kind}_size", size)


@service
def _finish(export: DossierExport, token, result: dict) -> DossierExport | None:
    locked = DossierExport.objects.select_for_update().get(pk=export.pk)
    if locked.status != ExportStatus.RUNNING or locked.started_at != token:
        return None  # another attempt took over; its result counts, ours is dropped
    dispute = Dispute.objects.get(pk=export.dispute_id)
    _store_export_file(locked, "pdf", Path(result["pdf"]))
    _store_export_file(locked, "zip", Path(result["zip"]))
    locked.status, locked.progress, locked.pages = ExportStatus.DONE, 100, result["pages"]
    locked.finished_at = clock.now()
    locked.save(update_fields=["status", "progress", "pages", "finished_at", "pdf_file", "pdf_sha256", "pdf_size",
                               "zip_file", "zip_sha256", "zip_size"])
    pruned = _prune_older(locked)
    event = record(
        dispute, actor=None, kind="dossier_exported", visibility=_visibility(export.audience),
        payload={"export": str(export.pk), "audience": export.audience, "case_version": export.case_version,
                 "pages": result["pages"], "pdf_sha256": locked.pdf_sha256, "zip_sha256": locked.zip_sha256,
                 "pdfa_2b": bool(result.get("pdfa")), "pruned": pruned, **_notify_requester(export)},
    )
    on_commit_notify(event)
    return locked


# -- pruning --------------------------------------------------------------------------------------
def exports_kept() -> int:
    """How many finished exports per case and audience keep their files (at least 1)."""
    return max(1, int(getattr(settings, "DOSSIER_EXPORTS_KEPT", 2)))


def _prune_older(export: DossierExport) -> list[str]:
    """Mark every finished export of the same case and audience beyond the newest ``exports_kept()``
    (``export`` itself counts as the newest) as pruned, and delete their files after the commit.

    Runs inside ``_finish``: pruning is part of finishing an export, so there is no separate periodic
    task. Returns the ids of the exports pruned (recorded in the ``dossier_exported`` event).
    """
    older = list(
        DossierExport.objects.select_for_update()
        .filter(dispute_id=export.dispute_id, audience=export.audience, status=ExportStatus.DONE,
                pruned_at__isnull=True)
        .exclude(pk=export.pk).order_by("-finished_at", "-requested_at", "pk")[exports_kept() - 1:]
    )
    now = clock.now()
    for old in older:
        names = [f.name for f in (old.pdf_file, old.zip_file) if f]
        storage = old.pdf_file.storage
        old.pdf_file, old.zip_file, old.pruned_at = "", "", now
        old.save(update_fields=["pdf_file", "zip_file", "pruned_at"])
        for name in names:
            transaction.on_commit(lambda storage=storage, name=name: _delete_export_file(storage, name))
    return [str(old.pk) for old in older]


def _delete_export_file(storage, name: str) -> None:
    """Delete a pruned export's file, unless a document refers to it (an export made before migration
    0009, whose files are documents: those are never deleted)."""
    if Document.objects.filter(file=name).exists():
        return
    try:
        storage.delete(name)
    except OSError:  # the row says pruned either way; an orphaned file is only space
        log.exception("could not delete the pruned dossier export file %s", name)


def _notify_requester(export: DossierExport) -> dict:
    """Who asked for the export hears by e-mail when it is ready or failed (``disputes.tasks``)."""
    return {"notify_users": [export.requested_by_id]} if export.requested_by_id else {}


@service
def _fail(export: DossierExport, token, message: str, integrity: DossierIntegrityError | None = None) -> None:
    locked = DossierExport.objects.select_for_update().get(pk=export.pk)
    if locked.status != ExportStatus.RUNNING or locked.started_at != token:
        return
    locked.status, locked.error, locked.finished_at = ExportStatus.FAILED, message, clock.now()
    locked.save(update_fields=["status", "error", "finished_at"])
    payload = {"export": str(export.pk), "audience": export.audience, "error": message}
    if integrity is not None:
        record(
            locked.dispute, actor=None, kind="integrity_failure", visibility=Confidentiality.INTERNAL,
            payload={"document": str(integrity.document.pk), "sha256": integrity.document.sha256,
                     "detail": "missing" if integrity.missing else f"dossier export: sha256 {integrity.actual}"},
        )
    event = record(locked.dispute, actor=None, kind="dossier_export_failed", visibility=Confidentiality.INTERNAL,
                   payload={**payload, **_notify_requester(locked)})
    on_commit_notify(event)


# -- download -------------------------------------------------------------------------------------
CONTENT_TYPES = {"pdf": "application/pdf", "zip": "application/zip"}


@dataclass(frozen=True)
class ExportFile:
    """One stored file of an export, ready to be served."""

    file: FieldFile
    name: str  # the download name, e.g. GPA-2017-0001-dossier-partijversie.pdf
    content_type: str
    sha256: str
    size: int | None


def dossier_open_download(*, export: DossierExport, actor, kind: str) -> ExportFile:
    """The stored PDF or ZIP of a finished export, after re-checking its SHA-256.

    A download is recorded (internal); a mismatch is recorded as ``integrity_failure`` in its own
    transaction and refused with ``ExportFileIntegrityError``. A pruned export (or one pruned while
    this runs) is a ``ValidationError``: its version can be asked for again.
    """
    if kind not in CONTENT_TYPES:
        raise ValidationError(_("Onbekend bestand."))
    permissions.require(can_export_dossier(actor, export.dispute, export.audience))
    if export.status != ExportStatus.DONE:
        raise ValidationError(_("Dit dossier is nog niet klaar."))
    gone = ValidationError(_("De bestanden van deze export zijn opgeruimd omdat er nieuwere zijn. Vraag het "
                             "dossier opnieuw aan."))
    if not export.available:
        raise gone
    field, expected = getattr(export, f"{kind}_file"), getattr(export, f"{kind}_sha256")
    actual = stored_file_sha256(field)
    if actual is None and DossierExport.objects.filter(pk=export.pk, pruned_at__isnull=False).exists():
        raise gone  # pruned by a newer export since this request read the row
    if actual is None:
        _record_download(export=export, actor=actor, kind=kind, ok=False, detail="missing")
        raise ExportFileIntegrityError(export, kind, missing=True)
    if actual != expected:
        _record_download(export=export, actor=actor, kind=kind, ok=False, detail=f"download: sha256 {actual}")
        raise ExportFileIntegrityError(export, kind, actual=actual)
    _record_download(export=export, actor=actor, kind=kind, ok=True)
    return ExportFile(file=field, name=f"{file_stem(export.dispute.case_number, export.audience)}.{kind}",
                      content_type=CONTENT_TYPES[kind], sha256=expected, size=getattr(export, f"{kind}_size"))


@service
def _record_download(*, export: DossierExport, actor, kind: str, ok: bool, detail: str = "") -> None:
    if ok:
        record(export.dispute, actor=actor, kind="dossier_downloaded", visibility=Confidentiality.INTERNAL,
               organisation=_acting_organisation(actor, export.dispute),
               payload={"export": str(export.pk), "file": kind})
    else:
        record(export.dispute, actor=actor, kind="integrity_failure", visibility=Confidentiality.INTERNAL,
               payload={"export": str(export.pk), "file": kind, "sha256": getattr(export, f"{kind}_sha256"),
                        "detail": detail})
