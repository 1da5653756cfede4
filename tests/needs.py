"""What a test needs from the machine, and what happens when it is missing.

Locally a missing tool or service (chromium, gettext, axe-core, a test dependency) skips the test with the
reason. In CI (``CI=true``) it is a failure: CI must not go green by skipping. ``tests/conftest.py`` holds the
net under this: in CI every skip fails, except a stage test (marked ``postgres``, ``faults``, ``load``,
``broker`` or ``sqlite``) in a run that is not its stage, because ``make test`` runs those stages next
(``scripts/test.sh``, whose ``preflight`` has already refused to start without their services).
"""

import os

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(what: str) -> None:
    """A required tool or service is not here: fail in CI, skip locally (both say what is missing)."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: a missing tool or service is a failure, not a skip)", pytrace=False)
    pytest.skip(what)


def skip_is_a_later_stage(item, *, vendor: str, broker_url: str) -> bool:
    """True when this skipped test belongs to a stage that this run is not: PostgreSQL-only tests (and the fault
    and load tests, which need it) on SQLite, or broker tests without a broker. Their own stage runs them."""
    marks = {mark.name for mark in item.iter_markers()}
    if marks & {"postgres", "faults", "load"} and vendor != "postgresql":
        return True
    if "sqlite" in marks and vendor != "sqlite":
        return True  # the embedded default's own behaviour, which the first stage tested
    return "broker" in marks and not broker_url.startswith(("redis://", "amqp://"))
