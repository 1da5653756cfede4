"""One form for all points on a task page (issue 13, item 2): the admissibility task (and the advice and decision
tasks, which work alike) sends every point in one form, so a choice on point 1 is not lost when point 2 is
recorded; an invalid point keeps everything typed on the page and records nothing; the confirmation says in words
what was recorded for which points (item 10: not "Vastgelegd: Ontvankelijkheid vastleggen.")."""

import re

import pytest
from django.urls import reverse

from disputes import clock, services
from disputes.models import Dispute
from tests.factories import moment
from tests.integration.test_workflow_flow import Desk, open_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewing(client, world):
    """A case with three points in the admissibility review, its task taken by the secretary."""
    clock.set_now(moment("2017-01-16 10:00"))
    case = world.file(points=("p1", "p2", "p3"))
    services.dispute_submit(dispute=case, actor=world.tenant)
    services.dispute_start_review(dispute=Dispute.objects.get(pk=case.pk), actor=world.secretary)
    case = Dispute.objects.get(pk=case.pk)
    Desk(client, world.secretary).take(case, "assess_admissibility")
    return case


def post_points(client, case, **points):
    """POST the admissibility form of all points; ``points`` maps "p<number>" to that point's fields."""
    task = open_task(case, "assess_admissibility")
    version = Dispute.objects.get(pk=case.pk).version
    data = {"action": "point_admissibility"}
    for number in (1, 2, 3):
        data[f"point_admissibility-p{number}-expected_version"] = version
        for key, value in points.get(f"p{number}", {}).items():
            data[f"point_admissibility-p{number}-{key}"] = value
    return client.post(reverse("workflow:task", args=[case.pk, task.pk]), data, follow=True)


def verdicts(case):
    return {p.number: (p.admissibility, p.inadmissibility_reasons) for p in case.points.order_by("number")}


def test_the_task_page_has_one_form_for_all_points(client, reviewing):
    task = open_task(reviewing, "assess_admissibility")
    page = client.get(reverse("workflow:task", args=[reviewing.pk, task.pk])).content.decode()
    section = page[page.index('id="action-point_admissibility"'):page.index('id="action-pass_admissibility"')]
    assert section.count("<form") == 1 and section.count('type="submit"') == 1
    assert all(f'name="point_admissibility-p{n}-admissible"' in section for n in (1, 2, 3))


def test_several_points_are_recorded_at_once_and_said_in_words(client, reviewing):
    response = post_points(client, reviewing, p1={"admissible": "1", "note": "Tijdig"},
                           p3={"admissible": "0", "reasons": ["A3"], "note": "Geen prestatieafspraak"})
    page = response.content.decode()
    assert "De ontvankelijkheid is vastgelegd voor geschilpunten 1 en 3." in page
    assert "Vastgelegd: Ontvankelijkheid vastleggen" not in page
    assert verdicts(Dispute.objects.get(pk=reviewing.pk)) == {
        1: ("admissible", []), 2: ("pending", []), 3: ("inadmissible", ["A3"])}


def test_an_invalid_point_records_nothing_and_keeps_what_was_typed(client, reviewing):
    response = post_points(client, reviewing, p1={"admissible": "1", "note": "Binnen de termijn ingediend"},
                           p2={"admissible": "0", "note": "Zie het verzoek"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Geef ten minste één reden" in page  # point 2, in the summary at the top and at the field
    assert "Binnen de termijn ingediend" in page and "Zie het verzoek" in page  # nothing typed is lost
    radio = re.search(r'<input[^>]*id="id_point_admissibility-p1-admissible_0"[^>]*>', page).group(0)
    assert "checked" in radio  # point 1's "Ja" is still chosen
    assert verdicts(Dispute.objects.get(pk=reviewing.pk))[1] == ("pending", [])


def test_a_point_left_as_it_was_is_not_recorded_again(client, reviewing):
    post_points(client, reviewing, p1={"admissible": "1"})
    before = Dispute.objects.get(pk=reviewing.pk).events.filter(kind="point_admissibility").count()
    response = post_points(client, reviewing, p1={"admissible": "1"}, p2={"admissible": "1"})
    assert "voor geschilpunt 2." in response.content.decode()
    assert Dispute.objects.get(pk=reviewing.pk).events.filter(kind="point_admissibility").count() == before + 1


def test_sending_the_form_without_filling_in_anything_says_so(client, reviewing):
    response = post_points(client, reviewing)
    assert response.status_code == 200
    assert "vul bij ten minste één geschilpunt iets in" in response.content.decode()
