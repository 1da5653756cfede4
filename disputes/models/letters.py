"""Letters (issue 16, docs/letters.md): the secretariat's wording of every letter kind, in versions, and each letter
made from it for a case: drafted, checked (its wording may be edited for this one letter), sent. The kinds, their
placeholders and addressees are ``disputes.letterbook.KINDS``; the shipped wording is in disputes/letter_texts/."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dispute import Dispute
from .document import Document
from .party import Organisation


class LetterTemplate(models.Model):
    """One version of the wording of a letter kind. The highest version of a kind is the one in use; a version is
    never changed (a change is a new version), so every sent letter names the wording it was made from."""

    kind = models.CharField(_("soort brief"), max_length=40)
    version = models.PositiveIntegerField(_("versie"))
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"), max_length=20000)
    note = models.CharField(_("toelichting op de wijziging"), max_length=300, blank=True)
    #: the wording shipped with the product (version 1, or a reset to it)
    shipped = models.BooleanField(_("meegeleverde tekst"), default=False)
    #: None: the product put it there (the shipped wording, when the kind was first used)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("gewijzigd door"))
    created_at = models.DateTimeField(_("gewijzigd op"))

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="letter_template_version_once")]
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class LetterStatus(models.TextChoices):
    DRAFT = "concept", _("Concept")
    SENT = "sent", _("Verstuurd")
    DISCARDED = "discarded", _("Weggegooid")


class Letter(models.Model):
    """A letter of a case: made from the wording in use (``template``), its own wording (``subject``, ``body``:
    edited for this letter only, ``edited``), sent once to its addressees (one ``LetterCopy`` and case document
    each)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="letters", verbose_name=_("zaak"))
    kind = models.CharField(_("soort brief"), max_length=40)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters",
                                 verbose_name=_("sjabloonversie"))
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"), max_length=20000)
    edited = models.BooleanField(_("tekst aangepast voor deze brief"), default=False)
    #: what the case alone does not say: the question a vraag om inlichtingen is about, the reason of an extension
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    #: None: made by the system (the acknowledgement at filing, the extension notice, ...)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("opgesteld door"))
    created_at = models.DateTimeField(_("opgesteld op"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("verstuurd door"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")

    def __str__(self) -> str:
        return f"{self.kind} {self.dispute}"


class LetterCopy(models.Model):
    """The letter as sent to one addressee: the PDF is a case document."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="copies")
    #: None for the Minister (the advice's cover letter), who is no organisation of the product
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("geadresseerde"))
    addressee = models.CharField(_("geadresseerde"), max_length=300)
    capacity = models.CharField(_("hoedanigheid"), max_length=20, blank=True)
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="letter_copy")
    #: the day the paper copy went in the post, recorded by a connected system
    #: (``POST /api/v1/letters/copies/<id>/posted/``)
    posted_on = models.DateField(_("per post verzonden op"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("verzonden brief")
        verbose_name_plural = _("verzonden brieven")

    def __str__(self) -> str:
        return f"{self.letter} - {self.addressee}"
