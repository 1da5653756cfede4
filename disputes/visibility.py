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


def organisation_ids(user) -> set:
    """The ids of the organisations the user is an active member of (an ended membership gives nothing); cached on
    the user object for the request."""
    if user is None or not user.is_authenticated:
        return set()
    if not hasattr(user, "_dispute_org_ids"):
        user._dispute_org_ids = set(
            user.memberships.filter(ended_at__isnull=True).values_list("organisation_id", flat=True))
    return user._dispute_org_ids
