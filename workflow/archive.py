"""Reads for the archive (``/werk/archief/``): the cases that have ended, filtered and paginated in the database.

A case is in the archive once it is concluded (``disputes.states.CONCLUDED_STATES``: the binding decision, or
withdrawn, settled or closed) and was ever filed (a draft its applicant withdrew was never a case). It ended
on ``concluded_at``: the day of the Minister's decision for a decided or closed case (closing after the
objection term is administrative, the procedure reached its outcome with the decision), else the day it was
withdrawn or settled (``ended_at``). The list is sorted newest-ended first, filtered on that year, the kind,
the end state, the decision on the points and the gemeente.

Every query starts from ``Dispute.objects.visible_to(user)``, so a recused commission member finds the case in
none of them. The number of queries does not depend on the number of cases: the page's cases, the count, the
points of the page's cases (for the decision in words) and the filter choices from small or bounded queries
(tests/integration/test_archive.py, tests/benchmarks/test_bulk_lists.py).
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from disputes import clock
from disputes.models import Dispute, DisputeKind, DisputePoint, Finding
from disputes.states import CONCLUDED_STATES, DisputeState

#: the archive's cases: every state in which the procedure has reached its outcome, in the procedure's order
ARCHIVE_STATES = tuple(state for state in DisputeState.values if state in CONCLUDED_STATES)
#: the archive's page size (Django's Paginator, numbered pages, ``?pagina=``)
PER_PAGE = 50

#: a decision on the merits in the applicant's favour, per kind: the request well-founded (nakoming), the
#: proposal or conduct manifestly unreasonable (totstandkoming); the others are against the applicant
FOR_APPLICANT = (Finding.UPHELD, Finding.MANIFESTLY_UNREASONABLE)
AGAINST_APPLICANT = (Finding.REJECTED, Finding.NOT_MANIFESTLY_UNREASONABLE)

#: the decision on the points, for a decided (or later closed) case: the filter's values and their words
GRANTED, REFUSED, PARTLY, INADMISSIBLE = "toegewezen", "afgewezen", "deels", "niet-ontvankelijk"
DECISIONS = {
    GRANTED: _("Toegewezen (alle punten)"),
    PARTLY: _("Deels toegewezen"),
    REFUSED: _("Afgewezen (alle punten)"),
    INADMISSIBLE: _("Niet-ontvankelijk (geen punt inhoudelijk beslist)"),
}

#: sort key -> what the database sorts on; the default is newest-ended first
SORTS = {"beeindigd": ("concluded_at", "case_number"), "zaak": ("case_number",)}
DEFAULT_SORT = "-beeindigd"


def concluded_at():
    """The moment the case ended: the decision, else the withdrawal or settlement (see the module)."""
    return Coalesce(F("decided_at"), F("ended_at"))


def _points(findings) -> Exists:
    return Exists(DisputePoint.objects.filter(dispute=OuterRef("pk"), decision_finding__in=findings))


def _decision_filter(decision: str) -> Q:
    """The cases whose points were decided so: an index probe a case on the points (unique on case and number)."""
    decided = Q(decided_at__isnull=False)
    granted, refused = _points(FOR_APPLICANT), _points(AGAINST_APPLICANT)
    if decision == GRANTED:
        return decided & Q(granted) & ~Q(refused)
    if decision == REFUSED:
        return decided & Q(refused) & ~Q(granted)
    if decision == PARTLY:
        return decided & Q(granted) & Q(refused)
    if decision == INADMISSIBLE:
        return decided & ~Q(_points([*FOR_APPLICANT, *AGAINST_APPLICANT]))
    return Q()


def decision_of(dispute: Dispute, points) -> str:
    """The same classification as the filter, for one case and its points (already read): "" when undecided."""
    if dispute.decided_at is None:
        return ""
    findings = {p.decision_finding for p in points}
    granted, refused = bool(findings & set(FOR_APPLICANT)), bool(findings & set(AGAINST_APPLICANT))
    if granted and refused:
        return PARTLY
    if granted:
        return GRANTED
    if refused:
        return REFUSED
    return INADMISSIBLE


def _year_range(year: int) -> tuple[datetime, datetime]:
    """The year in Dutch time, as a range on the moment (which a database index on the moment can answer)."""
    return (datetime(year, 1, 1, tzinfo=clock.AMSTERDAM), datetime(year + 1, 1, 1, tzinfo=clock.AMSTERDAM))


def filtered_cases(user, *, year: int | None = None, kind: str = "", state: str = "", decision: str = "",
                   gemeente: str = ""):
    """The archive's cases the user may see, with the list's filters, annotated with ``concluded_at``
    (unsorted). Values that are no choice are ignored."""
    disputes = (
        Dispute.objects.visible_to(user)
        .filter(state__in=ARCHIVE_STATES, submitted_at__isnull=False)
        .annotate(concluded_at=concluded_at())
    )
    if year:
        start, end = _year_range(int(year))
        disputes = disputes.filter(concluded_at__gte=start, concluded_at__lt=end)
    if kind in DisputeKind.values:
        disputes = disputes.filter(kind=kind)
    if state in ARCHIVE_STATES:
        disputes = disputes.filter(state=state)
    if decision in DECISIONS:
        disputes = disputes.filter(_decision_filter(decision))
    if gemeente:
        disputes = disputes.filter(agreement__municipality__name=gemeente)
    return disputes


def ordered_cases(user, *, sort: str = DEFAULT_SORT, **filters):
    """The archive's cases, filtered and sorted in the database; ties by case number in the same direction."""
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = DEFAULT_SORT.lstrip("-"), DEFAULT_SORT
    descending = sort.startswith("-")
    # no NULLS FIRST/LAST: an archived case always has an end and a number, and a plain DESC matches the index
    # on the end moment proposed in docs/workflow.md ("Archief")
    order = [F(field).desc() if descending else F(field).asc() for field in SORTS[key]]
    return filtered_cases(user, **filters).order_by(*order)


@dataclass
class ArchiveRow:
    dispute: Dispute
    #: the decision on the points (a key of ``DECISIONS``), "" for a case without a decision
    decision: str

    @property
    def state_label(self) -> str:
        return str(DisputeState(self.dispute.state).label)

    @property
    def kind_label(self) -> str:
        return str(DisputeKind(self.dispute.kind).label) if self.dispute.kind in DisputeKind.values else ""

    @property
    def decision_label(self) -> str:
        return str(DECISIONS[self.decision]) if self.decision else ""

    @property
    def concluded_on(self):
        return clock.localdate(self.dispute.concluded_at) if self.dispute.concluded_at else None


def archive(user, *, sort: str = DEFAULT_SORT, page: int | str = 1, per_page: int = PER_PAGE, **filters):
    """One page of the ended cases the user may see: ``page.object_list`` holds ``ArchiveRow``s. Three queries
    whatever the number of cases: the count, the page's cases with their gemeente, and their points."""
    disputes = ordered_cases(user, sort=sort, **filters).select_related("agreement__municipality").prefetch_related(
        Prefetch("points", queryset=DisputePoint.objects.only("id", "dispute_id", "decision_finding"),
                 to_attr="decided_points"))
    paginator = Paginator(disputes, per_page)
    paginator.count = filtered_cases(user, **filters).count()  # without the sort and the joins
    result = paginator.get_page(page)
    result.object_list = [ArchiveRow(dispute=d, decision=decision_of(d, d.decided_points))
                          for d in result.object_list]
    return result


def year_choices() -> list[int]:
    """The years the filter offers, newest first: from the year of the first filing (no case ends before it is
    filed) up to this year. One query on the index of filing moments, not a DISTINCT over the cases; a year
    without an ended case simply finds none."""
    first = (Dispute.objects.filter(submitted_at__isnull=False).order_by("submitted_at")
             .values_list("submitted_at", flat=True).first())
    this_year = clock.today().year
    if first is None:
        return [this_year]
    return list(range(this_year, clock.localdate(first).year - 1, -1))
