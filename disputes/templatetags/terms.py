"""``{% load terms %}``: ``{{ deadline.kind|term_source }}`` labels a deadline with its legal source and says
whether the Algemene termijnenwet covers it (``disputes.atw.TERM_SOURCES``), on every page that lists deadlines.
``{{ d.due|long_date }}`` is a date as the active language writes it (``disputes.termwords.format_date``);
``{{ line|in_words }}`` an explanation line (stored in Dutch, or with Dutch dates) in the active language."""

from django import template
from django.utils.translation import gettext as _

from disputes.atw import TERM_SOURCES
from disputes.termwords import SOURCE_WORDS, format_date, line_in_words

register = template.Library()


@register.filter
def reasons_in_words(codes) -> str:
    """Inadmissibility reason codes with their words ("A3 gaat over de inhoud van gemeentelijk beleid")."""
    from disputes.letters import reasons_in_words as in_words

    return in_words(list(codes or []))


@register.filter
def term_source(kind: str) -> str:
    source = TERM_SOURCES.get(str(kind))
    if source is None:
        return ""
    words = str(SOURCE_WORDS.get(source.source, source.source))
    if source.statutory:
        return _("Wettelijke termijn: %(source)s (Algemene termijnenwet van toepassing)") % {"source": words}
    return _("Gesteld door het secretariaat: %(source)s (geldt zoals gesteld)") % {"source": words}


@register.filter
def long_date(value) -> str:
    """A date with its weekday in the active language: ``vrijdag 15-01-2027``, ``Friday 15 January 2027``."""
    if not value:
        return ""
    if hasattr(value, "date") and callable(value.date):
        from disputes import clock

        value = clock.localdate(value)
    return format_date(value)


@register.filter
def in_words(line) -> str:
    """An explanation line in the active language (``disputes.termwords.line_in_words``)."""
    return line_in_words(str(line))
