"""Admin for reference data: organisations, memberships, agreements (Dutch labels).

Cases, the effort log, the audit trail, the security access log and the history of who may see what
(organisations, memberships, users and their roles) are read-only here: every change to a case goes
through the services, which write the audit trail, and no log or history can ever be edited.
The workflow's processes and tasks are read-only as well (``workflow/admin.py``).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import (
    AccessLogEntry,
    Dispute,
    DisputeEvent,
    EffortEntry,
    EventKind,
    LocalAgreement,
    Membership,
    Organisation,
    event_label,
)
from .states import DisputeState


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    verbose_name = _("lid")
    verbose_name_plural = _("leden")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(LocalAgreement)
class LocalAgreementAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "overleg_started_on", "bid_on"]
    list_filter = ["year"]
    list_select_related = ["municipality"]
    list_per_page = 50
    search_fields = ["municipality__name"]
    autocomplete_fields = ["municipality", "corporations", "tenant_organisations"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here, not even by a superuser (Django then answers 403)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EffortEntry)
class EffortEntryAdmin(ReadOnlyAdmin):
    """The effort log is evidence in every case on its agreement: parties add to it through the portal
    (``services.effort_record``, which writes the case events); nobody edits or removes an entry."""

    list_display = ["occurred_on", "kind", "agreement", "organisation"]
    list_filter = ["kind"]
    list_select_related = ["agreement__municipality", "organisation"]
    list_per_page = 50
    show_full_result_count = False


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "state", "agreement", "submitted_at"]
    list_filter = ["state", "kind"]  # choices of the fields: no query over the cases to list them
    search_fields = ["case_number"]
    # 100,000 cases (docs/load.md): a page of 50 with its agreement in the same query, no COUNT(*) of them all
    list_select_related = ["agreement__municipality"]
    list_per_page = 50
    show_full_result_count = False


class EventKindFilter(admin.SimpleListFilter):
    """The audit trail filtered by kind of event, each named in words (``EventKind``), not by its code."""

    title = _("gebeurtenis")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(EventKind.choices, key=lambda choice: str(choice[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() in EventKind.values else queryset


def _state_label(code: str) -> str:
    return str(DisputeState(code).label) if code in DisputeState.values else code


@admin.register(DisputeEvent)
class DisputeEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "dispute", "kind_label", "actor", "from_label", "to_label"]
    list_filter = [EventKindFilter]
    list_select_related = ["dispute", "actor"]
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("gebeurtenis"), ordering="kind")
    def kind_label(self, obj):
        return event_label(obj.kind)

    @admin.display(description=_("van status"), ordering="from_state")
    def from_label(self, obj):
        return _state_label(obj.from_state)

    @admin.display(description=_("naar status"), ordering="to_state")
    def to_label(self, obj):
        return _state_label(obj.to_state)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    """The security access log (docs/audit.md): log-ins, refusals, confidential downloads."""

    list_display = ["at", "action", "result", "actor", "username", "object", "status_code", "origin"]
    list_filter = ["action", "result"]
    search_fields = ["username", "object", "origin"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    show_full_result_count = False  # no COUNT(*) over a large table on every page


# -- the history of who may see what (disputes/history, docs/audit.md) -------------------------------------------

#: simple_history's own labels for ``history_type`` are English and it ships no Dutch.
HISTORY_TYPES = {"+": _("toegevoegd"), "~": _("gewijzigd"), "-": _("verwijderd")}


class HistoryTypeFilter(admin.SimpleListFilter):
    title = _("wijziging")
    parameter_name = "wijziging"

    def lookups(self, request, model_admin):
        return [("+", HISTORY_TYPES["+"]), ("~", HISTORY_TYPES["~"]), ("-", HISTORY_TYPES["-"])]

    def queryset(self, request, queryset):
        return queryset.filter(history_type=self.value()) if self.value() in HISTORY_TYPES else queryset


class HistoryAdmin(ReadOnlyAdmin):
    """One version per row: the fields after the change, what kind of change, who, when and via what."""

    list_filter = [HistoryTypeFilter]
    date_hierarchy = "history_date"
    list_select_related = ["history_user"]
    show_full_result_count = False

    def get_list_display(self, request):
        return ["history_date", "change", *self.tracked, "history_user", "history_via"]

    @admin.display(description=_("wijziging"), ordering="history_type")
    def change(self, obj):
        return HISTORY_TYPES.get(obj.history_type, obj.history_type)


@admin.register(Organisation.history.model)
class OrganisationHistoryAdmin(HistoryAdmin):
    tracked = ["name", "kind", "email"]
    search_fields = ["name"]


@admin.register(Membership.history.model)
class MembershipHistoryAdmin(HistoryAdmin):
    tracked = ["user", "organisation"]
    list_select_related = ["history_user", "user", "organisation"]
    search_fields = ["user__username", "organisation__name"]


@admin.register(get_user_model().history.model)
class UserHistoryAdmin(HistoryAdmin):
    """A user's flags and groups (staff roles, commission seats) as they were after each change."""

    tracked = ["username", "is_active", "is_staff", "is_superuser", "roles"]
    search_fields = ["username"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("historicaluser_groups_set__group")

    @admin.display(description=_("groepen na de wijziging"))
    def roles(self, obj):
        return ", ".join(sorted(row.group.name for row in obj.historicaluser_groups_set.all() if row.group))
