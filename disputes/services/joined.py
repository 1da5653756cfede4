"""Joined cases (voeging; issue 12, defect 9): related disputes about the same agreement handled together.

The secretariat joins a case to a *lead* case of the same agreement in the written round
(``dispute_join_cases``). From then on the group takes the steps of the hearing, the advice and the decision
together, in the lead case: one hearing (planned, moved, called off, held or skipped once), one advice issued
once, the decisions adopted at one moment. Each case keeps its own number, parties, points, terms and
documents: the commission advises and the Minister decides on every point in its own case, and the joint step
runs each case's own guards (a point without advice in a joined case stops the advice of the whole group).

``joint_step`` wraps the services of those steps: called on the lead case, the service runs for the lead and
then for every joined case, in one transaction (all or nothing; an error names the case it came from); called
on a joined case directly, it is refused with the lead's number. Documents of the step (the minutes, the
advice, the decision) are stored in every case of the group, copied through a spooled temporary file, so an
upload is read once and never held in memory as a whole.

The commission seated for the lead case advises for the group (``guards.composition_problems`` and
``permissions`` read the lead's seats for a joined case).
"""

import contextvars
import functools
import inspect
import shutil
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import GuardFailed
from ..models import Confidentiality, Dispute
from ._core import change, lock, on_commit_notify, require_operation, service

#: the lead case whose joint step is running for its joined cases (None: a call from outside)
_RUNNING_FOR = contextvars.ContextVar("joint_step_running_for", default=None)
#: bytes of an uploaded document a copy keeps in memory before it goes to a temporary file
_SPOOL_BYTES = 1024 * 1024


def joined_cases(dispute: Dispute) -> list[Dispute]:
    return list(Dispute.objects.filter(joined_to=dispute).order_by("case_number"))


class _Copies:
    """The documents of a joint step, readable once per case of the group."""

    def __init__(self, documents):
        self._spools = []
        for doc_type, uploaded in documents:
            spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
            if hasattr(uploaded, "seek"):
                uploaded.seek(0)
            if hasattr(uploaded, "chunks"):
                for chunk in uploaded.chunks():
                    spool.write(chunk)
            else:
                shutil.copyfileobj(uploaded, spool)
            self._spools.append((doc_type, getattr(uploaded, "name", "") or "document.pdf", spool))

    def fresh(self) -> list:
        copies = []
        for doc_type, name, spool in self._spools:
            spool.seek(0)
            copy = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
            shutil.copyfileobj(spool, copy)
            copy.seek(0)
            copies.append((doc_type, File(copy, name=name)))
        return copies

    def close(self) -> None:
        for _doc_type, _name, spool in self._spools:
            spool.close()


def _in_case(number: str, exc: Exception) -> Exception:
    prefix = _("Gevoegde zaak %(number)s: ") % {"number": number}
    if isinstance(exc, ValidationError):
        return ValidationError([prefix + str(message) for message in exc.messages])
    if isinstance(exc, GuardFailed):
        return GuardFailed([prefix + problem for problem in exc.problems])
    return exc


def joint_step(step):
    """Run ``step`` (a service taking ``dispute`` and ``actor``) for the lead case and every case joined to it,
    all or nothing; refuse it on a joined case called directly."""

    takes_documents = "documents" in inspect.signature(step).parameters

    def run(case, actor, documents, kwargs):
        return step(dispute=case, actor=actor, **({"documents": documents} if takes_documents else {}), **kwargs)

    @functools.wraps(step)
    def wrapper(*, dispute: Dispute, actor, documents=(), **kwargs):
        if _RUNNING_FOR.get() is None and dispute.joined_to_id is not None:
            lead = Dispute.objects.filter(pk=dispute.joined_to_id).values_list("case_number", flat=True).first()
            raise ValidationError(_(
                "Deze zaak is gevoegd bij zaak %(lead)s: de hoorzitting, het advies en de uitspraak worden in die "
                "zaak gezet, voor alle gevoegde zaken samen."
            ) % {"lead": lead})
        if _RUNNING_FOR.get() is not None:
            return run(dispute, actor, documents, kwargs)
        copies = _Copies(documents) if documents else None
        try:
            with transaction.atomic():
                result = run(dispute, actor, copies.fresh() if copies else (), kwargs)
                kwargs.pop("expected_version", None)  # the version the user saw is the lead case's
                token = _RUNNING_FOR.set(dispute.pk)
                try:
                    for other in joined_cases(dispute):
                        try:
                            run(other, actor, copies.fresh() if copies else (), kwargs)
                        except (ValidationError, GuardFailed) as exc:
                            raise _in_case(other.case_number, exc) from exc
                finally:
                    _RUNNING_FOR.reset(token)
        finally:
            if copies is not None:
                copies.close()
        return result

    return wrapper


@service
def dispute_join_cases(*, dispute: Dispute, actor, other: Dispute, reason: str, expected_version=None) -> Dispute:
    """The secretariat joins ``other`` to the lead case ``dispute``: both about the same agreement, both in the
    written round, neither joined already (no chains); with a reason. Both cases record it."""
    # lock both in one order (two joins never deadlock); the version the user saw is the lead case's
    versions = {dispute.pk: expected_version, other.pk: None}
    locked = {pk: lock(Dispute(pk=pk), expected_version=versions[pk]) for pk in sorted(versions, key=str)}
    dispute, other = locked[dispute.pk], locked[other.pk]
    require_operation(dispute, "join_cases", actor=actor)
    require_operation(other, "join_cases", actor=actor)
    if other.pk == dispute.pk:
        raise ValidationError({"other": _("Een zaak kan niet bij zichzelf worden gevoegd.")})
    if other.agreement_id != dispute.agreement_id:
        raise ValidationError({"other": _("Alleen zaken over dezelfde prestatieafspraken kunnen worden gevoegd.")})
    if dispute.joined_to_id or other.joined_to_id or other.joined_cases.exists():
        raise ValidationError({"other": _(
            "Een gevoegde zaak kan niet nog eens worden gevoegd, en een hoofdzaak niet bij een andere zaak."
        )})
    if not reason.strip():
        raise ValidationError({"reason": _("Motiveer waarom de zaken samen worden behandeld.")})
    payload = {"lead": dispute.case_number, "joined": other.case_number, "reason": reason}
    for case in (other, dispute):
        event = change(case, actor=actor, kind="cases_joined", visibility=Confidentiality.PARTIES, payload={
            **payload, "audience": {"organisations": [str(pk) for pk in case.organisation_ids()],
                                    "roles": ["secretary"]}},
            **({"joined_to": dispute} if case is other else {}))
        on_commit_notify(event)
    return dispute
