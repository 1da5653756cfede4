"""Connected applications (issue 18, docs/api.md): the ministry's systems that use ``/api/v1/`` with a scoped key,
the change notifications they subscribe to, and the idempotency of their writes.

A key is shown once and stored as its SHA-256 (it is 256 random bits, so a slow password hash adds nothing: ADR
0021); ``prefix`` finds the row. Each application acts through its own account (``user``), which holds no staff
role and cannot log in: the services, the audit trail and the access log name it like any actor."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .document import Confidentiality
from .event import DisputeEvent


class ApiScope(models.TextChoices):
    READ_CASES = "cases:read", _("Zaken lezen")
    READ_DOCUMENTS = "documents:read", _("Documenten lezen en downloaden")
    REQUEST_EXPORTS = "exports:write", _("Dossiers aanvragen en downloaden")
    RECORD_POST = "letters:write", _("Verzending per post vastleggen")
    NOTIFICATIONS = "notifications", _("Wijzigingen ontvangen (webhooks)")


class ApiApplication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=200, unique=True)
    contact = models.EmailField(_("contactadres"), blank=True)
    scopes = models.JSONField(_("rechten"), default=list)
    #: the highest confidentiality of document this application may read (Open Zaak's maximale
    #: vertrouwelijkheidaanduiding); the levels are ordered as ``Confidentiality`` lists them
    max_confidentiality = models.CharField(_("hoogste vertrouwelijkheid"), max_length=16,
                                           choices=Confidentiality.choices, default=Confidentiality.PARTIES)
    #: the kinds of dispute (``DisputeKind``) it may see; empty: every kind. A case of another kind answers 404,
    #: as one that does not exist (Open Zaak's zaaktypen per application)
    kinds = models.JSONField(_("soorten geschil"), default=list, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_application")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gekoppelde applicatie")
        verbose_name_plural = _("gekoppelde applicaties")

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    application = models.ForeignKey(ApiApplication, on_delete=models.CASCADE, related_name="keys")
    #: the key's first characters, shown in lists and used to find the row
    prefix = models.CharField(max_length=12, unique=True)
    hashed = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.prefix}…"


class IdempotentRequest(models.Model):
    """A write's ``Idempotency-Key``: the same key with the same body answers the first response again; with
    another body it is refused (409). Kept 24 hours."""

    application = models.ForeignKey(ApiApplication, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="one_response_per_key")]

    def __str__(self) -> str:
        return self.key


class WebhookSubscription(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(ApiApplication, on_delete=models.CASCADE, related_name="subscriptions")
    callback_url = models.URLField(_("callback-adres"), max_length=500)
    #: the HMAC secret the receiver checks ``webhook-signature`` with; shown once, kept to sign
    secret = models.CharField(max_length=64)
    #: event kinds to send (``EventKind``); empty means every kind
    kinds = models.JSONField(_("soorten gebeurtenissen"), default=list, blank=True)
    created_at = models.DateTimeField()
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("abonnement op wijzigingen")
        verbose_name_plural = _("abonnementen op wijzigingen")

    def __str__(self) -> str:
        return self.callback_url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Wacht")
    DELIVERED = "delivered", _("Afgeleverd")
    FAILED = "failed", _("Opgegeven")


class WebhookDelivery(models.Model):
    """One CloudEvent for one subscription, with every attempt's outcome."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(DisputeEvent, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_per_event")]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.subscription_id}: {self.status}"
