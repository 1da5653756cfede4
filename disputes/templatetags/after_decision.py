"""``{% after_decision dispute %}``: what happened after the Minister decided, on every case page (the party's and
the staff's): a late decision marked as late (``selectors.late_decision``), the bezwaren received, the
herstelbesluiten with what they corrected, and from which day the case may close (Awb 6:9 lid 2,
``services.aftercare.closing_term``). Nothing is shown before the decision.
"""

from datetime import date

from django import template
from django.utils.translation import gettext as _

from disputes import selectors
from disputes.states import DisputeState
from disputes.termwords import format_date

register = template.Library()


def _objection_line(payload: dict) -> dict:
    try:
        received = format_date(date.fromisoformat(payload.get("received_on", "")))
    except ValueError:
        received = ""
    if payload.get("in_time"):
        timeliness = _("binnen de bezwaartermijn")
    elif payload.get("within_week"):
        timeliness = _("na de bezwaartermijn, binnen de week van artikel 6:9, tweede lid, Awb: tijdig als het "
                       "bezwaarschrift vóór het einde van de termijn ter post is bezorgd")
    else:
        timeliness = _("na de bezwaartermijn en de week daarna (artikel 6:9 Awb); alleen verschoonbaar te laat "
                       "(artikel 6:11 Awb)")
    return {"received": received, "objector": payload.get("objector", ""), "timeliness": timeliness}


def after_decision_context(dispute) -> dict:
    if dispute.decided_at is None:
        return {"show": False}
    from disputes.services.aftercare import closing_term

    events = list(dispute.events.filter(kind__in=("objection_recorded", "decision_corrected")).order_by("at", "pk"))
    closing = closing_term(dispute) if dispute.state == DisputeState.DECIDED else None
    return {
        "show": True,
        "dispute": dispute,
        "late": selectors.late_decision(dispute),
        "objections": [_objection_line(e.payload) for e in events if e.kind == "objection_recorded"],
        "corrections": [{"at": e.at, "reason": e.payload.get("reason", "")}
                        for e in events if e.kind == "decision_corrected"],
        "closing": closing,
        "closes_from": format_date(date.fromordinal(closing.due.toordinal() + 1)) if closing else "",
    }


@register.inclusion_tag("disputes/_after_decision.html")
def after_decision(dispute):
    return after_decision_context(dispute)
