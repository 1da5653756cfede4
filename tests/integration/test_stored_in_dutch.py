"""What the product stores is in the dossier's language, Dutch, whatever language the person who caused it reads
the screens in (issue 13, item 8): a deadline's explanation and closing note, a suspension's reason, the texts
of the events. The same case played through the services with English active stores the same sentences as
played with Dutch active; the screens translate them when they show them (disputes/termwords.py)."""

from pathlib import Path

import pytest
import yaml
from django.db import transaction
from django.utils import translation

from disputes import clock
from disputes.models import Deadline, DisputeEvent
from disputes.scenarios import run_scenario
from tests.integration.test_scenarios import _isolated  # noqa: F401 - eager Celery, mail in memory, private dir

pytestmark = pytest.mark.django_db

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "rotterdam-de-brug-2020.yaml"


class _RolledBack(Exception):
    pass


def _sentences(value):
    """The free-text sentences in an event's payload (not ids, codes or dates)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _sentences(item)
    elif isinstance(value, list):
        for item in value:
            yield from _sentences(item)
    elif isinstance(value, str) and " " in value.strip():
        yield value


def stored_texts(language: str) -> set[str]:
    """Play the Rotterdam case with ``language`` active and return every stored sentence; nothing is kept."""
    data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    texts: set[str] = set()
    try:
        with transaction.atomic(), translation.override(language):
            run_scenario(data)
            for deadline in Deadline.objects.all():
                texts.add(f"{deadline.kind} note: {deadline.note}")
                texts.update(f"{deadline.kind}: {line}" for line in deadline.explanation)
            for event in DisputeEvent.objects.all():
                texts.update(f"{event.kind}: {text}" for text in _sentences(event.payload))
            raise _RolledBack
    except _RolledBack:
        pass
    finally:
        clock.set_now(None)
    return texts


def test_a_case_played_in_english_stores_the_same_dutch_sentences():
    dutch, english = stored_texts("nl"), stored_texts("en")
    assert any("opgeschort met ingang van" in t for t in dutch)  # the case has a suspension, a remedy, answers
    assert english == dutch, sorted(english ^ dutch)
