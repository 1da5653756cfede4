"""Reads: querysets already filtered to what a user may see, with what the page needs prefetched."""

from dataclasses import dataclass
from datetime import datetime

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


def without_draft_history(events: QuerySet[DisputeEvent], dispute: Dispute) -> QuerySet[DisputeEvent]:
    """``events`` without the draft's history, which stays with its applicants: nothing from before the
    submission (the concept, what was changed in it, documents added to it or taken out of it).

    The one rule for what respondents see: their case page and the party version of the dossier
    (which every party receives) both apply it.
    """
    if dispute.submitted_at is None:
        return events
    return events.filter(at__gte=dispute.submitted_at)


@dataclass
class InformationRequest:
    """A question of the secretariat to one party, and its answer when there is one."""

    deadline: Deadline
    question: str
    asked_at: datetime
    answer: DisputeEvent | None = None

    @property
    def is_open(self) -> bool:
        return self.deadline.closed_at is None


def information_requests(dispute: Dispute) -> list[InformationRequest]:
    """Every information request of a case, oldest first (two queries). The parties all read them:
    the questions and answers are part of the exchange (hoor en wederhoor).

    A question (``request_information`` event) and its answer (``information_answered``) both name the
    deadline by id. Questions asked before the question named its deadline are paired with the remaining
    information deadlines in order, as they were made (one of each per request).
    """
    events = list(dispute.events.filter(kind__in=("request_information", "information_answered"))
                  .select_related("actor", "actor_organisation").order_by("at", "pk"))
    asked = [e for e in events if e.kind == "request_information"]
    answers = {e.payload.get("deadline"): e for e in events if e.kind == "information_answered"}
    deadlines = list(dispute.deadlines.filter(kind=DeadlineKind.INFORMATION).select_related("organisation")
                     .order_by("created_at", "pk"))
    by_id = {deadline.pk: deadline for deadline in deadlines}
    pairs = [(event, by_id[event.payload["deadline"]]) for event in asked if event.payload.get("deadline") in by_id]
    named = {deadline.pk for _event, deadline in pairs}
    older = [event for event in asked if "deadline" not in event.payload]
    pairs += zip(older, [d for d in deadlines if d.pk not in named], strict=False)
    pairs.sort(key=lambda pair: (pair[0].at, pair[0].pk))
    return [
        InformationRequest(deadline=deadline, question=event.payload.get("question", ""), asked_at=event.at,
                           answer=answers.get(deadline.pk))
        for event, deadline in pairs
    ]


def open_information_requests(dispute: Dispute, organisation_ids) -> list[InformationRequest]:
    """The open information requests of a case put to these organisations, oldest first."""
    wanted = set(organisation_ids)
    return [r for r in information_requests(dispute) if r.is_open and r.deadline.organisation_id in wanted]
