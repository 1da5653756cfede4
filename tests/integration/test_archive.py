"""The archive /werk/archief/: the ended cases, filtered and paginated in the database, for the staff who see the
worklist (a recused member misses that case, a party is refused); an ended case opens read-only on the case page,
with only what the operations table still allows after the end."""

import os
import re
from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import clock, services
from disputes.models import Dispute, DisputePoint, Finding
from disputes.states import OPERATIONS, DisputeState
from tests.factories import case_in_state
from workflow import archive
from workflow.actions import CASE_ACTIONS

pytestmark = pytest.mark.django_db

URL = "/werk/archief/"
S = DisputeState


def at(year, month, day):
    return datetime(year, month, day, 12, tzinfo=clock.AMSTERDAM)


def numbers_in(body: str) -> list[str]:
    """The case numbers of the list's rows, in order."""
    return re.findall(r'<th scope="row"><a href="/werk/geschillen/[^"]+/">([^<]+)</a>', body)


@pytest.fixture
def ended(world):
    """One case in each ended state and one still open, with ends in different years: the closed case ended with
    its decision in 2017 (its closing in 2021 is administrative)."""
    cases = {state: case_in_state(world, state) for state in
             (S.DECIDED, S.WITHDRAWN, S.SETTLED, S.CLOSED, S.EXCHANGE)}
    Dispute.objects.filter(pk=cases[S.DECIDED].pk).update(decided_at=at(2020, 2, 2))
    Dispute.objects.filter(pk=cases[S.WITHDRAWN].pk).update(ended_at=at(2019, 5, 1))
    Dispute.objects.filter(pk=cases[S.SETTLED].pk).update(ended_at=at(2018, 3, 1))
    Dispute.objects.filter(pk=cases[S.CLOSED].pk).update(decided_at=at(2017, 6, 1), ended_at=at(2021, 1, 5))
    clock.set_now(at(2021, 6, 1))
    return {state: Dispute.objects.get(pk=case.pk) for state, case in cases.items()}


def test_the_archive_lists_the_ended_cases_newest_ended_first(client, world, ended):
    client.force_login(world.secretary)
    body = client.get(URL).content.decode()
    assert numbers_in(body) == [ended[s].case_number for s in (S.DECIDED, S.WITHDRAWN, S.SETTLED, S.CLOSED)]
    assert "4 afgeronde geschillen" in body
    assert '<time datetime="2017-06-01">01-06-2017</time>' in body  # the closed case: its decision
    assert 'aria-current="page">Archief</a>' in body
    body = client.get(URL, {"sort": "beeindigd"}).content.decode()
    assert numbers_in(body) == [ended[s].case_number for s in (S.CLOSED, S.SETTLED, S.WITHDRAWN, S.DECIDED)]
    assert 'aria-sort="ascending"' in body


def test_the_archive_filters_on_year_kind_end_state_and_gemeente(client, world, ended):
    client.force_login(world.secretary)

    def listed(**params):
        return numbers_in(client.get(URL, params).content.decode())

    assert listed(jaar=2019) == [ended[S.WITHDRAWN].case_number]
    assert listed(jaar=2017) == [ended[S.CLOSED].case_number]
    assert listed(jaar=2021) == []  # the year the closed case was closed, not when it ended
    assert listed(afloop=S.SETTLED) == [ended[S.SETTLED].case_number]
    assert listed(afloop=S.CLOSED, jaar=2017) == [ended[S.CLOSED].case_number]
    assert listed(soort="nakoming") == []
    assert len(listed(soort="totstandkoming", gemeente="Gemeente Leiderdorp")) == 4
    body = client.get(URL, {"jaar": 2019, "sort": "-zaak"}).content.decode()
    assert "1 afgerond geschil met deze filters" in body
    assert '<option value="2019" selected>' in body


def test_a_value_that_is_no_choice_is_said_in_the_error_summary_and_left_out(client, world, ended):
    client.force_login(world.secretary)
    body = client.get(URL, {"jaar": "1999", "afloop": S.SETTLED}).content.decode()
    assert 'class="error-summary"' in body and 'href="#id_jaar"' in body
    assert 'aria-invalid="true"' in body
    assert numbers_in(body) == [ended[S.SETTLED].case_number]  # the valid filter is kept


def test_the_archive_filters_on_the_decision_on_the_points(client, world, ended):
    decided, closed = ended[S.DECIDED], ended[S.CLOSED]
    for_applicant, against = Finding.MANIFESTLY_UNREASONABLE, Finding.NOT_MANIFESTLY_UNREASONABLE
    DisputePoint.objects.filter(dispute=decided).update(decision_finding=for_applicant)
    DisputePoint.objects.create(dispute=decided, number=9, key="extra", title="Extra punt",
                                decision_finding=against)
    DisputePoint.objects.filter(dispute=closed).update(decision_finding=for_applicant)
    client.force_login(world.secretary)

    def listed(decision):
        return numbers_in(client.get(URL, {"uitspraak": decision}).content.decode())

    assert listed(archive.PARTLY) == [decided.case_number]
    assert listed(archive.GRANTED) == [closed.case_number]
    assert listed(archive.REFUSED) == []
    assert listed(archive.INADMISSIBLE) == []  # withdrawn and settled cases had no decision
    DisputePoint.objects.filter(dispute=closed).update(decision_finding="")
    DisputePoint.objects.filter(dispute=decided, decision_finding=for_applicant).update(decision_finding=against)
    assert listed(archive.INADMISSIBLE) == [closed.case_number]
    assert listed(archive.REFUSED) == [decided.case_number]
    # the row says the same as the filter
    body = client.get(URL).content.decode()
    row = body[body.index(decided.case_number):]
    assert "Afgewezen (alle punten)" in row[:row.index("</tr>")]


def test_a_recused_member_misses_that_case_and_a_party_is_refused(client, world, ended):
    services.dispute_recuse(dispute=ended[S.DECIDED], actor=world.commission_member, reason="Eerder betrokken")
    client.force_login(world.commission_member)
    listed = numbers_in(client.get(URL).content.decode())
    assert ended[S.DECIDED].case_number not in listed and len(listed) == 3
    client.force_login(world.commission_member2)
    assert ended[S.DECIDED].case_number in numbers_in(client.get(URL).content.decode())
    for party in (world.tenant, world.corp_user):  # parties of these very cases
        client.force_login(party)
        response = client.get(URL)
        assert response.status_code == 403
        assert ended[S.DECIDED].case_number not in response.content.decode()
    client.logout()
    assert client.get(URL).status_code == 302


def seed(count: int) -> None:
    call_command("seed_bulk", count, municipalities=3, stdout=open(os.devnull, "w"))


def test_the_archive_is_paginated_in_the_database_and_keeps_its_filters(client, world):
    seed(160)
    client.force_login(world.secretary)
    total = archive.filtered_cases(world.secretary).count()
    assert total > 100
    body = client.get(URL).content.decode()
    assert len(numbers_in(body)) == 50 and f"Pagina 1 van {-(-total // 50)}" in body
    params = {"afloop": S.DECIDED, "pagina": 2}
    body = client.get(URL, params).content.decode()
    assert "afloop=decided" in body and "pagina=1" in body, "the page links keep the filter"
    pages = [archive.archive(world.secretary, page=n).object_list for n in (1, 2, 3)]
    ends = [row.dispute.concluded_at for rows in pages for row in rows]
    assert len(ends) == min(total, 150) and ends == sorted(ends, reverse=True)
    assert {row.dispute.state for rows in pages for row in rows} <= set(archive.ARCHIVE_STATES)


def test_the_archive_issues_the_same_queries_at_few_and_many_cases(client, world, django_assert_num_queries):
    client.force_login(world.secretary)
    seed(40)
    # at least one row in each list at the small size, so the points' query is made there too
    DisputePoint.objects.update(decision_finding=Finding.MANIFESTLY_UNREASONABLE)
    bulk = Dispute.objects.filter(state=S.CLOSED).select_related("agreement__municipality").first()
    filtered = {"jaar": 2020, "uitspraak": archive.PARTLY, "afloop": S.CLOSED, "soort": bulk.kind,
                "gemeente": bulk.agreement.municipality.name}
    DisputePoint.objects.create(dispute=bulk, number=9, key="extra", title="Extra",
                                decision_finding=Finding.NOT_MANIFESTLY_UNREASONABLE)
    Dispute.objects.filter(pk=bulk.pk).update(decided_at=at(2020, 3, 3))
    client.get(URL)  # warm up (session, content types)
    counts = {}
    for name, params in (("plain", {}), ("filtered", filtered)):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(URL, params).content.decode()
        assert numbers_in(body), name
        counts[name] = len(captured)
    seed(300)
    for name, params in (("plain", {}), ("filtered", filtered)):
        with django_assert_num_queries(counts[name]):
            assert numbers_in(client.get(URL, {**params, "pagina": 2 if name == "plain" else 1}).content.decode())


# -- the case page of an ended case: read-only ---------------------------------------------------------------------
STAFF = ("secretary", "chair", "commission_member", "official")


@pytest.mark.parametrize("state", [S.WITHDRAWN, S.SETTLED, S.CLOSED])
def test_an_ended_case_opens_read_only(client, world, state):
    dispute = case_in_state(world, state)
    page = reverse("workflow:case", args=[dispute.pk])
    for name in STAFF:
        user = getattr(world, name)
        client.force_login(user)
        body = client.get(page).content.decode()
        assert "Deze zaak is afgesloten" in body and f'href="{URL}"' in body
        shown = set(re.findall(rf"/werk/geschillen/{dispute.pk}/acties/([a-z-]+)/", body))
        # what is left is what the operations table allows after the end: a document for the ministry's staff,
        # a recusal for the commission; nothing that changes the case itself
        assert shown <= {"document", "verschonen"}, (name, shown)
        for slug in shown:
            assert state in OPERATIONS[CASE_ACTIONS[slug].operation].states
        # the forms left ask for an export of the dossier, make a letter (a notice of the end, the decision's
        # copies) or prepare the publication: they read the case and add documents, they do not change it
        forms = re.findall(r"<form[^>]*>", body[body.index("<main"):])
        allowed = ("/dossier/", "/brieven/concept/", "/publicatie/voorbereiden/")
        assert all(any(a in form for a in allowed) for form in forms if 'method="post"' in form), forms
    client.force_login(world.official)
    for slug in ("verlengen", "schikking", "herinnering", "bezwaar-ontvangen", "herstelbesluit", "commissie"):
        response = client.post(reverse("workflow:case-action", args=[dispute.pk, slug]),
                               {f"{slug}-expected_version": dispute.version, f"{slug}-weeks": 2,
                                f"{slug}-reason": "Nog even"})
        assert response.status_code == 403, slug
    client.force_login(world.secretary)
    assert client.get(reverse("workflow:case-action", args=[dispute.pk, "schikking"])).status_code == 403
    fresh = Dispute.objects.get(pk=dispute.pk)
    assert (fresh.state, fresh.version) == (state, dispute.version)


def test_a_decided_case_keeps_its_aftercare(client, world):
    """After the decision the law still allows a bezwaar to be registered and a herstelbesluit: those stay."""
    dispute = case_in_state(world, S.DECIDED)
    client.force_login(world.secretary)
    body = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert "Deze zaak is afgesloten" in body
    assert "/acties/bezwaar-ontvangen/" in body and "/acties/verlengen/" not in body
    client.force_login(world.official)
    body = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert "/acties/herstelbesluit/" in body


def test_an_open_case_has_no_archive_notice(client, world):
    dispute = case_in_state(world, S.EXCHANGE)
    client.force_login(world.official)
    body = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert "Deze zaak is afgesloten" not in body and "/acties/verlengen/" in body
