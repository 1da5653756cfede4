"""Dates and deadline explanations in the reader's language (issue 13, item 8).

A deadline's explanation is stored in Dutch when it is computed (``disputes.atw``, ``disputes.services.deadlines``,
``disputes.admissibility.filing_term_for``): that is the text of the dossier and the letters. A screen in English
shows the same lines in English: :func:`line_in_words` recognises each stored sentence by its structure (the
Dutch pattern below), takes its parts (dates, periods, numbers, nested sentences) and writes it again through
gettext in the active language. A line it does not recognise (free text, or a sentence of a later version) is
shown as stored, its dates in the active language. In Dutch every line is shown exactly as stored.

:func:`format_date` is the date as the active language writes it: Dutch ``vrijdag 15-01-2027`` (what
``atw.format_date_nl`` gives the letters and e-mails), English ``Friday 15 January 2027``.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .atw import ART_4_LINE, AS_SET_LINE, EXTRA_HOLIDAY_NAME, format_date_nl

__all__ = ["dates_in_words", "explanation_in_words", "format_date", "in_dutch", "line_in_words", "recognises"]


def in_dutch() -> bool:
    """Whether the active language is Dutch (the language the lines are stored in)."""
    return (translation.get_language() or "nl").split("-")[0] == "nl"


def format_date(d: date) -> str:
    """``d`` as the active language writes it: ``vrijdag 15-01-2027`` or ``Friday 15 January 2027``."""
    if in_dutch():
        return format_date_nl(d)
    return dateformat.format(d, "l j F Y")


# -- the parts of a stored line ----------------------------------------------------------------------------------

_WEEKDAY = r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
_DATE = rf"{_WEEKDAY} \d{{2}}-\d{{2}}-\d{{4}}"
_DATE_PARTS = re.compile(rf"{_WEEKDAY} (\d{{2}})-(\d{{2}})-(\d{{4}})")

#: the feestdagen of Atw art. 3 as ``atw`` names them
HOLIDAY_WORDS = {
    "Nieuwjaarsdag": gettext_lazy("Nieuwjaarsdag"),
    "Goede Vrijdag": gettext_lazy("Goede Vrijdag"),
    "tweede Paasdag": gettext_lazy("tweede Paasdag"),
    "Koningsdag": gettext_lazy("Koningsdag"),
    "Koninginnedag": gettext_lazy("Koninginnedag"),
    "Bevrijdingsdag": gettext_lazy("Bevrijdingsdag"),
    "Hemelvaartsdag": gettext_lazy("Hemelvaartsdag"),
    "tweede Pinksterdag": gettext_lazy("tweede Pinksterdag"),
    "eerste Kerstdag": gettext_lazy("eerste Kerstdag"),
    "tweede Kerstdag": gettext_lazy("tweede Kerstdag"),
    EXTRA_HOLIDAY_NAME: gettext_lazy("gelijkgestelde dag (Algemene termijnenwet art. 3 lid 3)"),
}

#: the legal sources of ``atw.TERM_SOURCES`` that are words rather than a citation
SOURCE_WORDS = {
    "verweertermijn per zaak (Rtiv art. 19a-d)": gettext_lazy("verweertermijn per zaak (Rtiv art. 19a-d)"),
    "vraag om inlichtingen, termijn per vraag": gettext_lazy("vraag om inlichtingen, termijn per vraag"),
}

#: where the overleg's start date came from (``admissibility._overleg_start``)
_START_SOURCES = {
    "de startdatum van het overleg bij de prestatieafspraken":
        gettext_lazy("de startdatum van het overleg bij de prestatieafspraken"),
    "het eerste bod in het overleglogboek": gettext_lazy("het eerste bod in het overleglogboek"),
}


def _date(text: str) -> str:
    m = _DATE_PARTS.fullmatch(text)
    return format_date(date(int(m.group(3)), int(m.group(2)), int(m.group(1)))) if m else text


def _holiday(name: str) -> str:
    """The Dutch name(s) of a feestdag (two that coincide are joined by " en ") in the active language."""
    words = [str(HOLIDAY_WORDS.get(part, part)) for part in name.split(" en ")]
    if len(words) == 1:
        return words[0]
    return _("%(first)s en %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _day(text: str) -> str:
    """A date, with the name of the feestdag it is: ``zondag 01-01-2017 (Nieuwjaarsdag)``."""
    m = re.fullmatch(rf"({_DATE})(?: \((.+)\))?", text)
    if m is None:
        return text
    if m.group(2) is None:
        return _date(m.group(1))
    return f"{_date(m.group(1))} ({_holiday(m.group(2))})"


_UNITS = {"maand": "months", "maanden": "months", "week": "weeks", "weken": "weeks", "dag": "days", "dagen": "days"}


def _period(text: str) -> str:
    """``4 weken``, ``1 maand en 2 dagen`` in the active language."""
    parts = re.split(r", | en ", text)
    words = []
    for part in parts:
        m = re.fullmatch(r"(\d+) (maanden|maand|weken|week|dagen|dag)", part)
        if m is None:
            return text
        n, unit = int(m.group(1)), _UNITS[m.group(2)]
        if unit == "months":
            words.append(ngettext("%(n)d maand", "%(n)d maanden", n) % {"n": n})
        elif unit == "weeks":
            words.append(ngettext("%(n)d week", "%(n)d weken", n) % {"n": n})
        else:
            words.append(ngettext("%(n)d dag", "%(n)d dagen", n) % {"n": n})
    if len(words) == 1:
        return words[0]
    return _("%(first)s en %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _source(text: str) -> str:
    return str(SOURCE_WORDS.get(text, text))


def _start_source(text: str) -> str:
    return str(_START_SOURCES.get(text, text))


def _nested(text: str) -> str:
    return line_in_words(text)


def _same(text: str) -> str:
    return text


# -- the sentences --------------------------------------------------------------------------------------------------
#
# Each entry: the Dutch sentence as stored (the msgid), and for each placeholder how to read its part. The
# regular expression is built from the msgid: the literal text must match exactly.

_PART_PATTERNS = {_date: _DATE, _day: rf"{_DATE}(?: \([^()]+\))?", _period: r"\d+ [a-z]+(?:(?:, | en )\d+ [a-z]+)*",
                  int: r"\d+"}

_SENTENCES: list[tuple[str, dict]] = [
    # disputes.atw.TermSource.line
    ("Grondslag: %(source)s; wettelijke termijn, de Algemene termijnenwet is van toepassing", {"source": _source}),
    ("Grondslag: %(source)s; termijn gesteld door het secretariaat, geldt zoals gesteld (geen termijn uit een "
     "wet of algemene maatregel van bestuur)", {"source": _source}),
    # disputes.atw.compute_term, extend_term, shift_term, _apply_atw
    ("termijn van %(period)s na %(date)s", {"period": _period, "date": _date}),
    ("eindigt op %(day)s", {"day": _day}),
    ("eindigt op %(day)s; %(step)s", {"day": _day, "step": _nested}),
    ("vervolgens %(step)s", {"step": _nested}),
    ("verlengd tot %(date)s (Algemene termijnenwet art. 1)", {"date": _date}),
    ("verlengd tot %(date)s zodat de termijn twee werkdagen bevat (Algemene termijnenwet art. 2)", {"date": _date}),
    (AS_SET_LINE, {}),
    (ART_4_LINE, {}),
    ("termijn verlengd met %(period)s na %(date)s", {"period": _period, "date": _date}),
    ("termijn verlengd met %(period)s na %(date)s (%(reason)s)", {"period": _period, "date": _date, "reason": _same}),
    ("termijn verlengd met %(period)s na %(date)s, het einde van de termijn zonder de verlenging door de "
     "Algemene termijnenwet", {"period": _period, "date": _date}),
    ("termijn verlengd met %(period)s na %(date)s, het einde van de termijn zonder de verlenging door de "
     "Algemene termijnenwet (%(reason)s)", {"period": _period, "date": _date, "reason": _same}),
    ("termijn opgeschort met %(period)s; einddatum verschoven van %(from)s naar %(to)s",
     {"period": _period, "from": _date, "to": _date}),
    ("termijn opgeschort met %(period)s (%(reason)s); einddatum verschoven van %(from)s naar %(to)s",
     {"period": _period, "reason": _nested, "from": _date, "to": _date}),
    # disputes.services.deadlines.suspend_decision_term (the reason of the suspension)
    ("opgeschort met ingang van %(start)s tot %(end)s wegens verzoek om herstel verzuim (Awb art. 4:15)",
     {"start": _date, "end": _date}),
    # disputes.admissibility.filing_term_for (the basis of the filing term)
    ("Woningwet art. 44 lid 4: indienen binnen %(weeks)d weken na het ontstaan van het geschil.", {"weeks": int}),
    ("Een geschil kan pas worden voorgelegd als het overleg niet binnen %(months)d maanden tot "
     "afspraken leidt; het overleg begon op %(start)s (bron: %(source)s), de %(months)d maanden zijn "
     "om op %(mark)s (niet verlengd door de Algemene termijnenwet: langer dan 3 maanden, art. 4).",
     {"months": int, "start": _date, "source": _start_source, "mark": _date}),
    ("Bij nakoming ontstaat het geschil als de wederpartij reageert op de ingebrekestelling, "
     "of als die %(weeks)d weken onbeantwoord blijft. Volgens het overleglogboek: %(how)s.",
     {"weeks": int, "how": _nested}),
    ("de wederpartij reageerde op %(answer)s op de ingebrekestelling van %(notice)s",
     {"answer": _date, "notice": _date}),
    ("de ingebrekestelling van %(notice)s bleef %(weeks)d weken onbeantwoord (tot en met %(due)s)",
     {"notice": _date, "weeks": int, "due": _date}),
    ("U vulde in dat het geschil ontstond op %(typed)s, maar het overleg duurt pas op %(mark)s "
     "%(months)d maanden. Eerder kan een geschil niet worden voorgelegd (Woningwet art. 44 lid 4). "
     "Wij rekenen de indieningstermijn daarom vanaf %(mark)s.", {"typed": _date, "mark": _date, "months": int}),
    ("U vulde in dat het geschil ontstond op %(typed)s, maar volgens het overleglogboek ontstond het "
     "al op %(arose)s. Wij rekenen de indieningstermijn daarom vanaf %(arose)s; een latere datum "
     "verlengt de termijn niet.", {"typed": _date, "arose": _date}),
    ("U vulde in dat het geschil ontstond op %(typed)s, vóór de ingebrekestelling van %(notice)s. "
     "Een geschil over nakoming ontstaat pas na de ingebrekestelling; volgens het overleglogboek op "
     "%(arose)s. Wij rekenen de indieningstermijn daarom vanaf %(arose)s.",
     {"typed": _date, "notice": _date, "arose": _date}),
]

# The msgids above, for makemessages (a variable passed to gettext is not extracted).
_MSGIDS = [
    gettext_lazy("Grondslag: %(source)s; wettelijke termijn, de Algemene termijnenwet is van toepassing"),
    gettext_lazy("Grondslag: %(source)s; termijn gesteld door het secretariaat, geldt zoals gesteld (geen termijn "
                 "uit een wet of algemene maatregel van bestuur)"),
    gettext_lazy("termijn van %(period)s na %(date)s"),
    gettext_lazy("eindigt op %(day)s"),
    gettext_lazy("eindigt op %(day)s; %(step)s"),
    gettext_lazy("vervolgens %(step)s"),
    gettext_lazy("verlengd tot %(date)s (Algemene termijnenwet art. 1)"),
    gettext_lazy("verlengd tot %(date)s zodat de termijn twee werkdagen bevat (Algemene termijnenwet art. 2)"),
    gettext_lazy("termijn zoals gesteld: niet verlengd als die op een zaterdag, zondag of feestdag eindigt"),
    gettext_lazy("termijn langer dan 12 weken / 90 dagen / 3 maanden: niet verlengd (Algemene termijnenwet art. 4)"),
    gettext_lazy("termijn verlengd met %(period)s na %(date)s"),
    gettext_lazy("termijn verlengd met %(period)s na %(date)s (%(reason)s)"),
    gettext_lazy("termijn verlengd met %(period)s na %(date)s, het einde van de termijn zonder de verlenging door de "
                 "Algemene termijnenwet"),
    gettext_lazy("termijn verlengd met %(period)s na %(date)s, het einde van de termijn zonder de verlenging door de "
                 "Algemene termijnenwet (%(reason)s)"),
    gettext_lazy("termijn opgeschort met %(period)s; einddatum verschoven van %(from)s naar %(to)s"),
    gettext_lazy("termijn opgeschort met %(period)s (%(reason)s); einddatum verschoven van %(from)s naar %(to)s"),
]


def _pattern(msgid: str, parts: dict) -> re.Pattern:
    out, seen, pos = [], set(), 0
    for m in re.finditer(r"%\((\w+)\)([sd])", msgid):
        out.append(re.escape(msgid[pos:m.start()]))
        name = m.group(1)
        if name in seen:
            out.append(f"(?P={name})")
        else:
            seen.add(name)
            out.append(f"(?P<{name}>{_PART_PATTERNS.get(parts.get(name), '.+?')})")
        pos = m.end()
    out.append(re.escape(msgid[pos:]))
    return re.compile("".join(out))


_COMPILED = [(_pattern(msgid, parts), msgid, parts) for msgid, parts in _SENTENCES]


def line_in_words(line: str) -> str:
    """One stored explanation line in the active language (as stored when Dutch, or when not recognised)."""
    line = str(line)
    if in_dutch():
        return line
    for pattern, msgid, parts in _COMPILED:
        m = pattern.fullmatch(line)
        if m is None:
            continue
        values = {}
        for name, value in m.groupdict().items():
            read = parts.get(name, _same)
            values[name] = int(value) if read is int else read(value)
        return _(msgid) % values if values else _(msgid)
    return dates_in_words(line)


def recognises(line: str) -> bool:
    """Whether :func:`line_in_words` knows this stored sentence (and writes it again, not only its dates)."""
    return any(pattern.fullmatch(str(line)) for pattern, _msgid, _parts in _COMPILED)


def dates_in_words(text: str) -> str:
    """``text`` with each Dutch date in it (``vrijdag 15-01-2027``) as the active language writes it: for a
    sentence translated when shown whose date was written in Dutch, or a line this module does not know."""
    if in_dutch():
        return text
    return re.sub(_DATE, lambda m: _date(m.group(0)), text)


def explanation_in_words(lines) -> list[str]:
    """A stored explanation (a list of lines) in the active language."""
    return [line_in_words(line) for line in (lines or [])]
