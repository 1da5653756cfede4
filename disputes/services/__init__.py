"""The only code that changes cases and their documents. Views, flows, tasks, admin actions and
management commands call these functions; each is atomic, keyword-only and takes the acting user
(None for the system).

Outside this package, import from here, never from a private module (``_core``): the building
blocks below are public for the workflow's own writes (workflow/services.py: who holds a task),
which lock the case and write their audit event like every service.
"""

from ._core import CONFLICT_MESSAGE, lock, on_commit_notify, record, service
from .accounts import (
    InvitationClosed,
    invitation_accept,
    invitation_revoke,
    invitation_send,
    membership_end,
    organisation_create,
    organisation_update,
)
from .aftercare import dispute_correct_decision, dispute_record_objection
from .commission import dispute_compose_commission, dispute_replace_seat
from .decision import (
    dispute_close,
    dispute_decide,
    dispute_draft_decision,
    dispute_extend_decision_term,
    dispute_issue_advice,
    dispute_recuse,
    dispute_settle,
    point_advise,
    point_decide,
)
from .documents import dispute_submit_documents, document_upload
from .enforcement import enforce_deadlines
from .filing import dispute_file, dispute_submit, dispute_withdraw, effort_record
from .interested import dispute_invite_view, dispute_join_party
from .joined import dispute_join_cases
from .letters import (
    current_template,
    letter_discard,
    letter_draft,
    letter_edit,
    letter_send,
    letter_template_reset,
    letter_template_save,
    send_system_letter,
)
from .proceedings import (
    dispute_allow_late_response,
    dispute_answer_information,
    dispute_cancel_hearing,
    dispute_close_responses,
    dispute_record_hearing,
    dispute_request_information,
    dispute_reschedule_hearing,
    dispute_respond,
    dispute_schedule_hearing,
    dispute_skip_hearing,
    point_by_key,
)
from .publication import (
    current_publication,
    publication_approve,
    publication_prepare,
    publication_withdraw,
    replacement_add,
    replacement_undo,
)
from .reminders import dispute_send_reminder, reminder_deadlines, send_reminders
from .representatives import representation_check, representation_end, representation_request
from .review import (
    dispute_accept,
    dispute_assess_efforts,
    dispute_declare_inadmissible,
    dispute_lapse_remedy,
    dispute_pass_admissibility,
    dispute_request_remedy,
    dispute_start_review,
    dispute_supply_remedy,
    point_decide_admissibility,
)

#: The service that runs each transition of states.TRANSITIONS (checked by a test).
TRANSITION_SERVICES = {
    "submit": dispute_submit,
    "start_review": dispute_start_review,
    "request_remedy": dispute_request_remedy,
    "supply_remedy": dispute_supply_remedy,
    "lapse_remedy": dispute_lapse_remedy,
    "pass_admissibility": dispute_pass_admissibility,
    "accept": dispute_accept,
    "declare_inadmissible": dispute_declare_inadmissible,
    "close_responses": dispute_close_responses,
    "request_information": dispute_request_information,
    "schedule_hearing": dispute_schedule_hearing,
    "record_hearing": dispute_record_hearing,
    "cancel_hearing": dispute_cancel_hearing,
    "skip_hearing": dispute_skip_hearing,
    "issue_advice": dispute_issue_advice,
    "decide": dispute_decide,
    "extend_decision_term": dispute_extend_decision_term,
    "withdraw": dispute_withdraw,
    "settle": dispute_settle,
    "close": dispute_close,
}

__all__ = [
    "CONFLICT_MESSAGE", "lock", "on_commit_notify", "record", "service",
    "InvitationClosed", "invitation_accept", "invitation_revoke", "invitation_send", "membership_end",
    "organisation_create", "organisation_update",
    "representation_check", "representation_end", "representation_request",
    "current_publication", "publication_approve", "publication_prepare", "publication_withdraw", "replacement_add",
    "replacement_undo",
    "current_template", "letter_discard", "letter_draft", "letter_edit", "letter_send", "letter_template_reset",
    "letter_template_save", "send_system_letter",
    "dispute_correct_decision", "dispute_record_objection", "dispute_invite_view", "dispute_join_party",
    "dispute_join_cases",
    "TRANSITION_SERVICES", "dispute_accept", "dispute_allow_late_response", "dispute_answer_information",
    "dispute_assess_efforts", "dispute_cancel_hearing", "dispute_compose_commission", "dispute_replace_seat",
    "dispute_close", "dispute_close_responses", "dispute_decide", "dispute_declare_inadmissible",
    "dispute_draft_decision", "dispute_extend_decision_term", "dispute_file", "dispute_issue_advice",
    "dispute_lapse_remedy", "dispute_pass_admissibility", "dispute_record_hearing", "dispute_recuse",
    "dispute_request_information", "dispute_request_remedy", "dispute_reschedule_hearing", "dispute_respond",
    "dispute_schedule_hearing", "dispute_send_reminder", "reminder_deadlines",
    "dispute_settle", "dispute_skip_hearing", "dispute_start_review", "dispute_submit", "dispute_submit_documents",
    "dispute_supply_remedy",
    "dispute_withdraw", "document_upload", "effort_record", "enforce_deadlines", "point_advise", "point_by_key",
    "point_decide", "point_decide_admissibility", "send_reminders",
]
