"""Issue 12, defect 6 in the dossier: the cover's outcome follows the Minister's decision on a point's
admissibility, not the secretariat's proposal."""

import pytest

from disputes import services
from disputes.dossier.content import collect
from disputes.services import commission
from tests.factories import pdf
from tests.integration.test_admissibility_safeguards import _partly_inadmissible_in_deliberation, fresh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("audience", ["full", "party"])
def test_the_cover_gives_the_ministers_decision_on_a_point_proposed_inadmissible(world, audience):
    dispute = _partly_inadmissible_in_deliberation(world)  # p2 proposed inadmissible (A3)
    if not commission.active_seats(dispute):
        services.dispute_compose_commission(dispute=dispute, actor=world.secretary, chair=world.chair,
                                            members=[world.commission_member, world.commission_member2])
    p1, p2 = dispute.points.order_by("number")
    services.point_advise(point=p1, actor=world.chair, finding="not_manifestly_unreasonable")
    services.point_advise(point=p2, actor=world.chair, admissible=False)
    services.dispute_issue_advice(dispute=fresh(dispute), actor=world.chair, documents=[pdf("advies")])
    services.point_decide(point=p1, actor=world.official, follow_advice=True)
    services.point_decide(point=p2, actor=world.official, follow_advice=False, admissible=True,
                          decision="manifestly_unreasonable", reason="Het gaat om de uitvoering van het beleid.")
    services.dispute_decide(dispute=fresh(dispute), actor=world.official2, documents=[pdf("bindende_uitspraak")])
    outcome = collect(fresh(dispute), audience).outcome
    assert "Geschilpunt 2: niet-ontvankelijk" not in outcome
    assert "Geschilpunt 2: Kennelijk onredelijk" in outcome
    assert "Geschilpunt 1: Niet kennelijk onredelijk" in outcome
