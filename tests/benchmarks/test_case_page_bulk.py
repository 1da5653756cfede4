"""A case with 500 documents and 2,000 events (issue 14, "find, follow and report"): the staff case page and the
party case pages issue the same number of queries as with a handful of each, within the pages' budgets, and stay
within a size: each page shows the latest events of the timeline with a link to the whole of it, not all
2,000 at once (docs/load.md has the figures)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import clock
from disputes.models import Bundle, DisputeEvent, Document
from tests.benchmarks.test_query_budgets import PAGES
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db

DOCUMENTS, EVENTS = 500, 2_000
#: the pages' size with 500 documents and 2,000 events, in bytes: the documents are all listed (a dossier is read
#: whole); every case page shows the timeline's latest 100 events (the staff page was 521 KB, the party pages 542 KB
#: when they showed all 2,000)
MAX_BYTES = {"workflow:case": 250_000, "portal:dispute": 250_000, "dispute-detail": 250_000}


def grow(case, documents: int, events: int) -> None:
    """Add ``documents`` documents (sharing the stored file of the first, as tests/factories.py stores one) and
    ``events`` audit events to the case, in bulk."""
    template = case.documents.first()
    bundle, _ = Bundle.objects.get_or_create(dispute=case, step="response", sequence=99,
                                            defaults={"created_at": clock.now()})
    Document.objects.bulk_create([
        Document(dispute=case, bundle=bundle, doc_type="correspondentie", display_name=f"bulk-brief-{i}.pdf",
                 file=template.file.name, sha256=template.sha256, size=template.size,
                 content_type="application/pdf", page_count=1, uploaded_by=template.uploaded_by,
                 organisation=template.organisation, uploaded_at=clock.now(), submitted_at=clock.now())
        for i in range(documents)
    ], batch_size=500)
    DisputeEvent.objects.bulk_create([
        DisputeEvent(dispute=case, at=clock.now(), actor=template.uploaded_by,
                     actor_organisation=template.organisation, kind="documents_submitted",
                     payload={"types": ["correspondentie"], "name": f"bulk-brief-{i}.pdf"})
        for i in range(events)
    ], batch_size=500)


def measure(client, url, params=None) -> dict:
    client.get(url, params or {})  # warm up
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url, params or {})
        ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    return {"queries": len(captured.captured_queries), "bytes": len(response.content), "ms": round(ms),
            "body": response.content.decode()}


@pytest.mark.parametrize(("name", "who", "budget"), PAGES)
def test_a_case_with_500_documents_and_2000_events_keeps_its_query_budget(world, client, name, who, budget):
    case = case_in_state(world, "exchange")
    client.force_login(getattr(world, who))
    url = reverse(name, args=[case.pk])
    few = measure(client, url)
    grow(case, DOCUMENTS, EVENTS)
    many = measure(client, url)
    print(f"\n{name} ({connection.vendor}): handful {few['queries']} queries, {few['bytes']} bytes, {few['ms']} ms;"
          f" {DOCUMENTS} documents and {EVENTS} events: {many['queries']} queries, {many['bytes']} bytes,"
          f" {many['ms']} ms")
    assert many["queries"] == few["queries"], f"{name}: {few['queries']} queries, {many['queries']} when grown"
    assert many["queries"] <= budget
    assert all(f"bulk-brief-{i}.pdf<" in many["body"] for i in range(DOCUMENTS)), "every document is listed"
    assert many["bytes"] < MAX_BYTES[name], f"{name}: {many['bytes']} bytes (bound {MAX_BYTES[name]})"


def test_the_staff_case_page_shows_the_latest_events_and_links_to_the_whole_timeline(world, client):
    case = case_in_state(world, "exchange")
    client.force_login(world.secretary)
    url = reverse("workflow:case", args=[case.pk])
    few = measure(client, url)
    assert "Toon het hele verloop" not in few["body"], "a case with a few events shows them all"
    grow(case, 0, EVENTS)
    latest = measure(client, url)
    timeline = latest["body"][latest["body"].index('id="timeline-title"'):]
    assert timeline.count("<li>") == 100 and "De laatste 100 gebeurtenissen." in timeline
    assert '<a href="?verloop=alle#timeline-title">Toon het hele verloop</a>' in timeline
    assert "Concept aangemaakt" not in timeline and "bulk-brief-1999.pdf" in timeline, "the latest, not the first"
    whole = measure(client, url, {"verloop": "alle"})
    timeline = whole["body"][whole["body"].index('id="timeline-title"'):]
    assert timeline.count("<li>") > EVENTS and "Toon het hele verloop" not in timeline
    assert timeline.index("Concept aangemaakt") < timeline.index("bulk-brief-0.pdf") < timeline.index(
        "bulk-brief-1999.pdf"), "oldest first"
    assert latest["queries"] == whole["queries"] == few["queries"]
    print(f"\nstaff case page, 2,000 events: latest 100 {latest['bytes']} bytes {latest['ms']} ms,"
          f" whole timeline {whole['bytes']} bytes {whole['ms']} ms")


@pytest.mark.parametrize(("name", "who"), [("portal:dispute", "tenant"), ("dispute-detail", "tenant")])
def test_the_party_case_pages_show_the_latest_events_and_link_to_the_whole_timeline(world, client, name, who):
    case = case_in_state(world, "exchange")
    client.force_login(getattr(world, who))
    url = reverse(name, args=[case.pk])
    assert "Toon het hele verloop" not in measure(client, url)["body"], "a case with a few events shows them all"
    grow(case, 0, EVENTS)
    latest = measure(client, url)
    timeline = latest["body"][latest["body"].index('id="timeline-title"'):]
    assert timeline.count("<li>") == 100 and "De laatste 100 gebeurtenissen." in timeline
    assert '<a href="?verloop=alle#timeline-title">Toon het hele verloop</a>' in timeline
    whole = measure(client, url, {"verloop": "alle"})
    timeline = whole["body"][whole["body"].index('id="timeline-title"'):]
    assert timeline.count("<li>") > EVENTS and "Toon het hele verloop" not in timeline
    assert latest["queries"] == whole["queries"]
