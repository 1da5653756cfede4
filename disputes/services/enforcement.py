"""Deadline enforcement: what the system does by itself when a term has passed.

Run by the periodic task (workflow.tasks.enforce_deadlines) and by the scenario verb ``tick``.
Idempotent: a case that was already moved is no longer selected, so a second run does nothing.
"""

import logging

from .. import clock
from ..models import DeadlineKind, Dispute
from ..states import DisputeState as S
from .aftercare import may_close
from .decision import dispute_close
from .proceedings import dispute_close_responses
from .review import dispute_lapse_remedy

log = logging.getLogger(__name__)

#: (state, deadline kind whose passing moves the case, the system service that moves it)
RULES = (
    (S.AWAITING_REMEDY, DeadlineKind.REMEDY, dispute_lapse_remedy),
    (S.AWAITING_RESPONSE, DeadlineKind.RESPONSE, dispute_close_responses),
    (S.DECIDED, DeadlineKind.OBJECTION, dispute_close),
)

#: what must hold as well before the system moves a case whose term has passed, per service: a decided case
#: closes only after the week of Awb 6:9 lid 2 and never while a bezwaar was received (aftercare.closing_term)
READY = {dispute_close: may_close}


def enforce_deadlines() -> dict[str, int]:
    """Apply every passed term once; returns how many cases each rule moved."""
    today = clock.today()
    done = {}
    for state, kind, service in RULES:
        due_cases = Dispute.objects.filter(
            state=state, deadlines__kind=kind, deadlines__closed_at__isnull=True, deadlines__due__lt=today
        ).distinct()
        done[service.__name__] = 0
        ready = READY.get(service, lambda dispute: True)
        for dispute in due_cases:
            if not ready(dispute):
                continue
            service(dispute=dispute, actor=None)
            done[service.__name__] += 1
            log.info("deadline enforced: %s on %s", service.__name__, dispute.case_number)
    return done
