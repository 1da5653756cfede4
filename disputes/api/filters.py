"""The case list's filters (docs/api.md): state, kind, municipality (the gemeente's id or name) and date ranges on
the submission and the decision (whole days in the Netherlands' time, both ends included)."""

import uuid
from datetime import date, datetime, time, timedelta

import django_filters
from django.utils import timezone

from ..models import Dispute, DisputeKind
from ..states import DisputeState

#: dates outside these bounds are clamped: a day before the year 1 or after 9999 cannot be a moment in the database
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)


def _start_of(day: date) -> datetime:
    day = min(max(day, EARLIEST), LATEST)
    return timezone.make_aware(datetime.combine(day, time.min))


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[(value, label) for value, label in DisputeState.choices if value != DisputeState.DRAFT])
    kind = django_filters.ChoiceFilter(choices=DisputeKind.choices)
    municipality = django_filters.CharFilter(method="by_municipality", max_length=200,
                                             label="De gemeente: het id of de naam van haar organisatie")
    submitted_after = django_filters.DateFilter(method="on_or_after", field_name="submitted_at",
                                                label="Ingediend op of na deze dag (JJJJ-MM-DD)")
    submitted_before = django_filters.DateFilter(method="on_or_before", field_name="submitted_at",
                                                 label="Ingediend op of voor deze dag (JJJJ-MM-DD)")
    decided_after = django_filters.DateFilter(method="on_or_after", field_name="decided_at",
                                              label="Beslist op of na deze dag (JJJJ-MM-DD)")
    decided_before = django_filters.DateFilter(method="on_or_before", field_name="decided_at",
                                               label="Beslist op of voor deze dag (JJJJ-MM-DD)")

    class Meta:
        model = Dispute
        fields = ["state", "kind"]

    def by_municipality(self, queryset, name, value):
        try:
            return queryset.filter(agreement__municipality_id=uuid.UUID(str(value)))
        except ValueError:
            return queryset.filter(agreement__municipality__name__iexact=value)

    def on_or_after(self, queryset, name, value):
        return queryset.filter(**{f"{name}__gte": _start_of(value)})

    def on_or_before(self, queryset, name, value):
        if value >= LATEST:
            return queryset.filter(**{f"{name}__isnull": False})
        return queryset.filter(**{f"{name}__lt": _start_of(value + timedelta(days=1))})
