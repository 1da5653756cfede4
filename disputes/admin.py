"""Admin for reference data: organisations, memberships, agreements (Dutch labels).

Cases, the effort log, the audit trail and the security access log are read-only here: every change
to a case goes through the services, which write the audit trail, and no log can ever be edited.
The workflow's processes and tasks are read-only as well (``workflow/admin.py``).
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
