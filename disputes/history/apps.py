from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "disputes.history"
    label = "history"  # disputes.dbroles.APPEND_ONLY_APPS: every table of this app is append-only
    verbose_name = _("Geschiedenis van toegang")
