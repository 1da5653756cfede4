"""Invitations into a party organisation (issue 15, docs/accounts.md, "Uitnodigingen"): the signed link, the
state of an invitation, and the e-mail that carries the link.

The link is ``/uitnodiging/<token>/``: the token is the invitation's id signed with its own salt
(``django.core.signing``), so it cannot be guessed or altered, and no token is stored. It is signed when the mail is
built (``send_invitation``, through the outbox after commit). Whether it still works is the invitation's business,
not the token's: it works while the invitation is open (``state``): not accepted (single use), not revoked, and not
past ``expires_at`` (``settings.INVITATION_DAYS`` after sending, on the project's clock).

The services that send, revoke and accept invitations are ``disputes.services.accounts``.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import clock
from .models import Invitation, InvitationKind

log = logging.getLogger("disputes.auth")

SALT = "disputes.invitation"


class InvitationState:
    OPEN = "open"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REVOKED = "revoked"


STATE_LABELS = {
    InvitationState.OPEN: _("open"),
    InvitationState.ACCEPTED: _("aangenomen"),
    InvitationState.EXPIRED: _("verlopen"),
    InvitationState.REVOKED: _("ingetrokken"),
}


def state(invitation: Invitation, now=None) -> str:
    """Accepted, revoked, expired (on the project's clock) or open; the first that holds, in that order."""
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationState.REVOKED
    if (now or clock.now()) >= invitation.expires_at:
        return InvitationState.EXPIRED
    return InvitationState.OPEN


def state_label(invitation: Invitation, now=None) -> str:
    return str(STATE_LABELS[state(invitation, now)])


def token_for(invitation: Invitation) -> str:
    return signing.Signer(salt=SALT).sign_object(str(invitation.pk))


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation ``token`` names (in whatever state), or None for a forged or malformed token."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        return None
    if not isinstance(value, str):
        return None
    try:
        return (Invitation.objects.select_related("organisation", "invited_by", "dispute")
                .filter(pk=value).first())
    except (ValueError, TypeError):  # not a UUID
        return None


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation-accept", args=[token_for(invitation)])


@shared_task(acks_late=True, ignore_result=True)
def send_invitation(*, invitation_id: str) -> int:
    """E-mail the link of an invitation that is still open; 1 when sent, else 0 (revoked, accepted or expired
    meanwhile: that link would not work)."""
    invitation = (Invitation.objects.select_related("organisation", "invited_by", "dispute")
                  .filter(pk=invitation_id).first())
    if invitation is None or state(invitation) != InvitationState.OPEN:
        return 0
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "url": invitation_url(invitation),
        "valid_until": timezone.localtime(invitation.expires_at),
        "inviter": (invitation.invited_by.get_full_name() or invitation.invited_by.get_username())
        if invitation.invited_by else "",
        "site_url": settings.SITE_URL,
        "representative": invitation.kind == InvitationKind.REPRESENTATIVE,
    }
    with translation.override("nl"):
        subject = " ".join(render_to_string("emails/invitation_subject.txt", context).split())
        body = render_to_string("emails/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    log.info("invitation sent: invitation=%s organisation=%r", invitation.pk, invitation.organisation.name)
    return 1
