"""Only the findings on the merits that fit the kind of dispute (issue 13, item 10): totstandkoming is judged on
whether a proposal or conduct was manifestly unreasonable (procedure.md §6), nakoming on whether the request is
well-founded; "gegrond/ongegrond" is not offered, nor accepted, for a totstandkoming case."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from disputes import services
from disputes.models import Dispute, Finding
from tests.factories import case_in_state
from workflow.forms import PointAdviceForm, PointDecisionForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_class, field", [(PointAdviceForm, "finding"), (PointDecisionForm, "decision")])
def test_the_forms_offer_the_findings_of_the_kind(form_class, field):
    totstandkoming = dict(form_class(dispute=SimpleNamespace(kind="totstandkoming")).fields[field].choices)
    nakoming = dict(form_class(dispute=SimpleNamespace(kind="nakoming")).fields[field].choices)
    assert "manifestly_unreasonable" in totstandkoming and "upheld" not in totstandkoming
    assert "upheld" in nakoming and "rejected" in nakoming and "manifestly_unreasonable" not in nakoming


def test_the_advice_refuses_a_finding_that_does_not_fit(world):
    case = case_in_state(world, "deliberation")
    point = case.points.first()
    with pytest.raises(ValidationError) as refused:
        services.point_advise(point=point, actor=world.chair, finding="upheld")
    assert "past niet bij een geschil over de totstandkoming" in str(refused.value)
    assert Dispute.objects.get(pk=case.pk).points.first().advice_finding == ""
    services.point_advise(point=point, actor=world.chair, finding="not_manifestly_unreasonable")


def test_the_decision_refuses_a_finding_that_does_not_fit(world):
    case = case_in_state(world, "advice_issued")
    point = case.points.first()
    with pytest.raises(ValidationError) as refused:
        services.point_decide(point=point, actor=world.official, follow_advice=False, decision="rejected",
                              reason="Anders")
    assert "decision" in refused.value.error_dict


def test_each_kind_has_two_findings():
    assert Finding.for_kind("nakoming") == (Finding.UPHELD, Finding.REJECTED)
    assert Finding.for_kind("totstandkoming") == (Finding.MANIFESTLY_UNREASONABLE,
                                                  Finding.NOT_MANIFESTLY_UNREASONABLE)
