"""Letters (issue 16, docs/letters.md): the secretariat words every letter kind (versions of ``LetterTemplate``),
makes a letter for a case from the wording in use, may edit that one letter's wording, and sends it. Sending stores
one PDF per addressee as a case document (``LetterCopy``), records the template version in the case event
``letter_sent``, and tells the parties by e-mail that a letter is waiting (never the document itself); an addressee
that cannot see the case (the college van B&W of a gemeente that is no party) gets the PDF by e-mail through the
outbox. The system sends its own letters the same way (``send_system_letter``: the acknowledgement at filing, the
extension notice, the decision that a request is inadmissible, the herstelbesluit).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import clock, letterbook, outbox, permissions
from ..errors import OperationNotAllowed
from ..models import Confidentiality, Letter, LetterCopy, LetterStatus, LetterTemplate, PartyRole
from ._core import lock, on_commit_notify, record, require_operation, service
from .documents import store_document


def _require_editor(actor) -> None:
    permissions.require(permissions.can_edit_letter_templates(actor),
                        _("De teksten van de brieven beheert het secretariaat."))


def _known(kind: str) -> letterbook.LetterKind:
    if kind not in letterbook.KINDS:
        raise ValidationError({"kind": _("Onbekende soort brief: %(kind)s") % {"kind": kind}})
    return letterbook.KINDS[kind]


def current_template(kind: str) -> LetterTemplate:
    """The wording of ``kind`` in use: its highest version; the shipped wording, as version 1, when the kind was
    never used (made here, in the caller's transaction)."""
    _known(kind)
    found = LetterTemplate.objects.filter(kind=kind).order_by("-version").first()
    if found is not None:
        return found
    subject, body = letterbook.shipped(kind)
    template, _made = LetterTemplate.objects.get_or_create(
        kind=kind, version=1,
        defaults={"subject": subject, "body": body, "shipped": True, "created_at": clock.now(),
                  "note": _("Meegeleverde tekst")})
    return template


def _checked(kind: str, subject: str, body: str) -> tuple[str, str]:
    subject = " ".join(subject.split())
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip() + "\n"
    errors = letterbook.check(kind, subject, body)
    if errors:
        raise ValidationError(errors)
    return subject, body


def _new_version(kind: str, *, actor, subject: str, body: str, note: str, shipped: bool) -> LetterTemplate:
    latest = current_template(kind)
    # one writer at a time per kind: the row of the version in use is locked, the next number follows it
    latest = LetterTemplate.objects.select_for_update().get(pk=latest.pk)
    newest = LetterTemplate.objects.filter(kind=kind).order_by("-version").first()
    if newest.subject == subject and newest.body == body:
        raise ValidationError({"body": [_("Er is niets gewijzigd ten opzichte van versie %(version)d.")
                                        % {"version": newest.version}]})
    return LetterTemplate.objects.create(kind=kind, version=newest.version + 1, subject=subject, body=body,
                                         note=note.strip()[:300], shipped=shipped, created_by=actor,
                                         created_at=clock.now())


@service
def letter_template_save(*, actor, kind: str, subject: str, body: str, note: str = "") -> LetterTemplate:
    """A new version of the wording of ``kind``, checked: an unknown or missing placeholder is refused here, never
    a blank in a letter. Letters already made keep the wording they were made from."""
    _require_editor(actor)
    _known(kind)
    subject, body = _checked(kind, subject, body)
    return _new_version(kind, actor=actor, subject=subject, body=body, note=note, shipped=False)


@service
def letter_template_reset(*, actor, kind: str) -> LetterTemplate:
    """Back to the wording shipped with the product, as a new version (the history stays)."""
    _require_editor(actor)
    _known(kind)
    subject, body = letterbook.shipped(kind)
    return _new_version(kind, actor=actor, subject=subject, body=body, note=_("Terug naar de meegeleverde tekst"),
                        shipped=True)


def _require_kind_now(dispute, spec: letterbook.LetterKind) -> None:
    if not spec.states:
        raise OperationNotAllowed(_("De brief '%(title)s' verstuurt het systeem zelf, bij de stap waar hij bij "
                                    "hoort.") % {"title": spec.title})
    if dispute.state not in spec.states:
        raise OperationNotAllowed(_("De brief '%(title)s' past niet bij de status '%(state)s' van het geschil.")
                                  % {"title": spec.title, "state": dispute.get_state_display()})


@service
def letter_draft(*, dispute, actor, kind: str, context: dict | None = None) -> Letter:
    """A draft letter of ``kind`` for the case, from the wording in use. A draft of the same kind (and question)
    that is still open is returned instead: one draft at a time."""
    spec = _known(kind)
    dispute = lock(dispute)
    require_operation(dispute, "send_letter", actor=actor)
    _require_kind_now(dispute, spec)
    context = {k: v for k, v in (context or {}).items() if k == spec.needs and v not in (None, "")}
    if spec.needs and spec.needs not in context:
        context[spec.needs] = _default_need(dispute, spec)
    open_draft = dispute.letters.filter(kind=kind, status=LetterStatus.DRAFT, context=context).first()
    if open_draft is not None:
        return open_draft
    template = current_template(kind)
    return Letter.objects.create(dispute=dispute, kind=kind, template=template, subject=template.subject,
                                 body=template.body, context=context, created_by=actor, created_at=clock.now())


def _default_need(dispute, spec):
    if spec.needs == "deadline":
        deadline = dispute.deadlines.filter(kind="information").order_by("-created_at", "-pk").first()
        if deadline is None:
            raise ValidationError(_("Er is in dit geschil geen vraag om inlichtingen gesteld."))
        return deadline.pk
    return ""


def _open(letter: Letter) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError(_("Deze brief is al verstuurd of weggegooid; maak een nieuw concept."))
    return letter


@service
def letter_edit(*, letter: Letter, actor, subject: str, body: str) -> Letter:
    """Change the wording of this one draft (the wording in use stays as it is); checked as a template is."""
    dispute = lock(letter.dispute)
    require_operation(dispute, "send_letter", actor=actor)
    letter = _open(letter)
    subject, body = _checked(letter.kind, subject, body)
    letter.subject, letter.body = subject, body
    letter.edited = (subject, body) != (letter.template.subject, letter.template.body)
    letter.save(update_fields=["subject", "body", "edited"])
    return letter


@service
def letter_discard(*, letter: Letter, actor) -> Letter:
    dispute = lock(letter.dispute)
    require_operation(dispute, "send_letter", actor=actor)
    letter = _open(letter)
    letter.status = LetterStatus.DISCARDED
    letter.save(update_fields=["status"])
    return letter


def _deliver(letter: Letter, *, actor, signer=None, announce: bool = True) -> list[LetterCopy]:
    """Render, store and record ``letter`` for each of its addressees; with ``announce``, tell them (the outbox,
    after commit): the parties that a letter is waiting, the college van B&W the letter itself."""
    dispute = letter.dispute
    spec = letterbook.KINDS[letter.kind]
    addressees = spec.addressees(dispute, letter.context)
    if not addressees:
        raise ValidationError(_("Deze brief heeft geen geadresseerde."))
    today = clock.today()
    copies = []
    for addressee in addressees:
        content = letterbook.render_pdf(letter.kind, dispute, addressee, subject=letter.subject, body=letter.body,
                                        on=today, context=letter.context, signer=signer)
        name = f"{letter.kind}-{dispute.case_number or 'concept'}"
        if len(addressees) > 1:  # one copy each: the file says whose (short, it is listed in the dossier's contents)
            name += "-" + (slugify(addressee.name)[:20].rstrip("-") or str(len(copies) + 1))
        name += ".pdf"
        document = store_document(dispute=dispute, actor=actor, uploaded=ContentFile(content, name=name),
                                  doc_type=spec.doc_type, step=spec.step)
        copies.append(LetterCopy.objects.create(
            letter=letter, organisation=addressee.organisation, addressee=addressee.name[:300],
            capacity=addressee.capacity, document=document))
    letter.status, letter.sent_by, letter.sent_at = LetterStatus.SENT, actor, clock.now()
    letter.save(update_fields=["status", "sent_by", "sent_at"])
    party_ids = {str(p.organisation_id) for p in dispute.parties.all()
                 if p.role in (PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.INTERESTED)}
    told = sorted({str(c.organisation_id) for c in copies if c.organisation_id and str(c.organisation_id) in party_ids})
    event = record(dispute, actor=actor, kind="letter_sent", payload={
        "letter": str(letter.pk), "kind": letter.kind, "title": spec.title,
        "subject": letterbook.subject_of(letter.kind, dispute, addressees[0], letter.subject, letter.context),
        "template": letter.template_id, "template_version": letter.template.version, "edited": letter.edited,
        "addressees": [c.addressee for c in copies], "documents": [str(c.document_id) for c in copies],
        "audience": {"organisations": told},
    })
    if not announce:  # the step that sent it tells (the acknowledgement with the filing's e-mail, ...)
        return copies
    if told:
        on_commit_notify(event)  # "a letter is waiting": never the document itself
    outside = [c for c in copies if c.capacity == "municipality"]
    for copy in outside:  # B&W of the gemeente, who may not see the case, get the PDF by e-mail
        outbox.enqueue("disputes.tasks.send_letter", event_id=event.pk, document_id=str(copy.document_id),
                       recipients=[{"organisation": str(copy.organisation_id), "as": copy.capacity}])
    return copies


@service
def letter_send(*, letter: Letter, actor) -> Letter:
    """Send a checked draft: one PDF per addressee stored on the case, the event names the wording's version."""
    dispute = lock(letter.dispute)
    require_operation(dispute, "send_letter", actor=actor)
    spec = letterbook.KINDS[letter.kind]
    _require_kind_now(dispute, spec)
    letter = _open(letter)
    letter.dispute = dispute
    _deliver(letter, actor=actor, signer=actor if spec.sender != letterbook.MINISTER else None)
    return letter


def send_system_letter(dispute, kind: str, *, actor=None, signer=None, context: dict | None = None) -> list:
    """A letter the procedure sends by itself at a step (in the calling service's transaction, on a locked case):
    made from the wording in use and stored at once, one copy per addressee. The calling step tells the parties
    (its own e-mail) and sends what must go by e-mail. Returns the copies (one case document each)."""
    template = current_template(kind)
    letter = Letter.objects.create(dispute=dispute, kind=kind, template=template, subject=template.subject,
                                   body=template.body, context=context or {}, created_by=actor,
                                   created_at=clock.now())
    return _deliver(letter, actor=actor, signer=signer, announce=False)


@service
def letter_copy_posted(*, actor, copy: LetterCopy, posted_on: date) -> LetterCopy:
    """Record the day the paper copy of a sent letter went in the post (a connected system of the post room,
    ``POST /api/v1/letters/copies/{id}/posted/``; ``permissions.can_record_posting``). Not in the future, not
    before the letter was sent; the same day again changes nothing and records nothing; another day corrects it
    (the event names the previous day). Recorded as ``letter_posted``, internal."""
    dispute = lock(copy.letter.dispute)
    permissions.require(permissions.can_record_posting(actor, dispute),
                        _("U mag de verzending per post van deze brief niet vastleggen."))
    copy = LetterCopy.objects.select_for_update().select_related("letter").get(pk=copy.pk)
    letter = copy.letter
    if letter.status != LetterStatus.SENT or letter.sent_at is None:
        raise ValidationError(_("Deze brief is niet verstuurd."))
    if posted_on > clock.today():
        raise ValidationError({"posted_on": _("De datum van verzending per post ligt in de toekomst.")})
    if posted_on < clock.localdate(letter.sent_at):
        raise ValidationError({"posted_on": _("De datum van verzending per post ligt vóór de dag waarop de brief "
                                              "is verstuurd.")})
    if copy.posted_on == posted_on:
        return copy
    previous, copy.posted_on = copy.posted_on, posted_on
    copy.save(update_fields=["posted_on"])
    payload = {"letter": str(letter.pk), "copy": copy.pk, "kind": letter.kind, "addressee": copy.addressee,
               "organisation": str(copy.organisation_id) if copy.organisation_id else None,
               "posted_on": posted_on.isoformat()}
    if previous is not None:
        payload["previous"] = previous.isoformat()
    record(dispute, actor=actor, kind="letter_posted", visibility=Confidentiality.INTERNAL, payload=payload)
    return copy
