"""The scenario file (shared/docs/scenarios.md): reading it, the keys it may hold, and reading values
from it (moments, dates, a step's fields), each with the Dutch message that names the bad part.

The checks are by hand, next to the values they read (not a schema library), because each message
names the step and the key in the scenario author's terms and several depend on the database (an
unknown organisation, user or point).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from .. import clock

ERROR_KINDS = ("permission", "transition", "validation", "deadline", "conflict")
TOP_LEVEL_KEYS = {"name", "description", "organisations", "users", "agreement", "steps", "expect"}
STEP_KEYS = {"do", "at", "by", "expect_error", "comment"}
DOCUMENT_KEYS = {"type", "pages", "name", "confidentiality"}
#: the keys of an ``expect`` step and of the final ``expect``
EXPECT_KEYS = {"state", "points", "deadlines", "case", "withdrawn_by", "letters", "published", "not_in_publication"}
#: marks a step's field as required (``field``)
REQUIRED = object()


class ScenarioError(Exception):
    """The scenario cannot be played: a bad file, an unexpected failure or an expectation that fails."""


def load_file(path: str | Path) -> dict:
    """Read a scenario file; raises ScenarioError when it is missing or not a YAML mapping."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"kan het scenario {path} niet lezen: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path} is geen geldige YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: een scenario is een YAML-mapping met o.a. 'steps'")
    return data


def check_scenario(data) -> None:
    """The scenario is a mapping with only the top-level keys of scenarios.md."""
    if not isinstance(data, dict):
        raise ScenarioError("een scenario is een mapping met o.a. 'steps'")
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise ScenarioError(f"onbekende sleutel(s) in het scenario: {', '.join(sorted(unknown))}")


def parse_moment(value: Any, what: str) -> datetime:
    """A local Europe/Amsterdam moment from "YYYY-MM-DD HH:MM" (or a YAML date/datetime)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ScenarioError(f"{what}: '{value}' is geen tijdstip (verwacht 'JJJJ-MM-DD UU:MM')") from exc
    else:
        raise ScenarioError(f"{what}: '{value}' is geen tijdstip (verwacht 'JJJJ-MM-DD UU:MM')")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=clock.AMSTERDAM)
    return moment.astimezone(clock.AMSTERDAM)


def parse_date(value: Any, what: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ScenarioError(f"{what}: '{value}' is geen datum (verwacht 'JJJJ-MM-DD')") from exc
    raise ScenarioError(f"{what}: '{value}' is geen datum (verwacht 'JJJJ-MM-DD')")


def field(step: dict, key: str, what: str, default=REQUIRED):
    """A step's value for ``key``; ``default`` when it is missing or empty, an error if it is REQUIRED."""
    if key not in step or step[key] is None:
        if default is REQUIRED:
            raise ScenarioError(f"{what}: '{key}' ontbreekt")
        return default
    return step[key]


def boolean(step: dict, key: str, what: str, default=REQUIRED) -> bool:
    value = field(step, key, what, default)
    if not isinstance(value, bool):
        raise ScenarioError(f"{what}: '{key}' is true of false")
    return value


def text(step: dict, key: str, what: str, default="") -> str:
    value = field(step, key, what, default)
    return str(value)
