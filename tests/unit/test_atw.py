"""Tests for the Algemene termijnenwet deadline calendar (pure functions, no database)."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disputes import atw
from disputes.atw import (
    ART_4_LINE,
    Term,
    add_period,
    atw_holidays,
    compute_term,
    easter_sunday,
    extend_due,
    extend_term,
    format_date_nl,
    is_atw_holiday,
    is_working_day,
    shift_term,
    subtract_working_days,
    working_days_between,
)

# Pass extra_holidays explicitly so the tests do not depend on settings.ATW_EXTRA_HOLIDAYS.
NO_EXTRAS: tuple[date, ...] = ()
term = partial(compute_term, extra_holidays=NO_EXTRAS)
working = partial(is_working_day, extra_holidays=NO_EXTRAS)

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)
START_DATES = st.dates(min_value=date(2016, 1, 1), max_value=date(2040, 12, 31))


# --------------------------------------------------------------------------------------------
# Easter and feestdagen (art. 3)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2016, date(2016, 3, 27)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday_known_years(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


@PROPERTY_SETTINGS
@given(st.integers(min_value=1583, max_value=4099))
def test_easter_sunday_matches_dateutil(year: int) -> None:
    dateutil_easter = pytest.importorskip("dateutil.easter")
    result = easter_sunday(year)
    assert result == dateutil_easter.easter(year)
    assert result.weekday() == 6
    assert date(year, 3, 22) <= result <= date(year, 4, 25)


def test_holidays_2025() -> None:
    assert atw_holidays(2025, NO_EXTRAS) == {
        date(2025, 1, 1): "Nieuwjaarsdag",
        date(2025, 4, 18): "Goede Vrijdag",
        date(2025, 4, 21): "tweede Paasdag",
        date(2025, 4, 26): "Koningsdag",  # 27 April 2025 is a Sunday
        date(2025, 5, 5): "Bevrijdingsdag",
        date(2025, 5, 29): "Hemelvaartsdag",
        date(2025, 6, 9): "tweede Pinksterdag",
        date(2025, 12, 25): "eerste Kerstdag",
        date(2025, 12, 26): "tweede Kerstdag",
    }


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2024, 3, 29), "Goede Vrijdag"),
        (date(2024, 4, 1), "tweede Paasdag"),
        (date(2024, 4, 27), "Koningsdag"),
        (date(2024, 5, 9), "Hemelvaartsdag"),
        (date(2024, 5, 20), "tweede Pinksterdag"),
        (date(2026, 4, 3), "Goede Vrijdag"),
        (date(2026, 4, 6), "tweede Paasdag"),
        (date(2026, 4, 27), "Koningsdag"),
        (date(2026, 5, 5), "Bevrijdingsdag"),  # not a lustrum year: still a feestdag under the Atw
        (date(2026, 5, 14), "Hemelvaartsdag"),
        (date(2026, 5, 25), "tweede Pinksterdag"),
        (date(2027, 3, 29), "tweede Paasdag"),
        (date(2027, 5, 5), "Bevrijdingsdag"),
        (date(2038, 4, 23), "Goede Vrijdag"),
        (date(2038, 4, 26), "tweede Paasdag"),
        (date(2038, 6, 3), "Hemelvaartsdag"),
        (date(2038, 6, 14), "tweede Pinksterdag"),
        (date(2006, 4, 29), "Koninginnedag"),  # 30 April 2006 was a Sunday
        (date(2013, 4, 30), "Koninginnedag"),
        (date(2016, 5, 5), "Bevrijdingsdag en Hemelvaartsdag"),
    ],
)
def test_named_holidays(day: date, name: str) -> None:
    assert atw_holidays(day.year, NO_EXTRAS)[day] == name
    assert is_atw_holiday(day, NO_EXTRAS)
    assert not working(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 4, 27),  # Sunday; Koningsdag moved to the 26th
        date(2006, 4, 30),  # Sunday; Koninginnedag moved to the 29th
        date(2026, 4, 2),  # Witte Donderdag
        date(2026, 12, 24),
        date(2026, 12, 31),
    ],
)
def test_not_holidays(day: date) -> None:
    assert not is_atw_holiday(day, NO_EXTRAS)


@PROPERTY_SETTINGS
@given(st.integers(min_value=1900, max_value=2200))
def test_holiday_set_structure(year: int) -> None:
    holidays_of_year = atw_holidays(year, NO_EXTRAS)
    easter = easter_sunday(year)
    assert all(day.year == year for day in holidays_of_year)
    assert list(holidays_of_year) == sorted(holidays_of_year)
    for day in (
        date(year, 1, 1),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        easter + timedelta(days=39),
        easter + timedelta(days=50),
        date(year, 5, 5),
        date(year, 12, 25),
        date(year, 12, 26),
    ):
        assert day in holidays_of_year
    kings = [day for day, name in holidays_of_year.items() if "Koning" in name]
    assert len(kings) == 1
    assert kings[0].weekday() != 6


def test_is_working_day() -> None:
    assert working(date(2028, 1, 31))  # Monday
    assert not working(date(2028, 1, 29))  # Saturday
    assert not working(date(2028, 1, 30))  # Sunday
    assert not working(date(2028, 1, 1))  # Nieuwjaarsdag


def test_holidays_package_differs_from_atw() -> None:
    """Documents why the ``holidays`` package must not replace :func:`atw_holidays`.

    Its NL calendar only has Bevrijdingsdag in lustrum years (2025, 2030, ...), whereas Atw art. 3
    makes 5 May a feestdag every year. (Older versions of the package also lacked Goede Vrijdag;
    the installed version may have it, so that is not asserted.) It also knows nothing of days
    designated under art. 3 lid 3.
    """
    holidays = pytest.importorskip("holidays")
    for year in (2026, 2027, 2028, 2029):
        package_days = set(holidays.Netherlands(years=year))
        atw_days = set(atw_holidays(year, NO_EXTRAS))
        assert date(year, 5, 5) in atw_days
        assert date(year, 5, 5) not in package_days
        assert atw_days - package_days


# --------------------------------------------------------------------------------------------
# Formatting and period arithmetic
# --------------------------------------------------------------------------------------------


def test_format_date_nl() -> None:
    assert format_date_nl(date(2028, 1, 29)) == "zaterdag 29-01-2028"
    assert format_date_nl(date(2028, 1, 31)) == "maandag 31-01-2028"
    assert format_date_nl(date(2026, 4, 2)) == "donderdag 02-04-2026"


@pytest.mark.parametrize(
    ("start", "kwargs", "expected"),
    [
        (date(2028, 1, 31), {"months": 1}, date(2028, 2, 29)),
        (date(2027, 1, 31), {"months": 1}, date(2027, 2, 28)),
        (date(2026, 3, 31), {"months": 1}, date(2026, 4, 30)),
        (date(2026, 11, 30), {"months": 3}, date(2027, 2, 28)),
        (date(2026, 1, 15), {"months": 12}, date(2027, 1, 15)),
        (date(2026, 1, 31), {"months": 1, "days": 1}, date(2026, 3, 1)),
        (date(2028, 1, 1), {"weeks": 4}, date(2028, 1, 29)),
        (date(2028, 1, 1), {"days": 3}, date(2028, 1, 4)),
        (date(2026, 3, 31), {"months": -1}, date(2026, 2, 28)),
    ],
)
def test_add_period(start: date, kwargs: dict[str, int], expected: date) -> None:
    assert add_period(start, **kwargs) == expected


@PROPERTY_SETTINGS
@given(START_DATES, st.integers(min_value=0, max_value=30))
def test_add_period_months_keep_day_clipped(start: date, months: int) -> None:
    result = add_period(start, months=months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    next_day = result + timedelta(days=1)
    assert result.day == start.day or (result.day < start.day and next_day.day == 1)


# --------------------------------------------------------------------------------------------
# compute_term: concrete examples
# --------------------------------------------------------------------------------------------


def test_four_weeks_ending_on_saturday_moves_to_monday() -> None:
    result = term(date(2028, 1, 1), weeks=4)
    assert result == Term(
        start=date(2028, 1, 1),
        nominal_end=date(2028, 1, 29),
        due=date(2028, 1, 31),
        explanation=(
            "termijn van 4 weken na zaterdag 01-01-2028",
            "eindigt op zaterdag 29-01-2028; verlengd tot maandag 31-01-2028 (Algemene termijnenwet art. 1)",
        ),
    )
    assert result.atw_applies


def test_no_extension_needed() -> None:
    result = term(date(2028, 1, 4), weeks=4)
    assert result.due == result.nominal_end == date(2028, 2, 1)
    assert result.explanation == (
        "termijn van 4 weken na dinsdag 04-01-2028",
        "eindigt op dinsdag 01-02-2028",
    )


def test_term_ending_on_easter_monday_moves_to_tuesday() -> None:
    result = term(date(2025, 3, 24), weeks=4)
    assert result.nominal_end == date(2025, 4, 21)
    assert result.due == date(2025, 4, 22)
    assert result.explanation[-1] == (
        "eindigt op maandag 21-04-2025 (tweede Paasdag); verlengd tot dinsdag 22-04-2025 "
        "(Algemene termijnenwet art. 1)"
    )


def test_term_ending_on_good_friday_skips_easter_weekend() -> None:
    result = term(date(2026, 3, 6), weeks=4)
    assert result.nominal_end == date(2026, 4, 3)  # Goede Vrijdag
    assert result.due == date(2026, 4, 7)  # past Saturday, Easter Sunday and tweede Paasdag
    assert "(Goede Vrijdag)" in result.explanation[-1]


def test_christmas_period() -> None:
    # Thursday 25 December 2025: past tweede Kerstdag (Friday) and the weekend.
    result = term(date(2025, 11, 27), weeks=4)
    assert result.nominal_end == date(2025, 12, 25)
    assert result.due == date(2025, 12, 29)
    assert result.explanation[-1] == (
        "eindigt op donderdag 25-12-2025 (eerste Kerstdag); verlengd tot maandag 29-12-2025 "
        "(Algemene termijnenwet art. 1)"
    )
    # Friday 25 December 2026: past tweede Kerstdag (Saturday) and Sunday.
    assert term(date(2026, 11, 27), weeks=4).due == date(2026, 12, 28)


def test_koningsdag_on_saturday_2025() -> None:
    result = term(date(2025, 3, 29), weeks=4)
    assert result.nominal_end == date(2025, 4, 26)
    assert result.due == date(2025, 4, 28)
    assert "(Koningsdag)" in result.explanation[-1]


def test_bevrijdingsdag_non_lustrum_year_extends() -> None:
    result = term(date(2026, 4, 7), weeks=4)
    assert result.nominal_end == date(2026, 5, 5)  # Tuesday
    assert result.due == date(2026, 5, 6)


def test_three_day_term_from_friday_extended_by_art_2() -> None:
    # Saturday, Sunday, Monday: Monday is a working day (art. 1 satisfied) but the only one.
    result = term(date(2028, 4, 7), days=3)
    assert result.nominal_end == date(2028, 4, 10)
    assert result.due == date(2028, 4, 11)
    assert result.explanation[-1] == (
        "eindigt op maandag 10-04-2028; verlengd tot dinsdag 11-04-2028 zodat de termijn twee werkdagen "
        "bevat (Algemene termijnenwet art. 2)"
    )


def test_three_day_term_from_thursday_before_weekend() -> None:
    # Friday, Saturday, Sunday: art. 1 moves to Monday, which already gives two working days.
    result = term(date(2028, 1, 6), days=3)
    assert result.due == date(2028, 1, 10)
    assert working_days_between(result.start, result.due, NO_EXTRAS) == 2
    assert "art. 2" not in " ".join(result.explanation)


def test_three_day_term_from_maundy_thursday_needs_art_1_then_art_2() -> None:
    # Goede Vrijdag, Saturday, Easter Sunday -> art. 1: past tweede Paasdag to Tuesday;
    # (Thursday, Tuesday] then holds one working day -> art. 2: Wednesday.
    result = term(date(2028, 4, 13), days=3)
    assert result.nominal_end == date(2028, 4, 16)
    assert result.due == date(2028, 4, 19)
    assert result.explanation[1:] == (
        "eindigt op zondag 16-04-2028; verlengd tot dinsdag 18-04-2028 (Algemene termijnenwet art. 1)",
        "vervolgens verlengd tot woensdag 19-04-2028 zodat de termijn twee werkdagen bevat "
        "(Algemene termijnenwet art. 2)",
    )


def test_two_day_term_not_subject_to_art_2() -> None:
    # Friday -> Sunday, art. 1 -> Monday; art. 2 does not apply to a term shorter than three days.
    result = term(date(2028, 1, 7), days=2)
    assert result.due == date(2028, 1, 10)
    assert working_days_between(result.start, result.due, NO_EXTRAS) == 1


def test_month_clipping_term() -> None:
    leap = term(date(2028, 1, 31), months=1)
    assert leap.nominal_end == leap.due == date(2028, 2, 29)
    assert leap.explanation[0] == "termijn van 1 maand na maandag 31-01-2028"
    common = term(date(2027, 1, 31), months=1)
    assert common.nominal_end == date(2027, 2, 28)  # Sunday
    assert common.due == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("start", "kwargs", "nominal_end"),
    [
        (date(2026, 1, 4), {"weeks": 13}, date(2026, 4, 5)),
        (date(2026, 1, 31), {"months": 4}, date(2026, 5, 31)),
        (date(2026, 1, 4), {"days": 91}, date(2026, 4, 5)),
        (date(2026, 1, 4), {"weeks": 12, "days": 7}, date(2026, 4, 5)),
    ],
)
def test_art_4_long_terms_not_extended_on_sunday(
    start: date, kwargs: dict[str, int], nominal_end: date
) -> None:
    result = term(start, **kwargs)
    assert nominal_end.weekday() == 6
    assert result.nominal_end == result.due == nominal_end
    assert not result.atw_applies
    assert result.explanation[-1] == ART_4_LINE
    assert ART_4_LINE == (
        "termijn langer dan 12 weken / 90 dagen / 3 maanden: niet verlengd (Algemene termijnenwet art. 4)"
    )


@pytest.mark.parametrize(
    ("start", "kwargs", "nominal_end", "due"),
    [
        (date(2026, 1, 4), {"weeks": 12}, date(2026, 3, 29), date(2026, 3, 30)),
        (date(2026, 1, 4), {"days": 90}, date(2026, 4, 4), date(2026, 4, 7)),  # Saturday + Easter
        (date(2028, 7, 1), {"months": 3}, date(2028, 10, 1), date(2028, 10, 2)),  # 92 days, still 3 months
        (date(2026, 1, 4), {"weeks": 8, "days": 28}, date(2026, 3, 29), date(2026, 3, 30)),  # mixed, 84 days
    ],
)
def test_art_4_limits_themselves_are_extended(
    start: date, kwargs: dict[str, int], nominal_end: date, due: date
) -> None:
    result = term(start, **kwargs)
    assert result.nominal_end == nominal_end
    assert result.due == due
    assert result.atw_applies


def test_mixed_description() -> None:
    result = term(date(2026, 1, 5), months=1, weeks=1, days=2)
    assert result.explanation[0] == "termijn van 1 maand, 1 week en 2 dagen na maandag 05-01-2026"
    assert term(date(2026, 1, 5), days=1).explanation[0] == "termijn van 1 dag na maandag 05-01-2026"


@pytest.mark.parametrize("kwargs", [{}, {"days": -1}, {"weeks": 2, "days": -1}, {"months": 0}])
def test_invalid_terms(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        term(date(2026, 1, 5), **kwargs)


# --------------------------------------------------------------------------------------------
# Extra (configured) feestdagen, art. 3 lid 3
# --------------------------------------------------------------------------------------------


def test_explicit_extra_holiday_extends_term() -> None:
    start = date(2026, 5, 6)  # + 4 weeks = Wednesday 3 June 2026
    assert term(start, weeks=4).due == date(2026, 6, 3)
    for extras in ([date(2026, 6, 3)], ["2026-06-03"], ("2026-06-03", date(2026, 6, 4))):
        result = compute_term(start, weeks=4, extra_holidays=extras)
        expected = date(2026, 6, 5) if len(extras) == 2 else date(2026, 6, 4)
        assert result.due == expected
        assert "gelijkgestelde dag (Algemene termijnenwet art. 3 lid 3)" in result.explanation[-1]
    named = compute_term(start, weeks=4, extra_holidays={"2026-06-03": "dag van de rouw"})
    assert named.due == date(2026, 6, 4)
    assert "(dag van de rouw)" in named.explanation[-1]
    assert is_atw_holiday(date(2026, 6, 3), ["2026-06-03"])
    assert atw_holidays(2026, ["2026-06-03", "2027-01-04"])[date(2026, 6, 3)].startswith("gelijkgestelde")
    assert date(2027, 1, 4) not in atw_holidays(2026, ["2026-06-03", "2027-01-04"])


def test_extra_holiday_on_statutory_holiday_joins_names() -> None:
    assert atw_holidays(2026, {date(2026, 5, 5): "extra"})[date(2026, 5, 5)] == "Bevrijdingsdag en extra"


def test_extra_holidays_read_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    import django.conf

    monkeypatch.setattr(django.conf, "settings", SimpleNamespace(ATW_EXTRA_HOLIDAYS=["2026-06-03"]))
    assert compute_term(date(2026, 5, 6), weeks=4).due == date(2026, 6, 4)
    assert not is_working_day(date(2026, 6, 3))
    # An explicit argument wins over the setting.
    assert compute_term(date(2026, 5, 6), weeks=4, extra_holidays=()).due == date(2026, 6, 3)


def test_settings_without_extra_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    import django.conf

    monkeypatch.setattr(django.conf, "settings", SimpleNamespace())
    assert compute_term(date(2026, 5, 6), weeks=4).due == date(2026, 6, 3)


def test_unconfigured_settings_mean_no_extras(monkeypatch: pytest.MonkeyPatch) -> None:
    import django.conf

    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    # monkeypatch.setattr would inspect (and so evaluate) the lazy object; swap it by hand.
    original = django.conf.settings
    django.conf.settings = django.conf.LazySettings()
    try:
        assert not django.conf.settings.configured
        assert compute_term(date(2026, 5, 6), weeks=4).due == date(2026, 6, 3)
        assert atw_holidays(2026) == atw_holidays(2026, NO_EXTRAS)
    finally:
        django.conf.settings = original


def test_invalid_extra_holiday_is_loud() -> None:
    with pytest.raises(ValueError):
        is_atw_holiday(date(2026, 1, 1), ["not a date"])
    with pytest.raises(TypeError):
        is_atw_holiday(date(2026, 1, 1), [20260101])  # type: ignore[list-item]


# --------------------------------------------------------------------------------------------
# extend_term and shift_term
# --------------------------------------------------------------------------------------------


def test_extend_term_counts_from_the_nominal_end() -> None:
    """An extension counts from the term's nominal end, not from its Atw-extended end (issue 12). It was
    counted from ``due``: nominal end 28-02-2028 instead of Saturday 26-02-2028."""
    original = term(date(2028, 1, 1), weeks=4)  # nominal Saturday 29-01-2028, due Monday 31-01-2028
    extended = extend_term(original, weeks=4, reason="verdaging", extra_holidays=NO_EXTRAS)
    assert extended.start == original.start
    assert extended.nominal_end == date(2028, 2, 26)
    assert extended.due == date(2028, 2, 28)
    assert extended.explanation[: len(original.explanation)] == original.explanation
    assert extended.explanation[len(original.explanation) :] == (
        "termijn verlengd met 4 weken na zaterdag 29-01-2028, het einde van de termijn zonder de verlenging "
        "door de Algemene termijnenwet (verdaging)",
        "eindigt op zaterdag 26-02-2028; verlengd tot maandag 28-02-2028 (Algemene termijnenwet art. 1)",
    )
    assert extend_due is extend_term


def test_an_extension_from_good_friday_is_not_counted_from_the_tuesday_after_easter() -> None:
    """Nominal end Good Friday 03-04-2026, due Tuesday 07-04-2026. Four more weeks from the nominal end: Friday
    01-05-2026; from the due date it would have been Tuesday 05-05-2026 (Bevrijdingsdag), so 06-05-2026."""
    original = term(date(2026, 3, 6), weeks=4)
    assert (original.nominal_end, original.due) == (date(2026, 4, 3), date(2026, 4, 7))
    extended = extend_term(original, weeks=4, extra_holidays=NO_EXTRAS)
    assert extended.nominal_end == extended.due == date(2026, 5, 1)


def test_a_term_set_by_the_secretariat_is_computed_as_set() -> None:
    """The Atw covers terms set by a wet or AMvB; a term the secretariat sets ends on its day, even a Saturday,
    and its explanation does not cite Atw art. 1 (issue 12)."""
    as_set = compute_term(date(2028, 1, 1), weeks=4, atw=False, extra_holidays=NO_EXTRAS)
    assert as_set.nominal_end == as_set.due == date(2028, 1, 29)  # a Saturday
    assert not as_set.atw_applies and not as_set.statutory
    assert not any("art. 1" in line or "art. 4" in line for line in as_set.explanation)
    shifted = shift_term(as_set, suspended_days=1, reason="x", extra_holidays=NO_EXTRAS)
    assert shifted.due == date(2028, 1, 30)  # a Sunday, still as set
    extended = extend_term(as_set, weeks=1, extra_holidays=NO_EXTRAS)
    assert extended.due == date(2028, 2, 5) and not any("art. 1" in line for line in extended.explanation)


def test_the_term_sources_say_which_terms_the_atw_covers() -> None:
    from disputes.atw import TERM_SOURCES

    assert {k for k, s in TERM_SOURCES.items() if s.statutory} == {"filing", "decision", "objection"}
    assert {k for k, s in TERM_SOURCES.items() if not s.statutory} == {"remedy", "response", "information"}
    assert "Woningwet art. 44 lid 4" in TERM_SOURCES["filing"].source
    assert "Awb art. 6:7" in TERM_SOURCES["objection"].source
    assert all("Algemene termijnenwet art." not in TERM_SOURCES[k].line for k in ("remedy", "response", "information"))


def test_extend_term_applies_atw_again() -> None:
    original = term(date(2026, 2, 9), weeks=4)  # Monday 09-03-2026
    extended = extend_term(original, days=26, extra_holidays=NO_EXTRAS)  # Saturday 04-04-2026
    assert extended.nominal_end == date(2026, 4, 4)
    assert extended.due == date(2026, 4, 7)
    assert extended.explanation[-2] == "termijn verlengd met 26 dagen na maandag 09-03-2026"


def test_shift_term_suspension() -> None:
    original = term(date(2028, 1, 4), weeks=4)  # Tuesday 01-02-2028
    shifted = shift_term(original, suspended_days=11, reason="wachten op stukken", extra_holidays=NO_EXTRAS)
    assert shifted.start == original.start
    assert shifted.nominal_end == date(2028, 2, 12)  # Saturday
    assert shifted.due == date(2028, 2, 14)
    assert shifted.explanation[len(original.explanation) :] == (
        "termijn opgeschort met 11 dagen (wachten op stukken); einddatum verschoven van dinsdag 01-02-2028 "
        "naar zaterdag 12-02-2028",
        "eindigt op zaterdag 12-02-2028; verlengd tot maandag 14-02-2028 (Algemene termijnenwet art. 1)",
    )


def test_shift_term_uses_nominal_end_not_due() -> None:
    original = term(date(2028, 1, 1), weeks=4)  # nominal Saturday 29-01, due Monday 31-01
    shifted = shift_term(original, suspended_days=1, reason="", extra_holidays=NO_EXTRAS)
    assert shifted.nominal_end == date(2028, 1, 30)
    assert shifted.due == date(2028, 1, 31)
    assert shifted.explanation[-2] == (
        "termijn opgeschort met 1 dag; einddatum verschoven van zaterdag 29-01-2028 naar zondag 30-01-2028"
    )


def test_shift_term_keeps_art_4_exclusion() -> None:
    original = term(date(2026, 1, 4), weeks=13)
    shifted = shift_term(original, suspended_days=7, reason="x", extra_holidays=NO_EXTRAS)
    assert shifted.nominal_end == shifted.due == date(2026, 4, 12)  # a Sunday, not extended
    assert shifted.explanation[-1] == ART_4_LINE
    with pytest.raises(ValueError):
        shift_term(original, suspended_days=-1, reason="x", extra_holidays=NO_EXTRAS)


# --------------------------------------------------------------------------------------------
# Working-day counting (reminders, backward counts)
# --------------------------------------------------------------------------------------------


def test_working_days_between_examples() -> None:
    assert working_days_between(date(2028, 1, 28), date(2028, 1, 31), NO_EXTRAS) == 1  # Fri -> Mon
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7), NO_EXTRAS) == 1  # Easter
    assert working_days_between(date(2028, 1, 31), date(2028, 1, 31), NO_EXTRAS) == 0
    assert working_days_between(date(2028, 1, 31), date(2028, 1, 28), NO_EXTRAS) == -1


def test_subtract_working_days_examples() -> None:
    assert subtract_working_days(date(2028, 2, 4), 3, NO_EXTRAS) == date(2028, 2, 1)  # Fri -> Tue
    assert subtract_working_days(date(2028, 1, 31), 1, NO_EXTRAS) == date(2028, 1, 28)  # Mon -> Fri
    assert subtract_working_days(date(2026, 4, 7), 1, NO_EXTRAS) == date(2026, 4, 2)  # over Easter
    # A backward count may land anywhere before a non-working day; it is never moved forward.
    assert subtract_working_days(date(2028, 1, 30), 0, NO_EXTRAS) == date(2028, 1, 30)
    with pytest.raises(ValueError):
        subtract_working_days(date(2028, 1, 30), -1, NO_EXTRAS)


@PROPERTY_SETTINGS
@given(START_DATES, st.integers(min_value=0, max_value=30))
def test_subtract_working_days_property(day: date, n: int) -> None:
    result = subtract_working_days(day, n, NO_EXTRAS)
    assert result <= day
    # exactly n working days in [result, day)
    assert working_days_between(result - timedelta(days=1), day - timedelta(days=1), NO_EXTRAS) == n
    if n:
        assert working(result)


@PROPERTY_SETTINGS
@given(START_DATES, st.integers(min_value=-60, max_value=60))
def test_working_days_between_property(a: date, offset: int) -> None:
    b = a + timedelta(days=offset)
    count = working_days_between(a, b, NO_EXTRAS)
    assert count == -working_days_between(b, a, NO_EXTRAS)
    lo, hi = min(a, b), max(a, b)
    brute = sum(1 for i in range(1, (hi - lo).days + 1) if working(lo + timedelta(days=i)))
    assert abs(count) == brute


# --------------------------------------------------------------------------------------------
# compute_term: properties
# --------------------------------------------------------------------------------------------

PERIODS = st.one_of(
    st.builds(lambda n: {"days": n}, st.integers(min_value=1, max_value=120)),
    st.builds(lambda n: {"weeks": n}, st.integers(min_value=1, max_value=16)),
    st.builds(lambda n: {"months": n}, st.integers(min_value=1, max_value=5)),
)


def _within_art_4(period: dict[str, int]) -> bool:
    return period.get("days", 0) <= 90 and period.get("weeks", 0) <= 12 and period.get("months", 0) <= 3


def _satisfies_art_1_and_2(start: date, end: date, nominal_end: date) -> bool:
    if not working(end):
        return False
    return (nominal_end - start).days < 3 or working_days_between(start, end, NO_EXTRAS) >= 2


def _check_term(start: date, result: Term, within: bool) -> None:
    assert result.start == start
    assert result.due >= result.nominal_end
    assert result.explanation
    assert result.explanation[0].startswith("termijn van ")
    assert result.atw_applies is within
    if within:
        assert _satisfies_art_1_and_2(start, result.due, result.nominal_end)
        # ... and due is the earliest such day: the term is extended no further than needed.
        day = result.nominal_end
        while day < result.due:
            assert not _satisfies_art_1_and_2(start, day, result.nominal_end)
            day += timedelta(days=1)
        if result.due == result.nominal_end:
            assert result.explanation[-1] == f"eindigt op {format_date_nl(result.due)}"
        else:
            assert "Algemene termijnenwet art." in result.explanation[-1]
    else:
        assert result.due == result.nominal_end
        assert result.explanation[-1] == ART_4_LINE


@PROPERTY_SETTINGS
@given(START_DATES, PERIODS)
def test_compute_term_properties(start: date, period: dict[str, int]) -> None:
    result = term(start, **period)
    assert result.nominal_end == add_period(start, **period)
    _check_term(start, result, _within_art_4(period))
    assert term(start, **period) == result  # deterministic


@PROPERTY_SETTINGS
@given(
    START_DATES,
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=8),
    st.integers(min_value=0, max_value=3),
)
def test_compute_term_mixed_properties(start: date, days: int, weeks: int, months: int) -> None:
    if not (days or weeks or months):
        days = 1
    result = term(start, days=days, weeks=weeks, months=months)
    units = sum(1 for value in (days, weeks, months) if value)
    length = (result.nominal_end - start).days
    within = length <= 90 if units > 1 else _within_art_4({"days": days, "weeks": weeks, "months": months})
    _check_term(start, result, within)


@PROPERTY_SETTINGS
@given(START_DATES, PERIODS, st.integers(min_value=0, max_value=60))
def test_shift_term_properties(start: date, period: dict[str, int], suspended: int) -> None:
    original = term(start, **period)
    shifted = shift_term(original, suspended_days=suspended, reason="opschorting", extra_holidays=NO_EXTRAS)
    assert shifted.nominal_end == original.nominal_end + timedelta(days=suspended)
    assert shifted.due >= original.due
    assert shifted.explanation[: len(original.explanation)] == original.explanation
    _check_term(start, shifted, original.atw_applies)


@PROPERTY_SETTINGS
@given(START_DATES, st.integers(min_value=1, max_value=12))
def test_extend_term_properties(start: date, weeks: int) -> None:
    original = term(start, weeks=6)
    extended = extend_term(original, weeks=weeks, extra_holidays=NO_EXTRAS)
    assert extended.nominal_end == original.nominal_end + timedelta(weeks=weeks)
    assert extended.due >= extended.nominal_end
    assert working(extended.due)
    assert extended.explanation[: len(original.explanation)] == original.explanation


def test_module_is_pure() -> None:
    """Only the standard library, plus a lazy read of django.conf.settings; no models, no ORM."""
    tree = ast.parse(Path(atw.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    allowed_django = {"django.conf", "django.core.exceptions"}
    assert {name for name in imported if name.startswith(("django", "disputes"))} <= allowed_django
    top_level = {node.module for node in tree.body if isinstance(node, ast.ImportFrom)}
    assert not top_level & allowed_django  # Django is only imported lazily
