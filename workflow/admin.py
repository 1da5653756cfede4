"""The commission's composition is kept here (who is deputy, nominated by whom); roles stay groups."""

from django.contrib import admin
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from .models import CommissionSeat


class ReadOnlyMixin:
    """The flow's bookkeeping follows the legal state (ADR 0009): a task deleted or edited by hand would
    leave a case nobody can move (a deleted Register task) or one whose to-do list lies. The admin
    shows processes and tasks, and changes nothing, not even for a superuser; the services and
    ``workflow.sync`` are the only writers."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Process)
admin.site.unregister(Task)


@admin.register(Process)
class ReadOnlyProcessAdmin(ReadOnlyMixin, ProcessAdmin):
    pass


@admin.register(Task)
class ReadOnlyTaskAdmin(ReadOnlyMixin, TaskAdmin):
    pass


@admin.register(CommissionSeat)
class CommissionSeatAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "deputy", "nominated_by", "appointed_on")
    list_filter = ("role", "deputy")
    search_fields = ("user__username", "user__first_name", "user__last_name", "nominated_by")
    autocomplete_fields = ("user",)
