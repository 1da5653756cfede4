"""Who may act for a party (issue 15, docs/accounts.md): invitations into an organisation, and representatives
(gemachtigden) authorised for one case.

An ``Invitation`` is a single-use link that expires: the invitee sets a password (or links an OpenID Connect
identity) and becomes a member of the organisation, or, for a representation, the representative of that party
in that case. A ``Representation`` gives a person outside the organisation access to one case, once the
secretariat has checked the authorisation document (machtiging); every act of the representative is recorded
"namens" the organisation. Both are changed only through services, and their history is kept
(disputes/history/models.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dispute import Dispute
from .document import Document
from .party import Organisation


class InvitationKind(models.TextChoices):
    MEMBER = "member", _("Lid van de organisatie")
    REPRESENTATIVE = "representative", _("Gemachtigde voor één zaak")


class Invitation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("soort"), max_length=16, choices=InvitationKind.choices, default=InvitationKind.MEMBER)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations",
                                     verbose_name=_("organisatie"))
    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=150, blank=True)
    #: the case that made an automatic invitation (a respondent without an active member), or the case of a
    #: representation
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="invitations", verbose_name=_("zaak"))
    representation = models.OneToOneField("Representation", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="invitation")
    #: None: sent by the system (at filing)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("uitgenodigd door"))
    created_at = models.DateTimeField(_("verstuurd op"))
    expires_at = models.DateTimeField(_("verloopt op"))
    accepted_at = models.DateTimeField(_("aangenomen op"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"


class RepresentationStatus(models.TextChoices):
    REQUESTED = "requested", _("Machtiging wordt gecontroleerd")
    APPROVED = "approved", _("Goedgekeurd")
    REFUSED = "refused", _("Afgewezen")
    ENDED = "ended", _("Beëindigd")


class Representation(models.Model):
    """A person outside a party organisation who acts for it in one case (a gemachtigde)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="representations",
                                verbose_name=_("zaak"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="representations",
                                     verbose_name=_("namens"))
    name = models.CharField(_("naam gemachtigde"), max_length=150)
    email = models.EmailField(_("e-mailadres gemachtigde"))
    #: the representative's account, once they accepted the invitation
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="representations", verbose_name=_("gebruiker"))
    authorisation = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("machtiging"))
    status = models.CharField(_("status"), max_length=16, choices=RepresentationStatus.choices,
                              default=RepresentationStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("aangevraagd door"))
    requested_at = models.DateTimeField(_("aangevraagd op"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("gecontroleerd door"))
    checked_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    check_note = models.TextField(_("toelichting"), blank=True, max_length=2000)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("gemachtigde")
        verbose_name_plural = _("gemachtigden")

    def __str__(self) -> str:
        return f"{self.name} namens {self.organisation}"
