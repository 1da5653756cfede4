"""Case documents: bundles per procedural step, immutable once submitted, kept in private storage."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..errors import ImmutableRecord
from .agreement import EffortEntry
from .dispute import Dispute
from .party import Organisation


def private_storage():
    return storages["private"]


def generated_name(instance, filename: str) -> str:
    """Files are stored under a random name; the user's filename is display metadata only."""
    return f"documents/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class Step(models.TextChoices):
    """Procedural steps; each step's documents form a bundle (procedure.md §8), in this order."""

    FILING = "filing", _("Indiening")
    REGISTRATION = "registration", _("Registratie")
    ADMISSIBILITY = "admissibility", _("Ontvankelijkheid")
    RESPONSE = "response", _("Verweer en schriftelijke ronde")
    HEARING = "hearing", _("Hoorzitting")
    TERM = "term", _("Termijnen")
    ADVICE = "advice", _("Advies")
    DECISION = "decision", _("Bindende uitspraak")
    CLOSING = "closing", _("Afsluiting")
    DOSSIER = "dossier", _("Dossier")


class DocumentType(models.TextChoices):
    BOD = "bod", _("Bod")
    INDICATIE_MIDDELEN = "indicatie_middelen", _("Indicatie middelen")
    WOONVISIE = "woonvisie", _("Woonvisie / volkshuisvestingsbeleid")
    UITNODIGING_OVERLEG = "uitnodiging_overleg", _("Uitnodiging tot overleg")
    VERSLAG_OVERLEG = "verslag_overleg", _("Verslag overleg")
    PROCESAFSPRAKEN = "procesafspraken", _("Procesafspraken")
    CONCEPT_PRESTATIEAFSPRAKEN = "concept_prestatieafspraken", _("Concept-prestatieafspraken")
    CORRESPONDENTIE = "correspondentie", _("Correspondentie")
    VERSLAG_MEDIATION = "verslag_mediation", _("Verslag mediation")
    ONDERTEKENDE_PRESTATIEAFSPRAKEN = "ondertekende_prestatieafspraken", _("Ondertekende prestatieafspraken")
    MONITOR = "monitor", _("Monitor / jaarverantwoording")
    INGEBREKESTELLING = "ingebrekestelling", _("Ingebrekestelling")
    REACTIE_WEDERPARTIJ = "reactie_wederpartij", _("Reactie wederpartij")
    VERZOEK = "verzoek", _("Verzoek tot geschilbeslechting")
    MACHTIGING = "machtiging", _("Machtiging")
    ONTVANGSTBEVESTIGING = "ontvangstbevestiging", _("Ontvangstbevestiging")
    VERZOEK_HERSTEL = "verzoek_herstel", _("Verzoek herstel verzuim")
    AANVULLING = "aanvulling", _("Aanvulling")
    MEDEDELING_ONTVANKELIJKHEID = "mededeling_ontvankelijkheid", _("Mededeling (niet-)ontvankelijkheid")
    VERWEERSCHRIFT = "verweerschrift", _("Verweerschrift")
    REPLIEK = "repliek", _("Repliek")
    DUPLIEK = "dupliek", _("Dupliek")
    VRAAG_INLICHTINGEN = "vraag_inlichtingen", _("Vraag om inlichtingen")
    ANTWOORD = "antwoord", _("Antwoord")
    UITNODIGING_HOORZITTING = "uitnodiging_hoorzitting", _("Uitnodiging hoorzitting")
    VERSLAG_HOORZITTING = "verslag_hoorzitting", _("Verslag hoorzitting")
    VERLENGINGSBERICHT = "verlengingsbericht", _("Verlengingsbericht")
    ADVIES = "advies", _("Advies adviescommissie")
    AANBIEDINGSBRIEF = "aanbiedingsbrief", _("Aanbiedingsbrief")
    BINDENDE_UITSPRAAK = "bindende_uitspraak", _("Bindende uitspraak")
    INTREKKING = "intrekking", _("Intrekking")
    VASTSTELLINGSOVEREENKOMST = "vaststellingsovereenkomst", _("Vaststellingsovereenkomst")
    PUBLICATIE = "publicatie", _("Publicatie")
    OVERIG = "overig", _("Overig")


class Confidentiality(models.TextChoices):
    PARTIES = "parties", _("Partijen en medewerkers")
    COMMISSION = "commission", _("Alleen medewerkers en adviescommissie")
    INTERNAL = "internal", _("Alleen ministerie")


class Bundle(models.Model):
    """The documents of one step of one case (e.g. the filing, one remedy round, the decision)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="bundles")
    step = models.CharField(_("stap"), max_length=20, choices=Step.choices)
    sequence = models.PositiveSmallIntegerField(_("volgnummer"), default=1)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "step", "sequence"], name="unique_bundle_per_step")
        ]
        verbose_name = _("bundel")
        verbose_name_plural = _("bundels")

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.sequence}"


class DocumentQuerySet(models.QuerySet):
    def current(self):
        """Documents that are part of the case: not taken out of a draft, and not the PDF and ZIP of a
        dossier export stored as documents (step ``dossier``) before migration 0009. Exports are build
        products kept on ``DossierExport`` itself; those old rows stay (nothing is hard-deleted) but
        no case page, download list or dossier shows them.
        """
        return self.filter(withdrawn_at__isnull=True).exclude(bundle__step=Step.DOSSIER)

    def delete(self):
        raise ImmutableRecord(_("Documenten worden nooit verwijderd."))


class Document(models.Model):
    """A file in a bundle. After submission it never changes; a correction is a new version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: A document belongs to a case's bundle, or (before any case exists) to an effort-log entry.
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    doc_type = models.CharField(_("soort document"), max_length=40, choices=DocumentType.choices)
    display_name = models.CharField(_("bestandsnaam"), max_length=200)
    file = models.FileField(storage=private_storage, upload_to=generated_name, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("grootte"))
    content_type = models.CharField(_("bestandstype"), max_length=100)
    page_count = models.PositiveIntegerField(_("pagina's"), null=True, blank=True)
    #: None for documents the system generated (the acknowledgement, letters, dossier exports)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
        verbose_name=_("organisatie"),
    )
    confidentiality = models.CharField(
        _("vertrouwelijkheid"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.PARTIES
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by",
        verbose_name=_("vervangt"),
    )
    effort_entry = models.ForeignKey(
        EffortEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    uploaded_at = models.DateTimeField(_("geüpload op"))
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    #: Set when the uploader takes a document out of a draft before submission. The row and the
    #: file stay (nothing is hard-deleted); it is no longer part of the case.
    withdrawn_at = models.DateTimeField(_("teruggetrokken op"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(dispute__isnull=False, bundle__isnull=False) | models.Q(effort_entry__isnull=False)
                ),
                name="document_belongs_to_case_or_effort_entry",
            )
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documenten")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        if not self._state.adding and type(self).objects.filter(pk=self.pk, submitted_at__isnull=False).exists():
            raise ImmutableRecord(_("Een ingediend document kan niet meer worden gewijzigd."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(_("Documenten worden nooit verwijderd."))


class DossierAudience(models.TextChoices):
    FULL = "full", _("Volledig dossier (intern)")
    PARTY = "party", _("Partijversie (zonder vertrouwelijke stukken)")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


def export_file_name(instance, filename: str) -> str:
    """``dossier-exports/<export id>/<random>.<pdf|zip>``: in the private storage, apart from the case's
    documents, under a generated name (the download name is made from the case number)."""
    extension = filename.rpartition(".")[2] if "." in filename else "bin"
    return f"dossier-exports/{instance.pk}/{uuid.uuid4().hex}.{extension}"


def case_version_in_words(version: str) -> str:
    """A dossier's case version (``<version>-<documents>-<events>``, disputes/dossier/content.py) as a person
    reads it; anything else as it is."""
    parts = str(version).split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return str(version)
    return _("stand %(version)s van het geschil, met %(documents)s documenten en %(events)s gebeurtenissen") % {
        "version": parts[0], "documents": parts[1], "events": parts[2]}


class DossierExport(models.Model):
    """One export of a case's decision dossier (PDF + ZIP) for one audience and one case version.

    At most one export per case version and audience: asking again returns the existing one.
    The PDF and the ZIP are build products, not case documents: they belong to this row
    (``pdf_file``, ``zip_file``, each with its SHA-256 and size) in the private storage under
    ``dossier-exports/<export id>/``, are served only through the authorising dossier views, and are
    pruned: per case and audience only the newest ``settings.DOSSIER_EXPORTS_KEPT`` finished exports
    keep their files (``pruned_at`` marks the others; asking for such a version builds it again).
    Exports made before migration 0009 were stored as documents of step ``dossier``; those rows are
    ``legacy_pdf`` / ``legacy_zip`` (see ``DocumentQuerySet.current``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="dossier_exports")
    audience = models.CharField(_("versie"), max_length=8, choices=DossierAudience.choices)
    #: Dispute.version plus the number of its documents and events when requested: a new event or
    #: document makes a new version of the dossier.
    case_version = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    pages = models.PositiveIntegerField(null=True, blank=True)
    pdf_file = models.FileField(storage=private_storage, upload_to=export_file_name, max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_size = models.PositiveBigIntegerField(null=True, blank=True)
    zip_file = models.FileField(storage=private_storage, upload_to=export_file_name, max_length=200, blank=True)
    zip_sha256 = models.CharField(max_length=64, blank=True)
    zip_size = models.PositiveBigIntegerField(null=True, blank=True)
    #: Set when the files were removed because newer exports of the case and audience exist.
    pruned_at = models.DateTimeField(null=True, blank=True)
    #: Before migration 0009 the PDF and ZIP were stored as documents of the case (step ``dossier``).
    legacy_pdf = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    legacy_zip = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "audience", "case_version"], name="one_export_per_case_version"
            )
        ]
        verbose_name = _("dossierexport")
        verbose_name_plural = _("dossierexports")

    def __str__(self) -> str:
        return f"{self.dispute} {self.get_audience_display()} ({self.get_status_display()})"

    @property
    def case_version_in_words(self) -> str:
        return case_version_in_words(self.case_version)

    @property
    def available(self) -> bool:
        """Finished, and its files are still kept (not pruned)."""
        return self.status == ExportStatus.DONE and self.pruned_at is None and bool(self.pdf_file and self.zip_file)
