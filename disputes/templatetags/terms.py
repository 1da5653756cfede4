"""``{% load terms %}``: ``{{ deadline.kind|term_source }}`` labels a deadline with its legal source and says
whether the Algemene termijnenwet covers it (``disputes.atw.TERM_SOURCES``), on every page that lists deadlines."""

from django import template
from django.utils.translation import gettext as _

from disputes.atw import TERM_SOURCES

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
    if source.statutory:
        return _("Wettelijke termijn: %(source)s (Algemene termijnenwet van toepassing)") % {"source": source.source}
    return _("Gesteld door het secretariaat: %(source)s (geldt zoals gesteld)") % {"source": source.source}
