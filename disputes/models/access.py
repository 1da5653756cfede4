"""The security access log: log-ins, log-outs, refusals and confidential downloads.

Next to the audit trail of a case (``DisputeEvent``) and just as append-only: refused by the ORM here
and, on PostgreSQL, by a trigger (migration 0007). A row never names a case it does not have to: a
404 records only the address that was asked for, so the log reveals nothing a 404 does not. Written
by ``disputes.access_log.record_access``, never with a password, session id or query string.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..errors import ImmutableRecord

IMMUTABLE_MESSAGE = _("Het toegangslogboek kan niet worden gewijzigd.")


class AccessAction(models.TextChoices):
    LOGIN = "login", _("Ingelogd")
    LOGIN_FAILED = "login_failed", _("Inloggen mislukt")
    LOGIN_LOCKED = "login_locked", _("Inloggen geblokkeerd (te veel pogingen)")
    LOGOUT = "logout", _("Uitgelogd")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Tweede stap mislukt")
    SECOND_FACTOR_PASSED = "second_factor_passed", _("Tweede stap geslaagd")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Tweede stap ingesteld")
    ENROLMENT_LINK_SENT = "enrolment_link_sent", _("Instellink tweede stap verstuurd")
    LOCKOUT_CLEARED = "lockout_cleared", _("Blokkade opgeheven")
    ACCESS_DENIED = "access_denied", _("Toegang geweigerd")
    NOT_FOUND = "not_found", _("Niet gevonden")
    RATE_LIMITED = "rate_limited", _("Te veel verzoeken")
    CONFIDENTIAL_DOWNLOAD = "confidential_download", _("Vertrouwelijk document gedownload")
    API_CALL = "api_call", _("API-aanroep")


class AccessResult(models.TextChoices):
    ALLOWED = "allowed", _("Toegestaan")
    DENIED = "denied", _("Geweigerd")


class AccessLogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(IMMUTABLE_MESSAGE)

    def delete(self):
        raise ImmutableRecord(IMMUTABLE_MESSAGE)


class AccessLogEntry(models.Model):
    """One security-relevant request: who (or which typed name), what, on what, with what result,
    from where, when (UTC)."""

    at = models.DateTimeField(_("tijdstip (UTC)"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("gebruiker"),
    )
    username = models.CharField(_("ingevoerde gebruikersnaam"), max_length=150, blank=True)
    action = models.CharField(_("handeling"), max_length=32, choices=AccessAction.choices, db_index=True)
    result = models.CharField(_("resultaat"), max_length=16, choices=AccessResult.choices)
    object = models.CharField(_("object"), max_length=300, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP-status"), null=True, blank=True)
    origin = models.CharField(_("herkomst (IP-adres)"), max_length=45, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    #: the connected application of an API call (issue 18); blank for the web
    application = models.ForeignKey("disputes.ApiApplication", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("applicatie"))

    objects = AccessLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslogboek")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.result}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(IMMUTABLE_MESSAGE)
