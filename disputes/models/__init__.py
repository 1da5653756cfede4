from .agreement import EffortEntry, EffortKind, LocalAgreement
from .dispute import (
    Admissibility,
    CaseNumberCounter,
    Deadline,
    DeadlineKind,
    Dispute,
    DisputeKind,
    DisputeParty,
    DisputePoint,
    Finding,
    InadmissibilityReason,
    PartyRole,
    PointPosition,
    Recusal,
)
from .document import Bundle, Confidentiality, Document, DocumentType, Step
from .event import DisputeEvent, Notification
from .party import COMMISSION_ROLES, TENANT_KINDS, Membership, Organisation, OrganisationKind, StaffRole

__all__ = [
    "COMMISSION_ROLES", "TENANT_KINDS", "Admissibility", "Bundle", "CaseNumberCounter", "Confidentiality",
    "Deadline", "DeadlineKind", "Dispute", "DisputeEvent", "DisputeKind", "DisputeParty", "DisputePoint",
    "Document", "DocumentType", "EffortEntry", "EffortKind", "Finding", "InadmissibilityReason",
    "LocalAgreement", "Membership", "Notification", "Organisation", "OrganisationKind", "PartyRole", "PointPosition",
    "Recusal", "StaffRole", "Step",
]
