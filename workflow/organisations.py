"""The reads behind the secretariat's pages on party organisations (``/werk/organisaties/``) and the case page's
"Uitnodigingen" (docs/accounts.md): the list, members, invitations with their state, and who sees which case and
why. Every list is bounded (a page of 50, or ``ACCESS_ROWS`` cases)."""

from django.core.paginator import Paginator
from django.db.models import Count, Q

from disputes import clock, invitations
from disputes.models import DisputeParty, Invitation, Membership, Organisation, PartyRole
from disputes.states import DisputeState

PER_PAGE = 50
#: at most this many cases are listed under "Toegang" (the count says how many there are)
ACCESS_ROWS = 200


def organisations(*, kind: str = "", name: str = "", page=1):
    """One page of the organisations by name, with their active members counted."""
    found = Organisation.objects.all()
    if kind:
        found = found.filter(kind=kind)
    if name:
        found = found.filter(name__icontains=name.strip())
    found = found.annotate(active_members=Count(
        "memberships", filter=Q(memberships__ended_at__isnull=True, memberships__user__is_active=True)))
    return Paginator(found.order_by("name"), PER_PAGE).get_page(page)


def invitation_rows(found) -> list[dict]:
    now = clock.now()
    return [{"invitation": i, "state": invitations.state(i, now), "state_label": invitations.state_label(i, now)}
            for i in found]


def members(organisation: Organisation) -> tuple[list, list]:
    """(active, ended) memberships, each with its user."""
    rows = list(Membership.objects.filter(organisation=organisation).select_related("user")
                .order_by("user__last_name", "user__first_name", "user__username"))
    active = [m for m in rows if m.ended_at is None]
    ended = sorted((m for m in rows if m.ended_at is not None), key=lambda m: m.ended_at, reverse=True)
    return active, ended


def organisation_invitations(organisation: Organisation) -> list[dict]:
    return invitation_rows(organisation.invitations.select_related("invited_by", "accepted_by", "dispute")
                           .order_by("-created_at"))


def access(organisation: Organisation) -> dict:
    """The cases the organisation's active members see, and why: the organisation's role in each (a party that
    withdrew its part still sees the case as a former party). A draft only its applicants see."""
    parties = (DisputeParty.objects.filter(organisation=organisation).select_related("dispute")
               .order_by("-dispute__submitted_at", "-dispute__created_at"))
    total = parties.count()
    rows = []
    for party in parties[:ACCESS_ROWS]:
        rows.append({"dispute": party.dispute, "role": party.get_role_display(), "withdrawn_at": party.withdrawn_at,
                     "unfiled": party.dispute.state == DisputeState.DRAFT})
    return {"rows": rows, "total": total, "cut": total > len(rows)}


def case_parties(dispute) -> list:
    """The case's parties with their organisations, each with ``active_members`` (one query: the case page's
    "Partijen" and "Uitnodigingen" both read it)."""
    return list(dispute.parties.select_related("organisation").annotate(active_members=Count(
        "organisation__memberships",
        filter=Q(organisation__memberships__ended_at__isnull=True, organisation__memberships__user__is_active=True),
    )).order_by("role", "organisation__name"))


def case_invitations(dispute, parties=None) -> list[dict]:
    """Per party organisation of the case (``parties``: ``case_parties``): its active members and its invitations
    (open, accepted, expired, revoked, with dates), and whether nobody can be reached (no active member, no open
    invitation, no general e-mail address). One query for the invitations, whatever the number of parties."""
    parties = case_parties(dispute) if parties is None else parties
    ids = {p.organisation_id for p in parties}
    by_org = {}
    for row in invitation_rows(Invitation.objects.filter(organisation_id__in=ids)
                               .select_related("invited_by", "dispute").order_by("-created_at")):
        by_org.setdefault(row["invitation"].organisation_id, []).append(row)
    result = []
    for party in parties:
        organisation = party.organisation
        rows = by_org.get(organisation.pk, [])
        active = party.active_members
        open_ = any(r["state"] == invitations.InvitationState.OPEN for r in rows)
        result.append({
            "party": party, "organisation": organisation, "active_members": active, "invitations": rows,
            "unreachable": not active and not open_ and not organisation.email,
            "no_member": not active,
            "respondent": party.role == PartyRole.RESPONDENT,
        })
    return result
