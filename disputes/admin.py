"""Admin for reference data: organisations, memberships, agreements, effort log (Dutch labels).

Cases, documents, the audit trail and the security access log are read-only here: every change to a
case goes through the services, and neither log can ever be edited.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AccessLogEntry, Dispute, DisputeEvent, EffortEntry, LocalAgreement, Membership, Organisation


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
    search_fields = ["municipality__name"]
    autocomplete_fields = ["municipality", "corporations", "tenant_organisations"]


@admin.register(EffortEntry)
class EffortEntryAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "kind", "agreement", "organisation"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in EffortEntry._meta.fields]

    def has_add_permission(self, request):
        return False  # recorded by parties through the portal (services.effort_record)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "state", "agreement", "submitted_at"]
    list_filter = ["state", "kind"]
    search_fields = ["case_number"]


@admin.register(DisputeEvent)
class DisputeEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "dispute", "kind", "actor", "from_state", "to_state"]
    list_filter = ["kind"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    """The security access log (docs/audit.md): log-ins, refusals, confidential downloads."""

    list_display = ["at", "action", "result", "actor", "username", "object", "status_code", "origin"]
    list_filter = ["action", "result"]
    search_fields = ["username", "object", "origin"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    show_full_result_count = False  # no COUNT(*) over a large table on every page
