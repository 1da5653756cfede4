"""The first pages: log-in, the case list, the case page, and the 404 for other people's cases."""

import uuid

import pytest
from django.urls import reverse

from disputes import services
from tests.factories import case_in_state, pdf

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_login_page_is_dutch(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()


def test_home_lists_the_cases_a_party_may_see(client, world):
    mine = case_in_state(world, "submitted")
    client.force_login(world.corp_user)
    body = client.get(reverse("home")).content.decode()
    assert mine.case_number in body
    client.force_login(world.outsider)
    assert mine.case_number not in client.get(reverse("home")).content.decode()


def test_a_draft_is_visible_only_to_its_applicants(client, world):
    from datetime import datetime

    from disputes import clock

    clock.set_now(datetime(2017, 1, 16, 10, tzinfo=clock.AMSTERDAM))
    draft = world.file()
    url = reverse("dispute-detail", args=[draft.pk])
    client.force_login(world.tenant)
    assert client.get(url).status_code == 200
    for other in (world.corp_user, world.secretary, world.outsider):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_a_case_of_someone_else_looks_exactly_like_a_missing_case(client, world):
    case = case_in_state(world, "submitted")
    client.force_login(world.outsider)
    theirs = client.get(reverse("dispute-detail", args=[case.pk]))
    missing = client.get(reverse("dispute-detail", args=[uuid.uuid4()]))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_a_recused_commission_member_sees_nothing_of_the_case(client, world):
    case = case_in_state(world, "submitted")
    client.force_login(world.commission_member)
    assert client.get(reverse("dispute-detail", args=[case.pk]), follow=True).status_code == 200
    services.dispute_recuse(dispute=case, actor=world.commission_member, reason="Eerder adviseur van de gemeente")
    assert client.get(reverse("dispute-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("workflow:case", args=[case.pk])).status_code == 404
    assert case.case_number not in client.get(reverse("home"), follow=True).content.decode()


def test_commission_members_add_only_commission_notes(world):
    from disputes.errors import NotPermitted

    case = case_in_state(world, "exchange")
    note = services.document_upload(dispute=case, actor=world.commission_member, uploaded=pdf("overig")[1],
                                    doc_type="overig", confidentiality="commission")
    assert note.confidentiality == "commission" and note.organisation is None
    with pytest.raises(NotPermitted):
        services.document_upload(dispute=case, actor=world.commission_member, uploaded=pdf("overig")[1],
                                 doc_type="overig", confidentiality="parties")


def test_confidential_documents_are_hidden_from_parties(client, world):
    case = case_in_state(world, "exchange")
    services.document_upload(dispute=case, actor=world.secretary, uploaded=pdf("overig")[1], doc_type="overig",
                             confidentiality="commission")
    client.force_login(world.tenant)
    assert "overig.pdf" not in client.get(reverse("dispute-detail", args=[case.pk])).content.decode()
    client.force_login(world.secretary)
    assert "overig.pdf" in client.get(reverse("dispute-detail", args=[case.pk]), follow=True).content.decode()


def test_user_text_is_escaped(client, world):
    from datetime import date, datetime

    from disputes import clock

    clock.set_now(datetime(2017, 1, 16, 10, tzinfo=clock.AMSTERDAM))
    draft = services.dispute_file(
        actor=world.tenant, agreement=world.agreement, kind="totstandkoming", applicants=[world.huurders],
        respondents=[world.corporatie], arose_on=date(2017, 1, 5),
        points=[{"title": "<script>alert(1)</script>"}],
    )
    client.force_login(world.tenant)
    body = client.get(reverse("dispute-detail", args=[draft.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_staff_are_sent_from_home_to_the_worklist(client, world):
    client.force_login(world.secretary)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("workflow:worklist")
