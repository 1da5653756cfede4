"""What goes into a dossier: read from the case once, in procedure order, for one audience.

Everything the PDF and the ZIP show comes from here, as plain data, so both are a pure function
of the case version: no clock, no request, no user.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..clock import AMSTERDAM
from ..letters import reasons_in_words
from ..models import (
    Admissibility,
    Confidentiality,
    Dispute,
    DisputeEvent,
    DisputePoint,
    Document,
    DossierAudience,
    Finding,
    InadmissibilityReason,
    PartyRole,
    StaffRole,
    Step,
)
from ..models import event_label as models_event_label
from ..selectors import late_decision, without_draft_history
from ..states import DisputeState
from ..uploads import clean_display_name

#: Events that record reading or the export itself, not a change of the case. They are left out of
#: the dossier's timeline and of the case version, so asking for (or downloading) a dossier does
#: not make a new version of it.
READ_EVENT_KINDS = frozenset({
    "dossier_requested", "dossier_exported", "dossier_export_failed", "dossier_downloaded", "document_downloaded",
})

STEP_ORDER = {value: index for index, value in enumerate(Step.values)}


def case_version(dispute: Dispute) -> str:
    """``<Dispute.version>-<documents>-<events>``, counting only what the dossier is made of.

    The events in ``READ_EVENT_KINDS`` are not counted: requesting an export records an event, and
    that may not turn the same case into a "new version". Nor are documents of the ``dossier`` step:
    exports stored as documents before migration 0009 (exports now keep their own files).
    """
    documents = Document.objects.filter(dispute=dispute).exclude(bundle__step=Step.DOSSIER).count()
    events = DisputeEvent.objects.filter(dispute=dispute).exclude(kind__in=READ_EVENT_KINDS).count()
    return f"{dispute.version}-{documents}-{events}"


def by_organisation(event) -> str:
    """The party that acted; an act of its representative reads "gemachtigde namens" it (no person's name: the
    dossier names institutions, as ``staff_label``)."""
    if event.payload.get("representative"):
        return _("Gemachtigde namens %(organisation)s") % {"organisation": event.actor_organisation.name}
    return event.actor_organisation.name


def staff_label(user) -> str:
    """An institution, never a person: who acted for the ministry or the commission."""
    if user is None:
        return _("Systeem")
    names = {g.name for g in user.groups.all()}
    if StaffRole.MINISTER_OFFICIAL in names:
        return _("Ministerie (namens de Minister)")
    if StaffRole.SECRETARY in names:
        return _("Secretariaat adviescommissie")
    if names & {StaffRole.COMMISSION_CHAIR, StaffRole.COMMISSION_MEMBER}:
        return _("Adviescommissie")
    return _("Onbekend")


def local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(AMSTERDAM) if moment else None


def format_moment(moment: datetime | None) -> str:
    return local(moment).strftime("%d-%m-%Y %H:%M") if moment else "-"


def format_day(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime("%d-%m-%Y")


_UNSAFE_PATH = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def zip_name(display_name: str, content_type: str) -> str:
    """A file name that every archive tool and file system accepts, readable, at most 100 chars."""
    name = clean_display_name(display_name, default="document")
    name = unicodedata.normalize("NFC", _UNSAFE_PATH.sub("_", name)).strip(" ._") or "document"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if content_type == "application/pdf" and ext.lower() != "pdf":
        stem, ext = name, "pdf"
    ext = ext[:10]
    stem = stem[: 100 - len(ext) - 1] if ext else stem[:100]
    return f"{stem}.{ext}" if ext else stem


@dataclass(eq=False)
class DocEntry:
    document: Document
    number: int  # 1-based within its bundle
    title: str
    type_label: str
    uploader: str
    uploaded_at: datetime
    confidentiality: str
    confidentiality_label: str
    zip_path: str
    # filled while building
    local_path: str = ""
    page_count: int = 0  # pages in the dossier (1 for a placeholder)
    placeholder_reason: str = ""  # non-empty: not a readable PDF, a placeholder page stands in
    start_page: int = 0
    pdfa: bool = False

    @property
    def is_pdf(self) -> bool:
        return self.document.content_type == "application/pdf"


@dataclass(eq=False)
class BundleEntry:
    step: str
    sequence: int
    label: str
    folder: str
    documents: list[DocEntry] = field(default_factory=list)

    @property
    def start_page(self) -> int:
        return self.documents[0].start_page if self.documents else 0


@dataclass
class EventEntry:
    at: datetime
    label: str
    by: str
    detail: str


@dataclass
class PositionEntry:
    organisation: str
    text: str


@dataclass
class PointEntry:
    """One dispute point as the dossier shows it. Admissibility in three steps (procedure.md §0): the
    secretariat's proposal, the commission's advice on it and the Minister's decision, reasons in words."""

    number: int
    title: str
    positions: list[PositionEntry]
    #: the secretariat's proposal (label), its reasons in words and its note
    admissibility: str
    reasons: str
    admissibility_note: str
    advice_finding: str
    advice_recommendation: str
    decision_finding: str
    decision_follows_advice: bool | None
    decision_reason: str
    #: the commission's advice on admissibility (label, "" when it advised none or this audience may not see
    #: it), whether it departs from the proposal, and its reasons in words
    advice_admissibility: str = ""
    advice_departs: bool = False
    advice_reasons: str = ""
    #: the Minister's decision on admissibility (label, "" while not decided or not for this audience), whether
    #: it departs from the proposal, its reasons in words, and whether the decision has been adopted
    decision_admissibility: str = ""
    decision_departs: bool = False
    decision_reasons: str = ""
    decision_adopted: bool = False
    #: the Minister decided the point inadmissible: there is no decision on the merits
    decided_inadmissible: bool = False
    #: the commission advised the point inadmissible: there is no finding on the merits
    advised_inadmissible: bool = False


@dataclass
class DossierContent:
    dispute: Dispute
    audience: str
    audience_label: str
    case_number: str
    case_version: str
    title: str
    kind_label: str
    state_label: str
    agreement: str
    applicants: list[str]
    respondents: list[str]
    arose_on: str
    submitted_at: str
    decided_at: str
    ended_at: str
    outcome: list[str]
    dossier_date: datetime
    events: list[EventEntry]
    points: list[PointEntry]
    bundles: list[BundleEntry]
    #: the commission as composed for the case: "role: name", seats that ended included with why
    commission: list[str] = field(default_factory=list)

    @property
    def documents(self) -> list[DocEntry]:
        return [d for b in self.bundles for d in b.documents]

    @property
    def file_stem(self) -> str:
        suffix = "-partijversie" if self.audience == DossierAudience.PARTY else ""
        return f"{self.case_number}-dossier{suffix}"


def event_label(kind: str) -> str:
    """The dossier's timeline names an event by its label in the one table (``EventKind``); an unknown
    kind, from a later version, reads as words."""
    label = models_event_label(kind)
    return label if label != kind else kind.replace("_", " ").capitalize()


#: the events by which the Minister decides (a late one is marked as late in the timeline)
DECISION_EVENT_KINDS = frozenset({"decide", "declare_inadmissible"})


def _event_detail(event: DisputeEvent, doc_types: dict, late=None) -> str:
    payload = event.payload or {}
    parts = []
    if late is not None and event.kind in DECISION_EVENT_KINDS:
        parts.append(late.text())
    if event.kind == "objection_recorded":
        parts.append(_after_decision_objection(payload))
    if event.kind == "document_added" and payload.get("name"):
        type_label = doc_types.get(payload.get("type"), payload.get("type", ""))
        parts.append(f"{type_label}: {payload['name']}")
    if payload.get("point"):
        parts.append(_("geschilpunt %(key)s") % {"key": payload["point"]})
    if event.kind == "information_answered":
        parts.append(_("door %(party)s") % {"party": payload.get("party", "")})
        parts.append(_("vraag: %(question)s") % {"question": payload.get("question", "")})
        if payload.get("answer", "").strip():
            parts.append(_("antwoord: %(answer)s") % {"answer": payload["answer"].strip()})
        if payload.get("late"):
            parts.append(_("na de termijn"))
    if event.kind == "hearing_rescheduled" and payload.get("hearing_at"):
        try:
            parts.append(_("nieuw moment %(when)s") % {
                "when": datetime.fromisoformat(payload["hearing_at"]).astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")})
        except (TypeError, ValueError):
            pass
    if event.kind == "settle" and payload.get("signed_by"):
        parts.append(_("ondertekend door %(names)s") % {
            "names": ", ".join(str(s.get("name", "")) for s in payload["signed_by"])})
    if event.kind == "applicant_withdrawn" and payload.get("remaining"):
        parts.append(_("loopt door voor %(names)s") % {"names": ", ".join(payload["remaining"])})
    if event.kind == "extend_decision_term" and payload.get("notified"):  # BTIV art. 40 lid 2
        parts.append(_("verlengingsbericht aan %(names)s") % {"names": ", ".join(
            _("college van B&W van %(name)s") % {"name": n.get("name", "")} if n.get("as") == "municipality"
            else str(n.get("name", "")) for n in payload["notified"])})
    for key in ("reason", "note", "place"):
        if isinstance(payload.get(key), str) and payload[key].strip():
            parts.append(payload[key].strip())
    if payload.get("due"):
        try:
            parts.append(_("uiterlijk %(date)s") % {"date": format_day(datetime.fromisoformat(payload["due"]))})
        except (TypeError, ValueError):
            pass
    if event.from_state and event.to_state and event.from_state != event.to_state:
        parts.append(
            f"{DisputeState(event.from_state).label} -> {DisputeState(event.to_state).label}"
            if event.from_state in DisputeState.values and event.to_state in DisputeState.values
            else f"{event.from_state} -> {event.to_state}"
        )
    return "; ".join(str(p) for p in parts)


def decided_admissibility(dispute: Dispute, point: DisputePoint) -> str:
    """The Minister's decision on a point's admissibility, ``""`` while there is none: the secretariat's
    verdict is only a proposal (procedure.md §0). A case decided before the decision per point was recorded
    reads as its proposal, or as inadmissible when the request as a whole was declared so."""
    if point.decision_admissibility:
        return point.decision_admissibility
    if dispute.decided_at is None:
        return ""
    if dispute.inadmissibility_reasons:
        return Admissibility.INADMISSIBLE
    return point.admissibility if point.admissibility != Admissibility.PENDING else ""


def _latest_payloads(events: list[DisputeEvent], kind: str) -> dict[str, dict]:
    """The payload of the latest event of ``kind`` per point key (``events`` in order)."""
    latest = {}
    for event in events:
        payload = event.payload or {}
        if event.kind == kind and isinstance(payload.get("point"), str):
            latest[payload["point"]] = payload
    return latest


def _admissibility_label(value: str) -> str:
    return str(Admissibility(value).label) if value in Admissibility.values else value


def _outcome(dispute: Dispute, points: list[DisputePoint], party: bool) -> list[str]:
    lines = []
    if dispute.inadmissibility_reasons:
        lines.append(_("Het verzoek is niet-ontvankelijk verklaard."))
        lines.extend(str(InadmissibilityReason(r).label) if r in InadmissibilityReason.values else r
                     for r in dispute.inadmissibility_reasons)
    elif dispute.decided_at:
        lines.append(_("Bindende uitspraak van %(date)s.") % {"date": format_day(dispute.decided_at)})
        for point in points:
            # the Minister's decision on admissibility; the secretariat's verdict was a proposal
            if decided_admissibility(dispute, point) == Admissibility.INADMISSIBLE:
                lines.append(_("Geschilpunt %(n)d: niet-ontvankelijk") % {"n": point.number})
            elif point.decision_finding:
                lines.append(f"{_('Geschilpunt')} {point.number}: {point.get_decision_finding_display()}")
    elif dispute.state == DisputeState.WITHDRAWN:
        lines.append(_("Het verzoek is ingetrokken op %(date)s.") % {"date": format_day(dispute.ended_at)})
    elif dispute.state == DisputeState.SETTLED:
        lines.append(_("De partijen hebben het geschil geschikt op %(date)s.") % {"date": format_day(dispute.ended_at)})
        if dispute.settlement_basis == "agreement":
            lines.append(_("Grondslag: vaststellingsovereenkomst, ondertekend door alle partijen."))
        elif dispute.settlement_basis == "withdrawal":
            lines.append(_("Grondslag: intrekking door alle verzoekers."))
    else:
        lines.append(_("Nog geen uitspraak."))
    lines.extend(_after_decision_lines(dispute))
    if dispute.state == DisputeState.CLOSED:
        lines.append(_("Het dossier is afgesloten op %(date)s.") % {"date": format_day(dispute.ended_at)})
    return lines


def _after_decision_objection(payload: dict) -> str:
    """A received bezwaar in words: when, from whom (services.aftercare.dispute_record_objection)."""
    try:
        received = format_day(date.fromisoformat(payload.get("received_on", "")))
    except ValueError:
        received = "-"
    text = _("bezwaarschrift ontvangen op %(date)s") % {"date": received}
    if payload.get("objector"):
        text += " " + _("van %(org)s") % {"org": payload["objector"]}
    if not payload.get("in_time"):
        text += " " + (_("(na de bezwaartermijn, binnen de week van artikel 6:9, tweede lid, Awb)")
                       if payload.get("within_week") else _("(na de bezwaartermijn en de week van artikel 6:9 Awb)"))
    return text


def _after_decision_lines(dispute: Dispute) -> list[str]:
    """The cover's account of what came after the decision: late, bezwaar received, herstelbesluiten."""
    lines = []
    late = late_decision(dispute)
    if late is not None:
        lines.append(late.text())
    for event in dispute.events.filter(kind__in=("objection_recorded", "decision_corrected")).order_by("at", "pk"):
        if event.kind == "objection_recorded":
            lines.append(_("Bezwaar: %(what)s.") % {"what": _after_decision_objection(event.payload or {})})
        else:
            lines.append(_("Herstelbesluit van %(date)s: %(reason)s") % {
                "date": format_day(event.at), "reason": (event.payload or {}).get("reason", "")})
    return lines


def _applicant_line(party) -> str:
    """An applicant on the cover, with the moment it withdrew its part of the request (procedure.md §0)."""
    if party.withdrawn_at is None:
        return party.organisation.name
    return _("%(name)s (ingetrokken op %(when)s)") % {"name": party.organisation.name,
                                                       "when": format_moment(party.withdrawn_at)}


def _finding(value: str) -> str:
    return str(Finding(value).label) if value in Finding.values else value


def collect(dispute: Dispute, audience: str = DossierAudience.FULL) -> DossierContent:
    """Read everything the dossier shows for ``audience`` (``full`` or ``party``)."""
    from ..models import DocumentType

    if audience not in DossierAudience.values:
        raise ValueError(f"unknown audience {audience!r}")
    party = audience == DossierAudience.PARTY
    dispute = Dispute.objects.select_related("agreement__municipality").get(pk=dispute.pk)
    version = case_version(dispute)
    doc_types = {key: str(label) for key, label in DocumentType.choices}

    parties = list(dispute.parties.select_related("organisation").order_by("organisation__name"))
    points = list(
        DisputePoint.objects.filter(dispute=dispute).order_by("number").prefetch_related(
            Prefetch("positions", queryset=_positions())
        )
    )

    events_qs = (
        DisputeEvent.objects.filter(dispute=dispute).exclude(kind__in=READ_EVENT_KINDS)
        .select_related("actor_organisation", "actor").prefetch_related("actor__groups").order_by("at", "pk")
    )
    all_events = list(events_qs)
    visible_events = all_events
    if party:
        # Every party receives the party version, the respondents too: the draft's history stays out,
        # by the same rule as the respondents' case page.
        visible_events = list(without_draft_history(events_qs.filter(visibility=Confidentiality.PARTIES), dispute))
    late = late_decision(dispute)
    events = [
        EventEntry(
            at=e.at, label=event_label(e.kind),
            by=by_organisation(e) if e.actor_organisation else staff_label(e.actor),
            detail=_event_detail(e, doc_types, late),
        )
        for e in visible_events
    ]

    documents = (
        Document.objects.current().filter(dispute=dispute, bundle__isnull=False)
        .select_related("bundle", "organisation", "uploaded_by").prefetch_related("uploaded_by__groups")
    )
    if party:
        documents = documents.filter(confidentiality=Confidentiality.PARTIES)
    documents = sorted(
        documents,
        key=lambda d: (STEP_ORDER.get(d.bundle.step, 99), d.bundle.sequence, d.bundle.created_at, d.uploaded_at,
                       str(d.pk)),
    )
    bundles: list[BundleEntry] = []
    steps_with_rounds = {}
    for d in documents:
        steps_with_rounds.setdefault(d.bundle.step, set()).add(d.bundle.sequence)
    for d in documents:
        if not bundles or bundles[-1].step != d.bundle.step or bundles[-1].sequence != d.bundle.sequence:
            label = str(Step(d.bundle.step).label)
            if len(steps_with_rounds[d.bundle.step]) > 1:
                label = _("%(step)s, ronde %(n)d") % {"step": label, "n": d.bundle.sequence}
            index = len(bundles) + 1
            bundles.append(BundleEntry(
                step=d.bundle.step, sequence=d.bundle.sequence, label=label,
                folder=f"{index:02d}-{slugify(label)}",
            ))
        bundle = bundles[-1]
        number = len(bundle.documents) + 1
        bundle.documents.append(DocEntry(
            document=d, number=number, title=d.display_name,
            type_label=doc_types.get(d.doc_type, d.doc_type),
            uploader=d.organisation.name if d.organisation else staff_label(d.uploaded_by),
            uploaded_at=d.uploaded_at, confidentiality=d.confidentiality,
            confidentiality_label=str(Confidentiality(d.confidentiality).label),
            zip_path=f"{bundle.folder}/{number:02d}-{zip_name(d.display_name, d.content_type)}",
        ))

    decided = dispute.decided_at is not None
    proposals = _latest_payloads(all_events, "point_admissibility")  # parties see these events
    advices = _latest_payloads(all_events, "point_advised")  # the commission's: shown where the advice is
    point_entries = []
    for p in points:
        # the party version shows the advice and the Minister's decisions per point once the decision is made
        show_advice = not party or decided
        # the secretariat's proposal: the point's codes are replaced by the Minister's when it decides them
        # inadmissible, so its own codes are those of its latest verdict (the event), when there is one
        proposed = (list(proposals[p.key].get("reasons") or []) if p.key in proposals
                    else list(p.inadmissibility_reasons or []))
        if p.admissibility != Admissibility.INADMISSIBLE:
            proposed = []
        advised = p.advice_admissibility if show_advice else ""
        advice_codes = (advices.get(p.key) or {}).get("reasons") or []
        minister = decided_admissibility(dispute, p) if show_advice else ""
        point_entries.append(PointEntry(
            number=p.number, title=p.title,
            positions=[PositionEntry(pos.organisation.name, pos.text) for pos in p.positions.all()],
            admissibility=str(p.get_admissibility_display()),
            reasons=reasons_in_words(proposed),
            admissibility_note=p.admissibility_note,
            advice_finding=_finding(p.advice_finding) if show_advice else "",
            advice_recommendation=p.advice_recommendation if show_advice else "",
            decision_finding=_finding(p.decision_finding) if show_advice else "",
            decision_follows_advice=p.decision_follows_advice if show_advice else None,
            decision_reason=p.decision_reason if show_advice else "",
            advice_admissibility=_admissibility_label(advised) if advised else "",
            advice_departs=bool(advised) and advised != p.admissibility,
            advice_reasons=(reasons_in_words(advice_codes) if advised == Admissibility.INADMISSIBLE else ""),
            advised_inadmissible=show_advice and p.key in advices
            and (p.advice_admissibility or p.admissibility) == Admissibility.INADMISSIBLE,
            decision_admissibility=_admissibility_label(minister) if minister else "",
            decision_departs=bool(minister) and minister != p.admissibility,
            decision_reasons=(reasons_in_words(p.inadmissibility_reasons or [])
                              if minister == Admissibility.INADMISSIBLE else ""),
            decision_adopted=decided,
            decided_inadmissible=minister == Admissibility.INADMISSIBLE,
        ))

    # The date the dossier stands at: the last change that is part of this case version.
    dossier_date = max([e.at for e in all_events] + [dispute.created_at])
    agreement = dispute.agreement
    return DossierContent(
        dispute=dispute, audience=audience, audience_label=str(DossierAudience(audience).label),
        case_number=dispute.case_number or str(dispute.pk)[:8], case_version=version,
        title=dispute.title, kind_label=dispute.get_kind_display(), state_label=dispute.get_state_display(),
        agreement=_("Prestatieafspraken %(municipality)s %(year)s")
        % {"municipality": agreement.municipality.name, "year": agreement.year},
        applicants=[_applicant_line(p) for p in parties if p.role == PartyRole.APPLICANT],
        respondents=[p.organisation.name for p in parties if p.role == PartyRole.RESPONDENT],
        arose_on=format_day(dispute.arose_on), submitted_at=format_moment(dispute.submitted_at),
        decided_at=format_moment(dispute.decided_at), ended_at=format_moment(dispute.ended_at),
        outcome=_outcome(dispute, points, party),
        dossier_date=dossier_date, events=events, points=point_entries, bundles=bundles,
        commission=_commission(dispute),
    )


def _commission(dispute: Dispute) -> list[str]:
    """The commission's composition for the case, named in the dossier as in the advice (issue 12)."""
    lines = []
    for seat in dispute.commission_seats.select_related("user", "replaces__user").order_by("appointed_at", "pk"):
        name = seat.user.get_full_name() or seat.user.get_username()
        line = f"{seat.get_role_display()}: {name}"
        if seat.replaces_id:
            line += " " + _("(in plaats van %(name)s)") % {
                "name": seat.replaces.user.get_full_name() or seat.replaces.user.get_username()}
        if seat.ended_at:
            ended_on = format_day(seat.ended_at.astimezone(AMSTERDAM).date())
            line += " " + _("(tot %(date)s: %(reason)s)") % {"date": ended_on, "reason": seat.end_reason}
        lines.append(line)
    return lines


def _positions():
    from ..models import PointPosition

    return PointPosition.objects.select_related("organisation").order_by("recorded_at", "pk")
