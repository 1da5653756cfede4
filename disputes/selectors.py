"""Reads: querysets already filtered to what a user may see, with what the page needs prefetched."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from . import clock, permissions
from .atw import format_date_nl
from .models import Deadline, DeadlineKind, Dispute, DisputeEvent, Document, RepresentationStatus


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
            ),
            decision_deadlines_prefetch(),  # "te laat beslist" (late_decisions), without a query per case
        )
        .order_by("-submitted_at", "-created_at")
    )


def acting_for(dispute: Dispute, organisation_ids) -> Q:
    """The users who act for ``organisation_ids`` on ``dispute`` (a filter on users): the active members of those
    organisations and their approved representatives on this case (gemachtigden, docs/accounts.md). Who hears of a
    case's events by e-mail and who is invited to its hearing."""
    organisation_ids = list(organisation_ids)
    return (Q(memberships__organisation_id__in=organisation_ids, memberships__ended_at__isnull=True)
            | Q(representations__dispute_id=dispute.pk, representations__organisation_id__in=organisation_ids,
                representations__status=RepresentationStatus.APPROVED, representations__ended_at__isnull=True))


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


#: a case page shows the latest this many events of its timeline, with a link to the whole of it: a case with 2,000
#: events rendered them all, about 360 KB of a page of 520 KB (docs/load.md)
TIMELINE_LATEST = 100


def latest_events(events: QuerySet[DisputeEvent], whole: bool = False,
                  latest: int = TIMELINE_LATEST) -> tuple[list[DisputeEvent], bool]:
    """The case pages' timeline, oldest first: the latest ``latest`` of ``events`` and whether there are earlier
    ones (one query of ``latest`` + 1, newest first, whatever the number), or with ``whole`` every one."""
    if whole:
        return list(events.order_by("at", "pk")), False
    newest = list(events.order_by("-at", "-pk")[:latest + 1])
    return newest[:latest][::-1], len(newest) > latest


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


# -- a late decision (issue 12, defect 8): the one rule every page that shows a case reads -------------------
@dataclass(frozen=True)
class LateDecision:
    """The Minister decided after the decision term (with its suspensions and extensions) had ended."""

    decided_on: date
    due: date

    @property
    def days_late(self) -> int:
        return (self.decided_on - self.due).days

    def text(self) -> str:
        return _(
            "Te laat beslist: de uitspraak is van %(decided_on)s; de beslistermijn (met opschortingen en "
            "verlengingen) liep tot en met %(due)s."
        ) % {"decided_on": format_date_nl(self.decided_on), "due": format_date_nl(self.due)}


def decision_due(dispute: Dispute) -> date | None:
    """The last day of the decision term as it finally stood (open or closed), or ``None``."""
    deadline = dispute.deadlines.filter(kind=DeadlineKind.DECISION).order_by("-created_at", "-pk").first()
    return deadline.due if deadline else None


_UNKNOWN = object()


def late_decision(dispute: Dispute, *, due=_UNKNOWN) -> LateDecision | None:
    """Whether the case was decided (binding decision or inadmissibility) after its decision term's due date:
    the decision's Amsterdam date is later than the due date of the decision deadline, which carries every
    suspension (Awb 4:15) and extension (BTIV 40 lid 2). ``due`` when the caller already read it."""
    if dispute.decided_at is None:
        return None
    due = decision_due(dispute) if due is _UNKNOWN else due
    if due is None:
        return None
    decided_on = clock.localdate(dispute.decided_at)
    return LateDecision(decided_on=decided_on, due=due) if decided_on > due else None


#: the prefetch ``late_decisions`` reads instead of querying: every decision deadline of each case
DECISION_DEADLINES = "decision_deadlines"


def decision_deadlines_prefetch() -> Prefetch:
    """For a list page: ``Prefetch`` of every decision deadline (open or closed), read by ``late_decisions``."""
    return Prefetch("deadlines", queryset=Deadline.objects.filter(kind=DeadlineKind.DECISION),
                    to_attr=DECISION_DEADLINES)


def late_decisions(disputes) -> dict:
    """``late_decision`` for a list of cases, from ``decision_deadlines_prefetch`` or else in one query:
    case pk -> LateDecision, for the late ones."""
    decided = [d for d in disputes if d.decided_at is not None]
    if not decided:
        return {}
    if all(hasattr(d, DECISION_DEADLINES) for d in decided):
        rows = [(d.pk, deadline.due) for d in decided
                for deadline in sorted(getattr(d, DECISION_DEADLINES), key=lambda x: (x.created_at, x.pk))]
    else:
        rows = (Deadline.objects.filter(dispute__in=[d.pk for d in decided], kind=DeadlineKind.DECISION)
                .order_by("created_at", "pk").values_list("dispute_id", "due"))
    dues = dict(rows)  # the latest per case wins
    verdicts = {d.pk: late_decision(d, due=dues.get(d.pk)) for d in decided}
    return {pk: verdict for pk, verdict in verdicts.items() if verdict is not None}
