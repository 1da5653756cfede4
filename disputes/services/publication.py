"""Publishing a decided case's advice and decision without personal data (issue 17, docs/publication.md).

The secretariat prepares the publication version (``publication_prepare``): the text is built from the case's
structured data and every known person's name and every identifying pattern is replaced by a role or a label. It
reviews the replacements, adds one or undoes one, each with a reason. A second person approves
(``publication_approve``: never who prepared it or changed a replacement): only then is the text frozen, rendered as
a tagged PDF without any trace of what was replaced, and shown in the public register. A publication can be
withdrawn with a reason; the register then says so.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import clock, letterpress, permissions, publication
from ..clock import localdate
from ..models import Confidentiality, Dispute, Publication, PublicationStatus, Replacement, ReplacementKind
from ..states import DisputeState
from ._core import lock, record, service

PUBLISHABLE_STATES = (DisputeState.DECIDED, DisputeState.CLOSED)


def _require_publisher(actor) -> None:
    permissions.require(permissions.can_publish(actor), _("Publiceren doet het secretariaat."))


def current_publication(dispute: Dispute) -> Publication | None:
    """The case's publication in preparation or in the register (a withdrawn one makes room for a new one)."""
    return (dispute.publications.exclude(status=PublicationStatus.WITHDRAWN).order_by("-prepared_at").first())


@service
def publication_prepare(*, dispute: Dispute, actor) -> Publication:
    """The publication version of a decided case, with the replacements the product finds: every person it knows on
    the case (by role) and every e-mail address, telephone number, IBAN, BSN and postcode with house number."""
    _require_publisher(actor)
    dispute = lock(dispute)
    if dispute.state not in PUBLISHABLE_STATES or dispute.decided_at is None:
        raise ValidationError(_("Alleen een geschil waarin de Minister heeft beslist, wordt gepubliceerd."))
    existing = current_publication(dispute)
    if existing is not None:
        if existing.status == PublicationStatus.PUBLISHED:
            raise ValidationError(_("Deze uitspraak is al gepubliceerd."))
        return existing
    parts = publication.sections(dispute)
    now = clock.now()
    made = Publication.objects.create(
        dispute=dispute, slug=(dispute.case_number or str(dispute.pk)).lower(), title=_title(dispute),
        sections=parts, decided_on=localdate(dispute.decided_at), municipality=dispute.agreement.municipality.name,
        kind=dispute.kind, prepared_by=actor, prepared_at=now,
    )
    texts = publication.all_text(parts)
    found = [f for f in publication.people(dispute) if _occurs(f.original, texts)]
    found += publication.patterns_in(texts)
    seen = set()
    for item in found:
        if item.original.lower() in seen:
            continue
        seen.add(item.original.lower())
        Replacement.objects.create(publication=made, kind=item.kind, original=item.original[:300],
                                   replacement=item.replacement[:100], added_at=now)
    record(dispute, actor=actor, kind="publication_prepared", payload={"publication": str(made.pk)},
           visibility=Confidentiality.INTERNAL)
    return made


def _title(dispute: Dispute) -> str:
    return f"Bindende uitspraak {dispute.case_number}: {dispute.get_kind_display().lower()} prestatieafspraken " \
           f"{dispute.agreement}"


def _occurs(original: str, texts: list[str]) -> bool:
    pattern = re.compile(r"(?<!\w)" + re.escape(original) + r"(?!\w)", re.IGNORECASE)
    return any(pattern.search(text) for text in texts)


def _prepared(publication_: Publication) -> Publication:
    found = Publication.objects.select_for_update().get(pk=publication_.pk)
    if found.status != PublicationStatus.PREPARED:
        raise ValidationError(_("Deze publicatie is al gepubliceerd of ingetrokken."))
    return found


@service
def replacement_add(*, publication_: Publication, actor, original: str, replacement: str, reason: str) -> Replacement:
    """The secretariat takes out one more piece of text (every occurrence), with a reason."""
    _require_publisher(actor)
    found = _prepared(publication_)
    original, replacement, reason = " ".join(original.split()), " ".join(replacement.split()), reason.strip()
    errors = {}
    if len(original) < 2:
        errors["original"] = [_("Geef de tekst die eruit moet (ten minste twee tekens).")]
    elif not _occurs(original, publication.all_text(found.sections)):
        errors["original"] = [_("Deze tekst komt niet voor in de publicatie.")]
    if not replacement:
        errors["replacement"] = [_("Geef de tekst die ervoor in de plaats komt, bijvoorbeeld [persoon].")]
    if not reason:
        errors["reason"] = [_("Geef de reden.")]
    if errors:
        raise ValidationError(errors)
    return Replacement.objects.create(publication=found, kind=ReplacementKind.MANUAL, original=original[:300],
                                      replacement=replacement[:100], reason=reason[:500], added_by=actor,
                                      added_at=clock.now())


@service
def replacement_undo(*, replacement: Replacement, actor, reason: str) -> Replacement:
    """The secretariat puts one replaced text back (it may be published after all), with a reason."""
    _require_publisher(actor)
    _prepared(replacement.publication)
    replacement = Replacement.objects.select_for_update().get(pk=replacement.pk)
    if replacement.undone_at is not None:
        raise ValidationError(_("Deze vervanging is al teruggezet."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Geef de reden.")]})
    replacement.undone_by, replacement.undone_at, replacement.undo_reason = actor, clock.now(), reason.strip()[:500]
    replacement.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    return replacement


def active(publication_: Publication) -> list[Replacement]:
    return [r for r in publication_.replacements.all() if r.undone_at is None]


def reviewers_excluded(publication_: Publication) -> set:
    """Who may not approve: who prepared it and who added or undid a replacement (four eyes)."""
    ids = {publication_.prepared_by_id}
    for r in publication_.replacements.all():
        ids |= {r.added_by_id, r.undone_by_id}
    return ids - {None}


@service
def publication_approve(*, publication_: Publication, actor) -> Publication:
    """A second person approves: the text with the replacements is frozen, rendered and published."""
    _require_publisher(actor)
    found = _prepared(publication_)
    permissions.require(actor.pk not in reviewers_excluded(found),
                        _("Een tweede persoon keurt de publicatie goed: niet wie haar voorbereidde of een "
                          "vervanging wijzigde."))
    replacements = active(found)
    published = publication.apply(found.sections, replacements)
    left = [r.original for r in replacements if _occurs(r.original, publication.all_text(published))]
    if left:  # a replacement inside another one's words: never publish a name by accident
        raise ValidationError(_("Na het vervangen staat er nog in: %(left)s.") % {"left": ", ".join(left)})
    found.published_sections = published
    found.pdf = render(found, published)
    found.status, found.approved_by, found.published_at = PublicationStatus.PUBLISHED, actor, clock.now()
    found.save(update_fields=["published_sections", "pdf", "status", "approved_by", "published_at"])
    record(found.dispute, actor=actor, kind="publication_published",
           payload={"publication": str(found.pk), "slug": found.slug, "replacements": len(replacements)})
    return found


def render(found: Publication, parts: list[dict]) -> bytes:
    """The published decision as a tagged PDF/A (ADR 0019): made from the replaced text only, so no hidden layer,
    metadata or attachment carries what was taken out."""
    html = letterpress.render_letter_html("letters/publication.html", {"publication": found, "sections": parts})
    return letterpress.render_pdf(html, title=found.title, lang="nl", subject=_("Bindende uitspraak"),
                                  author="Ministerie van Volkshuisvesting en Ruimtelijke Ordening")


@service
def publication_withdraw(*, publication_: Publication, actor, reason: str) -> Publication:
    """Take a publication out of the register, with a reason: its page says it was withdrawn and why; the text
    and the PDF are no longer served."""
    _require_publisher(actor)
    found = Publication.objects.select_for_update().get(pk=publication_.pk)
    if found.status != PublicationStatus.PUBLISHED:
        raise ValidationError(_("Alleen een gepubliceerde uitspraak kan worden ingetrokken."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Geef de reden van de intrekking.")]})
    found.status, found.withdrawn_by, found.withdrawn_at = PublicationStatus.WITHDRAWN, actor, clock.now()
    found.withdrawal_reason = reason.strip()[:2000]
    found.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawal_reason"])
    record(found.dispute, actor=actor, kind="publication_withdrawn",
           payload={"publication": str(found.pk), "reason": found.withdrawal_reason})
    return found
