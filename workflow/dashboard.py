"""The dashboard's figures (``/werk/overzicht/``, docs/workflow.md "Dashboard"): pure reads.

Every figure is one aggregate computed in the database over the cases the user may see
(``Dispute.objects.visible_to``) narrowed by the filters: a handful of queries whatever the number of cases,
never a loop over cases in Python. Each function returns a ``Figure``: its rows (label and values), the column
headings, and the series a chart draws; the page shows the chart, the same rows as a table, and the rows as CSV.
"""

from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lower, RowNumber, TruncDate, TruncQuarter
from django.utils.translation import gettext as _

from disputes import clock
from disputes.models import (
    Admissibility,
    Deadline,
    DeadlineKind,
    Dispute,
    DisputeEvent,
    DisputeKind,
    DisputePoint,
    Finding,
    Organisation,
    OrganisationKind,
)
from disputes.states import DisputeState


@dataclass(frozen=True)
class Filters:
    """What the filter form chose; empty means "all". ``year`` is the year of filing (Amsterdam time)."""

    year: int | None = None
    kind: str = ""
    gemeente: str = ""  # the gemeente's name, as on the worklist
    province: str = ""

    def as_query(self) -> dict:
        """The filters as GET parameters (for the CSV links), leaving out the empty ones."""
        chosen = {"jaar": self.year, "soort": self.kind, "gemeente": self.gemeente, "provincie": self.province}
        return {k: v for k, v in chosen.items() if v}


@dataclass
class Figure:
    """One figure of the dashboard: its table (``columns`` and ``rows``, the first column the label) and the
    series its chart draws (name -> one value per row; ``None`` is a gap)."""

    key: str
    title: str
    description: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    series: dict[str, list] = field(default_factory=dict)
    chart: str = "bar"  # "bar" (vertical bars) or "hbar" (horizontal bars)
    share: float | None = None  # the figure's one number, where it has one (the share decided within the term)

    @property
    def labels(self) -> list[str]:
        return [str(row[0]) for row in self.rows]

    @property
    def empty(self) -> bool:
        return not self.rows


#: instead of a user: every submitted case, for the annual report made on the command line, where no one is logged
#: in (``workflow.annual_report``); the same cases the secretariat and the ministry see
ALL_CASES = object()


def cases(user, filters: Filters):
    """The submitted cases ``user`` may see (``ALL_CASES``: every one), narrowed by the filters (no drafts: they are
    nobody's figures)."""
    visible = Dispute.objects.all() if user is ALL_CASES else Dispute.objects.visible_to(user)
    qs = visible.exclude(state=DisputeState.DRAFT).filter(submitted_at__isnull=False)
    if filters.year:
        qs = qs.filter(submitted_at__year=filters.year)  # in the current time zone: Europe/Amsterdam
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.gemeente:
        qs = qs.filter(agreement__municipality__name=filters.gemeente)
    if filters.province:
        qs = qs.filter(agreement__municipality__province=filters.province)
    return qs.order_by()


def year_choices() -> list[int]:
    """The years in which cases were filed, newest first: from the first filing up to this year (two small
    queries on an index, not a DISTINCT over every case)."""
    first = Dispute.objects.filter(submitted_at__isnull=False).order_by("submitted_at").values_list(
        "submitted_at", flat=True).first()
    this_year = clock.today().year
    if first is None:
        return [this_year]
    return list(range(this_year, clock.localdate(first).year - 1, -1))


def municipality_choices() -> list[tuple[str, str]]:
    """Every gemeente with an agreement, by name (the worklist's choices: reference tables, not the cases)."""
    names = (
        Organisation.objects.filter(kind=OrganisationKind.GEMEENTE, agreements_as_municipality__isnull=False)
        .values_list("name", flat=True).distinct().order_by("name")
    )
    return [(name, name) for name in names]


# -- the figures --------------------------------------------------------------------------------------------------

def by_state_and_kind(qs) -> Figure:
    """How many cases are in each state, split by kind of dispute."""
    counts = {(r["state"], r["kind"]): r["n"] for r in qs.values("state", "kind").annotate(n=Count("pk"))}
    kinds = list(DisputeKind)
    figure = Figure(
        key="status", title=_("Zaken per status en soort"),
        description=_("Het aantal zaken in elke status, per soort geschil."),
        columns=[_("Status"), *[k.label for k in kinds], _("Totaal")], chart="hbar",
    )
    for state in DisputeState:
        if state == DisputeState.DRAFT:
            continue
        values = [counts.get((state.value, k.value), 0) for k in kinds]
        if any(values):
            figure.rows.append([state.label, *values, sum(values)])
    figure.series = {str(k.label): [row[1 + i] for row in figure.rows] for i, k in enumerate(kinds)}
    return figure


def filed_and_decided(qs, filters: Filters, *, any_year=None) -> Figure:
    """Cases filed and cases decided per quarter (Amsterdam time): in the chosen year, else in every year. The
    decided ones are the cases with a binding decision or a declaration of inadmissibility (``decided_at``).
    With a year chosen, the decisions counted are those of that year, of the cases of the other filters
    (``any_year``) whenever they were filed: a case filed in December and decided in March counts in March."""
    # grouped on one expression, the quarter's first moment: PostgreSQL, which cannot estimate how few (year,
    # quarter) pairs there are, sorted every case on disk for two; one it hashes (126 -> 49 ms at 100,000 cases)
    filed = qs.annotate(quarter=TruncQuarter("submitted_at")).values("quarter").annotate(n=Count("pk"))
    decided = (any_year if any_year is not None else qs).filter(decided_at__isnull=False)
    if filters.year:
        decided = decided.filter(decided_at__year=filters.year)
    decided = decided.annotate(quarter=TruncQuarter("decided_at")).values("quarter").annotate(n=Count("pk"))
    per_filed = {_year_quarter(r["quarter"]): r["n"] for r in filed}
    per_decided = {_year_quarter(r["quarter"]): r["n"] for r in decided}
    periods = sorted(set(per_filed) | set(per_decided))
    if filters.year:
        periods = [(filters.year, q) for q in range(1, 5)]
    elif periods:  # every quarter from the first to the last, the quiet ones too
        first, last = periods[0], periods[-1]
        periods = [(y, q) for y in range(first[0], last[0] + 1) for q in range(1, 5) if first <= (y, q) <= last]
    figure = Figure(
        key="kwartaal", title=_("Ingediend en beslist per kwartaal"),
        description=_("Het aantal ingediende zaken en het aantal beslissingen (bindende uitspraak of "
                      "niet-ontvankelijkverklaring) per kwartaal."),
        columns=[_("Kwartaal"), _("Ingediend"), _("Beslist")],
    )
    for y, q in periods:
        label = _("%(year)s K%(quarter)s") % {"year": y, "quarter": q}
        figure.rows.append([label, per_filed.get((y, q), 0), per_decided.get((y, q), 0)])
    figure.series = {_("Ingediend"): [r[1] for r in figure.rows], _("Beslist"): [r[2] for r in figure.rows]}
    return figure


def _year_quarter(moment) -> tuple[int, int]:
    """(year, quarter) of a quarter's first moment (in the current time zone, Europe/Amsterdam)."""
    return moment.year, (moment.month - 1) // 3 + 1


def _days(end: str, start: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


#: the phases of the throughput figure: key, the moment it starts, the moment it ends
PHASES = (
    ("ontvankelijk", "submitted_at", "admissible_at"),
    ("advies", "admissible_at", "advised_at"),
    ("beslissing", "advised_at", "decided_at"),
    ("totaal", "submitted_at", "decided_at"),
)


def throughput(qs) -> Figure:
    """The mean number of days per phase, over the cases that completed it: filing -> admissible (first
    ``pass_admissibility``), admissible -> advice (first ``issue_advice``), advice -> decision (``decided_at``),
    and filing -> decision (every decided case, inadmissible ones included). Calendar days, with fractions."""
    # the first moments per case from one join on the case's events of those two kinds, grouped per case (not a
    # subquery per case and moment: PostgreSQL repeated those for every use, and its JIT took 2 s to compile them)
    # Only the cases with such an event (an inner join, driven from those few events) can have completed the first
    # three phases; filing -> decision is over every case, in a second query without the join: one query grouping
    # every case took 150-380 ms at 100,000 cases on PostgreSQL (docs/load.md)
    moments = FilteredRelation("events", condition=Q(events__kind__in=("pass_admissibility", "issue_advice")))
    timed = qs.annotate(moments=moments).filter(moments__isnull=False).annotate(
        admissible_at=Min("moments__at", filter=Q(moments__kind="pass_admissibility")),
        advised_at=Min("moments__at", filter=Q(moments__kind="issue_advice")),
    )
    aggregates = {}
    for key, start, end in PHASES:  # a phase not (yet) completed has no duration (NULL): neither counted nor averaged
        aggregates[f"{key}_mean"] = Avg(_days(end, start))
        aggregates[f"{key}_n"] = Count(_days(end, start))
    overall = ("totaal_mean", "totaal_n")
    result = timed.aggregate(**{name: value for name, value in aggregates.items() if name not in overall})
    result |= qs.aggregate(**{name: aggregates[name] for name in overall})
    labels = {
        "ontvankelijk": _("Indiening tot ontvankelijk"),
        "advies": _("Ontvankelijk tot advies"),
        "beslissing": _("Advies tot beslissing"),
        "totaal": _("Indiening tot beslissing"),
    }
    figure = Figure(
        key="doorlooptijd", title=_("Doorlooptijd per fase"),
        description=_("Het gemiddelde aantal kalenderdagen per fase, over de zaken die de fase hebben "
                      "doorlopen."),
        columns=[_("Fase"), _("Gemiddeld aantal dagen"), _("Aantal zaken")], chart="hbar",
    )
    for key, _start, _end in PHASES:
        figure.rows.append([labels[key], _as_days(result[f"{key}_mean"]), result[f"{key}_n"]])
    figure.series = {_("Gemiddeld aantal dagen"): [r[1] for r in figure.rows]}
    return figure


def _as_days(value) -> float | None:
    """A mean duration in days, one decimal; the database answers a timedelta (or microseconds on SQLite)."""
    if value is None:
        return None
    if not isinstance(value, timedelta):
        value = timedelta(microseconds=float(value))
    return round(value.total_seconds() / 86400, 1)


def decision_due() -> Subquery:
    """The due date of the case's decision deadline as it finally stood (the latest one stored), for an annotation
    on cases (also the annual report's list of decisions)."""
    # the kind compared through Lower(): else SQLite, which has no statistics, reads the decision deadlines of
    # every case through the index on (kind, closed_at, due) for each case (27 s at 5,000 cases) instead of the
    # few deadlines of the case through the index on dispute_id
    return Subquery(
        Deadline.objects.filter(dispute=OuterRef("pk")).alias(kind_=Lower("kind"))
        .filter(kind_=DeadlineKind.DECISION).order_by("-created_at", "-pk").values("due")[:1],
        output_field=DateField(),
    )


def within_term(qs) -> Figure:
    """The decided cases decided within the decision term, and those decided late: the decision's Amsterdam date
    on or before the due date of the case's decision deadline as it finally stood (the latest one stored, with
    every suspension and extension), as ``selectors.late_decision`` rules. Cases without a decision term are
    counted apart and left out of the share."""
    # the latest decision deadline of each decided case (by created_at, then id) numbered 1 by a window over the
    # decision deadlines, joined to its case once: one sort, whatever the statistics. A subquery per case for its
    # due date, run again for each use, took 440 ms at 100,000 cases on PostgreSQL and was JIT compiled; an
    # anti-join ("no later one") was as fast with statistics and quadratic without (docs/load.md)
    decided = qs.filter(decided_at__isnull=False)
    latest = (
        Deadline.objects.filter(kind=DeadlineKind.DECISION, dispute__in=decided.values("pk"))
        .annotate(newest=Window(RowNumber(), partition_by=F("dispute_id"),
                                order_by=[F("created_at").desc(), F("pk").desc()]))
        .filter(newest=1).annotate(decided_on=TruncDate("dispute__decided_at", tzinfo=clock.AMSTERDAM))
        .order_by()
    )
    result = latest.aggregate(
        within=Count("pk", filter=Q(decided_on__lte=F("due"))),
        late=Count("pk", filter=Q(decided_on__gt=F("due"))),
    )
    result["all_decided"] = decided.count()
    result["no_term"] = result["all_decided"] - result["within"] - result["late"]
    measured = result["within"] + result["late"]
    share = round(100 * result["within"] / measured, 1) if measured else None
    figure = Figure(
        key="termijn", title=_("Binnen de beslistermijn beslist"),
        description=_("Van de besliste zaken: hoeveel binnen de beslistermijn (met opschortingen en "
                      "verlengingen) zijn beslist, en hoeveel te laat."),
        columns=[_("Uitkomst"), _("Aantal zaken")], chart="hbar",
    )
    figure.rows = [
        [_("Binnen de termijn"), result["within"]],
        [_("Te laat"), result["late"]],
        [_("Zonder beslistermijn"), result["no_term"]],
    ]
    figure.series = {_("Aantal zaken"): [r[1] for r in figure.rows]}
    figure.share = share
    return figure


def extensions_and_suspensions(qs) -> Figure:
    """How often the decision term was extended (``extend_decision_term``, BTIV 40 lid 2) and suspended by a
    request to remedy an omission (``request_remedy``, Awb 4:15): the number of times and of cases."""
    kinds = {
        "extend_decision_term": _("Verlenging beslistermijn"),
        "request_remedy": _("Opschorting (herstel verzuim)"),
    }
    counted = {
        r["kind"]: r for r in DisputeEvent.objects.filter(dispute__in=qs.values("pk"), kind__in=kinds)
        .order_by().values("kind").annotate(times=Count("pk"), cases=Count("dispute", distinct=True))
    }
    figure = Figure(
        key="verlenging", title=_("Verlengingen en opschortingen"),
        description=_("Hoe vaak de beslistermijn is verlengd of opgeschort, en bij hoeveel zaken."),
        columns=[_("Soort"), _("Aantal keer"), _("Aantal zaken")], chart="hbar",
    )
    for kind, label in kinds.items():
        row = counted.get(kind, {})
        figure.rows.append([label, row.get("times", 0), row.get("cases", 0)])
    figure.series = {_("Aantal keer"): [r[1] for r in figure.rows], _("Aantal zaken"): [r[2] for r in figure.rows]}
    return figure


#: the outcome of a point in the binding decision, in the order of the table
_OUTCOMES = (
    (Admissibility.INADMISSIBLE.value, Admissibility.INADMISSIBLE.label),
    *((f.value, f.label) for f in Finding),
)


def outcomes_per_point(qs) -> Figure:
    """The Minister's decision per dispute point, over the points of the decided cases: inadmissible (the
    decision on the point's admissibility, also when the whole request was declared inadmissible), else the
    finding on the merits (per kind: manifestly unreasonable or not; upheld or rejected)."""
    outcome = Case(
        When(decision_admissibility=Admissibility.INADMISSIBLE, then=Value(Admissibility.INADMISSIBLE.value)),
        When(~Q(decision_finding=""), then=F("decision_finding")),
        default=Value(""),
        output_field=CharField(),
    )
    counts = {
        r["outcome"]: r["n"]
        for r in DisputePoint.objects.filter(dispute__in=qs.filter(decided_at__isnull=False).values("pk"))
        .annotate(outcome=outcome).order_by().values("outcome").annotate(n=Count("pk"))
    }
    figure = Figure(
        key="uitkomst", title=_("Uitkomst per geschilpunt"),
        description=_("De beslissing van de Minister per geschilpunt, over de geschilpunten van de besliste "
                      "zaken."),
        columns=[_("Uitkomst"), _("Aantal geschilpunten")], chart="hbar",
    )
    figure.rows = [[label, counts.get(value, 0)] for value, label in _OUTCOMES]
    figure.series = {_("Aantal geschilpunten"): [r[1] for r in figure.rows]}
    return figure


def cell_text(value) -> str:
    """A table cell as text for CSV (and the annual report's tables): a decimal comma, nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _builders(user, filters: Filters) -> dict:
    qs = cases(user, filters)
    any_year = cases(user, replace(filters, year=None)) if filters.year else qs
    return {
        "status": lambda: by_state_and_kind(qs),
        "kwartaal": lambda: filed_and_decided(qs, filters, any_year=any_year),
        "doorlooptijd": lambda: throughput(qs),
        "termijn": lambda: within_term(qs),
        "verlenging": lambda: extensions_and_suspensions(qs),
        "uitkomst": lambda: outcomes_per_point(qs),
    }


def figures(user, filters: Filters) -> list[Figure]:
    """Every figure, in the order of the page."""
    return [build() for build in _builders(user, filters).values()]


def figure(user, filters: Filters, key: str) -> Figure | None:
    """One figure by its key (for its CSV download), or None for a key that is none."""
    build = _builders(user, filters).get(key)
    return build() if build else None
