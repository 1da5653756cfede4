"""What the staff case page and the task pages show of a case (reads only, filtered per user)."""

from itertools import groupby

from django.db.models import Prefetch
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext_lazy as _

from disputes import admissibility, clock, permissions, selectors
from disputes.models import Document, EffortEntry, PointPosition, StaffRole, event_label
from disputes.portal.timeline import fields_in_words
from disputes.states import DisputeState


def prechecks(dispute) -> list[admissibility.Check]:
    """The pre-checks of admissibility as they stood on the day of filing: what the portal's review page computed
    for the applicant that day (one implementation, disputes/admissibility.py), worded for the staff, who read
    about the applicant rather than being addressed as the applicant."""
    filed_on = clock.localdate(dispute.submitted_at) if dispute.submitted_at else None
    return admissibility.prechecks(dispute, today=filed_on, reader=admissibility.STAFF)


def shows_decisions(user, dispute) -> bool:
    """The Minister's decision per point: ministry and secretariat always, the commission once it is final."""
    return (
        user.is_superuser
        or permissions.has_role(user, StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL)
        or dispute.state in (DisputeState.DECIDED, DisputeState.CLOSED)
    )


def points(dispute):
    return dispute.points.prefetch_related(
        Prefetch("positions", queryset=PointPosition.objects.select_related("organisation"))
    )


def commission_seats(dispute) -> list:
    """Every seat of the case's commission, ended ones included (who left, who stepped in, and why)."""
    return list(dispute.commission_seats.select_related("user", "replaces__user").order_by("appointed_at", "pk"))


def joined_cases(user, dispute) -> list:
    """The cases joined to this lead case that the user may see (disputes/services/joined.py)."""
    from disputes.models import Dispute

    return list(Dispute.objects.visible_to(user).filter(joined_to=dispute).order_by("case_number"))


def bundles(user, dispute, step: str | None = None) -> list:
    """The documents the user may see, grouped by bundle (step and round), oldest first."""
    documents = selectors.documents_for(user, dispute)
    if step:
        documents = documents.filter(bundle__step=step)
    return [(bundle, list(docs)) for bundle, docs in groupby(documents, key=lambda d: d.bundle)]


#: reasons an event's payload records, with what they are the reason for (shown with the event)
REASONS = (
    ("reason", _("reden")),
    ("after_term_reason", _("waarom na de beslistermijn")),
    ("open_requests_reason", _("waarom met een openstaande vraag om inlichtingen")),
)


def timeline(user, dispute) -> list:
    """Every event of the case the user may see, oldest first, described."""
    return _described(list(selectors.events_for(user, dispute)))


def recent_timeline(user, dispute) -> tuple[list, bool]:
    """The latest events of the timeline, oldest first, described, and whether there are earlier ones
    (``selectors.latest_events``)."""
    events, earlier = selectors.latest_events(selectors.events_for(user, dispute))
    return _described(events), earlier


def _described(events: list) -> list:
    for event in events:
        event.label = event_label(event.kind)
        payload = event.payload if isinstance(event.payload, dict) else {}
        event.reasons = [(label, str(payload[key])) for key, label in REASONS
                         if isinstance(payload.get(key), str) and payload[key].strip()]
        # what a draft_updated event changed, in words (its payload names the fields)
        event.fields = fields_in_words(payload.get("fields")) if event.kind == "draft_updated" else ""
    return events


def effort_log(dispute):
    return (
        EffortEntry.objects.filter(agreement_id=dispute.agreement_id)
        .select_related("organisation")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.current().filter(confidentiality="parties")))
        .order_by("occurred_on", "recorded_at")
    )


def late_remedy(dispute) -> list:
    """What an applicant sent after the remedy term passed unused, before the decision: the official who
    declares the request inadmissible sees it and must weigh it (Awb 4:5)."""
    from disputes.services.review import late_remedy as documents_after_lapse

    return documents_after_lapse(dispute)


def settlement_signatories(dispute) -> list[str]:
    """Who signed the settlement (the agreement, or the withdrawal) the secretary recorded: from its event."""
    event = dispute.events.filter(kind="settle").order_by("-at", "-pk").first()
    return [str(s.get("name", "")) for s in (event.payload.get("signed_by") or [])] if event else []


def dossier_panel() -> str | None:
    """The dossier team's include for the case page, when it exists."""
    try:
        get_template("dossier/_export_panel.html")
    except TemplateDoesNotExist:
        return None
    return "dossier/_export_panel.html"
