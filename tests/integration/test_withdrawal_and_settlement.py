"""Issue 12, defects 2 and 7: one co-applicant's withdrawal ends only its own part of a joint request, and a
settlement needs the applicants' withdrawal or an agreement signed by every party (procedure.md §0)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import clock, permissions, services
from disputes.errors import NotPermitted
from disputes.models import Deadline, Dispute, DisputeParty
from disputes.states import Actor
from tests.factories import _steps, moment, pdf

pytestmark = pytest.mark.django_db


def fresh(dispute):
    return Dispute.objects.get(pk=dispute.pk)


def joint_case(w, state: str):
    """A case filed jointly by the tenants' organisation and the gemeente against the corporation."""
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = services.dispute_file(
        actor=w.tenant, agreement=w.agreement, kind="totstandkoming", applicants=[w.huurders, w.gemeente],
        respondents=[w.corporatie], arose_on=date(2017, 1, 5),
        points=[{"key": "p1", "title": "Geschilpunt p1", "position": "Ons standpunt"}], documents=[pdf("verzoek", 2)],
    )
    if state != "draft":
        for reached, when, step in _steps(w):
            clock.set_now(moment(when))
            step(fresh(dispute))
            if reached == state:
                break
    dispute = fresh(dispute)
    assert dispute.state == state
    return dispute


def party(dispute, organisation) -> DisputeParty:
    return DisputeParty.objects.get(dispute=dispute, organisation=organisation)


# -- withdrawal ---------------------------------------------------------------------------------------------
def test_one_co_applicant_withdrawing_leaves_the_case_running_for_the_other(world):
    dispute = joint_case(world, "exchange")
    services.dispute_withdraw(dispute=dispute, actor=world.gem_user, reason="Wij trekken ons terug")
    dispute = fresh(dispute)
    assert dispute.state == "exchange"
    assert party(dispute, world.gemeente).withdrawn_at == clock.now()
    assert party(dispute, world.huurders).withdrawn_at is None
    event = dispute.events.get(kind="applicant_withdrawn")
    assert event.actor_organisation == world.gemeente and event.from_state == event.to_state == ""
    assert event.payload["reason"] == "Wij trekken ons terug"
    assert Deadline.objects.filter(dispute=dispute, kind="decision", closed_at__isnull=True).exists()
    assert not dispute.events.filter(kind="withdraw").exists()


def test_the_last_applicant_withdrawing_ends_the_case(world):
    dispute = joint_case(world, "exchange")
    services.dispute_withdraw(dispute=dispute, actor=world.gem_user)
    clock.set_now(moment("2017-02-22 09:00"))
    services.dispute_withdraw(dispute=fresh(dispute), actor=world.tenant, reason="Opgelost")
    dispute = fresh(dispute)
    assert dispute.state == "withdrawn"
    assert party(dispute, world.huurders).withdrawn_at == clock.now()
    event = dispute.events.get(kind="withdraw")
    assert event.actor_organisation == world.huurders and event.to_state == "withdrawn"
    assert not Deadline.objects.filter(dispute=dispute, closed_at__isnull=True).exists()


def test_a_former_applicant_no_longer_acts_as_applicant_and_cannot_withdraw_twice(world):
    dispute = joint_case(world, "exchange")
    services.dispute_withdraw(dispute=dispute, actor=world.gem_user)
    dispute = fresh(dispute)
    assert Actor.APPLICANT not in permissions.actors_of(world.gem_user, dispute)
    assert "withdraw" not in permissions.available_actions(world.gem_user, dispute)
    assert permissions.can_view_dispute(world.gem_user, dispute)  # a former party still sees the case
    assert permissions.acting_organisation(world.gem_user, dispute) is None
    with pytest.raises(NotPermitted):
        services.dispute_withdraw(dispute=dispute, actor=world.gem_user)
    assert fresh(dispute).state == "exchange"
    assert fresh(dispute).events.filter(kind="applicant_withdrawn").count() == 1


def test_withdrawing_closes_the_applicants_own_open_terms_only(world):
    dispute = joint_case(world, "exchange")
    for organisation in (world.gemeente, world.huurders):
        services.dispute_request_information(
            dispute=fresh(dispute), actor=world.secretary, party=organisation, question="Welke stukken?",
            deadline=date(2017, 3, 6), documents=[pdf("vraag_inlichtingen")])
    services.dispute_withdraw(dispute=fresh(dispute), actor=world.gem_user)
    open_terms = Deadline.objects.filter(dispute=dispute, closed_at__isnull=True)
    assert not open_terms.filter(organisation=world.gemeente).exists()
    assert open_terms.filter(organisation=world.huurders, kind="information").exists()
    assert open_terms.filter(kind="decision").exists()


def test_a_draft_is_withdrawn_as_a_whole_as_before(world):
    dispute = joint_case(world, "draft")
    services.dispute_withdraw(dispute=dispute, actor=world.tenant)
    assert fresh(dispute).state == "withdrawn"


# -- where the withdrawal shows -----------------------------------------------------------------------------
def test_the_party_page_the_staff_page_and_the_dossier_show_who_withdrew_when(client, world):
    from disputes.dossier.content import collect

    dispute = joint_case(world, "exchange")
    clock.set_now(moment("2017-02-21 14:30"))
    services.dispute_withdraw(dispute=dispute, actor=world.gem_user, reason="Wij trekken ons terug")
    client.force_login(world.tenant)
    body = client.get(reverse("portal:dispute", args=[dispute.pk])).content.decode()
    assert "ingetrokken op 21-02-2017" in body
    assert "Gemeente Leiderdorp heeft zijn deel van het verzoek ingetrokken" in body
    client.force_login(world.gem_user)  # the former applicant still reads the case, and is told so
    body = client.get(reverse("portal:dispute", args=[dispute.pk])).content.decode()
    assert "U heeft uw deel van het verzoek ingetrokken" in body
    assert reverse("portal:withdraw", args=[dispute.pk]) not in body
    client.force_login(world.secretary)
    body = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert "ingetrokken op" in body and "21-02-2017" in body
    content = collect(fresh(dispute), "full")
    assert any("Gemeente Leiderdorp" in a and "ingetrokken op 21-02-2017" in a for a in content.applicants)


def test_the_staff_page_marks_only_the_withdrawn_applicant_with_its_moment(client, world):
    import re

    dispute = joint_case(world, "exchange")
    clock.set_now(moment("2017-02-21 14:30"))
    services.dispute_withdraw(dispute=dispute, actor=world.gem_user, reason="Wij trekken ons terug")
    client.force_login(world.secretary)
    body = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    section = body.split('id="parties-title"', 1)[1].split("</section>", 1)[0]
    items = {re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).split(" - ")[0].strip(): item
             for item in re.findall(r"<li>(.*?)</li>", section, re.S)}
    assert "ingetrokken op" in items["Gemeente Leiderdorp"] and "21-02-2017 14:30" in items["Gemeente Leiderdorp"]
    assert "ingetrokken" not in items["Huurdersbelangenorganisatie Leiderdorp"]
    assert "ingetrokken" not in items["Rijnhart Wonen"]


@pytest.mark.parametrize("audience", ["full", "party"])
def test_the_dossier_pdf_names_the_withdrawn_applicant_with_its_moment(world, tmp_path, audience):
    import pypdf

    from disputes.dossier import export_dossier

    dispute = joint_case(world, "exchange")
    clock.set_now(moment("2017-02-21 14:30"))
    services.dispute_withdraw(dispute=dispute, actor=world.gem_user, reason="Wij trekken ons terug")
    result = export_dossier(fresh(dispute), tmp_path, audience=audience)
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(result["pdf"]).pages]
    cover = pages[0]
    assert "Gemeente Leiderdorp (ingetrokken op 21-02-2017 14:30)" in cover
    assert "Huurdersbelangenorganisatie Leiderdorp (ingetrokken" not in cover
    # the timeline tells it too, and for whom the case goes on
    assert any("loopt door voor Huurdersbelangenorganisatie Leiderdorp" in page for page in pages)


def test_the_withdrawal_letter_names_who_withdrew_when(world):
    from disputes import letterbook
    from tests.factories import letter_text

    dispute = joint_case(world, "exchange")
    clock.set_now(moment("2017-02-21 14:30"))
    services.dispute_withdraw(dispute=dispute, actor=world.gem_user)
    assert "mededeling_intrekking" in letterbook.KINDS
    letter = letter_text("mededeling_intrekking", fresh(dispute))
    assert "Gemeente Leiderdorp, op 21 februari 2017" in letter
    assert "loopt door voor Huurdersbelangenorganisatie Leiderdorp" in letter
    assert "Huurdersbelangenorganisatie Leiderdorp" in letter


# -- settlement ---------------------------------------------------------------------------------------------
def test_the_secretary_cannot_settle_on_their_own_say_so(world):
    dispute = joint_case(world, "exchange")
    with pytest.raises(ValidationError) as refused:
        services.dispute_settle(dispute=dispute, actor=world.secretary, documents=[pdf("vaststellingsovereenkomst")])
    assert "grondslag" in str(refused.value)
    assert fresh(dispute).state == "exchange"


def test_a_settlement_agreement_must_be_signed_by_every_party(world):
    dispute = joint_case(world, "exchange")
    with pytest.raises(ValidationError) as refused:
        services.dispute_settle(dispute=dispute, actor=world.secretary, basis="agreement",
                                signed_by=[world.huurders, world.corporatie],
                                documents=[pdf("vaststellingsovereenkomst")])
    assert "Gemeente Leiderdorp" in str(refused.value)
    assert fresh(dispute).state == "exchange"
    services.dispute_settle(dispute=fresh(dispute), actor=world.secretary, basis="agreement",
                            signed_by=[world.huurders, world.corporatie, world.gemeente],
                            documents=[pdf("vaststellingsovereenkomst")])
    dispute = fresh(dispute)
    assert dispute.state == "settled" and dispute.settlement_basis == "agreement"
    event = dispute.events.get(kind="settle")
    assert event.payload["basis"] == "agreement"
    assert sorted(s["name"] for s in event.payload["signed_by"]) == sorted(
        [world.huurders.name, world.corporatie.name, world.gemeente.name])


def test_an_agreement_needs_its_document_and_signatories_only_from_the_parties(world):
    dispute = joint_case(world, "exchange")
    with pytest.raises(ValidationError):
        services.dispute_settle(dispute=dispute, actor=world.secretary, basis="agreement",
                                signed_by=[world.huurders, world.corporatie, world.gemeente], documents=[pdf("overig")])
    with pytest.raises(ValidationError):
        services.dispute_settle(dispute=dispute, actor=world.secretary, basis="agreement",
                                signed_by=[world.huurders, world.corporatie, world.gemeente, world.outsider_org],
                                documents=[pdf("vaststellingsovereenkomst")])
    assert fresh(dispute).state == "exchange"


def test_a_settlement_by_withdrawal_needs_every_remaining_applicant(world):
    dispute = joint_case(world, "exchange")
    services.dispute_withdraw(dispute=dispute, actor=world.gem_user)
    with pytest.raises(ValidationError):  # the intrekking itself is missing
        services.dispute_settle(dispute=fresh(dispute), actor=world.secretary, basis="withdrawal",
                                signed_by=[world.huurders], documents=[pdf("vaststellingsovereenkomst")])
    with pytest.raises(ValidationError):  # a respondent cannot withdraw the request
        services.dispute_settle(dispute=fresh(dispute), actor=world.secretary, basis="withdrawal",
                                signed_by=[world.corporatie], documents=[pdf("intrekking")])
    clock.set_now(moment("2017-02-23 11:00"))
    services.dispute_settle(dispute=fresh(dispute), actor=world.secretary, basis="withdrawal",
                            signed_by=[world.huurders], documents=[pdf("intrekking")], note="Akkoord bereikt")
    dispute = fresh(dispute)
    assert dispute.state == "settled" and dispute.settlement_basis == "withdrawal"
    assert party(dispute, world.huurders).withdrawn_at == clock.now()
    assert [s["name"] for s in dispute.events.get(kind="settle").payload["signed_by"]] == [world.huurders.name]


def test_the_staff_settlement_form_asks_for_the_basis_and_the_signatories(client, world):
    from tests.integration.test_workflow_flow import upload

    dispute = joint_case(world, "exchange")
    client.force_login(world.secretary)
    url = reverse("workflow:case-action", args=[dispute.pk, "schikking"])
    body = client.get(url).content.decode()
    assert "Grondslag" in body and "Gemeente Leiderdorp" in body
    response = client.post(url, {"schikking-expected_version": dispute.version, "schikking-basis": "agreement",
                                 "schikking-signed_by": [world.huurders.pk, world.corporatie.pk],
                                 "schikking-document": upload("vaststellingsovereenkomst")})
    assert response.status_code == 200 and "Gemeente Leiderdorp" in response.content.decode()
    assert fresh(dispute).state == "exchange"
    response = client.post(url, {"schikking-expected_version": dispute.version, "schikking-basis": "agreement",
                                 "schikking-signed_by": [world.huurders.pk, world.corporatie.pk, world.gemeente.pk],
                                 "schikking-document": upload("vaststellingsovereenkomst")})
    assert response.status_code == 302
    assert fresh(dispute).settlement_basis == "agreement"
    page = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert "Grondslag schikking" in page
    assert "ondertekend door Gemeente Leiderdorp, Huurdersbelangenorganisatie Leiderdorp, Rijnhart Wonen" in page


def test_every_party_hears_of_a_co_applicants_withdrawal(world, django_capture_on_commit_callbacks):
    from django.core import mail

    dispute = joint_case(world, "exchange")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_withdraw(dispute=dispute, actor=world.gem_user)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.nl", "bert@example.nl", "gerda@example.nl"]
    assert all("Gemeente Leiderdorp trekt zijn deel van het verzoek in" in m.subject for m in mail.outbox)
    assert "loopt door voor Huurdersbelangenorganisatie Leiderdorp" in mail.outbox[0].body


def test_the_withdrawal_page_says_the_case_goes_on_for_the_other_applicant(client, world):
    dispute = joint_case(world, "exchange")
    client.force_login(world.gem_user)
    url = reverse("portal:withdraw", args=[dispute.pk])
    page = client.get(url).content.decode()
    assert "alleen het deel van uw organisatie" in page and "Huurdersbelangenorganisatie Leiderdorp" in page
    response = client.post(url, {"confirm": "on", "reason": "", "expected_version": dispute.version}, follow=True)
    assert "Het geschil loopt door voor de andere verzoekers" in response.content.decode()
    assert fresh(dispute).state == "exchange"
    assert "al ingetrokken" in client.get(url).content.decode()  # a former applicant cannot withdraw again
    stale = client.post(url, {"confirm": "on", "reason": "", "expected_version": dispute.version})
    assert stale.status_code == 409  # the form of another tab, from before the withdrawal
    again = client.post(url, {"confirm": "on", "reason": "", "expected_version": fresh(dispute).version})
    assert again.status_code == 403
    assert fresh(dispute).events.filter(kind="applicant_withdrawn").count() == 1


def test_my_cases_list_tells_a_former_applicant_it_need_do_nothing(client, world):
    dispute = joint_case(world, "exchange")
    services.dispute_withdraw(dispute=dispute, actor=world.gem_user)
    client.force_login(world.gem_user)
    home = client.get(reverse("home")).content.decode()
    assert dispute.case_number in home
    assert "Verzoeker (ingetrokken op 20-02-2017)" in home
    assert "Actie nodig" not in home
    page = client.get(reverse("dispute-detail", args=[dispute.pk])).content.decode()  # the generic case address
    assert "U heeft uw deel van het verzoek ingetrokken" in page
