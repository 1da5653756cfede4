"""The secretariat's review of a publication on the staff side (issue 17, docs/publication.md, "Voorbereiden en
goedkeuren"): the case page's section "Publicatie", the review page with every replacement marked, adding and
undoing a replacement with a reason, four eyes before it is published, and withdrawing with a reason."""

import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from disputes.models import DisputePoint, PublicationStatus, Replacement
from tests.factories import case_in_state, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world):
    world.corp_user.first_name, world.corp_user.last_name = "Bert", "Bakker"
    world.corp_user.save()
    case = case_in_state(world, "decided")
    point = case.points.get()
    point.positions.update(text="Volgens Bert Bakker is het bod redelijk; mevrouw J. de Boer uit de Dorpsstraat "
                                "is het daar niet mee eens.")
    DisputePoint.objects.filter(pk=point.pk).update(advice_recommendation="Overleg opnieuw met Rijnhart Wonen.")
    return case


def urls(case) -> dict:
    return {name: reverse(f"workflow:{name}", args=[case.pk]) for name in (
        "case", "publication", "publication-prepare", "publication-replacement-add", "publication-approve",
        "publication-withdraw")}


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_prepare_review_four_eyes_publish_and_withdraw(client, world, decided):
    url = urls(decided)
    client.force_login(world.secretary)
    case_page = client.get(url["case"]).content.decode()
    assert 'id="publicatie"' in case_page and "Publicatie voorbereiden" in case_page
    assert url["publication-prepare"] in case_page

    response = client.post(url["publication-prepare"])
    assert response.status_code == 302 and response["Location"] == url["publication"]
    publication = decided.publications.get()
    page = client.get(url["publication"]).content.decode()
    # every active replacement marked: the original struck, the replacement after it, words for a screen reader
    assert ("<mark><del>Bert Bakker</del> <span class=\"visually-hidden\">vervangen door</span> "
            "<ins>[medewerker verweerder]</ins></mark>") in page
    assert "gevonden door het product" in page and "Goedkeuren en publiceren" in page
    assert 'id="goedkeuren-uitgesloten"' in page  # who prepared it does not approve

    # adding a replacement needs a reason; the error on the form and in the summary
    response = client.post(url["publication-replacement-add"],
                           {"add-original": "J. de Boer", "add-replacement": "[persoon]", "add-reason": " "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'href="#id_add-reason"' in page and "Geef de reden." in page
    response = client.post(url["publication-replacement-add"],
                           {"add-original": "Nergens Genoemd", "add-replacement": "[persoon]", "add-reason": "Naam"})
    assert response.status_code == 400 and "komt niet voor in de publicatie" in response.content.decode()
    response = client.post(url["publication-replacement-add"],
                           {"add-original": "J. de Boer", "add-replacement": "[persoon]",
                            "add-reason": "Een huurder, bij naam genoemd"})
    assert response.status_code == 302 and response["Location"].endswith("#vervangingen")
    assert "J. de Boer" in said(response)
    added = publication.replacements.get(original="J. de Boer")
    page = client.get(url["publication"]).content.decode()
    assert "<mark><del>J. de Boer</del>" in page and "Een huurder, bij naam genoemd" in page

    # undoing one needs a reason too; an undone one is shown struck, with who and why
    last_name = publication.replacements.get(original="Bakker")
    undo = reverse("workflow:publication-replacement-undo", args=[decided.pk, last_name.pk])
    response = client.post(undo, {"reason": ""})
    assert response.status_code == 400 and f'href="#id_undo-{last_name.pk}-reason"' in response.content.decode()
    response = client.post(undo, {"reason": "Alleen de achternaam: komt niet los voor"})
    assert response.status_code == 302
    last_name.refresh_from_db()
    assert last_name.undone_by == world.secretary
    page = client.get(url["publication"]).content.decode()
    assert 'class="replacement--undone"' in page and "Alleen de achternaam: komt niet los voor" in page
    # a replacement of another case is not found
    other = reverse("workflow:publication-replacement-undo", args=[decided.pk, added.pk + 1000])
    assert client.post(other, {"reason": "x"}).status_code == 404

    # four eyes: the preparer is refused (403), a second secretary approves
    assert client.post(url["publication-approve"]).status_code == 403
    second = staff("sec2", "secretary")
    client.force_login(second)
    page = client.get(url["publication"]).content.decode()
    assert 'id="goedkeuren-uitgesloten"' not in page and url["publication-approve"] in page
    response = client.post(url["publication-approve"])
    assert response.status_code == 302 and "gepubliceerd" in said(response)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED and publication.approved_by == second
    page = client.get(url["publication"]).content.decode()
    public = f'href="/uitspraken/{publication.slug}/"'
    assert public in page and "[persoon]" in page and "J. de Boer" not in page and "Publicatie intrekken" in page
    case_page = client.get(url["case"]).content.decode()
    assert public in case_page and "Gepubliceerd op" in case_page

    # withdrawing needs a reason
    response = client.post(url["publication-withdraw"], {"withdraw-reason": ""})
    assert response.status_code == 400 and 'href="#id_withdraw-reason"' in response.content.decode()
    response = client.post(url["publication-withdraw"], {"withdraw-reason": "Een naam bleek toch herkenbaar"})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN
    case_page = client.get(url["case"]).content.decode()
    assert "Ingetrokken op" in case_page and "Een naam bleek toch herkenbaar" in case_page
    assert "Publicatie voorbereiden" in case_page  # a new one may follow


def test_a_commission_member_gets_403_and_an_unknown_case_404(client, world, decided):
    url = urls(decided)
    client.force_login(world.commission_member)
    assert client.get(url["publication"]).status_code == 403
    assert client.post(url["publication-prepare"]).status_code == 403
    assert not decided.publications.exists()
    assert 'id="publicatie"' not in client.get(url["case"]).content.decode()
    client.force_login(world.secretary)
    unknown = uuid.uuid4()
    for name in ("publication", "publication-prepare", "publication-approve"):
        method = client.get if name == "publication" else client.post
        assert method(reverse(f"workflow:{name}", args=[unknown])).status_code == 404, name


def test_no_section_on_a_running_case_and_no_publication_of_it(client, world):
    running = case_in_state(world, "exchange")
    client.force_login(world.secretary)
    assert 'id="publicatie"' not in client.get(reverse("workflow:case", args=[running.pk])).content.decode()
    response = client.post(reverse("workflow:publication-prepare", args=[running.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#publicatie")
    assert "Alleen een geschil waarin de Minister heeft beslist" in said(response)
    assert not Replacement.objects.exists()
