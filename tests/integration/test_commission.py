"""The commission per case (issue 12, defect 11): seated from the roster, a deputy stepping in on recusal,
the composition named where the advice is."""

import pytest
from django.core.exceptions import ValidationError

from disputes import services
from disputes.errors import NotPermitted
from disputes.models import CaseSeat, Dispute
from disputes.services import commission
from tests.factories import case_in_state, pdf, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(world):
    return [world.commission_member, world.commission_member2, staff("plv", "commission_member")]


def test_the_secretariat_seats_a_chair_and_members_from_the_roster(world, members):
    dispute = case_in_state(world, "effort_review")  # not yet composed
    assert commission.composition_problems(dispute)
    services.dispute_compose_commission(dispute=dispute, actor=world.secretary, chair=world.chair,
                                        members=members[:2])
    seats = commission.active_seats(dispute)
    assert [(s.user.username, s.role) for s in seats] == [("chair", "chair"), ("lid", "member"), ("lid2", "member")]
    assert commission.composition_problems(dispute) == []
    event = dispute.events.get(kind="commission_composed")
    assert [seat["user"] for seat in event.payload["seats"]] == ["chair", "lid", "lid2"]


@pytest.mark.parametrize("wrong", ["chair_as_member", "secretary_as_member", "twice", "too_few"])
def test_a_composition_outside_the_roster_or_the_number_is_refused(world, members, wrong):
    dispute = case_in_state(world, "effort_review")  # not yet composed
    chosen = {
        "chair_as_member": [world.chair, members[0]],
        "secretary_as_member": [world.secretary, members[0]],
        "twice": [members[0], members[0]],
        "too_few": [members[0]],
    }[wrong]
    chair = members[1] if wrong == "chair_as_member" else world.chair
    with pytest.raises(ValidationError):
        services.dispute_compose_commission(dispute=dispute, actor=world.secretary, chair=chair, members=chosen)
    assert not CaseSeat.objects.exists()


def test_only_the_secretariat_composes_the_commission(world, members):
    dispute = case_in_state(world, "effort_review")  # not yet composed
    with pytest.raises(NotPermitted):
        services.dispute_compose_commission(dispute=dispute, actor=world.chair, chair=world.chair, members=members[:2])


def test_a_recused_member_leaves_the_seat_and_a_deputy_steps_in(world, members):
    dispute = case_in_state(world, "effort_review")  # not yet composed
    services.dispute_compose_commission(dispute=dispute, actor=world.secretary, chair=world.chair,
                                        members=members[:2])
    services.dispute_recuse(dispute=Dispute.objects.get(pk=dispute.pk), actor=members[0], reason="Oud-bestuurder")
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert commission.composition_problems(dispute) == ["De commissie heeft voor dit geschil 1 van de 2 leden."]
    (vacant,) = commission.seats_to_replace(dispute)
    assert vacant.user == members[0] and "verschoning" in vacant.end_reason
    with pytest.raises(ValidationError):  # the recused member cannot be seated again
        services.dispute_replace_seat(dispute=dispute, actor=world.secretary, seat=vacant, user=members[0],
                                      reason="terug")
    services.dispute_replace_seat(dispute=dispute, actor=world.secretary, seat=vacant, user=members[2],
                                  reason="Plaatsvervanger na verschoning")
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert commission.composition_problems(dispute) == [] and commission.seats_to_replace(dispute) == []
    assert CaseSeat.objects.get(user=members[2]).replaces == vacant



def test_the_case_page_composes_the_commission_and_shows_it(client, world, members):
    from django.urls import reverse

    dispute = case_in_state(world, "effort_review")  # not yet composed
    client.force_login(world.secretary)
    url = reverse("workflow:case-action", args=[dispute.pk, "commissie"])
    page = client.get(url).content.decode()
    assert "lid2" in page and "plv" in page
    response = client.post(url, {"commissie-expected_version": dispute.version, "commissie-chair": world.chair.pk,
                                 "commissie-members": [members[0].pk, world.secretary.pk]})
    assert response.status_code == 200 and not CaseSeat.objects.exists()  # the secretary is not on the roster
    response = client.post(url, {"commissie-expected_version": dispute.version, "commissie-chair": world.chair.pk,
                                 "commissie-members": [members[0].pk, members[1].pk]})
    assert response.status_code == 302
    case_page = client.get(reverse("workflow:case", args=[dispute.pk])).content.decode()
    assert "Samenstelling van de adviescommissie voor dit geschil" in case_page and "lid2" in case_page
    assert client.get(url).status_code in (403, 404)  # composed once; a change replaces one seat


def test_the_dossier_names_the_composition_and_who_stepped_in(world, members, tmp_path):
    import pypdf

    from disputes.dossier import export_dossier

    dispute = case_in_state(world, "effort_review")  # not yet composed
    services.dispute_compose_commission(dispute=dispute, actor=world.secretary, chair=world.chair,
                                        members=members[:2])
    services.dispute_recuse(dispute=Dispute.objects.get(pk=dispute.pk), actor=members[0], reason="Oud-bestuurder")
    dispute = Dispute.objects.get(pk=dispute.pk)
    services.dispute_replace_seat(dispute=dispute, actor=world.secretary, seat=commission.seats_to_replace(dispute)[0],
                                  user=members[2], reason="Plaatsvervanger")
    result = export_dossier(Dispute.objects.get(pk=dispute.pk), tmp_path)
    cover = " ".join(pypdf.PdfReader(result["pdf"]).pages[0].extract_text().split())
    assert "voorzitter: chair" in cover and "lid: lid2" in cover
    assert "lid: plv (in plaats van lid)" in cover and "verschoning: Oud-bestuurder" in cover


def test_the_commission_advises_only_when_composed(world, settings):
    """Without its composition the advice cannot be issued: the guard names what is missing."""
    from disputes.errors import GuardFailed

    dispute = case_in_state(world, "deliberation")
    for point in dispute.points.all():
        services.point_advise(point=point, actor=world.chair, finding="not_manifestly_unreasonable")
    settings.COMMISSION_MEMBERS_PER_CASE = 3  # the case was seated with two members
    with pytest.raises(GuardFailed, match="2 van de 3 leden"):
        services.dispute_issue_advice(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.chair,
                                      documents=[pdf("advies")])
    settings.COMMISSION_MEMBERS_PER_CASE = 2
    services.dispute_issue_advice(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.chair,
                                  documents=[pdf("advies")])
    assert Dispute.objects.get(pk=dispute.pk).state == "advice_issued"
    advice = dispute.events.get(kind="issue_advice")  # adopted by the chair for the commission as composed
    assert [(seat["user"], seat["role"]) for seat in advice.payload["commission"]] == [
        ("chair", "chair"), ("lid", "member"), ("lid2", "member")]


def test_only_the_seated_chair_acts_as_the_chair_of_the_case(world):
    from disputes import permissions

    other_chair = staff("chair2", "commission_chair")
    dispute = case_in_state(world, "effort_review")
    assert permissions.may_ever(other_chair, dispute, "issue_advice")  # no composition yet: any chair
    services.dispute_compose_commission(dispute=dispute, actor=world.secretary, chair=world.chair,
                                        members=[world.commission_member, world.commission_member2])
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert permissions.may_ever(world.chair, dispute, "issue_advice")
    assert not permissions.may_ever(other_chair, dispute, "issue_advice")

