"""The secretariat's letter editor under /werk/brieven/ (issue 16, docs/workflow.md "Brieven"): every kind listed
with its version in use, a save checked by the service (nothing saved on an error), a preview on a real case that
saves nothing, the PDF of the version in use, the reset to the shipped wording, and the secretariat only."""

import pytest
from django.urls import reverse

from disputes import letterbook, services
from disputes.models import LetterTemplate
from disputes.states import DisputeState as S
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db

KIND = "uitnodiging_verweer"
BODY = ("Geachte lezer van ((zaaknummer)),\n\nWij vragen uw verweer uiterlijk op ((verweertermijn)).\n\n"
        "- eerste punt\n- tweede punt\n\n((geschilpunten))\n")


def edit_url(kind=KIND):
    return reverse("workflow:letter-template", args=[kind])


def test_the_list_shows_every_kind_with_its_version(client, world):
    client.force_login(world.secretary)
    response = client.get(reverse("workflow:letter-templates"))
    assert response.status_code == 200
    page = response.content.decode()
    assert len(letterbook.KINDS) == 14
    for kind, spec in letterbook.KINDS.items():
        assert reverse("workflow:letter-template", args=[kind]) in page
        assert str(spec.title).replace("&", "&amp;") in page
    assert page.count("<td>meegeleverde tekst</td>") == 14
    assert reverse("workflow:letter-templates") in client.get(reverse("workflow:worklist")).content.decode()


def test_a_save_with_an_unknown_placeholder_shows_the_error_and_saves_nothing(client, world):
    client.force_login(world.secretary)
    response = client.post(edit_url(), {"action": "save", "subject": "Verweer ((zaaknummer))",
                                        "body": BODY + "\n((onbekend))\n", "note": "proef"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and "Onbekend invulveld ((onbekend))" in page
    assert 'href="#id_body"' in page  # the summary links to the field
    assert "((onbekend))" in page  # the text typed is kept
    assert not LetterTemplate.objects.filter(kind=KIND, version__gt=1).exists()


def test_a_valid_save_makes_version_2_and_the_list_shows_it(client, world):
    client.force_login(world.secretary)
    response = client.post(edit_url(), {"action": "save", "subject": "Verweer in ((zaaknummer))", "body": BODY,
                                        "note": "Korter"})
    assert response.status_code == 302 and response["Location"] == edit_url()
    saved = services.current_template(KIND)
    assert (saved.version, saved.shipped, saved.created_by, saved.note) == (2, False, world.secretary, "Korter")
    page = client.get(edit_url()).content.decode()
    assert "Versie 2 opgeslagen" in page
    assert "Versie 1" in page and "Bekijk versie 2" in page and "Korter" in page
    listed = client.get(reverse("workflow:letter-templates")).content.decode()
    row = listed.split(edit_url())[1].split("</tr>")[0]
    assert "<td>2</td>" in row and "eigen tekst" in row and "sec" in row


def test_a_preview_shows_the_chosen_case_and_saves_nothing(client, world):
    other = case_in_state(world, S.EXCHANGE)
    waiting = case_in_state(world, S.AWAITING_RESPONSE)
    client.force_login(world.secretary)
    page = client.get(edit_url()).content.decode()
    assert f'value="{waiting.case_number}"' in page  # the default: the latest case in a state of the letter
    before = LetterTemplate.objects.filter(kind=KIND).count()
    response = client.post(edit_url(), {"action": "preview", "subject": "Verweer ((zaaknummer))",
                                        "body": BODY + "\nEen <script>alert(1)</script> hier.\n",
                                        "zaak": other.case_number})
    assert response.status_code == 200
    page = response.content.decode()
    region = page.split('class="letter-preview"')[1].split("</section>")[0]
    assert f"Voorbeeld op zaak {other.case_number}" in region
    assert f"Geachte lezer van {other.case_number}," in region
    assert f"Verweer {other.case_number}" in region
    assert "<li>eerste punt</li>" in region and "Geschilpunt p1" in region
    assert "((zaaknummer))" not in region
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in region
    assert "Een &lt;script&gt;" in page.split('class="letter-preview"')[0]  # the text typed is kept in the form
    assert LetterTemplate.objects.filter(kind=KIND).count() == before
    assert f"?zaak={other.case_number}" in page  # the link to the PDF of that case


def test_a_preview_shows_the_check_errors_and_an_unknown_case(client, world):
    case_in_state(world, S.AWAITING_RESPONSE)
    client.force_login(world.secretary)
    response = client.post(edit_url(), {"action": "preview", "subject": "Verweer", "body": "Geen invulvelden.",
                                        "zaak": "GPA-1900-9999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Het invulveld ((verweertermijn)) ontbreekt" in page
    assert "Er is geen zaak met zaaknummer GPA-1900-9999" in page and 'href="#id_zaak"' in page
    assert 'class="letter-preview"' not in page
    assert LetterTemplate.objects.filter(kind=KIND).count() <= 1


def test_the_pdf_preview_is_a_pdf_and_404_for_an_unknown_case(client, world):
    dispute = case_in_state(world, S.AWAITING_RESPONSE)
    client.force_login(world.secretary)
    url = reverse("workflow:letter-template-preview", args=[KIND])
    response = client.get(url, {"zaak": dispute.case_number})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline")
    assert client.get(url, {"zaak": "GPA-1900-9999"}).status_code == 404
    assert client.get(reverse("workflow:letter-template-preview", args=["geen_brief"]),
                      {"zaak": dispute.case_number}).status_code == 404
    assert client.get(reverse("workflow:letter-template", args=["geen_brief"])).status_code == 404


def test_reset_makes_a_new_shipped_version(client, world):
    client.force_login(world.secretary)
    services.letter_template_save(actor=world.secretary, kind=KIND, subject="Verweer ((zaaknummer))", body=BODY)
    url = reverse("workflow:letter-template-reset", args=[KIND])
    page = client.get(url).content.decode()
    assert "De meegeleverde tekst wordt de nieuwe versie; eerdere versies blijven bewaard." in page
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == edit_url()
    made = services.current_template(KIND)
    assert (made.version, made.shipped) == (3, True)
    assert (made.subject, made.body) == letterbook.shipped(KIND)
    assert "De meegeleverde tekst is hersteld als versie 3." in client.get(edit_url()).content.decode()
    client.post(url)  # nothing to reset: no new version
    assert services.current_template(KIND).version == 3


@pytest.mark.parametrize("who", ["commission_member", "chair", "official"])
def test_other_staff_get_403(client, world, who):
    client.force_login(getattr(world, who))
    for url in (reverse("workflow:letter-templates"), edit_url(),
                reverse("workflow:letter-template-preview", args=[KIND]),
                reverse("workflow:letter-template-reset", args=[KIND])):
        assert client.get(url).status_code == 403, url
    assert client.post(edit_url(), {"action": "save", "subject": "x ((zaaknummer))", "body": BODY}).status_code == 403
    assert client.post(reverse("workflow:letter-template-reset", args=[KIND])).status_code == 403
    assert LetterTemplate.objects.filter(kind=KIND, version__gt=1).count() == 0
    assert reverse("workflow:letter-templates") not in client.get(reverse("workflow:worklist")).content.decode()


def test_parties_get_403_and_anonymous_the_login_page(client, world):
    urls = [reverse("workflow:letter-templates"), edit_url(), reverse("workflow:letter-template-preview", args=[KIND]),
            reverse("workflow:letter-template-reset", args=[KIND])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    client.force_login(world.tenant)
    for url in urls:
        assert client.get(url).status_code == 403, url
