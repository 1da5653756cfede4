"""``{% rule_set_notice dispute %}``: what the case's rule set means for it, on every case page that relies on it.

Under a provisional rule set (the nakoming rules of the Wet versterking regie volkshuisvesting, in force only from
a configured date) the page says the rules are provisional; a case of a kind its rule set does not cover (a
nakoming request under the current law) is told it is inadmissible, reason A4 (``guards.rule_set_problems``).
Nothing is shown for a case under settled rules.
"""

from django import template

from disputes import clock
from disputes.rules import rule_set_by_code, rule_set_on
from disputes.states import DisputeState

register = template.Library()


def rule_set_notice_context(dispute) -> dict:
    """The notice's context: ``kind`` is ``provisional``, ``not_covered`` or ``""`` (nothing to say)."""
    if dispute.state == DisputeState.DRAFT or not dispute.rule_set:
        rules = rule_set_on(clock.today())
    else:
        try:
            rules = rule_set_by_code(dispute.rule_set)
        except KeyError:
            return {"kind": ""}
    if not dispute.rules_cover_kind():
        kind = "not_covered"
    elif rules.provisional:
        kind = "provisional"
    else:
        kind = ""
    return {"kind": kind, "rules": rules, "dispute": dispute}


@register.inclusion_tag("disputes/_rule_set_notice.html")
def rule_set_notice(dispute):
    return rule_set_notice_context(dispute)
