"""The commission's composition for one case: its chair and members, seated from the roster.

The Adviescommissie (Instellingsbesluit, Stcrt. 2016, 14908: a chair, members and deputies) advises as a
commission. Per case the secretariat seats a chair (a user of the ``commission_chair`` group) and members
(``commission_member``); when a seated member declares a conflict of interest the seat ends and a deputy
from the roster steps in, the new seat pointing to the one it replaces. Seats are never deleted: the
history of the composition is the rows, ended ones included.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..errors import ImmutableRecord
from .dispute import Dispute


class CaseSeatRole(models.TextChoices):
    CHAIR = "chair", _("voorzitter")
    MEMBER = "member", _("lid")


class CaseSeatQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def delete(self):
        raise ImmutableRecord(_("De samenstelling van de commissie wordt nooit verwijderd."))


class CaseSeat(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="commission_seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_seats")
    role = models.CharField(_("rol"), max_length=10, choices=CaseSeatRole.choices)
    appointed_at = models.DateTimeField(_("benoemd op"))
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: the seat this one took over (a deputy stepping in after a recusal)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("vervangt"),
    )
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden beëindiging"), max_length=300, blank=True)

    objects = CaseSeatQuerySet.as_manager()

    class Meta:
        ordering = ["appointed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "user"], condition=Q(ended_at__isnull=True), name="one_active_seat_per_person"
            ),
            models.UniqueConstraint(
                fields=["dispute"], condition=Q(ended_at__isnull=True, role="chair"), name="one_active_chair"
            ),
        ]
        verbose_name = _("zetel in de commissie voor een geschil")
        verbose_name_plural = _("samenstelling van de commissie per geschil")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(_("De samenstelling van de commissie wordt nooit verwijderd."))
