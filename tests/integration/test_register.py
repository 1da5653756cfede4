"""The public register of published decisions (issue 17 items 3 and 4, disputes/register.py, docs/publication.md
"Het register"): without log-in, only the published text (never the name a replacement took out), a withdrawn
decision saying so (its PDF gone), filters and search, a fixed number of queries, cacheable pages without cookies,
the Woo metadata valid against docs/register-metadata.schema.json and the Atom feed well-formed with what RFC 4287
requires of a feed and its entries.

No RELAX NG schema of Atom (RFC 4287 appendix B) is installed here (searched .venv and /usr/share for atom.rnc,
atom.rng): the feed test checks RFC 4287's required elements itself.
"""

import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree
from pypdf import PdfReader

from disputes import clock, services
from disputes.models import DisputePoint, Publication, PublicationStatus
from tests.factories import case_in_state, staff

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "register-metadata.schema.json").read_text())
ATOM = "{http://www.w3.org/2005/Atom}"
REASON = "Een naam bleek toch herkenbaar"


@pytest.fixture
def decided(world):
    """A decided case whose respondent's position names its employee Bert Bakker (tests/integration/
    test_publication.py)."""
    world.corp_user.first_name, world.corp_user.last_name = "Bert", "Bakker"
    world.corp_user.save()
    case = case_in_state(world, "decided")
    point = case.points.get()
    point.positions.update(text="Volgens Bert Bakker is het bod van de corporatie redelijk.")
    DisputePoint.objects.filter(pk=point.pk).update(advice_recommendation="Overleg opnieuw met Rijnhart Wonen.")
    return case


@pytest.fixture
def published(world, decided):
    made = services.publication_prepare(dispute=decided, actor=world.secretary)
    return services.publication_approve(publication_=made, actor=staff("sec2", "secretary"))


def _row(dispute, user, slug, *, decided_on=date(2017, 3, 1), kind="totstandkoming", municipality="Leiderdorp",
         text="De Minister volgt het advies van de commissie.", status=PublicationStatus.PUBLISHED, **extra):
    """A publication written straight into the register (for the lists: rendering a PDF per row is slow)."""
    now = clock.now()
    return Publication.objects.create(
        dispute=dispute, slug=slug, status=status, title=f"Bindende uitspraak {slug.upper()}",
        sections=[{"heading": "Origineel", "paragraphs": ["Niet publiceren: Geheime Naam"]}],
        published_sections=[{"heading": "Geschilpunt 1", "paragraphs": [text]}], decided_on=decided_on,
        municipality=municipality, kind=kind, prepared_by=user, prepared_at=now, published_at=now, pdf=b"%PDF-1.7",
        **extra)


def _text(response) -> str:
    return response.content.decode()


def test_the_register_shows_a_published_decision_without_the_replaced_name(client, published):
    slug = published.slug
    listed = client.get(reverse("register-list"))
    assert listed.status_code == 200 and published.title in _text(listed)
    page = client.get(reverse("register-detail", args=[slug]))
    assert page.status_code == 200
    html = _text(page)
    assert f"<title>{published.title}" in html
    assert "[medewerker verweerder]" in html and "Rijnhart Wonen" in html  # organisations stay named
    assert "Advies van de commissie" in html and "Beslissing van de Minister" in html  # the advice per point
    assert reverse("register-pdf", args=[slug]) in html and reverse("register-json", args=[slug]) in html
    pdf = client.get(reverse("register-pdf", args=[slug]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "[medewerker verweerder]" in re.sub(r"\s+", " ", pdf_text)
    metadata = client.get(reverse("register-json", args=[slug]))
    feed = client.get(reverse("register-feed"))
    for response in (listed, page, metadata, feed):
        assert "Bakker" not in _text(response), response.request["PATH_INFO"]
    assert "Bakker" not in pdf_text
    assert "Bert Bakker" in str(published.sections)  # the original still names him: the register never shows it


def test_a_publication_not_yet_approved_or_unknown_is_not_found(client, world, decided):
    made = services.publication_prepare(dispute=decided, actor=world.secretary)
    for name in ("register-detail", "register-pdf", "register-json"):
        assert client.get(reverse(name, args=[made.slug])).status_code == 404
        assert client.get(reverse(name, args=["gpa-1999-0001"])).status_code == 404
    assert made.title not in _text(client.get(reverse("register-list")))
    assert made.title not in _text(client.get(reverse("register-feed")))


def test_a_withdrawn_publication_says_so_and_its_pdf_is_gone(client, world, published):
    services.publication_withdraw(publication_=published, actor=world.secretary, reason=REASON)
    page = _text(client.get(reverse("register-detail", args=[published.slug])))
    withdrawn_on = clock.localdate(Publication.objects.get(pk=published.pk).withdrawn_at)
    assert f"Deze publicatie is ingetrokken op {withdrawn_on.day} " in page and REASON in page
    assert "Geschilpunt 1" not in page and "Beslissing van de Minister" not in page  # no text
    assert reverse("register-pdf", args=[published.slug]) not in page
    assert client.get(reverse("register-pdf", args=[published.slug])).status_code == 410
    listed = _text(client.get(reverse("register-list")))
    assert published.title in listed and "ingetrokken" in listed
    feed = etree.fromstring(client.get(reverse("register-feed")).content)
    summaries = [e.findtext(f"{ATOM}summary") for e in feed.iter(f"{ATOM}entry")]
    assert len(summaries) == 1 and "ingetrokken" in summaries[0] and REASON in summaries[0]
    metadata = client.get(reverse("register-json", args=[published.slug])).json()
    assert metadata["status"] == "withdrawn" and metadata["withdrawn"] == {"date": withdrawn_on.isoformat(),
                                                                          "reason": REASON}
    jsonschema.validate(metadata, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_a_republished_decision_is_listed_once_and_its_page_shows_the_new_text(client, world, decided):
    old = _row(decided, world.secretary, "gpa-2017-0001", status=PublicationStatus.WITHDRAWN, text="Oude tekst",
               withdrawn_at=clock.now(), withdrawal_reason=REASON)
    clock.set_now(clock.now() + timedelta(days=2))
    _row(decided, world.secretary, "gpa-2017-0001", text="Nieuwe tekst")
    listed = _text(client.get(reverse("register-list")))
    assert listed.count(reverse("register-detail", args=[old.slug])) == 1 and "1 uitspraak gevonden" in listed
    page = _text(client.get(reverse("register-detail", args=[old.slug])))
    assert "Nieuwe tekst" in page and "Oude tekst" not in page and "ingetrokken op" not in page


def test_the_metadata_is_woo_metadata_valid_against_its_schema(client, settings, published):
    settings.SITE_URL = "https://geschillen.example.nl"
    response = client.get(reverse("register-json", args=[published.slug]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert data["identifier"] == published.slug and data["title"] == published.title
    assert data["date"] == published.decided_on.isoformat() == "2017-03-01"
    assert data["informationCategory"] == "beschikkingen" and data["language"] == "nl"
    assert data["responsibleBody"] == data["publisher"] == {
        "name": "Minister van Volkshuisvesting en Ruimtelijke Ordening"}
    assert data["municipality"] == "Gemeente Leiderdorp" and data["kind"] == "totstandkoming"
    assert data["status"] == "published"
    assert data["url"] == f"https://geschillen.example.nl/uitspraken/{published.slug}/"
    assert data["pdf"] == f"https://geschillen.example.nl/uitspraken/{published.slug}/uitspraak.pdf"
    # the schema is no rubber stamp
    for broken in ({**data, "informationCategory": "adviezen"}, {k: v for k, v in data.items() if k != "pdf"},
                   {**data, "status": "withdrawn"}, {**data, "extra": 1}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, SCHEMA)


def test_the_atom_feed_has_what_rfc_4287_requires(client, settings, world, published):
    settings.SITE_URL = "https://geschillen.example.nl"
    _row(published.dispute, world.secretary, "gpa-2017-0099", kind="nakoming")
    response = client.get(reverse("register-feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)  # well-formed, or this raises
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{required}") or "").strip(), required
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Minister van Volkshuisvesting en Ruimtelijke Ordening"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://geschillen.example.nl/uitspraken/feed.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 2 and all(i.startswith("https://geschillen.example.nl/uitspraken/") for i in ids)
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")  # RFC 3339
    assert stamp.match(feed.findtext(f"{ATOM}updated"))
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert stamp.match(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("https://geschillen.example.nl/")
    # a feed of the latest 50 only
    for number in range(55):
        _row(published.dispute, world.secretary, f"gpa-2018-{number:04d}")
    assert len(etree.fromstring(client.get(reverse("register-feed")).content).findall(f"{ATOM}entry")) == 50


def test_filters_by_year_kind_and_gemeente(client, world, decided):
    _row(decided, world.secretary, "gpa-2017-0001", decided_on=date(2017, 3, 1), municipality="Leiderdorp")
    _row(decided, world.secretary, "gpa-2018-0001", decided_on=date(2018, 5, 1), kind="nakoming",
         municipality="Leiderdorp")
    _row(decided, world.secretary, "gpa-2018-0002", decided_on=date(2018, 6, 1), municipality="Delft")
    _row(decided, world.secretary, "gpa-2018-0003", decided_on=date(2018, 7, 1), municipality="Delft",
         status=PublicationStatus.PREPARED)

    def found(**params) -> list[str]:
        html = _text(client.get(reverse("register-list"), params))
        return re.findall(r'href="/uitspraken/([-a-z0-9]+)/"', html)

    assert found() == ["gpa-2018-0002", "gpa-2018-0001", "gpa-2017-0001"]  # newest decision first
    assert found(jaar="2018") == ["gpa-2018-0002", "gpa-2018-0001"]
    assert found(soort="nakoming") == ["gpa-2018-0001"]
    assert found(gemeente="Delft") == ["gpa-2018-0002"]
    assert found(jaar="2018", gemeente="Leiderdorp", soort="nakoming") == ["gpa-2018-0001"]
    assert found(jaar="2019") == []
    assert found(jaar="twintig", soort="onzin") == found()  # a filter that makes no sense is ignored
    options = _text(client.get(reverse("register-list")))
    assert '<option value="2018">' in options and '<option value="Delft">' in options


def test_search_in_title_gemeente_and_published_text(client, world, decided):
    _row(decided, world.secretary, "gpa-2017-0001", text="De huurverhoging blijft beperkt tot inflatie.")
    _row(decided, world.secretary, "gpa-2017-0002", text="Eén woning per jaar krijgt een geïsoleerde gevel.",
         municipality="Zoeterwoude")
    _row(decided, world.secretary, "gpa-2017-0003", text="Iets anders.")

    def found(q: str) -> list[str]:
        return sorted(re.findall(r'href="/uitspraken/([-a-z0-9]+)/"',
                                 _text(client.get(reverse("register-list"), {"q": q}))))

    assert found("HUURVERHOGING") == ["gpa-2017-0001"]
    assert found("GEÏSOLEERDE gevel") == ["gpa-2017-0002"]  # non-ASCII, as the JSON stores it
    assert found("zoeterwoude") == ["gpa-2017-0002"]
    assert found("GPA-2017-0003") == ["gpa-2017-0003"]  # in the title
    assert found("Geheime Naam") == []  # the original text is never searched
    assert found("x" * 5000) == []  # bounded: cut at 200 characters
    assert 'maxlength="200"' in _text(client.get(reverse("register-list")))


def test_the_pages_take_a_fixed_number_of_queries(client, world, decided):
    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def counts() -> list[int]:
        return [count(reverse("register-list")), count(reverse("register-list") + "?q=advies&jaar=2017"),
                count(reverse("register-feed")), count(reverse("register-detail", args=["gpa-2017-0000"])),
                count(reverse("register-json", args=["gpa-2017-0000"]))]

    for number in range(3):
        _row(decided, world.secretary, f"gpa-2017-{number:04d}", municipality=f"Gemeente {number}")
    few = counts()
    for number in range(3, 30):
        _row(decided, world.secretary, f"gpa-2017-{number:04d}", municipality=f"Gemeente {number}")
    assert counts() == few, few
    assert few == [5, 5, 2, 2, 2], few  # list: stamp, count, page, years, gemeenten; the others: stamp, row


def test_the_pages_are_cacheable_and_set_no_cookie(client, world, published):
    services.publication_withdraw(publication_=_row(published.dispute, world.secretary, "gpa-2017-0077"),
                                  actor=world.secretary, reason=REASON)
    urls = [reverse("register-list"), reverse("register-list") + "?q=uitspraak", reverse("register-feed"),
            *(reverse(name, args=[published.slug]) for name in ("register-detail", "register-json", "register-pdf")),
            reverse("register-detail", args=["gpa-2017-0077"])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"public", "max-age=300"}, url
        assert not response.cookies, (url, response.cookies)
        assert response.has_header("ETag") and response.has_header("Last-Modified"), url
        assert 'name="csrfmiddlewaretoken"' not in response.content.decode(errors="ignore"), url
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url
    etag = client.get(urls[0])["ETag"]
    services.publication_withdraw(publication_=published, actor=world.secretary, reason=REASON)
    assert client.get(urls[0], HTTP_IF_NONE_MATCH=etag).status_code == 200  # the register changed
    assert client.post(urls[0]).status_code == 405


def test_a_logged_in_visitor_gets_a_private_page_with_the_language_switch(client, world, published):
    client.force_login(world.tenant)
    response = client.get(reverse("register-detail", args=[published.slug]))
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()  # log-out and the language switch work
    anonymous = client.__class__().get(reverse("register-detail", args=[published.slug]))
    assert anonymous["ETag"] != response["ETag"]
