"""What the staff case page and the task pages show of a case (reads only, filtered per user)."""

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Prefetch
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _

from disputes import clock, permissions, selectors
from disputes.deadlines import add_period, format_date_nl
from disputes.models import DeadlineKind, Document, EffortEntry, PointPosition, StaffRole
from disputes.rules import rule_set_by_code
from disputes.states import TRANSITIONS

from .actions import EVENT_LABELS


@dataclass
class Precheck:
    label: str
    #: True: in order; False: a problem; None: cannot be determined
    ok: bool | None
    lines: list = field(default_factory=list)


def prechecks(dispute) -> list[Precheck]:
    """The pre-checks of admissibility, as they stood on the day of filing.

    Uses the portal's ``disputes.portal.prechecks.prechecks(dispute, today=...)`` (the checks the
    applicant saw before filing) when it exists; otherwise our own summary of the stored filing
    deadline, the ministry's window and the six months of overleg.
    """
    try:
        from disputes.portal import prechecks as portal_prechecks  # written by the portal team
    except ImportError:
        portal_prechecks = None
    function = getattr(portal_prechecks, "prechecks", None)
    if callable(function):
        filed_on = clock.localdate(dispute.submitted_at) if dispute.submitted_at else None
        try:
            return [_as_precheck(item) for item in function(dispute, today=filed_on)]
        except Exception:  # an unexpected shape or signature: fall back on the stored data
            pass
    return _own_prechecks(dispute)


def _as_precheck(item) -> Precheck:
    def pick(*names, default=None):
        for name in names:
            if isinstance(item, dict) and name in item:
                return item[name]
            if hasattr(item, name):
                return getattr(item, name)
        return default

    lines = pick("explanation", "lines", "details", default=()) or ()
    if isinstance(lines, str):
        lines = [lines]
    return Precheck(
        label=str(pick("message", "label", "title", default="")), ok=pick("ok", "passed"),
        lines=[str(line) for line in lines],
    )


def _own_prechecks(dispute) -> list[Precheck]:
    checks = []
    filing = dispute.deadlines.filter(kind=DeadlineKind.FILING).order_by("-created_at").first()
    submitted_on = dispute.submitted_at.date() if dispute.submitted_at else None
    if filing is not None:
        ok = submitted_on <= filing.due if submitted_on else None
        checks.append(Precheck(
            _("Indieningstermijn (vier weken na het ontstaan van het geschil)"), ok,
            [*filing.explanation, _("Ingediend op %(date)s.") % {"date": format_date_nl(submitted_on)}]
            if submitted_on else list(filing.explanation),
        ))
    else:
        checks.append(Precheck(_("Indieningstermijn"), None, [_("De datum waarop het geschil ontstond ontbreekt.")]))
    rules = rule_set_by_code(dispute.rule_set)
    if dispute.kind == "totstandkoming" and rules.window and submitted_on:
        (from_month, from_day), (to_month, to_day) = rules.window
        after_start = (submitted_on.month, submitted_on.day) >= (from_month, from_day)
        before_end = (submitted_on.month, submitted_on.day) <= (to_month, to_day)
        ok = after_start or before_end if (from_month, from_day) > (to_month, to_day) else after_start and before_end
        checks.append(Precheck(
            _("Tijdvak van het ministerie"), ok,
            [_("Indienen kan van %(start)02d-%(smonth)02d tot en met %(end)02d-%(emonth)02d; ingediend op %(date)s.")
             % {"start": from_day, "smonth": from_month, "end": to_day, "emonth": to_month,
                "date": format_date_nl(submitted_on)}],
        ))
    started = dispute.agreement.overleg_started_on
    if dispute.kind == "totstandkoming":
        if started is None:
            checks.append(Precheck(_("Zes maanden overleg"), None, [_("De startdatum van het overleg ontbreekt.")]))
        else:
            mark = add_period(started, months=rules.overleg_months)
            arose = dispute.arose_on
            ok = arose >= mark if arose else None
            lines = [_("Overleg gestart op %(start)s; %(months)d maanden verstreken op %(mark)s.")
                     % {"start": format_date_nl(started), "months": rules.overleg_months, "mark": format_date_nl(mark)}]
            if arose:
                lines.append(_("Geschil ontstaan op %(date)s.") % {"date": format_date_nl(arose)})
            checks.append(Precheck(_("Zes maanden overleg (art. 44 lid 4 Woningwet)"), ok, lines))
    return checks


def event_label(kind: str) -> str:
    if kind in TRANSITIONS:
        return str(TRANSITIONS[kind].label)
    return str(EVENT_LABELS.get(kind, kind))


def shows_decisions(user, dispute) -> bool:
    """The Minister's decision per point: ministry and secretariat always, the commission once it is final."""
    return (
        user.is_superuser
        or permissions.has_role(user, StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL)
        or dispute.state in ("decided", "closed")
    )


def points(dispute):
    return dispute.points.prefetch_related(
        Prefetch("positions", queryset=PointPosition.objects.select_related("organisation"))
    )


def bundles(user, dispute, step: str | None = None) -> list:
    """The documents the user may see, grouped by bundle (step and round), oldest first."""
    documents = selectors.documents_for(user, dispute)
    if step:
        documents = documents.filter(bundle__step=step)
    return [(bundle, list(docs)) for bundle, docs in groupby(documents, key=lambda d: d.bundle)]


def timeline(user, dispute) -> list:
    events = list(selectors.events_for(user, dispute))
    for event in events:
        event.label = event_label(event.kind)
    return events


def effort_log(dispute):
    return (
        EffortEntry.objects.filter(agreement_id=dispute.agreement_id)
        .select_related("organisation")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.current().filter(confidentiality="parties")))
        .order_by("occurred_on", "recorded_at")
    )


def dossier_panel() -> str | None:
    """The dossier team's include for the case page, when it exists."""
    try:
        get_template("dossier/_export_panel.html")
    except TemplateDoesNotExist:
        return None
    return "dossier/_export_panel.html"
