"""The archive under the Archiefwet (issue 17, items 5-7; docs/archive.md): each ended case's retention rule from
the configured selectielijst table, destruction lists reviewed by a record manager, a reviewer and an archivist,
the minimal record and certificate that stay, and the transfer of cases to be kept.

The roles are Django groups of the same name (migration 0021), apart from the staff roles: they see no case's
contents, only the lists (``disputes.permissions.can_manage_records`` and the two beside it)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dispute import Dispute
from .document import Document


class ArchiveRole(models.TextChoices):
    """The archive's roles (Open Archiefbeheer): each is a Django group of the same name."""

    RECORD_MANAGER = "record_manager", _("Recordmanager")
    REVIEWER = "archive_reviewer", _("Beoordelaar vernietiging")
    ARCHIVIST = "archivist", _("Archivaris")


class Nomination(models.TextChoices):
    """The archiefnominatie (Archiefwet 1995, art. 5): keep for transfer, or destroy when the term has passed."""

    KEEP = "blijvend_bewaren", _("Blijvend bewaren")
    DESTROY = "vernietigen", _("Vernietigen")


class RetentionScope(models.TextChoices):
    CASE = "case", _("Zaak")
    DOCUMENT = "document", _("Documentsoort")


class RetentionRule(models.Model):
    """One row of the configured selectielijst table (docs/archive.md): for a case by how it ended (``key`` is an
    outcome of ``disputes.retention.OUTCOMES``) or for a document type (``key`` is a ``DocumentType``, a shorter
    term than its case where the selectielijst allows). The shipped rows (migration 0021) are defaults, documented
    as such; the ministry sets its own selectielijst categories in the admin."""

    scope = models.CharField(_("geldt voor"), max_length=8, choices=RetentionScope.choices)
    key = models.CharField(_("uitkomst of documentsoort"), max_length=40)
    category = models.CharField(_("categorie selectielijst"), max_length=40)
    description = models.CharField(_("omschrijving"), max_length=300)
    nomination = models.CharField(_("archiefnominatie"), max_length=20, choices=Nomination.choices)
    years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))

    class Meta:
        ordering = ["scope", "key"]
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_retention_rule_per_key")]
        verbose_name = _("bewaarregel")
        verbose_name_plural = _("bewaarregels (selectielijst)")

    def __str__(self) -> str:
        return f"{self.category} {self.key}: {self.get_nomination_display()} ({self.years})"


class CaseRetention(models.Model):
    """The retention rule a case got when it ended, copied from the table (a later change of the table does not
    change a case that already has one), its archiefactiedatum, and what became of it."""

    dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT, related_name="retention")
    outcome = models.CharField(_("uitkomst"), max_length=40)
    category = models.CharField(_("categorie selectielijst"), max_length=40)
    description = models.CharField(_("omschrijving"), max_length=300)
    nomination = models.CharField(_("archiefnominatie"), max_length=20, choices=Nomination.choices)
    years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))
    #: the day the term starts (brondatum): the day the case ended
    source_date = models.DateField(_("brondatum"))
    action_date = models.DateField(_("archiefactiedatum"), db_index=True)
    assigned_at = models.DateTimeField(_("vastgesteld op"))
    #: set when the case's files and personal data were destroyed; the minimal record stays
    destroyed_at = models.DateTimeField(_("vernietigd op"), null=True, blank=True)
    destruction_list = models.ForeignKey("DestructionList", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("vernietigingslijst"))
    #: set when the transfer export (MDTO) was made for a case to be kept
    transferred_at = models.DateTimeField(_("overgebracht op"), null=True, blank=True)

    class Meta:
        verbose_name = _("bewaarregel van een zaak")
        verbose_name_plural = _("bewaarregels van zaken")

    def __str__(self) -> str:
        return f"{self.dispute_id}: {self.get_nomination_display()} {self.action_date}"


class DocumentRetention(models.Model):
    """A document with a shorter term than its case (a document type in the table): its own archiefactiedatum."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="retention")
    category = models.CharField(_("categorie selectielijst"), max_length=40)
    years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))
    action_date = models.DateField(_("archiefactiedatum"), db_index=True)

    class Meta:
        verbose_name = _("bewaarregel van een document")
        verbose_name_plural = _("bewaarregels van documenten")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.action_date}"


class DestructionStatus(models.TextChoices):
    """A destruction list's way through its three roles (Open Archiefbeheer)."""

    NEW = "new", _("Nieuw")
    READY_TO_REVIEW = "ready_to_review", _("Klaar voor beoordeling")
    CHANGES_REQUESTED = "changes_requested", _("Teruggestuurd")
    INTERNALLY_REVIEWED = "internally_reviewed", _("Beoordeeld, wacht op de archivaris")
    READY_TO_DESTROY = "ready_to_destroy", _("Goedgekeurd, klaar om te vernietigen")
    DESTROYING = "destroying", _("Wordt vernietigd")
    DESTROYED = "destroyed", _("Vernietigd")


class DestructionList(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=200)
    status = models.CharField(_("status"), max_length=24, choices=DestructionStatus.choices,
                              default=DestructionStatus.NEW)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("recordmanager"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("beoordelaar"))
    archivist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("archivaris"))
    created_at = models.DateTimeField(_("aangemaakt op"))
    destroyed_at = models.DateTimeField(_("vernietigd op"), null=True, blank=True)
    #: the verklaring van vernietiging (PDF/A, tagged): bytes kept here, it outlives the files it certifies
    certificate = models.BinaryField(_("verklaring van vernietiging"), blank=True, default=b"")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vernietigingslijst")
        verbose_name_plural = _("vernietigingslijsten")

    def __str__(self) -> str:
        return self.name


class DestructionItemScope(models.TextChoices):
    CASE = "case", _("Hele zaak")
    DOCUMENTS = "documents", _("Documenten met een kortere termijn")


class DestructionItemStatus(models.TextChoices):
    LISTED = "listed", _("Op de lijst")
    REMOVED = "removed", _("Van de lijst gehaald")
    DESTROYED = "destroyed", _("Vernietigd")


class DestructionItem(models.Model):
    """One case on a list. The case number, kind, gemeente and dates are copied here when listed: they are the
    minimal record the list and its certificate keep after the case's contents are gone."""

    destruction_list = models.ForeignKey(DestructionList, on_delete=models.CASCADE, related_name="items")
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("omvang"), max_length=10, choices=DestructionItemScope.choices,
                             default=DestructionItemScope.CASE)
    status = models.CharField(_("status"), max_length=10, choices=DestructionItemStatus.choices,
                              default=DestructionItemStatus.LISTED)
    case_number = models.CharField(_("zaaknummer"), max_length=20)
    kind = models.CharField(_("soort geschil"), max_length=20)
    municipality = models.CharField(_("gemeente"), max_length=200)
    ended_on = models.DateField(_("beëindigd op"))
    action_date = models.DateField(_("archiefactiedatum"))
    category = models.CharField(_("categorie selectielijst"), max_length=40)
    destroyed_at = models.DateTimeField(_("vernietigd op"), null=True, blank=True)

    class Meta:
        ordering = ["action_date", "case_number"]
        constraints = [models.UniqueConstraint(fields=["destruction_list", "dispute", "scope"],
                                               name="a_case_once_per_list")]
        verbose_name = _("zaak op een vernietigingslijst")
        verbose_name_plural = _("zaken op een vernietigingslijst")

    def __str__(self) -> str:
        return self.case_number


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Akkoord")
    SENT_BACK = "sent_back", _("Teruggestuurd")


class DestructionReview(models.Model):
    """A reviewer's or archivist's verdict on a list, with a comment per case sent back."""

    destruction_list = models.ForeignKey(DestructionList, on_delete=models.CASCADE, related_name="reviews")
    role = models.CharField(_("rol"), max_length=20, choices=ArchiveRole.choices)
    decision = models.CharField(_("oordeel"), max_length=12, choices=ReviewDecision.choices)
    comment = models.TextField(_("toelichting"), blank=True, max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.role}: {self.decision}"


class ItemReview(models.Model):
    """A case sent back by the reviewer or archivist, with the reason; the record manager then keeps or removes it."""

    review = models.ForeignKey(DestructionReview, on_delete=models.CASCADE, related_name="item_reviews")
    item = models.ForeignKey(DestructionItem, on_delete=models.CASCADE, related_name="reviews")
    comment = models.TextField(_("reden"), max_length=2000)

    def __str__(self) -> str:
        return self.comment[:50]
