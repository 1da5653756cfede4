from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Geschilbeslechting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import access_log  # noqa: F401 - connects the log-out receiver of the access log
        from .uploads import apply_qpdf_limits

        apply_qpdf_limits()  # qpdf's decoders are capped process-wide, before any PDF is opened
