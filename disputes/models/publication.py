"""Publication of the advice and the binding decision without personal data (issue 17, docs/publication.md): a
publication version built from the case's structured data, its replacements reviewed with four eyes, published in
the public register (/uitspraken/) and withdrawn with a reason when needed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dispute import Dispute


class PublicationStatus(models.TextChoices):
    PREPARED = "prepared", _("In voorbereiding")
    PUBLISHED = "published", _("Gepubliceerd")
    WITHDRAWN = "retracted", _("Ingetrokken")


class Publication(models.Model):
    """The publication of one case's advice and decision. ``sections`` is the text as built from the case, before
    replacements (kept for the review only, never shown in the register); ``published_sections`` is the text with
    the replacements applied, frozen when a second person approved it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="publications")
    #: the register's address: the case number in lower case (gpa-2017-0001)
    slug = models.SlugField(_("kenmerk"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=PublicationStatus.choices,
                              default=PublicationStatus.PREPARED)
    title = models.CharField(_("titel"), max_length=300)
    sections = models.JSONField(_("tekst vóór het pseudonimiseren"), default=list)
    published_sections = models.JSONField(_("gepubliceerde tekst"), default=list, blank=True)
    decided_on = models.DateField(_("datum uitspraak"))
    municipality = models.CharField(_("gemeente"), max_length=200)
    kind = models.CharField(_("soort geschil"), max_length=32)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("voorbereid door"))
    prepared_at = models.DateTimeField(_("voorbereid op"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("goedgekeurd door"))
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    #: the published PDF (tagged PDF/A, no hidden text): bytes kept here, not in the case's private files
    pdf = models.BinaryField(_("PDF"), blank=True, default=b"")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("ingetrokken door"))
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reden van intrekking"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-decided_on", "-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], condition=models.Q(status="published"),
                                    name="publication_slug_once_in_the_register"),
        ]
        indexes = [models.Index(fields=["status", "-decided_on"], name="publication_register")]
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")

    def __str__(self) -> str:
        return self.title


class ReplacementKind(models.TextChoices):
    PERSON = "person", _("Naam van een persoon")
    EMAIL = "email", _("E-mailadres")
    PHONE = "phone", _("Telefoonnummer")
    IBAN = "iban", _("IBAN")
    BSN = "bsn", _("Burgerservicenummer")
    ADDRESS = "address", _("Postcode met huisnummer")
    MANUAL = "manual", _("Toegevoegd door het secretariaat")


class Replacement(models.Model):
    """One thing taken out of the publication: every occurrence of ``original`` becomes ``replacement``, unless it
    was undone (with a reason)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="replacements")
    kind = models.CharField(_("soort"), max_length=12, choices=ReplacementKind.choices)
    original = models.CharField(_("oorspronkelijk"), max_length=300)
    replacement = models.CharField(_("vervangen door"), max_length=100)
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    #: None: found by the product (a known person, a pattern)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    added_at = models.DateTimeField()
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.CharField(_("reden om terug te zetten"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("vervanging")
        verbose_name_plural = _("vervangingen")

    def __str__(self) -> str:
        return f"{self.original} -> {self.replacement}"
