"""The letters of a case on the staff pages (issue 16, item 4: draft -> check -> send): drafted from the case page,
its wording edited for this one letter (checked: an unknown placeholder is refused), previewed filled in and as a
PDF per addressee, sent after a confirmation (one case document per addressee, the parties told by e-mail that a
letter is waiting, without the letter) and listed on the case page with the version of the wording it came from."""

import io
import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from disputes import services
from disputes.models import DisputeEvent, Letter, LetterStatus
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


def draft_url(case):
    return reverse("workflow:letter-draft", args=[case.pk])


def edit_url(letter):
    return reverse("workflow:letter-edit", args=[letter.dispute_id, letter.pk])


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def section(html: str, start_id: str) -> str:
    """The page from the element with ``id=start_id`` to the end of its section."""
    start = html.index(f'id="{start_id}"')
    return html[start:html.index("</section>", start)]


def test_the_secretariat_drafts_edits_previews_and_sends_a_letter_from_the_case_page(
        client, world, django_capture_on_commit_callbacks):
    case = case_in_state(world, "awaiting_response")
    client.force_login(world.secretary)
    page = client.get(reverse("workflow:case", args=[case.pk])).content.decode()
    letters = section(page, "brieven")
    assert f'action="{draft_url(case)}"' in letters
    assert '<option value="uitnodiging_verweer">Uitnodiging tot verweer</option>' in letters
    assert 'value="bindende_uitspraak"' not in letters  # not in this state

    # draft from the case page
    response = client.post(draft_url(case), {"kind": "uitnodiging_verweer"})
    letter = Letter.objects.get(dispute=case, kind="uitnodiging_verweer")
    assert response.status_code == 302 and response["Location"] == edit_url(letter)
    assert letter.status == LetterStatus.DRAFT and letter.template.version == 1 and not letter.edited

    page = client.get(edit_url(letter)).content.decode()
    assert "gemaakt van versie 1 van de tekst" in page
    assert "Rijnhart Wonen (verweerder)" in page and "Gemeente Leiderdorp (verweerder)" in page
    assert "<code>((verweertermijn))</code>" in page and "de uiterste datum voor het verweerschrift" in page
    assert "alleen voor deze brief" in page  # the hint: the wording in use stays as it is
    preview = section(page, "preview-title")
    assert case.case_number in preview and "((zaaknummer))" not in preview
    for n in (1, 2):
        assert reverse("workflow:letter-preview", args=[case.pk, letter.pk, n]) in page

    # an unknown placeholder: refused on the field, nothing changed
    before = (letter.subject, letter.body)
    response = client.post(edit_url(letter), {"action": "save", "subject": letter.subject,
                                              "body": letter.body + "\nTot ((onbekend)).\n"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in page
    assert "onbekend" in section(page, "error-summary-title") and 'aria-invalid="true"' in page
    letter.refresh_from_db()
    assert (letter.subject, letter.body) == before and not letter.edited

    # a valid edit is kept, for this letter only
    body = letter.body + "\nWij horen graag van u.\n"
    response = client.post(edit_url(letter), {"action": "save", "subject": letter.subject, "body": body})
    assert response.status_code == 302 and response["Location"] == edit_url(letter)
    letter.refresh_from_db()
    assert letter.edited and "Wij horen graag van u." in letter.body
    assert services.current_template("uitnodiging_verweer").version == 1
    assert "Wij horen graag van u." in section(client.get(edit_url(letter)).content.decode(), "preview-title")

    # the PDF preview per addressee
    response = client.get(reverse("workflow:letter-preview", args=[case.pk, letter.pk, 2]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline") and response.content.startswith(b"%PDF")
    assert "Wij horen graag van u." in text_of(response.content)
    assert client.get(reverse("workflow:letter-preview", args=[case.pk, letter.pk, 3])).status_code == 404

    # "Versturen" leads to the confirmation, which says what sending does
    response = client.post(edit_url(letter), {"action": "send", "subject": letter.subject, "body": letter.body})
    send_url = reverse("workflow:letter-send", args=[case.pk, letter.pk])
    assert response.status_code == 302 and response["Location"] == send_url
    page = client.get(send_url).content.decode()
    assert "Rijnhart Wonen (verweerder)" in page and "e-mail dat er een brief voor hen klaarstaat" in page
    assert "documenten van het geschil" in page
    mail.outbox.clear()
    documents = case.documents.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:case", args=[case.pk]) + "#brieven"

    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT and letter.sent_by == world.secretary
    copies = list(letter.copies.select_related("document"))
    assert sorted(c.addressee for c in copies) == ["Gemeente Leiderdorp", "Rijnhart Wonen"]
    assert case.documents.count() == documents + 2
    assert all(c.document.dispute_id == case.pk for c in copies)
    event = DisputeEvent.objects.get(dispute=case, kind="letter_sent", payload__letter=str(letter.pk))
    assert event.payload["template_version"] == 1 and event.payload["edited"] is True
    told = sorted(address for m in mail.outbox for address in m.to)
    assert told == ["bert@example.nl", "gerda@example.nl"]
    assert all(not m.attachments for m in mail.outbox)

    # the case page lists the sent letter: version, edited, by whom, a link to each addressee's document
    page = client.get(reverse("workflow:case", args=[case.pk])).content.decode()
    sent = section(page, "brieven")
    sent = sent[sent.index(f'id="brief-{letter.pk}"'):]
    sent = sent[:sent.index("</li>\n")]
    assert "Uitnodiging tot verweer" in sent and "versie 1" in sent and "tekst aangepast" in sent
    assert case.case_number in sent and "sec" in sent
    for copy in copies:
        link = reverse("portal:document-download", args=[case.pk, copy.document_id])
        assert f'<a href="{link}">{copy.addressee}</a>' in sent
    # and its own page is read-only now
    page = client.get(edit_url(letter)).content.decode()
    assert 'id="letter-form"' not in page and "letter-discard" not in page and "<textarea" not in page
    assert client.get(send_url)["Location"] == edit_url(letter)


def test_a_question_for_information_is_drafted_for_the_question_chosen(client, world):
    case = case_in_state(world, "exchange")
    for organisation, question in ((world.huurders, "Hoeveel leden heeft u?"),
                                   (world.corporatie, "Hoeveel woningen zijn opgeleverd?")):
        services.dispute_request_information(dispute=case, actor=world.secretary, party=organisation,
                                             question=question)
    first = case.deadlines.get(kind="information", organisation=world.huurders)
    client.force_login(world.secretary)
    letters = section(client.get(reverse("workflow:case", args=[case.pk])).content.decode(), "brieven")
    assert 'name="deadline"' in letters and "Hoeveel leden heeft u?" in letters
    response = client.post(draft_url(case), {"kind": "vraag_inlichtingen", "deadline": str(first.pk)})
    letter = Letter.objects.get(dispute=case, kind="vraag_inlichtingen")
    assert response["Location"] == edit_url(letter) and letter.context == {"deadline": first.pk}
    page = client.get(edit_url(letter)).content.decode()
    assert "Huurdersbelangenorganisatie Leiderdorp (verzoeker)" in page
    assert "Hoeveel leden heeft u?" in section(page, "preview-title")
    # a question of another case is refused
    response = client.post(draft_url(case), {"kind": "vraag_inlichtingen", "deadline": "999999"})
    assert response.status_code == 302 and response["Location"].endswith("#brieven")
    assert Letter.objects.filter(dispute=case, kind="vraag_inlichtingen").count() == 1


def test_a_draft_is_thrown_away(client, world):
    case = case_in_state(world, "awaiting_response")
    letter = services.letter_draft(dispute=case, actor=world.secretary, kind="uitnodiging_verweer")
    client.force_login(world.secretary)
    assert client.get(reverse("workflow:letter-discard", args=[case.pk, letter.pk])).status_code == 405
    response = client.post(reverse("workflow:letter-discard", args=[case.pk, letter.pk]))
    assert response["Location"] == reverse("workflow:case", args=[case.pk]) + "#brieven"
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DISCARDED
    page = client.get(edit_url(letter)).content.decode()
    assert "weggegooid" in page and "<textarea" not in page
    assert f'href="{edit_url(letter)}"' not in client.get(reverse("workflow:case", args=[case.pk])).content.decode()


def test_a_letter_that_no_longer_fits_the_state_is_not_sent(client, world, at):
    case = case_in_state(world, "awaiting_response")
    letter = services.letter_draft(dispute=case, actor=world.secretary, kind="uitnodiging_verweer")
    at("2017-02-20 09:00")
    services.dispute_close_responses(dispute=case, actor=world.secretary)
    client.force_login(world.secretary)
    response = client.post(reverse("workflow:letter-send", args=[case.pk, letter.pk]))
    assert response.status_code == 400 and "Dit kan nu niet" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT and not letter.copies.exists()


def test_the_commission_cannot_draft_or_open_a_letter(client, world):
    case = case_in_state(world, "awaiting_response")
    letter = services.letter_draft(dispute=case, actor=world.secretary, kind="uitnodiging_verweer")
    for user in (world.chair, world.commission_member):
        client.force_login(user)
        assert 'id="brieven"' not in client.get(reverse("workflow:case", args=[case.pk])).content.decode()
        assert client.post(draft_url(case), {"kind": "uitnodiging_verweer"}).status_code == 403
        assert client.get(edit_url(letter)).status_code == 403
        assert client.post(reverse("workflow:letter-send", args=[case.pk, letter.pk])).status_code == 403
    assert Letter.objects.filter(dispute=case, kind="uitnodiging_verweer").count() == 1
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT


def test_a_letter_of_another_case_is_not_found(client, world):
    case = case_in_state(world, "awaiting_response")
    other = case_in_state(world, "awaiting_response")
    letter = services.letter_draft(dispute=case, actor=world.secretary, kind="uitnodiging_verweer")
    client.force_login(world.secretary)
    for name, method, extra in (("letter-edit", client.get, []), ("letter-preview", client.get, [1]),
                                ("letter-send", client.get, []), ("letter-send", client.post, []),
                                ("letter-discard", client.post, [])):
        assert method(reverse(f"workflow:{name}", args=[other.pk, letter.pk, *extra])).status_code == 404, name
        assert method(reverse(f"workflow:{name}", args=[case.pk, uuid.uuid4(), *extra])).status_code == 404, name
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT


def test_the_blank_letter_of_a_kind_is_the_wording_in_use(client, world):
    case = case_in_state(world, "awaiting_response")
    client.force_login(world.secretary)
    response = client.get(reverse("workflow:letter", args=[case.pk, "uitnodiging_verweer"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert case.case_number in text and "Gemeente Leiderdorp" in text and "Wij horen" not in text
    assert client.get(reverse("workflow:letter", args=[case.pk, "onbekend"])).status_code == 404
    # "concept" is no kind: the draft pages come first
    assert client.get(reverse("workflow:letter", args=[case.pk, "concept"])).status_code == 405
    page = client.get(reverse("workflow:case", args=[case.pk])).content.decode()
    assert re.search(r'href="[^"]*/brieven/mededeling_schikking/"', page)  # every kind of the letterbook


def test_the_scenario_verb_send_letter_drafts_and_sends_with_the_wording_in_use(settings):
    """``send_letter`` in scenarios/delft-2018-schikking.yaml: the chair is refused, the secretary's letter is sent."""
    from pathlib import Path

    from disputes.scenarios import run_scenario
    from disputes.scenarios.schema import load_file

    settings.CELERY_TASK_ALWAYS_EAGER = True
    path = Path(__file__).resolve().parents[2] / "scenarios" / "delft-2018-schikking.yaml"
    log = []
    run_scenario(load_file(path), log=log.append)
    letter = Letter.objects.get(kind="vraag_inlichtingen")
    assert letter.status == LetterStatus.SENT and letter.template.version == 1 and not letter.edited
    assert [c.addressee for c in letter.copies.all()] == ["Woonhaven Delft"]
    assert letter.copies.get().document.doc_type == "vraag_inlichtingen"
    assert any("brief 'vraag_inlichtingen' (tekst versie 1) verstuurd aan Woonhaven Delft" in line for line in log)


def test_the_case_page_reads_the_letters_in_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = case_in_state(world, "awaiting_response")  # the acknowledgement was sent at filing
    client.force_login(world.secretary)
    url = reverse("workflow:case", args=[case.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    before = count()
    services.letter_draft(dispute=case, actor=world.secretary, kind="mededeling_ontvankelijkheid")
    sent = services.letter_draft(dispute=case, actor=world.secretary, kind="uitnodiging_verweer")
    services.letter_send(letter=sent, actor=world.secretary)
    assert count() == before
    page = client.get(url).content.decode()
    assert page.count('id="brief-') == 2 and "Concept: Mededeling ontvankelijkheid" in page
