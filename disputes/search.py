"""Staff search over cases and their documents (issue 14; docs/search.md).

Two halves:

- **The index** (``index_cases``, ``extract_text``), built by the worker: after every event of a case the outbox
  sends ``disputes.tasks.index_case`` (``services._core.record``), which reads the text of the case's documents
  that have not been read yet, once, and rewrites the case's ``SearchEntry``. Reading a PDF is bounded like every
  other PDF read (pypdf with the product's limits on decoded streams, a time limit per document, and a cap on the
  characters a page and a document keep).
- **The query** (``search``): the cases the user may see (``Dispute.objects.visible_to``) whose words or whose
  documents' text match, the documents filtered by the confidentiality the user may see
  (``permissions.visible_confidentialities``), so a recused commission member finds nothing of that case and a
  commission member no internal note. On PostgreSQL: full-text search with the Dutch configuration
  (``websearch_to_tsquery``: words, "a phrase", -not, or), ranked (the case number and title weigh most), with
  snippets from ``ts_headline``. On SQLite: every word must occur (``icontains``), ranked by where, with snippets
  cut in Python. The number of queries does not depend on the number of cases or documents.
"""

import io
import re
import time
import unicodedata
from dataclasses import dataclass, field

import pypdf
from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import clock, permissions
from .models import (
    Dispute,
    Document,
    DocumentPageText,
    DocumentText,
    SearchEntry,
    Step,
    TextOutcome,
)
from .states import DisputeState

#: the text search configuration on PostgreSQL (stemming and stop words for Dutch)
CONFIG = "dutch"
#: characters of points, positions, reasons and effort log a case keeps for search
BODY_LIMIT = 100_000
#: results a page
PER_PAGE = 20
#: results a search counts and pages through: a word found in most cases is counted up to here ("meer dan 1.000"),
#: and the pages go as far; the best are first
MAX_RESULTS = 1000
#: document pages shown under a result
HITS_PER_CASE = 3
#: words of a query the SQLite fallback looks for (each one more LIKE over the text)
FALLBACK_TERMS = 8
#: private-use characters that mark a match in a snippet; stripped from everything indexed, so only the
#: database's (or our) marks remain, and replaced by <mark> after the snippet is escaped
MARK_START, MARK_STOP = "\ue000", "\ue001"
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
_SPACES = re.compile(r"\s+")
PDF = "application/pdf"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean(text: str) -> str:
    """Text fit to store and search: NFC, no control characters (PostgreSQL refuses NUL), no match marks, one space
    between words."""
    text = _NOT_TEXT.sub(" ", unicodedata.normalize("NFC", text or ""))
    return _SPACES.sub(" ", text).strip()


# -- the index -------------------------------------------------------------------------------------------------
def _vector(*weighted: tuple[str, str]):
    vector = None
    for name, weight in weighted:
        part = SearchVector(name, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


ENTRY_VECTOR = (("heading", "A"), ("names", "B"), ("body", "C"))


def case_words(dispute: Dispute) -> tuple[str, str, str]:
    """(heading, names, body) of a case, from what ``_with_words`` prefetched."""
    heading = clean(f"{dispute.case_number or ''} {dispute.title}")
    names = [party.organisation.name for party in dispute.parties.all()]
    if dispute.agreement_id:
        names.append(dispute.agreement.municipality.name)
    body = [dispute.efforts_reason, dispute.hearing_skipped_reason]
    for point in dispute.points.all():
        body += [f"{point.number}. {point.title}", point.admissibility_note, point.advice_recommendation,
                 point.decision_reason]
        body += [position.text for position in point.positions.all()]
    if dispute.agreement_id:
        for entry in dispute.agreement.effort_entries.all():
            body += [entry.participants, entry.summary]
    return heading, clean(" ".join(dict.fromkeys(names))), clean(" ".join(filter(None, body)))[:BODY_LIMIT]


def _with_words(disputes):
    return disputes.select_related("agreement__municipality").prefetch_related(
        "parties__organisation", "points__positions", "agreement__effort_entries")


def index_cases(ids) -> int:
    """Write the search entries of the cases ``ids`` (drafts have none: staff do not see them, nor do destroyed
    cases: docs/archive.md). The same queries for one case or a thousand; returns how many were written."""
    disputes = list(_with_words(Dispute.objects.filter(pk__in=list(ids)).exclude(state=DisputeState.DRAFT)
                                .exclude(retention__destroyed_at__isnull=False)))
    now = clock.now()
    entries = []
    for dispute in disputes:
        heading, names, body = case_words(dispute)
        entries.append(SearchEntry(dispute=dispute, heading=heading, names=names, body=body,
                                   submitted_at=dispute.submitted_at, indexed_at=now))
    if not entries:
        return 0
    with transaction.atomic():
        SearchEntry.objects.bulk_create(entries, update_conflicts=True, unique_fields=["dispute"],
                                        update_fields=["heading", "names", "body", "submitted_at", "indexed_at"])
        if is_postgres():
            SearchEntry.objects.filter(pk__in=[e.dispute_id for e in entries]).update(vector=_vector(*ENTRY_VECTOR))
    return len(entries)


@dataclass
class Reading:
    pages: list[str] = field(default_factory=list)
    outcome: str = TextOutcome.EXTRACTED
    truncated: bool = False


def _pdf_limits() -> dict:
    """pypdf's limits set to the product's (settings.PDF_MAX_STREAM_BYTES for any one decoded stream)."""
    cap = settings.PDF_MAX_STREAM_BYTES
    return {name: cap for name in (
        "maximum_declared_stream_length", "array_based_stream_maximum_output_length", "jbig2_maximum_output_length",
        "lzw_maximum_output_length", "run_length_maximum_output_length", "zlib_maximum_output_length",
        "brotli_maximum_output_length", "image_maximum_buffer_size", "flate_maximum_buffer_size",
    ) if hasattr(pypdf.get_configuration(), name)}


def read_pages(content: bytes) -> Reading:
    """The text of each page of a PDF, bounded: pypdf with the product's stream limits, at most
    ``SEARCH_MAX_PAGE_CHARACTERS`` a page and ``SEARCH_MAX_DOCUMENT_CHARACTERS`` a document, and no page begun after
    ``SEARCH_EXTRACT_SECONDS``. What was read before a limit stopped it is kept (``truncated``)."""
    reading = Reading()
    deadline = time.monotonic() + settings.SEARCH_EXTRACT_SECONDS
    room = settings.SEARCH_MAX_DOCUMENT_CHARACTERS
    try:
        with pypdf.apply_configuration(**_pdf_limits()):
            reader = pypdf.PdfReader(io.BytesIO(content))
            if reader.is_encrypted:
                return Reading(outcome=TextOutcome.UNREADABLE)
            for page in reader.pages:
                if time.monotonic() > deadline:
                    reading.outcome, reading.truncated = TextOutcome.TOO_COSTLY, True
                    break
                text = clean(page.extract_text() or "")[:settings.SEARCH_MAX_PAGE_CHARACTERS]
                if len(text) >= room:
                    reading.pages.append(text[:room])
                    reading.truncated = True
                    break
                reading.pages.append(text)
                room -= len(text)
    except pypdf.errors.LimitReachedError:
        reading.outcome, reading.truncated = TextOutcome.TOO_COSTLY, True
    except Exception:  # noqa: BLE001 - whatever a damaged file makes pypdf raise: the document is not searchable
        return Reading(outcome=TextOutcome.UNREADABLE)
    if reading.outcome == TextOutcome.EXTRACTED and not any(reading.pages):
        reading.outcome = TextOutcome.NO_TEXT
    return reading


def extract_text(document: Document) -> DocumentText:
    """Read a document's text once and keep it per page; a document read before is left alone."""
    done = DocumentText.objects.filter(document=document).first()
    if done is not None:
        return done
    if document.content_type != PDF:
        reading = Reading(outcome=TextOutcome.NOT_PDF)
    else:
        with document.file.open("rb") as stored:  # the file's size was bounded when it was uploaded
            reading = read_pages(stored.read())
    with transaction.atomic():
        record, created = DocumentText.objects.get_or_create(document=document, defaults={
            "outcome": reading.outcome, "pages": len(reading.pages), "truncated": reading.truncated,
            "characters": sum(len(text) for text in reading.pages), "extracted_at": clock.now()})
        if created:
            DocumentPageText.objects.bulk_create(
                DocumentPageText(document=document, number=number, text=text)
                for number, text in enumerate(reading.pages, start=1) if text)
            if is_postgres():
                DocumentPageText.objects.filter(document=document).update(vector=_vector(("text", "A")))
    return record


def unread_documents(dispute_id):
    """The case's documents whose text has not been read yet."""
    return Document.objects.filter(dispute_id=dispute_id, extracted_text__isnull=True)


def index_case(dispute_id) -> int:
    """What the worker does after an event of a case: read the new documents, then rewrite the case's entry.
    Returns the number of documents read."""
    documents = list(unread_documents(dispute_id))
    for document in documents:
        extract_text(document)
    index_cases([dispute_id])
    return len(documents)


def index_missing(*, batch: int = 1000, everything: bool = False, progress=None) -> tuple[int, int]:
    """Build the entries of the cases that have none (``everything``: rewrite all), in batches by primary key, and
    read the documents not read yet: what ``manage.py search_index`` and ``seed_bulk`` do. Returns (cases written,
    documents read); ``progress(cases)`` is called after each batch."""
    cases = Dispute.objects.exclude(state=DisputeState.DRAFT).order_by("pk")
    if not everything:
        cases = cases.filter(search_entry__isnull=True)
    written = 0
    last = None
    while True:
        window = cases if last is None else cases.filter(pk__gt=last)
        ids = list(window.values_list("pk", flat=True)[:batch])
        if not ids:
            break
        written += index_cases(ids)
        last = ids[-1]
        if progress:
            progress(written)
    documents = 0
    unread = Document.objects.filter(extracted_text__isnull=True, dispute__isnull=False).order_by("pk")
    for document in unread.iterator(chunk_size=100):
        extract_text(document)
        documents += 1
    return written, documents


# -- the query -------------------------------------------------------------------------------------------------
@dataclass
class Hit:
    """A page of a document that matched."""

    document: Document
    page: int
    snippet: SafeString


@dataclass
class Result:
    dispute: Dispute
    #: a snippet of the case's own words (points, positions, effort log) where they matched, else ""
    snippet: SafeString
    hits: list[Hit] = field(default_factory=list)


def normalise_query(q: str) -> str:
    return clean(q)[:settings.SEARCH_MAX_QUERY_LENGTH]


def _terms(q: str) -> list[str]:
    """The words of a query for the SQLite fallback and for marking matches in Python."""
    words = [w.strip('"').lstrip("-") for w in q.split()]
    return list(dict.fromkeys(w for w in words if w and w.lower() != "or"))[:FALLBACK_TERMS]


def marked(text: str) -> SafeString:
    """A snippet with the database's (or our) marks as <mark>, everything else escaped."""
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308


def cut_snippet(text: str, terms: list[str], *, width: int = 220) -> str:
    """A window of ``text`` around the first match of any term, the matches marked (the SQLite fallback)."""
    lowered = text.lower()
    found = [(lowered.find(t.lower()), t) for t in terms if t and lowered.find(t.lower()) >= 0]
    if not found:
        return ""
    first = min(found)[0]
    start = max(first - width // 3, 0)
    window = text[start:start + width]
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    window = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_STOP}", window)
    return ("… " if start else "") + window + (" …" if start + width < len(text) else "")


def _visible_pages(user):
    """The pages of the current documents the user may read (confidentiality), of any case."""
    return DocumentPageText.objects.filter(
        document__confidentiality__in=permissions.visible_confidentialities(user, None),
        document__withdrawn_at__isnull=True, document__dispute__isnull=False,
    ).exclude(document__bundle__step=Step.DOSSIER)


class _Keys:
    """The first column of a sorted query, for the paginator (which slices and counts it; the count is set)."""

    def __init__(self, rows):
        self.rows = rows

    def __getitem__(self, window):
        return [row[0] for row in self.rows[window]]


class Search:
    """One query for one user: ``page(n)`` gives a ``Page`` of ``Result``."""

    def __init__(self, user, q: str):
        self.user, self.q = user, normalise_query(q)
        self.postgres = is_postgres()
        self.query = SearchQuery(self.q, search_type="websearch", config=CONFIG) if self.postgres else None
        self.terms = _terms(self.q)

    # which cases and pages match
    def _words_match(self) -> Q:
        """The entries whose words match (on ``SearchEntry``)."""
        if self.postgres:
            return Q(vector=self.query)
        match = Q()
        for term in self.terms:
            match &= Q(heading__icontains=term) | Q(names__icontains=term) | Q(body__icontains=term)
        return match

    def _pages(self):
        pages = _visible_pages(self.user)
        if self.postgres:
            return pages.filter(vector=self.query)
        for term in self.terms:
            pages = pages.filter(text__icontains=term)
        return pages

    def _found(self):
        """The search entries of the matching cases the user may see, in two parts: those whose words match (the
        case number among them; on PostgreSQL through the GIN index), and those found only by a page of a document
        the user may read. Driven from the entries (one per case that is not a draft), each part a plain query."""
        visible = Dispute.objects.visible_to(self.user)
        words = SearchEntry.objects.filter(self._words_match(), dispute__in=visible)
        documents = (SearchEntry.objects.filter(dispute_id__in=self._pages().values("document__dispute_id"),
                                                dispute__in=visible).exclude(self._words_match()))
        return words, documents

    def count(self) -> tuple[int, bool]:
        """(how many, of at most ``MAX_RESULTS``; whether there were more): counts that stop at the cap, so a
        word in every case costs no more than one in a thousand."""
        words, documents = self._found()
        found = words.values("pk")[:MAX_RESULTS + 1].count() + documents.values("pk")[:MAX_RESULTS + 1].count()
        return min(found, MAX_RESULTS), found > MAX_RESULTS

    def ranked_ids(self):
        """The matching cases' keys, best first: the rank of the case's words (its number and title weigh most),
        then newest; the cases found only by a document after them, newest first."""
        if self.postgres:
            rank = SearchRank(F("vector"), self.query)
        else:
            first = self.terms[0]
            rank = Case(When(heading__icontains=first, then=Value(3.0)),
                        When(names__icontains=first, then=Value(2.0)),
                        When(body__icontains=first, then=Value(1.0)),
                        default=Value(0.0), output_field=FloatField())
        words, documents = self._found()
        words = words.annotate(score=rank).values_list("dispute_id", "score", "submitted_at")
        documents = documents.annotate(score=Value(-1.0, output_field=FloatField())).values_list(
            "dispute_id", "score", "submitted_at")
        return _Keys(words.union(documents, all=True).order_by(
            F("score").desc(), F("submitted_at").desc(nulls_last=True), "dispute_id"))

    # what a result shows
    def _case_snippets(self, ids) -> dict:
        if self.postgres:
            rows = SearchEntry.objects.filter(dispute_id__in=ids).annotate(snippet=SearchHeadline(
                "body", self.query, config=CONFIG, start_sel=MARK_START, stop_sel=MARK_STOP, max_fragments=2,
                max_words=30, min_words=12, fragment_delimiter=" … ")).values_list("dispute_id", "snippet", "body")
            return {pk: marked(snippet) if MARK_START in snippet else SafeString("") for pk, snippet, _b in rows}
        rows = SearchEntry.objects.filter(dispute_id__in=ids).values_list("dispute_id", "body")
        return {pk: marked(cut_snippet(body, self.terms)) for pk, body in rows}

    def _hits(self, ids) -> dict:
        """At most ``HITS_PER_CASE`` matching pages a case (the best first on PostgreSQL), with their snippets:
        one query picks them, one reads their snippets and documents."""
        pages = self._pages().filter(document__dispute_id__in=ids)
        if self.postgres:
            pages = pages.annotate(rank=SearchRank(F("vector"), self.query))
            order = [F("rank").desc(), "document__uploaded_at", "number"]
        else:
            order = ["document__uploaded_at", "number"]
        chosen = list(pages.annotate(place=Window(RowNumber(), partition_by=[F("document__dispute_id")],
                                                  order_by=order))
                      .filter(place__lte=HITS_PER_CASE).values_list("pk", flat=True))
        rows = DocumentPageText.objects.filter(pk__in=chosen).select_related("document")
        if self.postgres:
            rows = rows.annotate(snippet=SearchHeadline(
                "text", self.query, config=CONFIG, start_sel=MARK_START, stop_sel=MARK_STOP, max_fragments=2,
                max_words=30, min_words=12, fragment_delimiter=" … ")).defer("text")
        hits: dict = {}
        for row in rows.order_by("document__uploaded_at", "number"):
            snippet = row.snippet if self.postgres else cut_snippet(row.text, self.terms)
            hits.setdefault(row.document.dispute_id, []).append(
                Hit(document=row.document, page=row.number, snippet=marked(snippet)))
        return hits

    def page(self, number=1, per_page: int = PER_PAGE) -> Page:
        """One page of results; ``page.object_list`` holds ``Result``s. The same queries for any number of cases."""
        paginator = Paginator(self.ranked_ids(), per_page)
        paginator.count, more = self.count() if self.terms else (0, False)
        result = paginator.get_page(number)
        ids = list(result.object_list)
        cases = Dispute.objects.filter(pk__in=ids).select_related("agreement__municipality").in_bulk()
        disputes = [cases[pk] for pk in ids if pk in cases]
        result.more = more
        snippets = self._case_snippets(ids) if ids else {}
        hits = self._hits(ids) if ids else {}
        result.object_list = [Result(dispute=d, snippet=snippets.get(d.pk, SafeString("")), hits=hits.get(d.pk, []))
                              for d in disputes]
        return result


def search(user, q: str, *, page=1, per_page: int = PER_PAGE) -> Page:
    return Search(user, q).page(page, per_page)
