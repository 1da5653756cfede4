"""The one source of "now" for the domain. Tests and scenarios set it; production reads the real time.

    with clock.frozen(datetime(2017, 1, 16, 10, tzinfo=AMSTERDAM)):
        services.dispute_submit(...)
"""

import contextlib
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_state = threading.local()


def now() -> datetime:
    """The current moment (aware), or the frozen one."""
    frozen = getattr(_state, "frozen", None)
    return frozen if frozen is not None else timezone.now()


def today() -> date:
    """Today's date in Europe/Amsterdam, where every term of the procedure is counted."""
    return now().astimezone(AMSTERDAM).date()


def set_now(moment: datetime | None) -> None:
    """Freeze the clock at ``moment`` (aware), or release it with None."""
    if moment is not None and timezone.is_naive(moment):
        raise ValueError("the clock needs an aware datetime")
    _state.frozen = moment


@contextlib.contextmanager
def frozen(moment: datetime):
    previous = getattr(_state, "frozen", None)
    set_now(moment)
    try:
        yield
    finally:
        set_now(previous)


def localdate(moment: datetime) -> date:
    """The Amsterdam calendar date of an aware moment."""
    return moment.astimezone(AMSTERDAM).date()
