"""Issue 13, item 7: every code a person sees has words: event kinds (``draft_updated``, ``dossier_requested``),
the fields a draft event names (``title``, ``parties``), state codes, on the party's and the staff's case page and
in the admin's audit trail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from disputes import clock
from disputes.models import DisputeEvent
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db

CODES = ("draft_updated", "draft_points_changed", "dossier_requested", "agreement_year", "admissibility_review",
         "start_review", "all_responded")


def _visible(html: str) -> str:
    """The text a person reads: no tags, scripts or attribute values (a filter link's ``?kind=...``)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def case(world):
    case = case_in_state(world, "admissibility_review")
    for kind, payload in (
        ("draft_updated", {"fields": ["title", "parties", "agreement_year"]}),
        ("draft_points_changed", {"added": ["p2"]}),
        ("dossier_requested", {}),
    ):
        DisputeEvent.objects.create(dispute=case, at=clock.now(), actor=world.tenant,
                                    actor_organisation=world.huurders, kind=kind, payload=payload)
    return case


def _assert_no_codes(text: str):
    for code in CODES:
        assert code not in text, f"{code!r} shown as a code"


def test_the_party_timeline_names_the_changed_fields_in_words(client, world, case):
    client.force_login(world.tenant)
    text = _visible(client.get(reverse("portal:dispute", args=[case.pk])).content.decode())
    assert "Concept bijgewerkt (korte omschrijving, partijen, een ander gegeven)." in text
    _assert_no_codes(text)


def test_the_staff_timeline_names_the_changed_fields_in_words(client, world, case):
    client.force_login(world.secretary)
    text = _visible(client.get(reverse("workflow:case", args=[case.pk])).content.decode())
    assert "Concept bijgewerkt (korte omschrijving, partijen, een ander gegeven)" in text
    assert "Dossier aangevraagd" in text and "Geschilpunten in concept gewijzigd" in text
    _assert_no_codes(text)


def test_the_admins_audit_trail_names_kinds_and_states_in_words(client, world, case):
    admin = get_user_model().objects.create_superuser("beheerder", "beheer@example.org", "geheim-wachtwoord-1")
    client.force_login(admin)
    response = client.get(reverse("admin:disputes_disputeevent_changelist"))
    assert response.status_code == 200
    text = _visible(response.content.decode())
    assert "Concept bijgewerkt" in text and "Ontvankelijkheid" in text
    _assert_no_codes(text)
    filtered = client.get(reverse("admin:disputes_disputeevent_changelist"), {"kind": "dossier_requested"})
    assert filtered.context["cl"].result_count == 1  # the filter, named in words, still filters by the code
