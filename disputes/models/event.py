"""The audit trail: append-only, refused by the ORM here and by a trigger on PostgreSQL."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..errors import ImmutableRecord
from .dispute import Dispute
from .document import Confidentiality
from .party import Organisation


class DisputeEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(_("De audittrail kan niet worden gewijzigd."))

    def delete(self):
        raise ImmutableRecord(_("De audittrail kan niet worden gewijzigd."))

    def visible_to_parties(self):
        return self.filter(visibility=Confidentiality.PARTIES)


class DisputeEvent(models.Model):
    """Something that happened to a case: who, what, when, from which state to which, and details."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("door"),
    )
    actor_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("gebeurtenis"), max_length=40)
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    visibility = models.CharField(max_length=16, choices=Confidentiality.choices, default=Confidentiality.PARTIES)

    objects = DisputeEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("audittrail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(_("De audittrail kan niet worden gewijzigd."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(_("De audittrail kan niet worden gewijzigd."))


class Notification(models.Model):
    """An e-mail sent about an event, recorded on the case; one per event and recipient."""

    event = models.ForeignKey(DisputeEvent, on_delete=models.PROTECT, related_name="notifications")
    recipient = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="one_mail_per_event_recipient")]
        verbose_name = _("verzonden e-mail")
        verbose_name_plural = _("verzonden e-mails")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class OutboxMessage(models.Model):
    """A task to send, written in the same transaction as the change that causes it.

    After commit the message is handed to the broker and marked sent; if the broker is down, the
    row stays and the periodic relay sends it later (transactional outbox, quality.md). Tasks are
    idempotent, so a message sent twice does no harm.
    """

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")

    def __str__(self) -> str:
        return f"{self.task} {self.kwargs}"
