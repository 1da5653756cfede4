"""Representatives (gemachtigden, issue 15 item 4, docs/accounts.md).

A member of a party authorises a person outside its organisation for one case, with a machtiging (the
authorisation document) uploaded as a case document. The secretariat checks it: approved, the person gets an
invitation (``Invitation`` of kind representative) and, once they accepted it, sees and acts on that case only, for
that party; every act is recorded "namens" the organisation (``_core.record``). Refused, nothing is granted. The
party, the representative or the secretariat ends a representation; from then on the person sees nothing of the
case. Each step is an event on the case and the rows keep their history (django-simple-history).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..models import (
    Dispute,
    DocumentType,
    Invitation,
    InvitationKind,
    Representation,
    RepresentationStatus,
)
from ._core import lock, on_commit_notify, record, require_operation, service
from .accounts import _create_invitation, _normalise_email
from .documents import store_document

#: a representation that still counts: requested (being checked) or approved, and not ended
LIVE = (RepresentationStatus.REQUESTED, RepresentationStatus.APPROVED)


def _clean_person(name: str, email: str) -> tuple[str, str]:
    name = " ".join(name.split())
    email = _normalise_email(email)
    errors = {}
    if not name:
        errors["name"] = [_("Vul de naam van de gemachtigde in.")]
    elif len(name) > 150:
        errors["name"] = [_("De naam is te lang (hoogstens 150 tekens).")]
    try:
        Representation(email=email).clean_fields(
            exclude=[f.name for f in Representation._meta.fields if f.name != "email"])
    except ValidationError as exc:
        errors["email"] = exc.message_dict.get("email", exc.messages)
    if errors:
        raise ValidationError(errors)
    return name, email


def _refuse_people_of_the_case(dispute: Dispute, email: str) -> None:
    """A representative is someone outside the case: not a member of staff and not a member of any party to it
    (that person acts through their own organisation already, or would act against it)."""
    users = get_user_model().objects.filter(email__iexact=email, is_active=True)
    for user in users:
        if permissions.is_staff_member(user) or user.is_staff or user.is_superuser:
            raise ValidationError({"email": [_("Een medewerker van het ministerie kan geen gemachtigde van een "
                                               "partij zijn.")]})
        if permissions.organisation_ids(user) & dispute.organisation_ids():
            raise ValidationError({"email": [_("Iemand met dit e-mailadres is lid van een partij in dit geschil en "
                                               "kan daarom geen gemachtigde zijn.")]})


@service
def representation_request(*, dispute: Dispute, actor, name: str, email: str, authorisation,
                           expected_version: int | None = None) -> Representation:
    """A member of a party asks to authorise ``name`` (``email``) for this case, with the machtiging
    (``authorisation``, a PDF) stored as a case document. The secretariat is told and checks it."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "request_representation", actor=actor,
                      message=_("Een gemachtigde aanmelden kan zolang het geschil in behandeling is."))
    organisation = permissions.member_organisation(actor, dispute)
    permissions.require(organisation is not None,
                        _("Alleen een lid van de partijorganisatie kan een gemachtigde aanmelden."))
    name, email = _clean_person(name, email)
    if authorisation is None:
        raise ValidationError({"authorisation": [_("Voeg de machtiging toe (een PDF-bestand).")]})
    _refuse_people_of_the_case(dispute, email)
    if Representation.objects.filter(dispute=dispute, organisation=organisation, email__iexact=email,
                                      status__in=LIVE, ended_at__isnull=True).exists():
        raise ValidationError({"email": [_("Voor dit e-mailadres loopt al een machtiging namens %(organisation)s "
                                           "in dit geschil.") % {"organisation": organisation.name}]})
    document = store_document(dispute=dispute, actor=actor, uploaded=authorisation, doc_type=DocumentType.MACHTIGING)
    representation = Representation.objects.create(
        dispute=dispute, organisation=organisation, name=name, email=email, authorisation=document,
        requested_by=actor, requested_at=clock.now(),
    )
    event = record(dispute, actor=actor, kind="representation_requested", organisation=organisation,
                   payload={"representation": str(representation.pk), "name": name,
                            "audience": {"roles": ["secretary"]}})
    on_commit_notify(event)
    return representation


def _locked(representation: Representation) -> tuple[Dispute, Representation]:
    dispute = lock(representation.dispute)
    return dispute, Representation.objects.select_for_update().select_related("organisation").get(
        pk=representation.pk)


@service
def representation_check(*, representation: Representation, actor, approve: bool, note: str = "") -> Representation:
    """The secretariat approves or refuses a requested representation after checking its machtiging. Approved,
    the representative is invited (a single-use link, as any invitation); refused (with a reason), the party is
    told why. Either way the party hears of it."""
    dispute, representation = _locked(representation)
    require_operation(dispute, "check_representation", actor=actor,
                      message=_("Een machtiging controleren kan zolang het geschil in behandeling is."))
    if representation.status != RepresentationStatus.REQUESTED or representation.ended_at is not None:
        raise ValidationError(_("Deze machtiging is al gecontroleerd."))
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": [_("Geef aan waarom de machtiging niet wordt aanvaard.")]})
    if len(note) > 2000:
        raise ValidationError({"note": [_("De toelichting is te lang (hoogstens 2.000 tekens).")]})
    if approve:
        _refuse_people_of_the_case(dispute, representation.email)
    representation.status = RepresentationStatus.APPROVED if approve else RepresentationStatus.REFUSED
    representation.checked_by = actor
    representation.checked_at = clock.now()
    representation.check_note = note
    representation.save(update_fields=["status", "checked_by", "checked_at", "check_note"])
    if approve:
        _create_invitation(organisation=representation.organisation, email=representation.email,
                           name=representation.name, invited_by=actor, dispute=dispute,
                           kind=InvitationKind.REPRESENTATIVE, representation=representation)
    event = record(
        dispute, actor=actor, kind="representation_approved" if approve else "representation_refused",
        payload={"representation": str(representation.pk), "name": representation.name,
                 "party": representation.organisation.name, "reason": note,
                 "audience": {"organisations": [str(representation.organisation_id)], "roles": ["secretary"]}},
    )
    on_commit_notify(event)
    return representation


@service
def representation_end(*, representation: Representation, actor, reason: str = "") -> Representation:
    """End a representation (requested or approved): the person no longer sees or acts on the case; an open
    invitation for it stops working. The representation stays, ended, with its history."""
    dispute, representation = _locked(representation)
    require_operation(dispute, "end_representation", actor=actor)
    permissions.require(permissions.can_end_representation(actor, representation),
                        _("Alleen de partij, de gemachtigde zelf of het secretariaat kan een machtiging beëindigen."))
    if representation.status not in LIVE or representation.ended_at is not None:
        raise ValidationError(_("Deze machtiging loopt niet (meer)."))
    reason = reason.strip()[:2000]
    now = clock.now()
    representation.status = RepresentationStatus.ENDED
    representation.ended_at = now
    representation.save(update_fields=["status", "ended_at"])
    Invitation.objects.filter(representation=representation, accepted_at__isnull=True,
                              revoked_at__isnull=True).update(revoked_at=now)
    event = record(
        dispute, actor=actor, kind="representation_ended",
        payload={"representation": str(representation.pk), "name": representation.name,
                 "party": representation.organisation.name, "reason": reason,
                 "audience": {"organisations": [str(representation.organisation_id)], "roles": ["secretary"]}},
    )
    on_commit_notify(event)
    return representation

