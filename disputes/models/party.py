"""Party organisations (gemeente, woningcorporatie, huurdersorganisatie, bewonerscommissie) and staff."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("Gemeente")
    WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie")
    HUURDERSORGANISATIE = "huurdersorganisatie", _("Huurdersorganisatie")
    BEWONERSCOMMISSIE = "bewonerscommissie", _("Bewonerscommissie")


TENANT_KINDS = (OrganisationKind.HUURDERSORGANISATIE, OrganisationKind.BEWONERSCOMMISSIE)


class Province(models.TextChoices):
    """The twelve provinces, for the dashboard's filter on the gemeente's province (docs/workflow.md)."""

    DRENTHE = "drenthe", _("Drenthe")
    FLEVOLAND = "flevoland", _("Flevoland")
    FRIESLAND = "friesland", _("Fryslân")
    GELDERLAND = "gelderland", _("Gelderland")
    GRONINGEN = "groningen", _("Groningen")
    LIMBURG = "limburg", _("Limburg")
    NOORD_BRABANT = "noord_brabant", _("Noord-Brabant")
    NOORD_HOLLAND = "noord_holland", _("Noord-Holland")
    OVERIJSSEL = "overijssel", _("Overijssel")
    UTRECHT = "utrecht", _("Utrecht")
    ZEELAND = "zeeland", _("Zeeland")
    ZUID_HOLLAND = "zuid_holland", _("Zuid-Holland")


class Organisation(models.Model):
    """A party organisation. Its members act for it; the organisation never comes from a form field."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("soort"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("naam"), max_length=200, unique=True)
    #: the general address for notices: invitations for an organisation without an active member go here
    email = models.EmailField(_("algemeen e-mailadres"), blank=True)
    #: where the organisation sits; the dashboard filters the cases on the province of their gemeente
    province = models.CharField(_("provincie"), max_length=16, choices=Province.choices, blank=True)
    #: the KvK number (8 digits) by which an eHerkenning log-in (OpenID Connect) finds the organisation
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, blank=True,
        validators=[RegexValidator(r"^[0-9]{8}$", _("Een KvK-nummer bestaat uit 8 cijfers."))],
    )
    postal_address = models.TextField(_("postadres"), blank=True, max_length=500)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("leden")
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kvk_number"], condition=~models.Q(kvk_number=""),
                                    name="unique_kvk_number"),
        ]
        verbose_name = _("partijorganisatie")
        verbose_name_plural = _("partijorganisaties")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user acting for a party organisation (a user may belong to several)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    since = models.DateField(_("sinds"), auto_now_add=True)
    #: a membership is ended, never deleted: the history keeps who acted for whom
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.user} - {self.organisation}"


class StaffRole(models.TextChoices):
    """Staff roles; each is a Django group of the same name (created by a data migration)."""

    SECRETARY = "secretary", _("Secretaris")
    COMMISSION_MEMBER = "commission_member", _("Lid adviescommissie")
    COMMISSION_CHAIR = "commission_chair", _("Voorzitter adviescommissie")
    MINISTER_OFFICIAL = "minister_official", _("Ambtenaar namens de Minister")


COMMISSION_ROLES = (StaffRole.COMMISSION_MEMBER, StaffRole.COMMISSION_CHAIR)
