"""Party organisations, their memberships and invitations (issue 15, docs/accounts.md): every change goes through
these services. The secretariat manages organisations and invites people; an invitee accepts once; filing a case
invites the respondent organisations that nobody acts for yet. The history of each row is kept by
django-simple-history (disputes/history/models.py): who changed what, when and through which request.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import clock, invitations, outbox, permissions, visibility
from ..errors import NotPermitted
from ..models import (
    Dispute,
    Invitation,
    InvitationKind,
    Membership,
    Organisation,
    PartyRole,
    Representation,
    RepresentationStatus,
)
from ._core import service

#: what the secretariat sets on an organisation (its form, organisation_create / organisation_update)
ORGANISATION_FIELDS = ("kind", "name", "email", "province", "kvk_number", "postal_address")


class InvitationClosed(Exception):
    """The invitation can no longer be accepted: it was accepted before, revoked, or has expired. ``state`` says
    which (``invitations.InvitationState``)."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


def _require_secretariat(actor) -> None:
    permissions.require(permissions.can_manage_organisations(actor),
                        _("Organisaties, leden en uitnodigingen beheert het secretariaat."))


def _clean_organisation(organisation: Organisation) -> None:
    """The field checks (kind, KvK number of 8 digits, e-mail address), a name no other organisation has (whatever
    the case) and a KvK number no other organisation has; every problem at once, per field."""
    organisation.name = " ".join(organisation.name.split())
    organisation.kvk_number = organisation.kvk_number.strip()
    organisation.email = organisation.email.strip()
    errors = {}
    try:
        organisation.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    others = Organisation.objects.exclude(pk=organisation.pk)
    if organisation.name and "name" not in errors and others.filter(name__iexact=organisation.name).exists():
        errors["name"] = [_("Er is al een organisatie met deze naam.")]
    if organisation.kvk_number and "kvk_number" not in errors \
            and others.filter(kvk_number=organisation.kvk_number).exists():
        errors["kvk_number"] = [_("Er is al een organisatie met dit KvK-nummer.")]
    if errors:
        raise ValidationError(errors)


@service
def organisation_create(*, actor, kind: str, name: str, email: str = "", province: str = "", kvk_number: str = "",
                        postal_address: str = "") -> Organisation:
    """A new party organisation. Name unique (whatever the case), KvK number 8 digits and unique when given."""
    _require_secretariat(actor)
    organisation = Organisation(kind=kind, name=name, email=email, province=province, kvk_number=kvk_number,
                                postal_address=postal_address)
    _clean_organisation(organisation)
    organisation.save()
    return organisation


@service
def organisation_update(*, actor, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's ``ORGANISATION_FIELDS`` (the same checks as when it was made)."""
    _require_secretariat(actor)
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update: unknown fields {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    for name, value in fields.items():
        setattr(organisation, name, value)
    _clean_organisation(organisation)
    organisation.save()
    return organisation


def _normalise_email(email: str) -> str:
    local, _at, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if local else email.strip()


def _create_invitation(*, organisation: Organisation, email: str, name: str, invited_by, dispute=None,
                       kind: str = InvitationKind.MEMBER, representation=None) -> Invitation:
    now = clock.now()
    invitation = Invitation.objects.create(
        kind=kind, organisation=organisation, email=email, name=name, dispute=dispute, invited_by=invited_by,
        representation=representation, created_at=now, expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    outbox.enqueue("disputes.invitations.send_invitation", invitation_id=str(invitation.pk))
    return invitation


def open_invitations(organisation: Organisation, email: str | None = None):
    """The organisation's invitations that can still be accepted (optionally: to ``email``)."""
    found = Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True,
                                      expires_at__gt=clock.now())
    return found.filter(email__iexact=email) if email is not None else found


@service
def invitation_send(*, actor, organisation: Organisation, email: str, name: str = "", dispute=None) -> Invitation:
    """The secretariat invites a person by e-mail to become a member of ``organisation``: a link that works once,
    for ``settings.INVITATION_DAYS`` days, sent through the outbox after commit. An earlier open invitation to the
    same address for the same organisation is revoked (its link stops working): the newest link counts."""
    _require_secretariat(actor)
    email = _normalise_email(email)
    try:
        Invitation(organisation=organisation, email=email).clean_fields(
            exclude=[f.name for f in Invitation._meta.fields if f.name != "email"])
    except ValidationError as exc:
        raise ValidationError({"email": exc.message_dict.get("email", exc.messages)}) from exc
    name = " ".join(name.split())[:150]
    if Membership.objects.filter(organisation=organisation, ended_at__isnull=True,
                                 user__email__iexact=email, user__is_active=True).exists():
        raise ValidationError({"email": [_("Iemand met dit e-mailadres is al lid van %(organisation)s.")
                                         % {"organisation": organisation.name}]})
    now = clock.now()
    for earlier in open_invitations(organisation, email).select_for_update():
        earlier.revoked_at = now
        earlier.save(update_fields=["revoked_at"])
    return _create_invitation(organisation=organisation, email=email, name=name, invited_by=actor, dispute=dispute)


@service
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    """The secretariat withdraws an open invitation: its link stops working. An invitation that was accepted,
    revoked before or has expired is left as it is (``InvitationClosed``)."""
    _require_secretariat(actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    current = invitations.state(invitation)
    if current != invitations.InvitationState.OPEN:
        raise InvitationClosed(current)
    invitation.revoked_at = clock.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def _grant_membership(invitation: Invitation, user) -> None:
    """A member invitation: an active membership of the organisation (an ended one is taken up again)."""
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        Membership.objects.create(user=user, organisation=invitation.organisation)
    elif membership.ended_at is not None:
        membership.ended_at = None
        membership.save(update_fields=["ended_at"])


def _grant_representation(invitation: Invitation, user) -> None:
    """Accepting a representative's invitation (services/representatives.py): the account becomes the
    representative of that party in that case, if the representation still runs and the person is no member of a
    party to the case."""
    representation = Representation.objects.select_for_update().get(pk=invitation.representation_id)
    if representation.status != RepresentationStatus.APPROVED or representation.ended_at is not None:
        raise NotPermitted(_("Deze machtiging loopt niet meer; de uitnodiging kan niet worden aangenomen."))
    if permissions.organisation_ids(user) & representation.dispute.organisation_ids():
        raise NotPermitted(_("U bent lid van een partij in dit geschil en kunt daarom geen gemachtigde zijn."))
    representation.user = user
    representation.save(update_fields=["user"])


#: what accepting grants, per kind of invitation
_GRANTS = {InvitationKind.MEMBER: _grant_membership, InvitationKind.REPRESENTATIVE: _grant_representation}


@service
def invitation_accept(*, invitation: Invitation, user=None, password: str = "", first_name: str = "",
                      last_name: str = ""):
    """Accept an invitation, once: with the logged-in ``user``'s own account, or (``user`` None) with a new account
    whose user name is the invited e-mail address and whose ``password`` passes Django's validators. Grants what
    the invitation is for (a membership of the organisation) and returns the user.

    ``InvitationClosed`` when it was accepted before, revoked or has expired; ``NotPermitted`` for a member of staff
    (staff act for the ministry, never for a party); ``ValidationError`` for a weak password or an address that
    already has an account (that person logs in and accepts with it)."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    current = invitations.state(invitation)
    if current != invitations.InvitationState.OPEN:
        raise InvitationClosed(current)
    grant = _GRANTS.get(invitation.kind)
    if grant is None:
        raise ValidationError(_("Deze uitnodiging kan hier niet worden aangenomen."))
    users = get_user_model()
    if user is not None:
        if not user.is_active:
            raise NotPermitted(_("Dit account is niet actief."))
        if permissions.is_staff_member(user) or user.is_staff or user.is_superuser:
            raise NotPermitted(_("Een medewerker kan geen lid worden van een partijorganisatie. Log uit en neem de "
                                 "uitnodiging aan met een eigen account voor de organisatie."))
    else:
        username = invitation.email.lower()
        if users.objects.filter(username__iexact=username).exists() or \
                users.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError({"password": [_(
                "Er is al een account met dit e-mailadres. Log in met dat account en open de link uit de e-mail "
                "opnieuw om de uitnodiging aan te nemen.")]})
        user = users(username=username, email=invitation.email, first_name=first_name.strip()[:150],
                     last_name=last_name.strip()[:150])
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
        user.save()
    grant(invitation, user)
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    visibility.forget(user)  # what visibility cached: the new membership or representation counts at once
    return user


@service
def membership_end(*, actor, membership: Membership) -> Membership:
    """The secretariat ends a membership: the person no longer acts for the organisation, sees none of its cases
    and gets none of its notices. The membership stays, ended, with its history."""
    _require_secretariat(actor)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_at is not None:
        raise ValidationError(_("Dit lidmaatschap is al beëindigd."))
    membership.ended_at = clock.now()
    membership.save(update_fields=["ended_at"])
    return membership


def has_active_member(organisation: Organisation) -> bool:
    return Membership.objects.filter(organisation=organisation, ended_at__isnull=True, user__is_active=True).exists()


def invite_unrepresented_respondents(dispute: Dispute) -> list[Invitation]:
    """At filing (``dispute_submit``, in its transaction): each respondent organisation with no active member but
    with a general e-mail address gets an invitation for a member, sent by the system through the outbox (unless an
    open one already goes to that address). An organisation with neither gets nothing: the staff case page says so
    ("Uitnodigingen")."""
    sent = []
    respondents = (dispute.parties.filter(role=PartyRole.RESPONDENT, withdrawn_at__isnull=True)
                   .select_related("organisation"))
    for party in respondents:
        organisation = party.organisation
        if not organisation.email or has_active_member(organisation):
            continue
        if open_invitations(organisation, organisation.email).exists():
            continue
        sent.append(_create_invitation(organisation=organisation, email=_normalise_email(organisation.email),
                                       name="", invited_by=None, dispute=dispute))
    return sent
