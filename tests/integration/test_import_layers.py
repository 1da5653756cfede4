"""What changed when the import cycles were broken (docs/adr/0011-import-layers.md); the contracts themselves
are checked by `lint-imports` in `make test`."""

import pytest
from django.http import Http404
from django.urls import reverse
from viewflow.workflow.models import Task

from disputes import permissions, visibility
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db


def test_viewflows_own_task_address_leads_to_the_task_page(rf, world):
    """The flow names the task page instead of importing the views; viewflow's execute address (not
    mounted) would redirect there rather than call a view with arguments it does not take."""
    dispute = case_in_state(world, "submitted")
    task = next(t for t in Task.objects.filter(process__disputeprocess__dispute=dispute, finished__isnull=True)
                if t.flow_task.name == "register")
    response = task.flow_task.view(rf.get("/"), process_pk=task.process_id, task_pk=task.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:task", args=[dispute.pk, task.pk])
    with pytest.raises(Http404):
        task.flow_task.view(rf.get("/"), process_pk=task.process_id + 1000, task_pk=task.pk)


def test_what_the_visibility_rule_reads_about_a_user_is_cached_once_for_both_layers(world, django_assert_num_queries):
    """The queryset (models) and the permissions read the same per-request facts from disputes.visibility."""
    user = world.tenant
    assert permissions.roles is visibility.roles and permissions.organisation_ids is visibility.organisation_ids
    with django_assert_num_queries(2):  # the groups and the memberships, once
        visibility.roles(user), visibility.organisation_ids(user)
        permissions.has_role(user, "secretary"), permissions.organisation_ids(user)
