"""The local agreement (prestatieafspraken of one gemeente for one year) and its effort log."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .party import Organisation


class LocalAgreement(models.Model):
    """The overleg between a gemeente, its corporations and tenant organisations for one year."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreements_as_municipality",
        limit_choices_to={"kind": "gemeente"}, verbose_name=_("gemeente"),
    )
    corporations = models.ManyToManyField(
        Organisation, related_name="agreements_as_corporation", limit_choices_to={"kind": "woningcorporatie"},
        verbose_name=_("woningcorporaties"),
    )
    tenant_organisations = models.ManyToManyField(
        Organisation, related_name="agreements_as_tenant_organisation", blank=True,
        limit_choices_to={"kind__in": ["huurdersorganisatie", "bewonerscommissie"]},
        verbose_name=_("huurdersorganisaties en bewonerscommissies"),
    )
    year = models.PositiveSmallIntegerField(_("jaar van de afspraken"))
    overleg_started_on = models.DateField(_("start overleg"), null=True, blank=True)
    bid_on = models.DateField(_("datum bod"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_agreement_per_municipality_year")
        ]
        verbose_name = _("lokale prestatieafspraken")
        verbose_name_plural = _("lokale prestatieafspraken")

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"

    def party_ids(self) -> set:
        """Every organisation taking part in this overleg."""
        ids = {self.municipality_id}
        ids.update(o.pk for o in self.corporations.all())
        ids.update(o.pk for o in self.tenant_organisations.all())
        return ids


class EffortKind(models.TextChoices):
    BOD = "bod", _("Bod")
    MEETING = "meeting", _("Overleg")
    PROPOSAL = "proposal", _("Voorstel")
    COUNTER_PROPOSAL = "counter_proposal", _("Tegenvoorstel")
    LETTER = "letter", _("Brief")
    MEDIATION = "mediation", _("Mediation")
    PROCESS_AGREEMENT = "process_agreement", _("Procesafspraak")
    NOTICE_TO_COMPLY = "notice_to_comply", _("Ingebrekestelling")
    ANSWER = "answer", _("Reactie")


class EffortEntry(models.Model):
    """One dated entry of the overleg's effort log (overleglogboek, procedure.md §4).

    It belongs to the agreement, not to a dispute: every party of the agreement sees it, and a
    dispute filed on the agreement relies on it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agreement = models.ForeignKey(LocalAgreement, on_delete=models.PROTECT, related_name="effort_entries")
    kind = models.CharField(_("soort"), max_length=32, choices=EffortKind.choices)
    occurred_on = models.DateField(_("datum"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="effort_entries", verbose_name=_("vastgelegd door")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"))
    participants = models.TextField(_("deelnemers"), blank=True, max_length=2000)
    summary = models.TextField(_("samenvatting"), max_length=10000)

    class Meta:
        ordering = ["occurred_on", "recorded_at"]
        verbose_name = _("logboekregel")
        verbose_name_plural = _("overleglogboek")

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"
