"""Signals the domain sends, for orchestration outside it (workflow/) to follow.

``event_recorded`` is sent after an audit event has been written, inside the service's
transaction. Receivers must not change the case (only services do); they may update their own
bookkeeping (e.g. viewflow's task list) in the same transaction, or defer work with on_commit.
"""

from django.dispatch import Signal

#: sent with ``dispute`` (the locked, saved Dispute) and ``event`` (the DisputeEvent)
event_recorded = Signal()
