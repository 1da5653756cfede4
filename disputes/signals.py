"""Signals the domain sends, for orchestration outside it (workflow/) to follow.

``event_recorded`` is sent after an audit event has been written, inside the service's
transaction. Receivers must not change the case (only services do); they may update their own
bookkeeping (e.g. viewflow's task list) in the same transaction, or defer work with on_commit.
"""

from django.dispatch import Signal

#: sent with ``dispute`` (the locked, saved Dispute) and ``event`` (the DisputeEvent)
event_recorded = Signal()

#: sent with ``dispute`` while a case is being destroyed (disputes/services/archive.py, docs/archive.md), inside the
#: destruction's transaction, before the audit trail's details are erased: a receiver deletes its own rows about the
#: case that hold personal data (the workflow's sent hearing invitations), nothing else
case_destroyed = Signal()
