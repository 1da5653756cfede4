from .access import AccessAction, AccessLogEntry, AccessResult
from .accounts import Invitation, InvitationKind, Representation, RepresentationStatus
from .agreement import EffortEntry, EffortKind, LocalAgreement
from .api import (
    ApiApplication,
    ApiKey,
    ApiScope,
    DeliveryStatus,
    IdempotentRequest,
    WebhookDelivery,
    WebhookSubscription,
)
from .archive import (
    ArchiveRole,
    CaseRetention,
    DestructionItem,
    DestructionItemScope,
    DestructionItemStatus,
    DestructionList,
    DestructionReview,
    DestructionStatus,
    DocumentRetention,
    ItemReview,
    Nomination,
    RetentionRule,
    RetentionScope,
    ReviewDecision,
)
from .commission import CaseSeat, CaseSeatRole
from .dispute import (
    Admissibility,
    CaseNumberCounter,
    Deadline,
    DeadlineKind,
    DeadlineReminder,
    Dispute,
    DisputeKind,
    DisputeParty,
    DisputePoint,
    Finding,
    InadmissibilityReason,
    PartyRole,
    PointPosition,
    Recusal,
    ReminderKind,
)
from .document import (
    Bundle,
    Confidentiality,
    Document,
    DocumentType,
    DossierAudience,
    DossierExport,
    ExportStatus,
    Step,
)
from .event import DisputeEvent, EventKind, Notification, OutboxMessage, event_label
from .letters import Letter, LetterCopy, LetterStatus, LetterTemplate
from .party import (
    COMMISSION_ROLES,
    TENANT_KINDS,
    Membership,
    Organisation,
    OrganisationKind,
    Province,
    StaffRole,
)
from .publication import Publication, PublicationStatus, Replacement, ReplacementKind
from .search import DocumentPageText, DocumentText, SearchEntry, TextOutcome

__all__ = [
    "ApiApplication", "ApiKey", "ApiScope", "DeliveryStatus", "IdempotentRequest", "WebhookDelivery",
    "WebhookSubscription",
    "ArchiveRole", "CaseRetention", "DestructionItem", "DestructionItemScope", "DestructionItemStatus",
    "DestructionList", "DestructionReview", "DestructionStatus", "DocumentRetention", "ItemReview", "Nomination",
    "RetentionRule", "RetentionScope", "ReviewDecision",
    "Letter", "LetterCopy", "LetterStatus", "LetterTemplate",
    "Publication", "PublicationStatus", "Replacement", "ReplacementKind",
    "Invitation", "InvitationKind", "Representation", "RepresentationStatus",
    "DocumentPageText", "DocumentText", "SearchEntry", "TextOutcome",
    "AccessAction", "AccessLogEntry", "AccessResult",
    "CaseSeat", "CaseSeatRole",
    "OutboxMessage",
    "DossierAudience", "DossierExport", "ExportStatus",
    "Admissibility", "Bundle", "COMMISSION_ROLES", "CaseNumberCounter", "Confidentiality", "Deadline",
    "DeadlineKind", "DeadlineReminder", "Dispute", "DisputeEvent", "DisputeKind", "DisputeParty", "EventKind",
    "event_label",
    "DisputePoint", "Document", "DocumentType", "EffortEntry", "EffortKind", "Finding", "InadmissibilityReason",
    "LocalAgreement", "Membership", "Notification", "Organisation", "OrganisationKind", "PartyRole",
    "PointPosition", "Province", "Recusal", "ReminderKind", "StaffRole", "Step", "TENANT_KINDS",
]
