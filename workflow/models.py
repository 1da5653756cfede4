"""The workflow's own bookkeeping: the viewflow process of a case, commission seats, sent invitations.

Nothing here is legal state. ``Dispute.state`` (disputes/) is the law; these rows say who is
expected to do what next, who sits on the commission and which hearing invitations went out.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from disputes.models import StaffRole

#: The viewflow "owner permission" stored on a task row for the role that does it. The queue of a
#: user holds the open tasks whose permission is one of their roles (see worklist.py).
ROLE_PERMISSION = "workflow.role_{}"


def role_permission(role: str) -> str:
    return ROLE_PERMISSION.format(role)


class DisputeProcess(Process):
    """The to-do list of one case: a viewflow process linked one-to-one to the dispute."""

    dispute = models.OneToOneField(
        "disputes.Dispute", on_delete=models.PROTECT, related_name="workflow_process", verbose_name=_("geschil")
    )

    class Meta:
        verbose_name = _("werkstroom van een geschil")
        verbose_name_plural = _("werkstromen van geschillen")
        permissions = [
            ("role_secretary", "Taken van het secretariaat"),
            ("role_commission_chair", "Taken van de voorzitter van de adviescommissie"),
            ("role_commission_member", "Taken van een lid van de adviescommissie"),
            ("role_minister_official", "Taken van de ambtenaar namens de Minister"),
        ]

    def __str__(self) -> str:
        return f"{_('Werkstroom')} {self.dispute}"


class SeatRole(models.TextChoices):
    CHAIR = StaffRole.COMMISSION_CHAIR.value, _("Voorzitter")
    MEMBER = StaffRole.COMMISSION_MEMBER.value, _("Lid")


class CommissionSeat(models.Model):
    """A seat on the Adviescommissie: who holds it, as chair or member, and whether as deputy.

    The role that grants access is still the user's group (commission_chair / commission_member);
    the seat adds what the groups cannot say: deputy or not, nominated by which sector body.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_seat", verbose_name=_("persoon")
    )
    role = models.CharField(_("functie"), max_length=32, choices=SeatRole.choices, default=SeatRole.MEMBER)
    deputy = models.BooleanField(_("plaatsvervangend"), default=False)
    nominated_by = models.CharField(
        _("voorgedragen door"), max_length=100, blank=True,
        help_text=_("Bijvoorbeeld Aedes, VNG of Woonbond."),
    )
    appointed_on = models.DateField(_("benoemd op"), null=True, blank=True)

    class Meta:
        ordering = ["role", "deputy", "user__last_name", "user__username"]
        verbose_name = _("zetel in de adviescommissie")
        verbose_name_plural = _("samenstelling adviescommissie")

    def __str__(self) -> str:
        deputy = _(" (plaatsvervangend)") if self.deputy else ""
        return f"{self.user} - {self.get_role_display()}{deputy}"


class HearingInvitation(models.Model):
    """One e-mail invitation (with its .ics) sent for a scheduled hearing; never sent twice."""

    event = models.ForeignKey("disputes.DisputeEvent", on_delete=models.PROTECT, related_name="+")
    recipient = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="one_invitation_per_event_recipient")
        ]
        verbose_name = _("uitnodiging hoorzitting")
        verbose_name_plural = _("uitnodigingen hoorzitting")

    def __str__(self) -> str:
        return f"{self.recipient} ({self.sent_at:%d-%m-%Y})"
