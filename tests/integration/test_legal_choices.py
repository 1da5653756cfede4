"""The choices the law leaves open (docs/adr/0016-choices-the-law-leaves-open.md), held by tests."""

import pytest

from disputes import selectors
from disputes.models import Dispute
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


def test_parties_see_the_advice_when_the_commission_issues_it(world):
    """ADR 0016 decision 1: the advice is stored for all parties when the chair issues it (Awb 3:49 asks no later
    than with the decision), so every party can read it before the Minister decides."""
    dispute = case_in_state(world, "advice_issued")
    for user in (world.tenant, world.corp_user, world.gem_user):
        assert selectors.documents_for(user, dispute).filter(doc_type="advies").count() == 1, user
    assert not Dispute.objects.visible_to(world.outsider).filter(pk=dispute.pk).exists()
