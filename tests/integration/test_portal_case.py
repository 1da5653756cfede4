"""A party's case page after submission, the actions open to each side, and the e-mails they get."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import TemplateDoesNotExist
from django.urls import reverse

from disputes import clock, services
from disputes.errors import NotPermitted
from disputes.models import Dispute, Notification
from disputes.portal import case as case_views
from tests.factories import case_in_state, moment, pdf, pdf_bytes

pytestmark = pytest.mark.django_db


def upload(name="verweer.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(2, name), "application/pdf")


def page(client, case) -> str:
    response = client.get(reverse("portal:dispute", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_says_what_happens_what_is_expected_and_by_when(client, world):
    case = case_in_state(world, "awaiting_response")
    client.force_login(world.corp_user)
    body = page(client, case)
    assert "Wat gebeurt er nu?" in body and "Uw organisatie kan nu schriftelijk verweer voeren" in body
    assert "Dien uw verweerschrift in" in body
    due = case.deadlines.get(kind="response").due
    assert f"{due:%d-%m-%Y}" in body and "Hoe is deze datum berekend?" in body
    assert reverse("portal:respond", args=[case.pk]) in body
    client.force_login(world.tenant)
    body = page(client, case)
    assert "De verweerders kunnen nu schriftelijk verweer voeren" in body
    assert reverse("portal:respond", args=[case.pk]) not in body
    assert reverse("portal:withdraw", args=[case.pk]) in body


def test_the_generic_case_address_shows_parties_the_same_page(client, world):
    case = case_in_state(world, "submitted")
    client.force_login(world.tenant)
    portal = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    generic = client.get(reverse("dispute-detail", args=[case.pk])).content.decode()
    def strip(text):  # the CSRF token differs per response; the time-out dialog links back to this page
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        return re.sub(r'\?next=[^"]*"', '"', text)
    assert strip(portal) == strip(generic)


def test_the_timeline_is_in_words_and_hides_the_draft_history_from_respondents(client, world, at):
    at("2017-01-16 10:00")
    draft = world.file(documents=[pdf("bod")])
    from disputes.services import drafts

    drafts.draft_withdraw_document(document=draft.documents.get(), actor=world.tenant)
    drafts.draft_add_document(dispute=draft, actor=world.tenant, uploaded=pdf("verzoek")[1], doc_type="verzoek")
    at("2017-01-16 10:05")
    services.dispute_submit(dispute=draft, actor=world.tenant)
    client.force_login(world.corp_user)
    body = page(client, draft)
    assert "Verzoek ingediend door Huurdersbelangenorganisatie Leiderdorp" in body
    assert "bod.pdf" not in body and "Concept aangemaakt" not in body
    assert "document_added" not in body and ">submit<" not in body
    client.force_login(world.tenant)
    body = page(client, draft)
    assert "Concept aangemaakt door Huurdersbelangenorganisatie Leiderdorp" in body
    assert "Document uit het concept gehaald: bod.pdf" in body


@pytest.mark.parametrize("state", ["admissibility_review", "hearing_scheduled", "settled", "closed"])
def test_every_state_has_a_page_for_both_sides(client, world, state):
    """(The texts of every state and role are checked in test_portal_prechecks; here the page renders.)"""
    case = case_in_state(world, state)
    for who in ("tenant", "corp_user"):
        client.force_login(getattr(world, who))
        body = page(client, case)
        assert "Het geschil is in behandeling." not in body, (state, who)
        assert "Wat wordt er van u verwacht?" in body


def test_the_applicant_supplies_a_requested_remedy(client, world, django_capture_on_commit_callbacks):
    case = case_in_state(world, "awaiting_remedy")
    client.force_login(world.tenant)
    body = page(client, case)
    assert "Machtiging ontbreekt" in body and reverse("portal:remedy", args=[case.pk]) in body
    form = client.get(reverse("portal:remedy", args=[case.pk])).content.decode()
    assert "Machtiging ontbreekt" in form
    response = client.post(reverse("portal:remedy", args=[case.pk]), {"expected_version": case.version})
    assert "Voeg de gevraagde stukken toe of licht uw aanvulling toe" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:remedy", args=[case.pk]), {
            "doc_type": "machtiging", "files": [upload("machtiging.pdf")], "note": "Hierbij de machtiging",
            "expected_version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "admissibility_review" and case.remedy_supplied
    assert case.documents.filter(doc_type="machtiging").exists()


def test_a_party_answers_the_information_request_put_to_it(client, world, django_capture_on_commit_callbacks,
                                                         mailoutbox):
    case = case_in_state(world, "exchange")
    question = "Hoeveel woningen heeft Rijnhart Wonen in 2026 opgeleverd? <script>x</script> " + "Toelichting. " * 30
    services.dispute_request_information(dispute=case, actor=world.secretary, party=world.corporatie,
                                         question=question)
    deadline = case.deadlines.get(kind="information")
    url = reverse("portal:information", args=[case.pk])
    # the tenant (not asked) sees no button and no open question
    client.force_login(world.tenant)
    assert url not in page(client, case)
    assert "Er staat op dit moment geen vraag om inlichtingen open" in client.get(url).content.decode()
    # the corporation sees the full question, escaped, with its date
    client.force_login(world.corp_user)
    assert url in page(client, case)
    form = client.get(url).content.decode()
    assert "Toelichting. " * 30 in form and "&lt;script&gt;x&lt;/script&gt;" in form and "<script>x" not in form
    assert f"{deadline.due:%d-%m-%Y}" in form
    version = Dispute.objects.get(pk=case.pk).version
    empty = client.post(url, {"request": deadline.pk, "answer": " ", "expected_version": version})
    assert "Geef uw antwoord of voeg een document toe." in empty.content.decode()
    assert Dispute.objects.get(pk=case.pk).deadlines.get(kind="information").closed_at is None
    with pytest.raises(ValidationError, match="repliek of een dupliek"):  # answers, replies, rejoinders only
        services.dispute_answer_information(dispute=case, actor=world.corp_user, deadline_id=deadline.pk,
                                            documents=[("verzoek", upload())])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"request": deadline.pk, "answer": "Geen enkele; de bouw is niet gestart.",
                                     "doc_type": "repliek", "files": [upload("opleveringen.pdf")],
                                     "expected_version": version})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.closed_at is not None
    case = Dispute.objects.get(pk=case.pk)
    assert case.state == "exchange" and case.version == version + 1
    document = case.documents.get(doc_type="repliek")  # a reply to the verweer is asked for the same way
    assert document.organisation == world.corporatie and document.confidentiality == "parties"
    event = case.events.get(kind="information_answered")
    assert event.payload["question"] == question and event.payload["late"] is False
    assert event.actor_organisation == world.corporatie and event.visibility == "parties"
    # every party and the secretariat hear of it
    recipients = sorted(address for m in mailoutbox if "inlichtingen gegeven" in m.subject for address in m.to)
    assert recipients == sorted(u.email for u in (world.tenant, world.corp_user, world.gem_user, world.secretary))
    # the timeline says it, the button is gone, a second answer is refused
    client.force_login(world.tenant)
    body = page(client, case)
    assert "Rijnhart Wonen heeft de vraag om inlichtingen beantwoord." in body
    # every party reads the question and the answer (hoor en wederhoor), escaped
    section = body[body.index("Vragen om inlichtingen"):]
    assert "Aan Rijnhart Wonen" in section and "&lt;script&gt;x&lt;/script&gt;" in section
    assert "Geen enkele; de bouw is niet gestart." in section and "Met 1 document" in section
    assert "<script>x" not in body
    client.force_login(world.corp_user)
    assert url not in page(client, case)
    again = client.post(url, {"request": deadline.pk, "answer": "Nog iets", "expected_version": case.version})
    assert again.status_code == 200 and "staat niet (meer) open" in again.content.decode()


def test_mijn_geschillen_says_action_is_needed_from_the_party_asked(client, world):
    case = case_in_state(world, "exchange")
    services.dispute_request_information(dispute=case, actor=world.secretary, party=world.corporatie,
                                         question="Stuur de monitor.", deadline=clock.today() + timedelta(days=10))
    due = case.deadlines.get(kind="information").due

    def row(user):
        client.force_login(user)
        body = client.get(reverse("home")).content.decode()
        return body[body.index(case.case_number):][:1500]

    asked = row(world.corp_user)
    assert "Actie nodig" in asked and f"{due:%d-%m-%Y}" in asked
    assert "Actie nodig" not in row(world.tenant) and "Actie nodig" not in row(world.gem_user)


def test_only_the_party_asked_can_answer_and_a_late_answer_is_marked(client, world, at):
    case = case_in_state(world, "exchange")
    services.dispute_request_information(dispute=case, actor=world.secretary, party=world.corporatie,
                                         question="Stuur de monitor 2026.")
    deadline = case.deadlines.get(kind="information")
    with pytest.raises(NotPermitted):
        services.dispute_answer_information(dispute=case, actor=world.gem_user, deadline_id=deadline.pk,
                                            answer="Wij antwoorden namens de corporatie")
    client.force_login(world.secretary)
    assert client.get(reverse("portal:information", args=[case.pk])).status_code == 403
    at(f"{deadline.due + timedelta(days=3):%Y-%m-%d} 09:00")
    services.dispute_answer_information(dispute=case, actor=world.corp_user, deadline_id=deadline.pk,
                                        answer="Sorry, te laat: hierbij de monitor.")
    event = case.events.get(kind="information_answered")
    assert event.payload["late"] is True
    deadline.refresh_from_db()
    assert deadline.closed_at is not None and "te laat" in deadline.note


def test_a_respondent_cannot_supply_the_remedy(client, world):
    case = case_in_state(world, "awaiting_remedy")
    client.force_login(world.corp_user)
    assert client.get(reverse("portal:remedy", args=[case.pk])).status_code == 403


def test_withdrawal_asks_for_confirmation_first(client, world, django_capture_on_commit_callbacks):
    case = case_in_state(world, "admissibility_review")
    client.force_login(world.tenant)
    confirm = client.get(reverse("portal:withdraw", args=[case.pk])).content.decode()
    assert "niet ongedaan" in confirm
    response = client.post(reverse("portal:withdraw", args=[case.pk]), {"expected_version": case.version})
    assert response.status_code == 200 and "Vink aan" in response.content.decode()
    assert Dispute.objects.get(pk=case.pk).state == "admissibility_review"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:withdraw", args=[case.pk]),
                               {"confirm": "on", "reason": "Er is alsnog overeenstemming",
                                "expected_version": case.version})
    assert response.status_code == 302
    assert Dispute.objects.get(pk=case.pk).state == "withdrawn"
    assert "Het verzoek is ingetrokken door Huurdersbelangenorganisatie Leiderdorp" in page(client, case)


def test_a_decided_case_cannot_be_withdrawn_and_says_so(client, world):
    case = case_in_state(world, "decided")
    client.force_login(world.tenant)
    assert "kan niet meer worden ingetrokken" in client.get(reverse("portal:withdraw", args=[case.pk])).content.decode()
    response = client.post(reverse("portal:withdraw", args=[case.pk]), {"confirm": "on",
                                                                       "expected_version": case.version})
    assert response.status_code == 200 and "niet mogelijk in de status" in response.content.decode()


def test_a_respondent_files_a_verweer_with_positions(client, world, django_capture_on_commit_callbacks):
    case = case_in_state(world, "awaiting_response")
    client.force_login(world.corp_user)
    form = client.get(reverse("portal:respond", args=[case.pk])).content.decode()
    assert "Uw standpunt over geschilpunt 1" in form and "Ons standpunt" in form  # the applicant's position
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:respond", args=[case.pk]), {
            "files": [upload("verweerschrift.pdf")], "position_p1": "Het bod was redelijk",
            "expected_version": case.version})
    assert response.status_code == 302
    party = case.parties.get(organisation=world.corporatie)
    assert party.responded_at is not None
    assert case.points.get().positions.get(organisation=world.corporatie).text == "Het bod was redelijk"
    assert case.documents.filter(doc_type="verweerschrift", organisation=world.corporatie).exists()
    body = page(client, case)
    assert "Uw verweer is ontvangen" in body and "Rijnhart Wonen heeft verweer ingediend" in body
    assert reverse("portal:respond", args=[case.pk]) not in body
    # the applicant reads it
    client.force_login(world.tenant)
    assert "verweerschrift.pdf" in page(client, case)


def test_a_late_verweer_gets_the_deadline_message(client, world):
    case = case_in_state(world, "awaiting_response")
    due = case.deadlines.get(kind="response").due
    clock.set_now(moment(f"{due + timedelta(days=1):%Y-%m-%d} 09:00"))
    client.force_login(world.gem_user)
    response = client.post(reverse("portal:respond", args=[case.pk]),
                           {"position_p1": "Te laat", "expected_version": case.version})
    assert response.status_code == 200
    body = response.content.decode()
    assert "De verweertermijn is verstreken" in body and "Vraag het secretariaat" in body
    services.dispute_allow_late_response(dispute=case, actor=world.secretary, organisation=world.gemeente)
    response = client.post(reverse("portal:respond", args=[case.pk]),
                           {"position_p1": "Alsnog", "expected_version": Dispute.objects.get(pk=case.pk).version})
    assert response.status_code == 302


def test_parties_add_to_the_effort_log_from_the_case_page(client, world):
    case = case_in_state(world, "effort_review")
    client.force_login(world.gem_user)
    assert reverse("portal:case-efforts", args=[case.pk]) in page(client, case)
    response = client.post(reverse("portal:case-efforts", args=[case.pk]), {
        "kind": "letter", "occurred_on": "10-01-2017", "summary": "Brief aan de corporatie",
        "doc_type": "correspondentie", "files": [upload("brief.pdf")]})
    assert response.status_code == 302
    body = page(client, case)
    assert "Brief aan de corporatie" in body and "brief.pdf" in body
    client.force_login(world.corp_user)
    assert "Brief aan de corporatie" in page(client, case)


def test_the_dossier_panel_is_included_only_when_it_exists_and_the_case_is_decided(client, world, monkeypatch):
    decided = case_in_state(world, "decided")
    ongoing = case_in_state(world, "exchange")
    client.force_login(world.tenant)
    request = type("R", (), {"user": world.tenant, "GET": {}})()
    panel = 'class="dossier-panel"'
    # The panel exists: a decided case shows it, a case still under way does not.
    assert case_views.dossier_panel_available() is True
    assert case_views.case_context(request, decided)["show_dossier_panel"] is True
    assert panel in page(client, decided)
    assert case_views.case_context(request, ongoing)["show_dossier_panel"] is False
    assert panel not in page(client, ongoing)
    # Without the panel's template the decided case's page leaves it out, without an error.
    monkeypatch.setattr(case_views, "get_template", lambda name: (_ for _ in ()).throw(TemplateDoesNotExist(name)))
    assert case_views.dossier_panel_available() is False
    assert case_views.case_context(request, decided)["show_dossier_panel"] is False
    assert panel not in page(client, decided)


def test_the_accept_mail_tells_respondents_what_to_do_and_by_when(world, django_capture_on_commit_callbacks):
    case = case_in_state(world, "effort_review")
    services.dispute_assess_efforts(dispute=case, actor=world.secretary, sufficient=True, reason="Voldoende")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_accept(dispute=Dispute.objects.get(pk=case.pk), actor=world.secretary)
    due = case.deadlines.get(kind="response").due
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.nl", "bert@example.nl", "gerda@example.nl"]
    message = mail.outbox[0]
    assert f"{due:%d-%m-%Y}" in message.subject
    assert "Verweerders (" in message.body and "Rijnhart Wonen" in message.body
    assert "dien uw verweerschrift in" in message.body and f"{due:%d-%m-%Y}" in message.body
    assert f"http://localhost:8000{reverse('portal:dispute', args=[case.pk])}" in message.body
    assert not message.attachments
    assert Notification.objects.filter(event__kind="accept").count() == 3


@pytest.mark.parametrize("state", ["submitted", "awaiting_remedy", "withdrawn", "decided"])
def test_every_transition_mail_is_meaningful_dutch(world, state, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_in_state(world, state)
    assert mail.outbox
    for message in mail.outbox:
        assert message.subject.startswith(f"Geschil {case.case_number}")
        assert "Geachte heer, mevrouw," in message.body and "{%" not in message.body
        assert "nooit per e-mail" in message.body and not message.attachments
    subjects = " | ".join(m.subject for m in mail.outbox)
    assert {"submitted": "ingediend", "awaiting_remedy": "verzoek aanvullen", "withdrawn": "ingetrokken",
            "decided": "bindende uitspraak"}[state] in subjects


def test_the_case_page_query_count_does_not_grow_with_documents(client, world, django_assert_max_num_queries):
    case = case_in_state(world, "exchange")
    for _ in range(5):
        services.document_upload(dispute=case, actor=world.tenant, uploaded=pdf("correspondentie")[1],
                                 doc_type="correspondentie")
    client.force_login(world.tenant)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("portal:dispute", args=[case.pk])).status_code == 200


def test_mijn_geschillen_query_count_does_not_grow_with_cases(client, world, django_assert_max_num_queries):
    for _ in range(3):
        case_in_state(world, "submitted")
    client.force_login(world.corp_user)
    with django_assert_max_num_queries(16):  # 15, and the cases the user represents a party in (docs/accounts.md)
        body = client.get(reverse("home")).content.decode()
    assert body.count("Verweerder") == 3 and "Mijn geschillen" in body
