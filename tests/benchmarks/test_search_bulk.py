"""Staff search at scale (issue 14): a results page issues the same number of queries at 1,000 and 10,000
generated cases (``seed_bulk``, which also fills the search index), with document pages to search too. The
server time on PostgreSQL (within 300 ms at ``BENCHMARK_SIZES``) is measured with the worklist's, on the same
generated database: ``test_bulk_lists.test_the_worklist_is_served_within_300_ms_on_postgresql``."""

import pytest
from django.db import connection
from django.urls import reverse

from disputes import clock
from disputes.models import Bundle, Dispute, Document, DocumentPageText, DocumentText, TextOutcome
from tests.benchmarks.test_bulk_lists import queries, seed

#: one case in this many gets a document of PAGES pages with words to find
WITH_DOCUMENT = 50
PAGES = 5
PAGE_TEXT = ("Het overleg over de prestatieafspraken is vastgelopen op de nieuwbouwopgave en de huurontwikkeling "
             "in de wijk {street}; de corporatie wijst op haar investeringscapaciteit. ") * 20
STREETS = ["Zonnebloemstraat", "Wilgenlaan", "Meidoornplein", "Ooievaarshof", "Kadeverlenging"]


def add_documents() -> None:
    """A document with PAGES pages of text for every WITH_DOCUMENT-th generated case that has none yet, written as
    the worker would have read it (the document rows share one file name: search never opens the file)."""
    cases = list(Dispute.objects.filter(case_number__isnull=False, documents__isnull=True)
                 .order_by("case_number").values_list("pk", "created_by_id")[::WITH_DOCUMENT])
    now = clock.now()
    bundles = Bundle.objects.bulk_create([Bundle(dispute_id=pk, step="filing", sequence=1, created_at=now)
                                          for pk, _user in cases], batch_size=1000)
    documents = Document.objects.bulk_create([
        Document(dispute_id=pk, bundle=bundle, doc_type="correspondentie", display_name="brief.pdf",
                 file="documents/bench/brief", sha256="0" * 64, size=1, content_type="application/pdf",
                 page_count=PAGES, uploaded_by_id=user, uploaded_at=now, submitted_at=now)
        for (pk, user), bundle in zip(cases, bundles, strict=True)], batch_size=1000)
    DocumentText.objects.bulk_create([DocumentText(document=d, outcome=TextOutcome.EXTRACTED, pages=PAGES,
                                                   characters=PAGES * len(PAGE_TEXT), extracted_at=now)
                                      for d in documents], batch_size=1000)
    DocumentPageText.objects.bulk_create([
        DocumentPageText(document=d, number=n, text=PAGE_TEXT.format(street=STREETS[(i + n) % len(STREETS)]))
        for i, d in enumerate(documents) for n in range(1, PAGES + 1)], batch_size=2000)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        DocumentPageText.objects.filter(vector__isnull=True).update(vector=SearchVector("text", config="dutch"))


def searches(number: str) -> dict:
    return {
        "a case number": {"q": number},
        "a gemeente (a tenth of the cases)": {"q": "Bulk 002"},
        "a word of many titles": {"q": "huurwoningen"},
        "a street in the documents": {"q": "Zonnebloemstraat"},
        "two words, page 2": {"q": "sociale huur", "pagina": 2},
    }


@pytest.mark.django_db
def test_search_issues_the_same_queries_at_1000_and_10000_cases(world, client):
    url = reverse("workflow:search")
    client.force_login(world.secretary)
    counts = {}
    for total in (1_000, 10_000):
        seed(total)
        add_documents()
        number = Dispute.objects.filter(case_number__isnull=False).order_by("case_number").last().case_number
        for name, params in searches(number).items():
            client.get(url, params)
            counts.setdefault(name, []).append(queries(client, url, params))
    body = client.get(url, {"q": "Zonnebloemstraat"}).content.decode()
    assert "<mark>Zonnebloemstraat</mark>" in body and "pagina" in body
    print("search queries at 1,000 and 10,000 cases:", counts)
    for name, (few, many) in counts.items():
        assert few == many, f"{name}: {few} queries at 1,000 cases, {many} at 10,000"
