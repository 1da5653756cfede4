"""The commission's composition for a case: seating its chair and members, a deputy stepping in.

The commission advises as a commission (Instellingsbesluit Adviescommissie geschilbeslechting
prestatieafspraken, Stcrt. 2016, 14908): per case the secretariat seats a chair and
``COMMISSION_MEMBERS_PER_CASE`` members from the roster (the users of the ``commission_chair`` and
``commission_member`` groups). A seated member who declares a conflict of interest loses the seat
(``end_seat_on_recusal``, called by ``dispute_recuse``) and the secretariat seats a deputy in that place.
The advice is adopted by the seated chair on behalf of the members; without a complete composition it
cannot be issued (``guards.advice_problems``), and only the seated chair acts as the case's chair
(``permissions.actors_of``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import clock, guards
from ..models import CaseSeat, CaseSeatRole, Confidentiality, Dispute, StaffRole
from ._core import change, lock, require_operation, service


def members_per_case() -> int:
    return int(getattr(settings, "COMMISSION_MEMBERS_PER_CASE", 2))


def active_seats(dispute: Dispute) -> list[CaseSeat]:
    return list(dispute.commission_seats.active().select_related("user").order_by("role", "appointed_at", "pk"))


#: what the case's composition lacks before the commission can advise (the advice's guard)
composition_problems = guards.composition_problems


def seated_chair_id(dispute: Dispute):
    """The user id of the case's seated chair, or None when the case has no composition yet."""
    return dispute.commission_seats.active().filter(role=CaseSeatRole.CHAIR).values_list("user_id", flat=True).first()


def _describe(seats) -> list[dict]:
    return [{"user": seat.user.get_username(), "name": seat.user.get_full_name() or seat.user.get_username(),
             "role": seat.role} for seat in seats]


def composition_payload(dispute: Dispute) -> list[dict]:
    """The composition as the events and the dossier name it."""
    return _describe(active_seats(dispute))


def _check_candidate(dispute: Dispute, user, role: str, *, taken: set) -> None:
    group = StaffRole.COMMISSION_CHAIR if role == CaseSeatRole.CHAIR else StaffRole.COMMISSION_MEMBER
    name = user.get_full_name() or user.get_username()
    if not user.is_active or not user.groups.filter(name=group).exists():
        raise ValidationError({"members": _("%(name)s staat niet op de lijst van de adviescommissie als %(role)s.")
                               % {"name": name, "role": CaseSeatRole(role).label}})
    if dispute.recusals.filter(user=user).exists():
        raise ValidationError({"members": _("%(name)s heeft zich in dit geschil verschoond.") % {"name": name}})
    if user.pk in taken:
        raise ValidationError({"members": _("%(name)s zit al in de commissie voor dit geschil.") % {"name": name}})
    taken.add(user.pk)


@service
def dispute_compose_commission(*, dispute: Dispute, actor, chair, members, expected_version=None) -> Dispute:
    """The secretariat seats the chair and the members of the commission for this case (once; a later change
    is a replacement of one seat, ``dispute_replace_seat``)."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "compose_commission", actor=actor)
    if dispute.joined_to_id:
        raise ValidationError({"members": _("Deze zaak is gevoegd: de commissie van de hoofdzaak adviseert.")})
    if dispute.commission_seats.active().exists():
        raise ValidationError({"members": _("De commissie voor dit geschil is al samengesteld; vervang zo nodig "
                                            "één lid.")})
    members = list(members)
    if chair is None:
        raise ValidationError({"chair": _("Kies de voorzitter.")})
    if len(members) != members_per_case():
        raise ValidationError({"members": _("Kies %(need)d leden.") % {"need": members_per_case()}})
    taken: set = set()
    _check_candidate(dispute, chair, CaseSeatRole.CHAIR, taken=taken)
    for user in members:
        _check_candidate(dispute, user, CaseSeatRole.MEMBER, taken=taken)
    now = clock.now()
    CaseSeat.objects.bulk_create(
        [CaseSeat(dispute=dispute, user=chair, role=CaseSeatRole.CHAIR, appointed_at=now, appointed_by=actor)]
        + [CaseSeat(dispute=dispute, user=u, role=CaseSeatRole.MEMBER, appointed_at=now, appointed_by=actor)
           for u in members]
    )
    change(dispute, actor=actor, kind="commission_composed", payload={"seats": composition_payload(dispute)},
           visibility=Confidentiality.PARTIES)
    return dispute


@service
def dispute_replace_seat(*, dispute: Dispute, actor, seat: CaseSeat, user, reason: str,
                         expected_version=None) -> Dispute:
    """A deputy (or another member of the roster) takes over a seat; the old seat ends with the reason."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "replace_commission_seat", actor=actor)
    seat = CaseSeat.objects.filter(pk=seat.pk, dispute=dispute).first()
    if seat is None:
        raise ValidationError({"seat": _("Deze zetel hoort niet bij dit geschil.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van de vervanging.")})
    taken = set(dispute.commission_seats.active().exclude(pk=seat.pk).values_list("user_id", flat=True))
    _check_candidate(dispute, user, seat.role, taken=taken)
    now = clock.now()
    if seat.ended_at is None:
        seat.ended_at, seat.end_reason = now, reason[:300]
        seat.save(update_fields=["ended_at", "end_reason"])
    elif hasattr(seat, "replaced_by"):
        raise ValidationError({"seat": _("Voor deze zetel is al een vervanger benoemd.")})
    CaseSeat.objects.create(dispute=dispute, user=user, role=seat.role, appointed_at=now, appointed_by=actor,
                                  replaces=seat)
    change(dispute, actor=actor, kind="commission_seat_replaced", visibility=Confidentiality.PARTIES, payload={
        "role": seat.role, "left": seat.user.get_username(), "joined": user.get_username(), "reason": reason,
        "seats": composition_payload(dispute)})
    return dispute


def end_seat_on_recusal(dispute: Dispute, user, *, reason: str) -> bool:
    """Inside ``dispute_recuse`` (the case is locked): a recused member leaves their seat; the secretariat
    seats a deputy. Returns whether a seat ended."""
    return bool(dispute.commission_seats.active().filter(user=user).update(
        ended_at=clock.now(), end_reason=(_("verschoning: %(reason)s") % {"reason": reason})[:300]))


def seats_to_replace(dispute: Dispute) -> list[CaseSeat]:
    """Seats that ended without a successor (a recusal): the secretariat should seat a deputy."""
    return list(dispute.commission_seats.filter(ended_at__isnull=False, replaced_by__isnull=True)
                .select_related("user"))


def roster(role: str):
    """The users who may be seated in ``role`` (the commission's roster: its group's active members)."""
    group = StaffRole.COMMISSION_CHAIR if role == CaseSeatRole.CHAIR else StaffRole.COMMISSION_MEMBER
    return get_user_model().objects.filter(is_active=True, groups__name=group).order_by("last_name", "username")
