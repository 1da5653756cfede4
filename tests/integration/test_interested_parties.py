"""The others of the agreement (issue 12, defect 9; Awb 4:8): a party to the performance agreements that is neither
applicant nor respondent is invited to give its view, sees the case as the parties do, answers in the portal, and
can be joined as party (a respondent)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import permissions, services
from disputes.errors import NotPermitted
from disputes.models import Dispute, DisputeParty, Organisation
from disputes.services.interested import others_of_the_agreement
from tests.factories import case_in_state, member, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def linge(world):
    """A corporation that made the agreement with the others but is no party to the dispute, with one member."""
    organisation = Organisation.objects.create(name="Woonstichting De Linge", kind="woningcorporatie")
    world.agreement.corporations.add(organisation)
    return organisation, member("lotte", organisation)


def fresh(dispute):
    return Dispute.objects.get(pk=dispute.pk)


def test_only_the_others_of_the_agreement_can_be_invited(world, linge):
    organisation, _user = linge
    case = case_in_state(world, "exchange")
    assert list(others_of_the_agreement(case)) == [organisation]  # not the parties, not an outsider
    with pytest.raises(ValidationError, match="al partij"):
        services.dispute_invite_view(dispute=case, actor=world.secretary, organisation=world.corporatie)
    with pytest.raises(ValidationError, match="geen partij bij de prestatieafspraken"):
        services.dispute_invite_view(dispute=fresh(case), actor=world.secretary, organisation=world.outsider_org)
    with pytest.raises(NotPermitted):
        services.dispute_invite_view(dispute=fresh(case), actor=world.tenant, organisation=organisation)
    assert not DisputeParty.objects.filter(dispute=case, organisation__in=[organisation, world.outsider_org]).exists()


def test_the_invitation_is_a_question_with_its_term_and_makes_an_interested_party(world, linge):
    organisation, user = linge
    case = case_in_state(world, "exchange")
    assert not permissions.can_view_dispute(user, case)  # a party to the agreement sees nothing before
    services.dispute_invite_view(dispute=case, actor=world.secretary, organisation=organisation)
    case = fresh(case)
    party = case.parties.get(organisation=organisation)
    assert party.role == "interested"
    deadline = case.deadlines.get(kind="information", organisation=organisation)
    assert deadline.closed_at is None
    question = case.events.get(kind="request_information")
    assert question.payload["view"] is True and "artikel 4:8 Algemene wet bestuursrecht" in question.payload["question"]
    assert case.events.get(kind="view_invited").payload["source"] == "Awb art. 4:8"
    assert permissions.can_view_dispute(user, case)
    assert permissions.actors_of(user, case) == {"interested"}
    assert permissions.may(user, case, "answer_information") and not permissions.may(user, case, "withdraw")


def test_the_interested_party_reads_the_case_and_gives_its_view_in_the_portal(client, world, linge):
    organisation, user = linge
    case = case_in_state(world, "exchange")
    other = case_in_state(world, "exchange")  # another case of the same agreement: not theirs
    services.dispute_invite_view(dispute=case, actor=world.secretary, organisation=organisation,
                                 question="Wat vindt De Linge van de nieuwbouwopgave?")
    client.force_login(user)
    page = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    assert "belanghebbende, uitgenodigd voor een zienswijze" in page and "Woonstichting De Linge" in page
    assert reverse("portal:information", args=[case.pk]) in page
    assert client.get(reverse("portal:dispute", args=[other.pk])).status_code == 404
    assert client.get(reverse("portal:withdraw", args=[case.pk])).status_code == 403
    assert client.get(reverse("portal:respond", args=[case.pk])).status_code == 403
    deadline = case.deadlines.get(kind="information", organisation=organisation)
    response = client.post(reverse("portal:information", args=[case.pk]), {
        "request": deadline.pk, "answer": "De Linge steunt de opgave van 120 woningen.",
        "expected_version": fresh(case).version})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.closed_at is not None
    answered = fresh(case).events.get(kind="information_answered")
    assert answered.actor_organisation == organisation and "120 woningen" in answered.payload["answer"]


def test_the_secretariat_joins_an_interested_party_as_respondent(world, linge):
    organisation, user = linge
    case = case_in_state(world, "exchange")
    with pytest.raises(ValidationError, match="uitgenodigd"):
        services.dispute_join_party(dispute=case, actor=world.secretary, organisation=organisation, reason="Ja")
    services.dispute_invite_view(dispute=fresh(case), actor=world.secretary, organisation=organisation)
    with pytest.raises(ValidationError, match="Motiveer"):
        services.dispute_join_party(dispute=fresh(case), actor=world.secretary, organisation=organisation,
                                    reason=" ")
    services.dispute_join_party(dispute=fresh(case), actor=world.secretary, organisation=organisation,
                                reason="De nieuwbouwopgave is ook aan De Linge verdeeld.")
    case = fresh(case)
    assert case.parties.get(organisation=organisation).role == "respondent"
    assert permissions.is_respondent(user, case)
    assert case.events.get(kind="party_joined").payload["reason"].startswith("De nieuwbouwopgave")


def test_an_interested_party_does_not_sign_a_settlement(world, linge):
    organisation, _user = linge
    case = case_in_state(world, "exchange")
    services.dispute_invite_view(dispute=case, actor=world.secretary, organisation=organisation)
    services.dispute_settle(dispute=fresh(case), actor=world.secretary, basis="agreement",
                            signed_by=[world.huurders, world.corporatie, world.gemeente],
                            documents=[pdf("vaststellingsovereenkomst")])
    assert fresh(case).state == "settled"


def test_the_staff_case_page_invites_and_joins(client, world, linge):
    organisation, _user = linge
    case = case_in_state(world, "exchange")
    client.force_login(world.secretary)
    url = reverse("workflow:case-action", args=[case.pk, "zienswijze-vragen"])
    form = client.get(url).content.decode()
    assert "Woonstichting De Linge" in form and "Rijnhart Wonen" not in form  # only the others of the agreement
    response = client.post(url, {"zienswijze-vragen-expected_version": case.version,
                                 "zienswijze-vragen-organisation": organisation.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    case_page = client.get(reverse("workflow:case", args=[case.pk])).content.decode()
    assert "Belanghebbende (partij bij de afspraken)" in case_page
    join = reverse("workflow:case-action", args=[case.pk, "partij-toevoegen"])
    response = client.post(join, {"partij-toevoegen-expected_version": fresh(case).version,
                                  "partij-toevoegen-organisation": organisation.pk,
                                  "partij-toevoegen-reason": "Ook haar afspraken staan ter discussie."})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert fresh(case).parties.get(organisation=organisation).role == "respondent"
