"""Template context shared by every page."""

from django.conf import settings


def session_timeout(request) -> dict:
    """When the session ends and how long before that the warning shows (static/js/session.js)."""
    seconds = settings.SESSION_COOKIE_AGE
    warn_before = min(settings.SESSION_WARNING_SECONDS, max(seconds // 2, 1))
    return {
        "session_seconds": seconds,
        "session_warn_before": warn_before,
        "session_warn_minutes": max(1, round(warn_before / 60)),
    }


def staff_member(request) -> dict:
    """Whether the header speaks to a member of staff (their start page is the worklist, not "Mijn geschillen"),
    and whether the staff menu links to the dashboard; worked out only when a template asks."""
    from .permissions import (
        can_manage_organisations,
        can_manage_records,
        can_view_dashboard,
        is_archive_staff,
        is_staff_member,
    )

    user = getattr(request, "user", None)
    return {
        "is_staff_member": lambda: bool(user and user.is_authenticated and is_staff_member(user)),
        # the link to the dashboard in the staff menu
        "can_see_dashboard": lambda: bool(user and user.is_authenticated and can_view_dashboard(user)),
        # the link to the party organisations (/werk/organisaties/): the secretariat
        "can_manage_organisations": lambda: can_manage_organisations(user),
        # the archive's roles (docs/archive.md): their menu holds the destruction lists, and the record manager's
        # the transfer too
        "archive_user": lambda: bool(user and user.is_authenticated and is_archive_staff(user)),
        "can_manage_records": lambda: bool(user and user.is_authenticated and can_manage_records(user)),
    }


def login_security(request) -> dict:
    """Whether to show the secretariat's page *Inlogbeveiliging* in the staff menu (worked out only
    when a template asks)."""
    from .enrolment import can_manage_logins

    return {"can_manage_logins": lambda: can_manage_logins(getattr(request, "user", None))}
