"""What staff search finds a case by (issue 14, docs/search.md): derived data, rebuilt by the worker.

``SearchEntry`` holds a case's words in three weights (its number and title; the names of its parties and
gemeente; its points, positions and effort log). ``DocumentText`` records that a document's text was
extracted, once, after it was stored; ``DocumentPageText`` holds the text of each page, so a result can name the
page and its snippet is cut from a page, not from a whole file. On PostgreSQL each has a ``tsvector`` (Dutch
configuration) with a GIN index; on SQLite the vectors stay empty and search reads the text itself.

None of this is evidence or part of the audit trail: it is rebuilt from the case and its documents at any time
(``manage.py search_index``).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dispute import Dispute
from .document import Document


class SearchEntry(models.Model):
    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    #: case number and title (weight A)
    heading = models.TextField(blank=True)
    #: the parties' and the gemeente's names (weight B)
    names = models.TextField(blank=True)
    #: the points, the parties' positions, the reasons and the effort log (weight C), bounded
    body = models.TextField(blank=True)
    vector = SearchVectorField(null=True)
    #: the case's filing moment: results of the same rank, newest first, without joining the cases to sort
    submitted_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("zoekgegevens van een zaak")
        verbose_name_plural = _("zoekgegevens van zaken")

    def __str__(self) -> str:
        return self.heading


class TextOutcome(models.TextChoices):
    EXTRACTED = "extracted", _("Tekst gelezen")
    NO_TEXT = "no_text", _("Geen tekst (bijvoorbeeld een scan)")
    TOO_COSTLY = "too_costly", _("Niet gelezen: te groot of te traag")
    UNREADABLE = "unreadable", _("Niet gelezen: onleesbaar")
    NOT_PDF = "not_pdf", _("Geen PDF")


class DocumentText(models.Model):
    """That a document's text was read, once, and how it went."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, primary_key=True,
                                    related_name="extracted_text")
    outcome = models.CharField(max_length=16, choices=TextOutcome.choices)
    pages = models.PositiveIntegerField(default=0)
    characters = models.PositiveIntegerField(default=0)
    #: the text was cut at ``SEARCH_MAX_DOCUMENT_CHARACTERS``
    truncated = models.BooleanField(default=False)
    extracted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("gelezen documenttekst")
        verbose_name_plural = _("gelezen documentteksten")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.get_outcome_display()}"


class DocumentPageText(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="page_texts")
    number = models.PositiveIntegerField()
    text = models.TextField()
    vector = SearchVectorField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_page_text")]
        verbose_name = _("tekst van een pagina")
        verbose_name_plural = _("teksten van pagina's")

    def __str__(self) -> str:
        return f"{self.document_id} p. {self.number}"
