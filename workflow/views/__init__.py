"""The staff pages under /werk/: worklist, inbox and queue, case page, task pages, case actions.

Thin views: parse a form with explicit fields, make one service call, respond. Cases are loaded
through ``permissions.get_dispute_for_user_or_404``; state changes only by POST (CSRF). The
domain's errors are mapped once (``base.domain_error``): Conflict -> 409 page, NotPermitted -> 403
page, ValidationError -> form errors, a refused transition or operation / DeadlineError -> a
clear message on the page. Never a 500 for something the user did.

- ``base``: ``StaffView`` (staff only), the error page and the helpers the pages share;
- ``lists``: the worklist, the inbox and queue, the commission's roster;
- ``archive``: the ended cases, filtered and paginated (``workflow.archive``);
- ``case``: the case page;
- ``letters``: a case's letters: draft, check, send (``letter-*``), and the blank letter of a kind (``letter``);
- ``task``: a task's page and taking, assigning or releasing a task;
- ``case_actions``: an action on the case outside a task (the table is ``workflow.actions``);
- ``letter_templates``: the secretariat's wording of the letters, with preview and versions (docs/letters.md);
- ``organisations``: the secretariat's party organisations, members and invitations (docs/accounts.md);
- ``search``: staff search over cases and documents (``disputes.search``);
- ``publication``: the review of a decided case's publication: prepare, replacements, approve (four eyes),
  withdraw (docs/publication.md);
- ``dashboard``: the figures for the secretariat and the ministry, as charts, tables and CSV, and the year
  report (PDF, CSV).
"""

from .archive import ArchiveView
from .base import StaffView, render_error
from .case import CaseView
from .case_actions import CaseActionView
from .dashboard import AnnualReportView, DashboardView
from .letter_templates import (
    LetterTemplatePreviewView,
    LetterTemplateResetView,
    LetterTemplatesView,
    LetterTemplateView,
)
from .letters import (
    LetterDiscardView,
    LetterDraftView,
    LetterEditView,
    LetterPreviewView,
    LetterSendView,
    LetterView,
)
from .lists import InboxView, RosterView, WorklistView
from .organisations import (
    InvitationRevokeView,
    MembershipEndView,
    OrganisationFormView,
    OrganisationInviteView,
    OrganisationsView,
    OrganisationView,
)
from .publication import (
    PublicationApproveView,
    PublicationPrepareView,
    PublicationView,
    PublicationWithdrawView,
    ReplacementAddView,
    ReplacementUndoView,
)
from .representatives import RepresentationCheckView, RepresentationEndView
from .search import SearchView
from .task import TaskAssignView, TaskView

__all__ = [
    "AnnualReportView",
    "ArchiveView",
    "CaseActionView",
    "CaseView",
    "DashboardView",
    "InboxView",
    "InvitationRevokeView",
    "LetterTemplatePreviewView",
    "LetterTemplateResetView",
    "LetterTemplateView",
    "LetterTemplatesView",
    "MembershipEndView",
    "OrganisationFormView",
    "OrganisationInviteView",
    "OrganisationView",
    "OrganisationsView",
    "PublicationApproveView",
    "PublicationPrepareView",
    "PublicationView",
    "PublicationWithdrawView",
    "ReplacementAddView",
    "ReplacementUndoView",
    "RepresentationCheckView",
    "RepresentationEndView",
    "LetterDiscardView",
    "LetterDraftView",
    "LetterEditView",
    "LetterPreviewView",
    "LetterSendView",
    "LetterView",
    "RosterView",
    "SearchView",
    "StaffView",
    "TaskAssignView",
    "TaskView",
    "WorklistView",
    "render_error",
]
