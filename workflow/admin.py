"""The commission's composition is kept here (who is deputy, nominated by whom); roles stay groups."""

from django.contrib import admin

from .models import CommissionSeat


@admin.register(CommissionSeat)
class CommissionSeatAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "deputy", "nominated_by", "appointed_on")
    list_filter = ("role", "deputy")
    search_fields = ("user__username", "user__first_name", "user__last_name", "nominated_by")
    autocomplete_fields = ("user",)
