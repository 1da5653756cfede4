from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Geschilbeslechting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import access_log  # noqa: F401 - connects the log-out receiver of the access log
        from .services import retention, webhooks
        from .uploads import apply_qpdf_limits

        apply_qpdf_limits()  # qpdf's decoders are capped process-wide, before any PDF is opened
        retention.connect()  # an ending case gets its retention rule (disputes/services/retention.py)
        webhooks.connect()  # change notifications: a delivery per subscription that may hear of an event

        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="disputes.create_cache_table")


def _create_cache_table(sender, using, verbosity=0, **kwargs):
    """The log-in brake's counters live in a database table by default (ADR 0014): ``migrate`` makes it,
    so no deployment step can forget it. Nothing happens for Redis or an existing table."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
