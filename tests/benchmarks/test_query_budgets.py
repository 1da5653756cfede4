"""Query counts of the heavy pages stay constant as a case grows to 500 documents and events
(quality.md: query counts do not grow with the number of rows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import clock
from disputes.models import Bundle, DisputeEvent, Document
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db

#: (page, who, budget): a little above what the page makes today (27, 27, 37: the pages also read the cases
#: joined with this one; the staff page the commission's seats, the documents sent after the remedy term and
#: whether another case can be joined; every page the cases the user represents a party in, and the party's and
#: the secretariat's pages the case's representatives), so a new query per permission check or per row shows up
PAGES = [
    ("portal:dispute", "tenant", 28),
    ("dispute-detail", "tenant", 28),
    # 39 since the section "Brieven" (issue 16): the case's letters and the events of the sent ones, two queries
    # however many letters
    ("workflow:case", "secretary", 40),
]


def grow(case, n: int) -> None:
    """Add ``n`` documents (sharing the stored file of the first) and ``n`` events to the case."""
    template = case.documents.first()
    bundle, _ = Bundle.objects.get_or_create(dispute=case, step="response", sequence=99,
                                            defaults={"created_at": clock.now()})
    Document.objects.bulk_create([
        Document(dispute=case, bundle=bundle, doc_type="correspondentie", display_name=f"brief-{i}.pdf",
                 file=template.file.name, sha256=template.sha256, size=template.size,
                 content_type="application/pdf", page_count=1, uploaded_by=template.uploaded_by,
                 organisation=template.organisation, uploaded_at=clock.now(), submitted_at=clock.now())
        for i in range(n)
    ])
    DisputeEvent.objects.bulk_create([
        DisputeEvent(dispute=case, at=clock.now(), actor=template.uploaded_by, kind="document_added",
                     payload={"name": f"brief-{i}.pdf"})
        for i in range(n)
    ])


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(("name", "who", "budget"), PAGES)
def test_case_pages_use_the_same_queries_for_5_and_500_documents(world, client, name, who, budget):
    case = case_in_state(world, "exchange")
    client.force_login(getattr(world, who))
    url = reverse(name, args=[case.pk])
    grow(case, 5)
    few = queries(client, url)
    grow(case, 495)
    many = queries(client, url)
    print(f"{name}: {few} queries with 5 extra documents, {many} with 500")
    assert case.documents.count() >= 500
    assert many == few, f"{name}: {few} queries with 5 extra documents, {many} with 500"
    assert many <= budget, f"{name}: {many} queries (budget {budget})"
