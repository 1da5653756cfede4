"""What the visibility rule reads about a user: their staff roles and their organisations.

Both are cached on the user object for the request (one query each, however many cases a page
checks). This module sits below the models: the queryset's ``Dispute.objects.visible_to(user)``
(the rule of who sees which case) and ``permissions`` (who may do what) both read it, so neither
imports the other's layer upwards (docs/adr/0011-import-layers.md).
"""


def roles(user) -> set[str]:
    """The staff roles (group names) of a user; cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return set()
    if not hasattr(user, "_dispute_roles"):
        user._dispute_roles = set(user.groups.values_list("name", flat=True))
    return user._dispute_roles


#: ``RepresentationStatus.APPROVED`` (disputes.models.accounts, above this module;
#: tests/integration/test_representatives.py holds the two equal)
REPRESENTATION_APPROVED = "approved"


def organisation_ids(user, dispute=None) -> set:
    """The ids of the organisations the user acts for: those they are an active member of (an ended membership
    gives nothing) and, on ``dispute`` only, the parties they represent there (an approved representation that has
    not ended, a gemachtigde: docs/accounts.md). Cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return set()
    if not hasattr(user, "_dispute_org_ids"):
        user._dispute_org_ids = set(
            user.memberships.filter(ended_at__isnull=True).values_list("organisation_id", flat=True))
    if dispute is None:
        return user._dispute_org_ids
    represented = representations(user).get(dispute.pk)
    return user._dispute_org_ids | represented if represented else user._dispute_org_ids


def representations(user) -> dict:
    """The cases the user represents a party in, as {case id: {organisation ids}} (approved, not ended); cached on
    the user object for the request, one query (none for staff, who never represent a party)."""
    if user is None or not user.is_authenticated or user.is_superuser or roles(user):
        return {}
    if not hasattr(user, "_dispute_representations"):
        found: dict = {}
        for dispute_id, organisation_id in user.representations.filter(
                status=REPRESENTATION_APPROVED, ended_at__isnull=True).values_list("dispute_id", "organisation_id"):
            found.setdefault(dispute_id, set()).add(organisation_id)
        user._dispute_representations = found
    return user._dispute_representations


def forget(user) -> None:
    """Drop what this module cached on ``user`` (after a service changed their memberships or representations)."""
    for name in ("_dispute_org_ids", "_dispute_representations", "_dispute_actors"):
        user.__dict__.pop(name, None)
