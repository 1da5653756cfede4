"""Reads: querysets already filtered to what a user may see, with what the page needs prefetched."""

from django.db.models import Prefetch, QuerySet

from . import permissions
from .models import Deadline, DeadlineKind, Dispute, DisputeEvent, Document


def disputes_for(user) -> QuerySet[Dispute]:
    """The case list of the home page: every case the user may see, newest first."""
    return (
        Dispute.objects.visible_to(user)
        .select_related("agreement__municipality")
        .prefetch_related("parties__organisation")
        .prefetch_related(
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.filter(kind=DeadlineKind.DECISION, closed_at__isnull=True),
                to_attr="open_decision_deadlines",
            )
        )
        .order_by("-submitted_at", "-created_at")
    )


def documents_for(user, dispute: Dispute) -> QuerySet[Document]:
    return (
        dispute.documents.current().filter(confidentiality__in=permissions.visible_confidentialities(user, dispute))
        .select_related("bundle", "organisation")
        .order_by("bundle__created_at", "uploaded_at", "pk")
    )


def events_for(user, dispute: Dispute) -> QuerySet[DisputeEvent]:
    return dispute.events.filter(
        visibility__in=permissions.visible_confidentialities(user, dispute)
    ).select_related("actor", "actor_organisation")
