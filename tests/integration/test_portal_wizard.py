"""The filing wizard through the Django test client: a draft saved at every step, resumable, filed.

Given a tenant organisation in the overleg of Leiderdorp 2017, when its member goes through the
steps, then a draft exists from step 2 on, every step is stored, and submitting files the case.
"""

import re
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disputes import services
from disputes.models import Dispute, DisputeEvent, Document
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db


def upload(name="stuk.pdf", content=None):
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes(1, name), "application/pdf")


def version(dispute) -> int:
    return Dispute.objects.get(pk=dispute.pk).version


def points_data(dispute, rows, **extra):
    """POST data for the points formset: rows of (point_id or "", title, position)."""
    data = {"points-TOTAL_FORMS": str(len(rows)), "points-INITIAL_FORMS": "0", "points-MIN_NUM_FORMS": "0",
            "points-MAX_NUM_FORMS": "100", "expected_version": version(dispute), **extra}
    for i, (pk, title, position) in enumerate(rows):
        data.update({f"points-{i}-point_id": pk, f"points-{i}-title": title, f"points-{i}-position": position})
    return data


def start_draft(client, world, kind="totstandkoming", respondents=None):
    """Steps 1 and 2 of a new filing; returns the draft."""
    response = client.post(reverse("portal:new"), {"kind": kind})
    assert response.status_code == 302 and "soort=" + kind in response.url
    response = client.get(response.url)  # one agreement: straight on to the parties
    assert response.status_code == 302 and "portaal/nieuw/partijen/" in response.url
    parties_url = response.url
    page = client.get(parties_url).content.decode()
    assert "Huurdersbelangenorganisatie Leiderdorp" in page and "uw organisatie" in page
    respondents = respondents or [world.corporatie.pk, world.gemeente.pk]
    response = client.post(parties_url, {"respondents": [str(pk) for pk in respondents]})
    assert response.status_code == 302, response.content.decode()[:2000]
    dispute = Dispute.objects.get(created_by=world.tenant, state="draft")
    assert response.url == reverse("portal:draft-date", args=[dispute.pk])
    return dispute


def fill_draft(client, world, dispute, *, kind="totstandkoming"):
    url = reverse("portal:draft-date", args=[dispute.pk])
    response = client.post(url, {"arose_on": "05-01-2017", "title": "Geen overeenstemming over nieuwbouw",
                                 "expected_version": version(dispute)})
    assert response.status_code == 302 and response.url == reverse("portal:draft-points", args=[dispute.pk])
    url = reverse("portal:draft-points", args=[dispute.pk])
    response = client.post(url, points_data(dispute, [("", "Aantal sociale huurwoningen", "Wij vragen 200 woningen")],
                                            action="add"))
    assert response.status_code == 302 and response.url.endswith("#nieuw-geschilpunt")
    point = dispute.points.get(title="Aantal sociale huurwoningen")
    response = client.post(url, points_data(dispute, [
        (str(point.pk), "Aantal sociale huurwoningen", "Wij vragen 200 woningen"),
        ("", "Huurverhoging", "Inflatievolgend"),
    ], action="next"))
    assert response.status_code == 302 and response.url == reverse("portal:draft-efforts", args=[dispute.pk])
    url = reverse("portal:draft-efforts", args=[dispute.pk])
    entry_kind = "notice_to_comply" if kind == "nakoming" else "bod"
    response = client.post(url, {"kind": entry_kind, "occurred_on": "01-07-2016", "summary": "Bod ontvangen",
                                 "participants": "Rijnhart Wonen", "doc_type": "bod" if kind != "nakoming"
                                 else "ingebrekestelling", "files": [upload("bod-2016.pdf")]})
    assert response.status_code == 302, response.content.decode()[:3000]
    url = reverse("portal:draft-upload", args=[dispute.pk])
    types = ("verzoek", "bod", "woonvisie", "verslag_overleg", "concept_prestatieafspraken", "correspondentie")
    if kind == "nakoming":
        types = ("verzoek", "ondertekende_prestatieafspraken", "monitor", "ingebrekestelling")
    for doc_type in types:
        response = client.post(url, {"doc_type": doc_type, "files": [upload(f"{doc_type}.pdf")]})
        assert response.status_code == 302, response.content.decode()[:3000]


def test_a_tenant_files_a_totstandkoming_dispute_step_by_step(client, world, at, django_capture_on_commit_callbacks):
    at("2017-01-16 10:00")
    client.force_login(world.tenant)
    home = client.get(reverse("home")).content.decode()
    assert "Mijn geschillen" in home and reverse("portal:new") in home

    dispute = start_draft(client, world)
    assert dispute.organisation_ids("applicant") == {world.huurders.pk}
    assert dispute.organisation_ids("respondent") == {world.corporatie.pk, world.gemeente.pk}
    # resumable from "Mijn geschillen": the draft is listed and leads to the first open step
    home = client.get(reverse("home")).content.decode()
    assert reverse("portal:draft-resume", args=[dispute.pk]) in home
    assert client.get(reverse("portal:draft-resume", args=[dispute.pk])).url == reverse(
        "portal:draft-date", args=[dispute.pk])

    fill_draft(client, world, dispute)
    dispute.refresh_from_db()
    assert dispute.arose_on == date(2017, 1, 5)
    assert [(p.number, p.title) for p in dispute.points.all()] == [(1, "Aantal sociale huurwoningen"),
                                                                   (2, "Huurverhoging")]
    assert dispute.points.get(number=2).positions.get().organisation == world.huurders
    assert dispute.documents.current().count() == 6
    assert Document.objects.filter(effort_entry__agreement=world.agreement, dispute__isnull=True).count() == 1

    review = client.get(reverse("portal:draft-review", args=[dispute.pk])).content.decode()
    assert "U dient op tijd in" in review and "donderdag 02-02-2017" in review
    assert "U dient in binnen het tijdvak" in review
    assert "meer dan 6 maanden overleg" in review
    assert "Alle vereiste documenten zijn toegevoegd" in review
    assert "Hoe is dit berekend" in review

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:draft-review", args=[dispute.pk]),
                               {"confirm": "on", "expected_version": version(dispute)})
    assert response.status_code == 302 and response.url == reverse("portal:submitted", args=[dispute.pk])
    dispute.refresh_from_db()
    assert dispute.state == "submitted" and dispute.case_number
    page = client.get(response.url).content.decode()
    assert dispute.case_number in page and "Wat gebeurt er nu?" in page
    assert all(d.submitted_at for d in dispute.documents.current())
    assert any("verzoek tot geschilbeslechting ingediend" in m.subject for m in mail.outbox)


def test_a_nakoming_dispute_needs_a_notice_and_the_signed_agreement(client, world, at):
    at("2017-01-16 10:00")
    client.force_login(world.tenant)
    dispute = start_draft(client, world, kind="nakoming", respondents=[world.corporatie.pk])
    client.post(reverse("portal:draft-date", args=[dispute.pk]),
                {"arose_on": "05-01-2017", "title": "Corporatie bouwt niet", "expected_version": version(dispute)})
    client.post(reverse("portal:draft-points", args=[dispute.pk]),
                points_data(dispute, [("", "Nieuwbouw 2017", "Afgesproken, niet gedaan")]))
    review = client.get(reverse("portal:draft-review", args=[dispute.pk])).content.decode()
    assert "U kunt nog niet indienen" in review
    assert "ingebrekestelling in het overleglogboek" in review
    assert "ondertekende prestatieafspraken worden bijgevoegd" in review
    # submitting anyway gives the guard's messages as a validation message, never a 500
    response = client.post(reverse("portal:draft-review", args=[dispute.pk]),
                           {"confirm": "on", "expected_version": version(dispute)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Er is een probleem" in body and "ingebrekestelling in het overleglogboek" in body
    assert Dispute.objects.get(pk=dispute.pk).state == "draft"

    fill_draft(client, world, dispute, kind="nakoming")
    review = client.get(reverse("portal:draft-review", args=[dispute.pk])).content.decode()
    assert "U kunt nog niet indienen" not in review
    assert "Volgens het overleglogboek ontstond het geschil op" in review
    response = client.post(reverse("portal:draft-review", args=[dispute.pk]),
                           {"confirm": "on", "expected_version": version(dispute)})
    assert response.status_code == 302
    assert Dispute.objects.get(pk=dispute.pk).state == "submitted"


def test_warnings_do_not_stop_a_filing(client, world, at):
    """Out of time, outside the window and documents missing: warnings; the secretary decides."""
    at("2017-04-03 10:00")
    client.force_login(world.tenant)
    dispute = start_draft(client, world)
    client.post(reverse("portal:draft-date", args=[dispute.pk]),
                {"arose_on": "05-01-2017", "title": "Te laat", "expected_version": version(dispute)})
    client.post(reverse("portal:draft-points", args=[dispute.pk]), points_data(dispute, [("", "Punt", "")]))
    review = client.get(reverse("portal:draft-review", args=[dispute.pk])).content.decode()
    assert "De indieningstermijn is verstreken op donderdag 02-02-2017" in review
    assert "buiten het tijdvak" in review and "Nog niet toegevoegd" in review
    response = client.post(reverse("portal:draft-review", args=[dispute.pk]),
                           {"confirm": "on", "expected_version": version(dispute)})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == "submitted"
    assert dispute.deadlines.get(kind="filing").note.startswith("te laat")


def test_a_stale_form_is_refused_as_changed_by_someone_else(client, world, at):
    at("2017-01-16 10:00")
    client.force_login(world.tenant)
    dispute = start_draft(client, world)
    stale = version(dispute)
    client.post(reverse("portal:draft-date", args=[dispute.pk]),
                {"arose_on": "05-01-2017", "title": "Eerste", "expected_version": stale})
    response = client.post(reverse("portal:draft-date", args=[dispute.pk]),
                           {"arose_on": "06-01-2017", "title": "Tweede", "expected_version": stale})
    assert response.status_code == 409
    assert "Het geschil is intussen gewijzigd" in response.content.decode()
    assert "door uzelf in een ander venster" in response.content.decode()  # it may be the user's own second tab
    assert Dispute.objects.get(pk=dispute.pk).title == "Eerste"


def test_a_double_submit_files_one_case(client, world, at):
    at("2017-01-16 10:00")
    dispute = world.file()
    client.force_login(world.tenant)
    data = {"confirm": "on", "expected_version": version(dispute)}
    first = client.post(reverse("portal:draft-review", args=[dispute.pk]), data)
    second = client.post(reverse("portal:draft-review", args=[dispute.pk]), data)
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("portal:submitted", args=[dispute.pk])
    assert DisputeEvent.objects.filter(dispute=dispute, kind="submit").count() == 1
    assert Dispute.objects.exclude(case_number=None).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"arose_on": "31-02-2017", "title": "x"}, "arose_on", "bestaande datum"),
        ({"arose_on": "05-01-2030", "title": "x"}, "arose_on", "in de toekomst"),
        ({"arose_on": "05-01-2014", "title": "x"}, "arose_on", "1 juli 2015"),
        ({"arose_on": "", "title": "x"}, "arose_on", "Vul de datum in"),
        ({"arose_on": "05-01-2017", "title": "a" * 201}, "title", "ten hoogste 200"),
        ({"arose_on": "05-01-2017", "title": "nul\x00byte"}, "title", "Null"),
    ],
)
def test_bad_input_becomes_a_field_error_in_the_summary(client, world, at, data, field, message):
    at("2017-01-16 10:00")
    client.force_login(world.tenant)
    dispute = world.file()
    response = client.post(reverse("portal:draft-date", args=[dispute.pk]), {**data, "expected_version": 1})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Er is een probleem" in body and f'href="#id_{field}"' in body
    assert re.search(message, body, re.IGNORECASE), body[:3000]
    assert 'aria-invalid="true"' in body


def test_points_can_be_removed_and_are_numbered_again(client, world, at):
    at("2017-01-16 10:00")
    dispute = world.file(points=("a", "b", "c"))
    client.force_login(world.tenant)
    middle = dispute.points.get(key="b")
    response = client.post(reverse("portal:draft-point-remove", args=[dispute.pk, middle.pk]),
                           {"expected_version": version(dispute)})
    assert response.status_code == 302
    assert [(p.number, p.key) for p in dispute.points.all()] == [(1, "a"), (2, "c")]
    page = client.get(reverse("portal:draft-points", args=[dispute.pk])).content.decode()
    assert "Geschilpunt 2 verwijderen" in page and "Geschilpunt 3" not in page


def test_an_existing_point_cannot_be_emptied(client, world, at):
    at("2017-01-16 10:00")
    dispute = world.file(points=("a",))
    client.force_login(world.tenant)
    point = dispute.points.get()
    response = client.post(reverse("portal:draft-points", args=[dispute.pk]),
                           points_data(dispute, [(str(point.pk), "", "")]))
    assert response.status_code == 200
    assert "Beschrijf het geschilpunt of verwijder het" in response.content.decode()


def test_the_parties_step_keeps_the_own_organisation_and_refuses_overlap(client, world, at):
    at("2017-01-16 10:00")
    dispute = world.file()
    client.force_login(world.tenant)
    url = reverse("portal:draft-parties", args=[dispute.pk])
    page = client.get(url).content.decode()
    # the own organisation is not a choice: it comes from the membership
    assert f'value="{world.huurders.pk}"' not in page
    response = client.post(url, {"co_applicants": [world.gemeente.pk], "respondents": [world.gemeente.pk],
                                 "expected_version": version(dispute)})
    assert response.status_code == 200 and "zowel verzoeker als verweerder" in response.content.decode()
    response = client.post(url, {"co_applicants": [world.gemeente.pk], "respondents": [world.corporatie.pk],
                                 "expected_version": version(dispute)})
    assert response.status_code == 302
    assert dispute.organisation_ids("applicant") == {world.huurders.pk, world.gemeente.pk}
    # an organisation from outside the overleg is not a valid choice
    response = client.post(url, {"respondents": [world.outsider_org.pk], "expected_version": version(dispute)})
    assert response.status_code == 200 and "deelnemen" in response.content.decode()


def test_a_wizard_step_of_a_submitted_case_leads_to_the_case_page(client, world, at):
    at("2017-01-16 10:00")
    dispute = world.file()
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    client.force_login(world.tenant)
    response = client.get(reverse("portal:draft-date", args=[dispute.pk]))
    assert response.status_code == 302 and response.url == reverse("portal:dispute", args=[dispute.pk])
    response = client.post(reverse("portal:draft-date", args=[dispute.pk]),
                           {"arose_on": "05-01-2017", "title": "x", "expected_version": version(dispute)})
    assert response.status_code == 403


def test_a_user_without_an_overleg_is_told_they_cannot_file(client, world):
    client.force_login(world.outsider)
    response = client.get(reverse("portal:new"))
    assert response.status_code == 200 and "niet deel aan een overleg" in response.content.decode()
    assert reverse("portal:new") not in client.get(reverse("home")).content.decode()


def test_the_points_page_puts_shape_errors_at_the_row_and_rule_errors_at_the_top(client, world, at):
    """The formset checks each row's shape; the service's rule (every point is one of this draft) lands on
    the page's form, linked from the error summary. Nothing is saved either way."""
    at("2017-01-16 10:00")
    dispute = world.file(points=("a",))
    other = world.file(points=("x",))
    client.force_login(world.tenant)
    url = reverse("portal:draft-points", args=[dispute.pk])
    before = version(dispute)
    response = client.post(url, points_data(dispute, [("", "", "Een standpunt zonder geschilpunt")]))
    body = response.content.decode()
    assert response.status_code == 200 and 'href="#id_points-0-title"' in body
    assert "Beschrijf het geschilpunt bij dit standpunt" in body
    response = client.post(url, points_data(dispute, [(str(other.points.get().pk), "Kaping", "")]))
    body = response.content.decode()
    assert response.status_code == 200 and 'href="#points"' in body
    assert "Dit geschilpunt hoort niet bij dit geschil" in body
    assert version(dispute) == before and other.points.get().title == "Geschilpunt x"


def test_every_form_step_of_the_registry_is_served_at_its_address(client, world, at):
    from django.urls import resolve

    from disputes.portal import wizard

    at("2017-01-16 10:00")
    dispute = world.file()
    client.force_login(world.tenant)
    for name, step in wizard.FORM_STEPS.items():
        url = reverse(f"portal:draft-{name}", args=[dispute.pk])
        assert resolve(url).func.__name__ == f"draft_{name}"
        response = client.get(url)
        assert response.status_code == 200 and response.templates[0].name == step.template, name
