"""Staff search /werk/zoeken/?q= (issue 14, docs/search.md): the worker indexes a case after each event and reads
each document's text once, bounded; results pass the case pages' visibility rules (a recused member finds nothing
of that case, a commission member no internal document, a party is refused); snippets mark the match and escape
everything else; the number of queries does not depend on the number of results."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disputes import search, services
from disputes.models import Confidentiality, Document, DocumentPageText, DocumentText, SearchEntry, TextOutcome
from disputes.states import DisputeState
from tests.factories import case_in_state, pdf_bytes

pytestmark = pytest.mark.django_db

URL = "/werk/zoeken/"
S = DisputeState


def upload(dispute, actor, text: str, *, pages: int = 1, confidentiality=Confidentiality.PARTIES,
           doc_type: str = "correspondentie") -> Document:
    return services.document_upload(
        dispute=dispute, actor=actor, doc_type=doc_type, confidentiality=confidentiality,
        uploaded=ContentFile(pdf_bytes(pages, text), name="brief.pdf"))


@pytest.fixture
def case(world):
    dispute = case_in_state(world, S.EXCHANGE)
    upload(dispute, world.secretary, "De Zonnebloemstraat krijgt geen nieuwbouw", pages=3)
    search.index_case(dispute.pk)
    return dispute


def found(client, q: str) -> str:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_an_event_sends_the_case_to_the_worker_which_indexes_it(world, django_capture_on_commit_callbacks):
    dispute = case_in_state(world, S.EXCHANGE)
    SearchEntry.objects.all().delete()
    DocumentPageText.objects.all().delete()
    DocumentText.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox hands the task over after commit
        document = upload(dispute, world.secretary, "Kwaliteitsimpuls Leiderdorp", pages=2)
    entry = SearchEntry.objects.get(dispute=dispute)
    assert dispute.case_number in entry.heading
    assert "Rijnhart Wonen" in entry.names and "Gemeente Leiderdorp" in entry.names
    assert "Geschilpunt p1" in entry.body
    reading = DocumentText.objects.get(document=document)
    assert (reading.outcome, reading.pages) == (TextOutcome.EXTRACTED, 2)
    assert list(document.page_texts.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert "Kwaliteitsimpuls Leiderdorp - pagina 2 van 2" in document.page_texts.get(number=2).text
    # every document of the case was read, the ones from before too
    assert not search.unread_documents(dispute.pk).exists()


def test_a_document_is_read_once(world, case):
    document = case.documents.current().filter(doc_type="correspondentie").get()
    first = DocumentText.objects.get(document=document)
    assert search.index_case(case.pk) == 0  # nothing new to read
    assert DocumentText.objects.get(document=document).extracted_at == first.extracted_at
    assert search.extract_text(document) == first


@pytest.mark.parametrize("q", ["Zonnebloemstraat", "Rijnhart", "Leiderdorp", "Geschilpunt", "standpunt"])
def test_staff_find_a_case_by_its_words_and_its_documents(client, world, case, q):
    client.force_login(world.secretary)
    body = found(client, q)
    assert case.case_number in body
    assert "1 zaak gevonden" in body


def test_a_case_is_found_by_its_number_and_by_a_word_of_its_effort_log(client, world, case):
    services.effort_record(agreement=world.agreement, actor=world.tenant, kind="meeting",
                           occurred_on=case.arose_on, summary="Overleg over de Wilgenlaan afgebroken")
    search.index_case(case.pk)
    client.force_login(world.secretary)
    assert case.case_number in found(client, case.case_number)
    assert case.case_number in found(client, case.case_number.lower())
    assert case.case_number in found(client, "Wilgenlaan")


def test_a_document_hit_names_the_document_and_the_page_and_marks_the_match(client, world, case):
    client.force_login(world.secretary)
    body = found(client, "Zonnebloemstraat")
    assert "In brief.pdf, pagina 1:" in body
    assert "<mark>Zonnebloemstraat</mark>" in body
    # at most HITS_PER_CASE pages a case: the three pages all match, all three are shown, in page order
    assert [f"pagina {n}:" in body for n in (1, 2, 3)] == [True, True, True]


def test_nothing_typed_is_markup_in_a_snippet(client, world, case):
    point = case.points.get()
    type(point).objects.filter(pk=point.pk).update(title="<script>alert('x')</script> Kadeverlenging")
    search.index_case(case.pk)
    client.force_login(world.secretary)
    body = found(client, "Kadeverlenging")
    assert "<script>alert" not in body
    # escaped (SQLite, cut in Python), or dropped as a tag by PostgreSQL's ts_headline: never markup
    assert "&lt;script&gt;" in body or "alert(&#x27;x&#x27;)" in body
    assert "<mark>Kadeverlenging</mark>" in body


def test_no_match_says_so_and_an_empty_query_shows_only_the_form(client, world, case):
    client.force_login(world.secretary)
    body = found(client, "Vlinderweg")
    assert "0 zaken gevonden" in body and case.case_number not in body
    body = found(client, "   ")
    assert "gevonden" not in body and 'type="search"' in body


def test_a_recused_member_finds_nothing_of_that_case(client, world, case):
    client.force_login(world.commission_member)
    assert case.case_number in found(client, "Zonnebloemstraat")
    services.dispute_recuse(dispute=case, actor=world.commission_member, reason="Eerder betrokken")
    body = found(client, "Zonnebloemstraat")
    assert case.case_number not in body and "0 zaken gevonden" in body
    body = found(client, case.case_number)
    assert f"/werk/geschillen/{case.pk}/" not in body and "0 zaken gevonden" in body


def test_the_commission_finds_no_internal_document(client, world, case):
    upload(case, world.secretary, "Interne notitie Meidoornplein", confidentiality=Confidentiality.INTERNAL)
    search.index_case(case.pk)
    client.force_login(world.commission_member)
    assert "0 zaken gevonden" in found(client, "Meidoornplein")
    client.force_login(world.secretary)
    assert case.case_number in found(client, "Meidoornplein")


def test_a_withdrawn_document_is_not_found(client, world, case):
    document = upload(case, world.secretary, "Bijlage Ooievaarshof")
    search.index_case(case.pk)
    Document.objects.filter(pk=document.pk).update(withdrawn_at=case.submitted_at)
    client.force_login(world.secretary)
    assert "0 zaken gevonden" in found(client, "Ooievaarshof")


def test_a_draft_is_not_in_the_index(world):
    draft = world.file()
    search.index_case(draft.pk)
    assert not SearchEntry.objects.filter(dispute=draft).exists()


def test_a_party_gets_no_search(client, world, case):
    client.force_login(world.tenant)
    assert client.get(URL, {"q": "Zonnebloemstraat"}).status_code == 403
    client.logout()
    assert client.get(URL, {"q": "Zonnebloemstraat"}).status_code == 302


def test_the_number_of_queries_does_not_depend_on_the_number_of_results(client, world, case):
    client.force_login(world.secretary)

    def queries(q):
        with CaptureQueriesContext(connection) as captured:
            body = found(client, q)
        return len(captured), body

    one, body = queries("Zonnebloemstraat")
    assert "1 zaak gevonden" in body
    for _ in range(4):
        other = case_in_state(world, S.EXCHANGE)
        upload(other, world.secretary, "Zonnebloemstraat ook hier", pages=5)
        search.index_case(other.pk)
    many, body = queries("Zonnebloemstraat")
    assert "5 zaken gevonden" in body
    assert many == one


def test_results_are_paginated(client, world, case, settings):
    for _ in range(2):
        search.index_case(case_in_state(world, S.EXCHANGE).pk)
    page = search.search(world.secretary, "Geschilpunt", per_page=2)
    assert page.paginator.count == 3 and len(page.object_list) == 2
    second = search.search(world.secretary, "Geschilpunt", page=2, per_page=2)
    assert len(second.object_list) == 1
    assert {r.dispute.pk for r in page.object_list}.isdisjoint({r.dispute.pk for r in second.object_list})


def test_a_long_query_is_cut_to_its_bound(client, world, case, settings):
    client.force_login(world.secretary)
    body = found(client, "Zonnebloemstraat " + "x" * 5000)
    assert f'maxlength="{settings.SEARCH_MAX_QUERY_LENGTH}"' in body
    typed = re.search(r'<input type="search" name="q" id="id_q" value="([^"]*)"', body).group(1)
    assert len(typed) == settings.SEARCH_MAX_QUERY_LENGTH and typed.startswith("Zonnebloemstraat x")


# -- reading a document, bounded -----------------------------------------------------------------------------------
def test_reading_keeps_at_most_the_characters_a_document_may_have(settings):
    settings.SEARCH_MAX_DOCUMENT_CHARACTERS = 50
    reading = search.read_pages(pdf_bytes(4, "Een regel tekst die lang genoeg is om de grens te halen"))
    assert sum(len(page) for page in reading.pages) == 50
    assert reading.truncated and len(reading.pages) == 1


def test_reading_stops_when_its_time_is_up(settings):
    settings.SEARCH_EXTRACT_SECONDS = -1
    reading = search.read_pages(pdf_bytes(3, "tekst"))
    assert (reading.outcome, reading.pages, reading.truncated) == (TextOutcome.TOO_COSTLY, [], True)


def test_a_damaged_file_is_unreadable_and_a_page_without_text_has_none():
    assert search.read_pages(b"%PDF-1.7\n garbage").outcome == TextOutcome.UNREADABLE
    assert search.read_pages(pdf_bytes(1, "")).outcome in (TextOutcome.NO_TEXT, TextOutcome.EXTRACTED)


def test_reading_strips_what_the_database_refuses_and_the_match_marks():
    assert search.clean("a\x00b\ue000c\ue001  d\n e") == "a b c d e"


def test_search_index_fills_what_is_missing(world, case):
    SearchEntry.objects.all().delete()
    call_command("search_index", verbosity=0)
    assert SearchEntry.objects.filter(dispute=case).exists()


@pytest.mark.postgres
def test_on_postgresql_words_are_stemmed_and_ranked_title_first(client, world, case):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search")
    in_title = case_in_state(world, S.EXCHANGE)
    type(in_title).objects.filter(pk=in_title.pk).update(title="Nieuwbouwwoningen in Leiderdorp")
    search.index_case(in_title.pk)
    # the case of the fixture has the word only in a point (weight C), and is the newer of the two on filing
    type(case).objects.filter(pk=case.pk).update(submitted_at=in_title.submitted_at + timedelta(days=1))
    point = case.points.get()
    type(point).objects.filter(pk=point.pk).update(title="Bouw van nieuwbouwwoningen")
    search.index_case(case.pk)
    client.force_login(world.secretary)
    body = found(client, "nieuwbouwwoning")  # stemmed: "nieuwbouwwoningen" matches
    assert "2 zaken gevonden" in body
    assert body.index(f"/werk/geschillen/{in_title.pk}/") < body.index(f"/werk/geschillen/{case.pk}/")


def test_a_word_in_very_many_cases_is_counted_up_to_the_cap(client, world, case, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    for _ in range(2):
        search.index_case(case_in_state(world, S.EXCHANGE).pk)
    client.force_login(world.secretary)
    body = found(client, "Geschilpunt")
    assert "Meer dan 2 zaken gevonden" in body
    assert body.count('class="search-result"') == 2
    assert "Volgende" not in body  # one page of two: the third is not reached
