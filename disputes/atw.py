"""Deadline calendar under the Dutch *Algemene termijnenwet* (Atw).

Pure functions: no database, no Django models. The only Django dependency is a lazy,
optional read of ``settings.ATW_EXTRA_HOLIDAYS`` (days designated equal to a feestdag,
Atw art. 3 lid 3); when settings are not configured there are simply no extra days.

Rules implemented:

* art. 1 -- a term ending on a Saturday, Sunday or algemeen erkende feestdag is extended to
  the next day that is none of these. Never applied to backward counts
  (see :func:`subtract_working_days`).
* art. 2 -- a term of at least three days is extended, if needed, so that the days of the
  term (the days after the start day up to and including the end day) include at least two
  working days.
* art. 3 -- the feestdagen: Nieuwjaarsdag, Goede Vrijdag, tweede Paasdag, Koningsdag
  (Koninginnedag before 2014), 5 mei (every year), Hemelvaartsdag, tweede Pinksterdag and
  both Christmas days, plus configured extra days. Easter is computed, never tabulated.
* art. 4 -- the Atw does not apply to terms longer than 90 days, 12 weeks or 3 months
  (terms in hours or years are not supported by this module at all).

Reach: the Atw applies to terms set by a wet or an AMvB (art. 1, art. 5). A term the secretariat sets
itself (remedy term, information request, response term) is computed as set: ``compute_term(...,
atw=False)`` keeps its end, even on a Saturday, and its explanation does not cite art. 1.
:data:`TERM_SOURCES` says for each kind of deadline of a case which it is and where it comes from.

Every computed :class:`Term` carries Dutch explanation lines suitable for a dossier. The deadlines
of a case (stored, extended, suspended, closed) are kept by ``disputes.services.deadlines``, which
computes them here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

__all__ = [
    "ATW_MAX_DAYS",
    "ATW_MAX_MONTHS",
    "ATW_MAX_WEEKS",
    "TERM_SOURCES",
    "ExtraHolidays",
    "Term",
    "TermSource",
    "add_period",
    "atw_holidays",
    "compute_term",
    "easter_sunday",
    "extend_due",
    "extend_term",
    "format_date_nl",
    "is_atw_holiday",
    "is_working_day",
    "next_working_day",
    "shift_term",
    "subtract_working_days",
    "working_days_between",
]

#: Atw art. 4: longest terms (per unit) to which the Atw still applies.
ATW_MAX_DAYS = 90
ATW_MAX_WEEKS = 12
ATW_MAX_MONTHS = 3

ART_1 = "Algemene termijnenwet art. 1"
ART_2 = "Algemene termijnenwet art. 2"
ART_4_LINE = (
    "termijn langer dan 12 weken / 90 dagen / 3 maanden: niet verlengd (Algemene termijnenwet art. 4)"
)
EXTRA_HOLIDAY_NAME = "gelijkgestelde dag (Algemene termijnenwet art. 3 lid 3)"
#: the line of a term the Atw does not cover because no wet or AMvB sets it (it cites no article of the Atw)
AS_SET_LINE = "termijn zoals gesteld: niet verlengd als die op een zaterdag, zondag of feestdag eindigt"

_WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

#: Extra feestdagen: an iterable of ``date``/ISO strings, or a mapping of those to a Dutch name.
#: ``None`` means "read ``settings.ATW_EXTRA_HOLIDAYS``".
ExtraHolidays = Iterable[date | str] | Mapping[date | str, str] | None

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Term:
    """A computed term.

    ``start`` is the day on which the term starts running (the day itself is not counted),
    ``nominal_end`` the end date before applying the Atw, ``due`` the last day on which the act
    can still be performed in time (after the Atw), and ``explanation`` Dutch lines describing
    how ``due`` was reached. ``atw_applies`` is False when Atw art. 4 excludes the term or when it
    is not ``statutory`` (not set by a wet or AMvB, so computed as set); it is carried over by
    :func:`shift_term`.
    """

    start: date
    nominal_end: date
    due: date
    explanation: tuple[str, ...]
    atw_applies: bool = True
    statutory: bool = True


@dataclass(frozen=True)
class TermSource:
    """Where a kind of deadline comes from, and whether the Atw covers it (a term set by a wet or AMvB)."""

    source: str
    statutory: bool

    @property
    def line(self) -> str:
        """The first line of a stored deadline's explanation: its legal source and the Atw's reach."""
        if self.statutory:
            return f"Grondslag: {self.source}; wettelijke termijn, de Algemene termijnenwet is van toepassing"
        return (
            f"Grondslag: {self.source}; termijn gesteld door het secretariaat, geldt zoals gesteld "
            "(geen termijn uit een wet of algemene maatregel van bestuur)"
        )


#: The deadlines of a case (``DeadlineKind`` values) with their source (procedure.md §7 and §0).
TERM_SOURCES: dict[str, TermSource] = {
    "filing": TermSource("Woningwet art. 44 lid 4", statutory=True),
    "decision": TermSource("Woningwet art. 44 lid 5; verlenging BTIV art. 40 lid 2", statutory=True),
    "objection": TermSource("Awb art. 6:7 en 6:8", statutory=True),
    "remedy": TermSource("Awb art. 4:5", statutory=False),
    "response": TermSource("verweertermijn per zaak (Rtiv art. 19a-d)", statutory=False),
    "information": TermSource("vraag om inlichtingen, termijn per vraag", statutory=False),
}


# --------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of ``year`` (Gregorian calendar, anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _kings_day(year: int) -> tuple[date, str]:
    """The day on which the King's (Queen's) birthday is celebrated in ``year``."""
    if year >= 2014:
        day = date(year, 4, 27)
        name = "Koningsdag"
    else:
        day = date(year, 4, 30)
        name = "Koninginnedag"
    if day.weekday() == 6:  # Sunday: celebrated the day before
        day -= _ONE_DAY
    return day, name


@functools.lru_cache(maxsize=512)
def _statutory_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """The art. 3 lid 1 feestdagen of ``year`` (cached; no configured extras)."""
    easter = easter_sunday(year)
    kings_day, kings_name = _kings_day(year)
    entries = [
        (date(year, 1, 1), "Nieuwjaarsdag"),
        (easter - timedelta(days=2), "Goede Vrijdag"),
        (easter + timedelta(days=1), "tweede Paasdag"),
        (kings_day, kings_name),
        (date(year, 5, 5), "Bevrijdingsdag"),
        (easter + timedelta(days=39), "Hemelvaartsdag"),
        (easter + timedelta(days=50), "tweede Pinksterdag"),
        (date(year, 12, 25), "eerste Kerstdag"),
        (date(year, 12, 26), "tweede Kerstdag"),
    ]
    return tuple(entries)


def _to_date(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise TypeError(f"extra feestdag must be a date or ISO date string, not {type(value).__name__}")


def _settings_extra_holidays() -> object:
    """``settings.ATW_EXTRA_HOLIDAYS``, or ``()`` when Django or its settings are unavailable."""
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:  # pragma: no cover - Django is a project dependency
        return ()
    try:
        return getattr(settings, "ATW_EXTRA_HOLIDAYS", ()) or ()
    except ImproperlyConfigured:
        return ()


def _resolve_extras(extra_holidays: ExtraHolidays) -> dict[date, str]:
    """Normalise ``extra_holidays`` (or the configured setting when ``None``) to date -> name."""
    raw = _settings_extra_holidays() if extra_holidays is None else extra_holidays
    if isinstance(raw, str | date):
        raw = (raw,)
    result: dict[date, str] = {}
    if isinstance(raw, Mapping):
        for key, name in raw.items():
            result[_to_date(key)] = str(name) if name else EXTRA_HOLIDAY_NAME
    else:
        for item in raw:  # type: ignore[union-attr]
            result[_to_date(item)] = EXTRA_HOLIDAY_NAME
    return result


def _holidays_for_year(year: int, extras: Mapping[date, str]) -> dict[date, str]:
    names: dict[date, list[str]] = {}
    for day, name in _statutory_holidays(year):
        names.setdefault(day, []).append(name)
    for day, name in extras.items():
        if day.year == year and name not in names.get(day, []):
            names.setdefault(day, []).append(name)
    return {day: " en ".join(parts) for day, parts in sorted(names.items())}


def atw_holidays(year: int, extra_holidays: ExtraHolidays = None) -> dict[date, str]:
    """Return the Atw feestdagen of ``year`` as ``{date: Dutch name}``, sorted by date.

    Includes configured / passed extra days (art. 3 lid 3) that fall in ``year``. When two
    feestdagen coincide (e.g. Bevrijdingsdag and Hemelvaartsdag in 2016) the names are joined
    with " en ".
    """
    return _holidays_for_year(year, _resolve_extras(extra_holidays))


def _holiday_name(d: date, extras: Mapping[date, str]) -> str | None:
    names = [name for day, name in _statutory_holidays(d.year) if day == d]
    extra = extras.get(d)
    if extra is not None and extra not in names:
        names.append(extra)
    return " en ".join(names) if names else None


def is_atw_holiday(d: date, extra_holidays: ExtraHolidays = None) -> bool:
    """True if ``d`` is an Atw feestdag (art. 3), including configured extra days."""
    return _holiday_name(d, _resolve_extras(extra_holidays)) is not None


def _is_working_day(d: date, extras: Mapping[date, str]) -> bool:
    return d.weekday() < 5 and _holiday_name(d, extras) is None


def is_working_day(d: date, extra_holidays: ExtraHolidays = None) -> bool:
    """True if ``d`` is neither a Saturday, a Sunday nor an Atw feestdag."""
    return _is_working_day(d, _resolve_extras(extra_holidays))


def format_date_nl(d: date) -> str:
    """Format ``d`` as Dutch weekday plus ``dd-mm-yyyy``, e.g. ``"zaterdag 29-01-2028"``."""
    return f"{_WEEKDAYS_NL[d.weekday()]} {d.day:02d}-{d.month:02d}-{d.year:04d}"


def _count_working_days(a: date, b: date, extras: Mapping[date, str]) -> int:
    """Number of working days in ``(a, b]`` (0 when ``b <= a``)."""
    count = 0
    d = a + _ONE_DAY
    while d <= b:
        if _is_working_day(d, extras):
            count += 1
        d += _ONE_DAY
    return count


def working_days_between(a: date, b: date, extra_holidays: ExtraHolidays = None) -> int:
    """Number of working days in the half-open interval ``(a, b]``.

    Antisymmetric: when ``b < a`` the result is minus the number of working days in ``(b, a]``,
    so ``working_days_between(today, due) <= 3`` also holds once ``due`` has passed.
    """
    extras = _resolve_extras(extra_holidays)
    if b >= a:
        return _count_working_days(a, b, extras)
    return -_count_working_days(b, a, extras)


def next_working_day(d: date, extra_holidays: ExtraHolidays = None) -> date:
    """``d`` itself when it is a working day, else the next working day (Atw art. 1 for a last day)."""
    extras = _resolve_extras(extra_holidays)
    while not _is_working_day(d, extras):
        d += _ONE_DAY
    return d


def subtract_working_days(d: date, n: int, extra_holidays: ExtraHolidays = None) -> date:
    """Return the date ``n`` working days before ``d`` (``d`` itself is not counted).

    For ``n >= 1`` the result is a working day ``r`` with exactly ``n`` working days in
    ``[r, d)``; ``n == 0`` returns ``d``. This is a backward count, so the Atw (which does not
    extend terms counted backwards) is not applied. Raises ``ValueError`` for negative ``n``.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    extras = _resolve_extras(extra_holidays)
    remaining = n
    while remaining:
        d -= _ONE_DAY
        if _is_working_day(d, extras):
            remaining -= 1
    return d


# --------------------------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------------------------


def add_period(start: date, *, days: int = 0, weeks: int = 0, months: int = 0) -> date:
    """Return ``start`` plus the period: months first, then weeks and days.

    Months keep the day of the month, clipped to the end of the target month
    (31 January + 1 month = 28 or 29 February). Negative values count backwards.
    """
    result = start
    if months:
        index = start.year * 12 + (start.month - 1) + months
        year, month0 = divmod(index, 12)
        month = month0 + 1
        next_month_first = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        last_day = (next_month_first - _ONE_DAY).day
        result = date(year, month, min(start.day, last_day))
    return result + timedelta(days=days, weeks=weeks)


def _plural(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _describe_period(days: int, weeks: int, months: int) -> str:
    parts = []
    if months:
        parts.append(_plural(months, "maand", "maanden"))
    if weeks:
        parts.append(_plural(weeks, "week", "weken"))
    if days:
        parts.append(_plural(days, "dag", "dagen"))
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def _validate_period(days: int, weeks: int, months: int) -> None:
    if min(days, weeks, months) < 0:
        raise ValueError("term components must not be negative")
    if not (days or weeks or months):
        raise ValueError("a term must have a positive length")


def _atw_applies(start: date, nominal_end: date, days: int, weeks: int, months: int) -> bool:
    """Atw art. 4: False for terms longer than 90 days, 12 weeks or 3 months.

    Single-unit terms are judged on the requested number (so exactly 3 months applies even when
    it spans 92 days); mixed terms on their nominal length in days.
    """
    if days > ATW_MAX_DAYS or weeks > ATW_MAX_WEEKS or months > ATW_MAX_MONTHS:
        return False
    mixed = sum(1 for value in (days, weeks, months) if value) > 1
    return not (mixed and (nominal_end - start).days > ATW_MAX_DAYS)


def _day_label(d: date, extras: Mapping[date, str]) -> str:
    name = _holiday_name(d, extras)
    return f"{format_date_nl(d)} ({name})" if name else format_date_nl(d)


def _apply_atw(
    start: date, nominal_end: date, *, applies: bool, extras: Mapping[date, str], statutory: bool = True
) -> tuple[date, list[str]]:
    """Apply Atw art. 1 and 2 (until stable) to a term running from ``start`` to ``nominal_end``.

    Returns the due date and the Dutch explanation lines, starting with "eindigt op ...". A term
    that is not ``statutory`` is kept as set (no article of the Atw cited).
    """
    head = f"eindigt op {_day_label(nominal_end, extras)}"
    if not statutory:
        return nominal_end, [head, AS_SET_LINE]
    if not applies:
        return nominal_end, [head, ART_4_LINE]

    due = nominal_end
    steps: list[str] = []
    art_2_applies = (nominal_end - start).days >= 3
    while True:
        if not _is_working_day(due, extras):
            while not _is_working_day(due, extras):
                due += _ONE_DAY
            steps.append(f"verlengd tot {format_date_nl(due)} ({ART_1})")
        elif art_2_applies and _count_working_days(start, due, extras) < 2:
            due += _ONE_DAY
            while _count_working_days(start, due, extras) < 2:
                due += _ONE_DAY
            steps.append(
                f"verlengd tot {format_date_nl(due)} zodat de termijn twee werkdagen bevat ({ART_2})"
            )
        else:
            break

    if not steps:
        return due, [head]
    lines = [f"{head}; {steps[0]}"]
    lines.extend(f"vervolgens {step}" for step in steps[1:])
    return due, lines


def compute_term(
    start: date,
    *,
    days: int = 0,
    weeks: int = 0,
    months: int = 0,
    atw: bool = True,
    extra_holidays: ExtraHolidays = None,
) -> Term:
    """Compute a term of the given length running after ``start``, applying the Atw.

    The nominal end is :func:`add_period` of ``start``; then art. 1 and art. 2 are applied
    repeatedly until the due date is stable, unless art. 4 excludes the term (more than 90 days,
    12 weeks or 3 months; mixed input judged on its length in days), in which case
    ``due == nominal_end``. With ``atw=False`` (a term not set by a wet or AMvB, see
    :data:`TERM_SOURCES`) the term is computed as set: ``due == nominal_end``. Raises
    ``ValueError`` for a negative or zero-length term.
    """
    _validate_period(days, weeks, months)
    extras = _resolve_extras(extra_holidays)
    nominal_end = add_period(start, days=days, weeks=weeks, months=months)
    applies = atw and _atw_applies(start, nominal_end, days, weeks, months)
    due, lines = _apply_atw(start, nominal_end, applies=applies, extras=extras, statutory=atw)
    header = f"termijn van {_describe_period(days, weeks, months)} na {format_date_nl(start)}"
    return Term(
        start=start,
        nominal_end=nominal_end,
        due=due,
        explanation=(header, *lines),
        atw_applies=applies,
        statutory=atw,
    )


def extend_term(
    term: Term,
    *,
    weeks: int = 0,
    days: int = 0,
    months: int = 0,
    reason: str = "",
    extra_holidays: ExtraHolidays = None,
) -> Term:
    """Extend ``term`` by a period counted from its ``nominal_end``, then apply the Atw.

    Used e.g. for "verdaging van de beslistermijn met ten hoogste 4 weken". The extension counts
    from the term's nominal end, not from the day the Atw moved it to: the Atw only lets the act be
    done on the next working day, it does not lengthen the term that is extended (issue 12;
    procedure.md §0). The extension is treated as a term of its own running after the old nominal
    end: art. 4 is judged on the extension period and art. 2 counts the days after the old nominal
    end. ``start`` is kept; ``nominal_end`` becomes the old nominal end plus the period; explanation
    lines are appended. A term that is not ``statutory`` stays as set.
    """
    _validate_period(days, weeks, months)
    extras = _resolve_extras(extra_holidays)
    base = term.nominal_end
    nominal_end = add_period(base, days=days, weeks=weeks, months=months)
    applies = term.statutory and _atw_applies(base, nominal_end, days, weeks, months)
    due, lines = _apply_atw(base, nominal_end, applies=applies, extras=extras, statutory=term.statutory)
    header = f"termijn verlengd met {_describe_period(days, weeks, months)} na {format_date_nl(base)}"
    if term.due != term.nominal_end:
        header += ", het einde van de termijn zonder de verlenging door de Algemene termijnenwet"
    if reason:
        header += f" ({reason})"
    return replace(
        term,
        nominal_end=nominal_end,
        due=due,
        explanation=(*term.explanation, header, *lines),
        atw_applies=applies,
    )


#: Alias of :func:`extend_term`.
extend_due = extend_term


def shift_term(
    term: Term,
    *,
    suspended_days: int,
    reason: str,
    extra_holidays: ExtraHolidays = None,
) -> Term:
    """Suspend ``term`` (opschorting): move the nominal end by ``suspended_days``, re-apply the Atw.

    The new nominal end is ``term.nominal_end + suspended_days`` (not the Atw-extended due date);
    the Atw is then applied again from the original ``start``, unless art. 4 excluded the term.
    Explanation lines are appended. Raises ``ValueError`` for a negative ``suspended_days``.
    """
    if suspended_days < 0:
        raise ValueError("suspended_days must be >= 0")
    extras = _resolve_extras(extra_holidays)
    nominal_end = term.nominal_end + timedelta(days=suspended_days)
    due, lines = _apply_atw(
        term.start, nominal_end, applies=term.atw_applies, extras=extras, statutory=term.statutory
    )
    header = f"termijn opgeschort met {_plural(suspended_days, 'dag', 'dagen')}"
    if reason:
        header += f" ({reason})"
    header += (
        f"; einddatum verschoven van {format_date_nl(term.nominal_end)} naar {format_date_nl(nominal_end)}"
    )
    return replace(
        term,
        nominal_end=nominal_end,
        due=due,
        explanation=(*term.explanation, header, *lines),
    )
