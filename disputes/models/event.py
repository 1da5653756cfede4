"""The audit trail: append-only, refused by the ORM here and by a trigger on PostgreSQL."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..errors import ImmutableRecord
from ..states import TRANSITIONS
from .dispute import Dispute
from .document import Confidentiality
from .party import Organisation

#: What the audit trail records besides the transitions (whose events carry the transition's name), with the
#: short Dutch label the staff case page and the dossier's timeline show. The portal tells the same events
#: to parties in whole sentences (disputes/portal/timeline.py).
_OTHER_EVENTS = (
    ("drafted", _("Concept aangemaakt")),
    ("draft_updated", _("Concept bijgewerkt")),
    ("draft_points_changed", _("Geschilpunten in concept gewijzigd")),
    ("document_added", _("Document toegevoegd")),
    ("document_withdrawn", _("Document teruggetrokken")),
    ("documents_submitted", _("Stukken toegevoegd door een partij")),
    ("document_downloaded", _("Document gedownload")),
    ("point_admissibility", _("Ontvankelijkheid geschilpunt vastgelegd")),
    ("efforts_assessed", _("Inspanningen getoetst")),
    ("responded", _("Verweer ingediend")),
    ("late_response_allowed", _("Te laat verweer toegestaan")),
    ("information_answered", _("Vraag om inlichtingen beantwoord")),
    ("hearing_rescheduled", _("Hoorzitting gewijzigd")),
    ("effort_recorded", _("Overleglogboek aangevuld")),
    ("effort_document_added", _("Document toegevoegd aan het overleglogboek")),
    ("recused", _("Lid van de commissie heeft zich verschoond")),
    ("commission_composed", _("Samenstelling adviescommissie vastgesteld")),
    ("commission_seat_replaced", _("Lid adviescommissie vervangen")),
    ("applicant_withdrawn", _("Verzoeker heeft zijn deel van het verzoek ingetrokken")),
    ("view_invited", _("Belanghebbende uitgenodigd voor een zienswijze")),
    ("party_joined", _("Belanghebbende als partij toegevoegd")),
    ("cases_joined", _("Zaken gevoegd")),
    ("point_advised", _("Advies per geschilpunt vastgelegd")),
    ("point_decided", _("Beslissing per geschilpunt vastgelegd")),
    ("decision_drafted", _("Ontwerpuitspraak opgesteld")),
    ("objection_recorded", _("Bezwaar ontvangen")),
    ("decision_corrected", _("Herstelbesluit")),
    ("task_assigned", _("Taak toegewezen")),
    ("task_released", _("Taak teruggezet in de wachtrij")),
    ("reminder", _("Herinnering verstuurd")),
    ("integrity_failure", _("Integriteitsfout in opgeslagen bestand")),
    ("dossier_requested", _("Dossier aangevraagd")),
    ("dossier_exported", _("Dossier gemaakt")),
    ("dossier_export_failed", _("Dossier maken mislukt")),
    ("dossier_downloaded", _("Dossier gedownload")),
    ("representation_requested", _("Gemachtigde aangemeld")),
    ("representation_approved", _("Machtiging goedgekeurd")),
    ("representation_refused", _("Machtiging afgewezen")),
    ("representation_ended", _("Machtiging beëindigd")),
    ("letter_sent", _("Brief verstuurd")),
    ("letter_edited", _("Tekst van een conceptbrief aangepast")),
    ("letter_discarded", _("Conceptbrief weggegooid")),
    ("publication_prepared", _("Publicatie voorbereid")),
    ("publication_published", _("Uitspraak gepubliceerd")),
    ("publication_withdrawn", _("Publicatie ingetrokken")),
    ("retention_assigned", _("Bewaartermijn vastgesteld")),
    ("documents_destroyed", _("Documenten met een kortere bewaartermijn vernietigd")),
    ("case_destroyed", _("Zaak vernietigd (bestanden en persoonsgegevens)")),
    ("case_transferred", _("Zaak overgebracht (export voor het archief)")),
    ("letter_posted", _("Brief per post verzonden")),
)

#: Every kind of audit event, with its label: each transition (``TRANSITIONS``) and the other events above.
#: ``DisputeEvent.kind`` holds one of these (tests/unit/test_procedure_tables.py checks every kind the code
#: records).
EventKind = models.TextChoices(
    "EventKind",
    [(name.upper(), (name, spec.label)) for name, spec in TRANSITIONS.items()]
    + [(name.upper(), (name, label)) for name, label in _OTHER_EVENTS],
)


def event_label(kind: str) -> str:
    """The short Dutch label of an event kind (the kind itself for one this version does not know)."""
    return str(EventKind(kind).label) if kind in EventKind.values else kind


#: an event's details after its case was destroyed; the trigger of migration 0021 compares with the same value
ERASED_PAYLOAD = {"vernietigd": True}


class DisputeEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(_("De audittrail kan niet worden gewijzigd."))

    def delete(self):
        raise ImmutableRecord(_("De audittrail kan niet worden gewijzigd."))

    def visible_to_parties(self):
        return self.filter(visibility=Confidentiality.PARTIES)

    def erase_details(self) -> int:
        """The one change the audit trail allows (issue 17, docs/archive.md): when a case is destroyed its events
        keep who did what when, and lose their details (reasons, file names, questions), which may hold personal
        data. The PostgreSQL trigger (migration 0021) lets exactly this update through, and nothing else."""
        return super().update(payload=ERASED_PAYLOAD)


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
