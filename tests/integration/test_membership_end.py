"""An ended membership gives nothing (issue 15): the former member no longer sees the organisation's cases and no
longer gets its notices; the membership stays, with its history."""

import pytest
from django.utils import timezone

from disputes import letters
from disputes.models import Membership
from disputes.states import DisputeState
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


def test_an_ended_membership_loses_the_cases_and_the_notices(client, world):
    case = case_in_state(world, DisputeState.EXCHANGE)
    client.force_login(world.corp_user)
    assert client.get(f"/geschillen/{case.pk}/").status_code == 200
    assert world.corp_user.email in letters.notice_addresses(world.corporatie, "respondent")
    membership = Membership.objects.get(user=world.corp_user, organisation=world.corporatie)
    membership.ended_at = timezone.now()
    membership.save()
    assert client.get(f"/geschillen/{case.pk}/").status_code == 404
    assert world.corp_user.email not in letters.notice_addresses(world.corporatie, "respondent")
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert membership.history.count() == 2  # made, then ended
