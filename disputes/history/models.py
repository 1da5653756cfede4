"""History tables for organisations, memberships and users with their groups (django-simple-history).

``simple_history`` builds one historical model per tracked model; the ones here live in this app (label
``history``), so the tracked models in ``disputes`` and ``auth`` need no migration of their own. Each row
holds the tracked fields as they were after the change, ``history_type`` (``+`` added, ``~`` changed, ``-``
removed), ``history_date`` (the real time, UTC), ``history_user`` (the logged-in user who made the change,
through simple_history's middleware; none for a command) and ``history_via`` (the request or the command).

Not caught: ``QuerySet.update()``, ``bulk_create()`` and raw SQL on the tracked tables send no signal; the
code never changes them that way (docs/audit.md).
"""

import getpass
import os
import sys

import simple_history
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

from disputes.access_log import client_ip
from disputes.errors import ImmutableRecord
from disputes.models import (
    ApiApplication,
    ApiKey,
    DestructionItem,
    DestructionList,
    Invitation,
    Membership,
    Organisation,
    Representation,
    WebhookSubscription,
)

IMMUTABLE_MESSAGE = _("De geschiedenis van toegang kan niet worden gewijzigd.")
VIA_MAX_LENGTH = 300


def current_via() -> str:
    """Where the change being recorded came from: the request, else the program and command that ran it."""
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        return f"{request.method} {request.path} ({client_ip(request)})"[:VIA_MAX_LENGTH]
    # the program and the command only: an argument after them could be a password
    argv = sys.argv or [""]
    program = os.path.basename(argv[0]) or "python"
    command = argv[1] if len(argv) > 1 and not argv[1].startswith("-") else ""
    if program in ("manage.py", "django-admin", "__main__.py"):  # __main__.py: python -m django
        program = "manage.py"
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container without a passwd entry)
        account = str(os.getuid()) if hasattr(os, "getuid") else "?"
    return f"{program} {command}".strip()[:200] + f" (systeemaccount {account})"[:VIA_MAX_LENGTH - 200]


class AppendOnlyQuerySet(HistoricalQuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(IMMUTABLE_MESSAGE)

    def delete(self):
        raise ImmutableRecord(IMMUTABLE_MESSAGE)


class AppendOnlyRow(models.Model):
    """A history row is added once and never changed or deleted through the ORM."""

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(IMMUTABLE_MESSAGE)


class HistoryRow(AppendOnlyRow):
    history_via = models.CharField(_("via"), max_length=VIA_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding and not self.history_via:
            self.history_via = current_via()
        super().save(*args, **kwargs)


class AccessHistory(HistoricalRecords):
    """simple_history's records, append-only, with who made the change kept even when they leave.

    ``history_user`` is ``PROTECT`` instead of simple_history's ``SET_NULL``: deleting a user must not
    rewrite who made a change (nor could it on PostgreSQL, where the application may not update history);
    users are deactivated, never deleted, as for the access log.
    """

    def __init__(self, **kwargs):
        super().__init__(
            bases=[HistoryRow], m2m_bases=[AppendOnlyRow], historical_queryset=AppendOnlyQuerySet, **kwargs
        )

    def _get_history_user_fields(self):
        return {
            "history_user": models.ForeignKey(
                settings.AUTH_USER_MODEL,
                null=True,
                related_name="+",
                on_delete=models.PROTECT,
                verbose_name=_("door"),
            )
        }

    def post_save(self, instance, created, using=None, **kwargs):
        # Each log-in saves last_login alone (django.contrib.auth.models.update_last_login): not a change of access.
        if not created and kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
            return
        super().post_save(instance, created, using=using, **kwargs)


APP = "disputes.history"  # the historical models are made in this module, so they belong to this app

simple_history.register(
    Organisation, app=APP, records_class=AccessHistory,
    verbose_name=_("versie van een partijorganisatie"),
    verbose_name_plural=_("geschiedenis van partijorganisaties"),
)
simple_history.register(
    Membership, app=APP, records_class=AccessHistory,
    verbose_name=_("versie van een lidmaatschap"),
    verbose_name_plural=_("geschiedenis van lidmaatschappen"),
)
simple_history.register(
    get_user_model(), app=APP, records_class=AccessHistory,
    m2m_fields=["groups"],  # the staff roles, commission seats included
    excluded_fields=["password", "last_login"],  # no password hash in a table nobody can clean up
    verbose_name=_("versie van een gebruiker"),
    verbose_name_plural=_("geschiedenis van gebruikers en rollen"),
)
simple_history.register(
    Invitation, app=APP, records_class=AccessHistory,
    verbose_name=_("versie van een uitnodiging"),
    verbose_name_plural=_("geschiedenis van uitnodigingen"),
)
simple_history.register(
    Representation, app=APP, records_class=AccessHistory,
    verbose_name=_("versie van een machtiging"),
    verbose_name_plural=_("geschiedenis van gemachtigden"),
)
# who registered, changed or revoked a connected application, its keys and subscriptions (issue 18, docs/api.md);
# the key's hash and the signing secret stay out of the history
simple_history.register(
    ApiApplication, app=APP, records_class=AccessHistory,
    verbose_name=_("versie van een gekoppelde applicatie"),
    verbose_name_plural=_("geschiedenis van gekoppelde applicaties"),
)
simple_history.register(
    ApiKey, app=APP, records_class=AccessHistory, excluded_fields=["hashed"],
    verbose_name=_("versie van een API-sleutel"),
    verbose_name_plural=_("geschiedenis van API-sleutels"),
)
simple_history.register(
    WebhookSubscription, app=APP, records_class=AccessHistory, excluded_fields=["secret"],
    verbose_name=_("versie van een abonnement op wijzigingen"),
    verbose_name_plural=_("geschiedenis van abonnementen op wijzigingen"),
)
# who built, reviewed and approved a destruction list (issue 17, docs/archive.md); the certificate stays out
simple_history.register(
    DestructionList, app=APP, records_class=AccessHistory, excluded_fields=["certificate"],
    verbose_name=_("versie van een vernietigingslijst"),
    verbose_name_plural=_("geschiedenis van vernietigingslijsten"),
)
simple_history.register(
    DestructionItem, app=APP, records_class=AccessHistory,
    verbose_name=_("versie van een zaak op een vernietigingslijst"),
    verbose_name_plural=_("geschiedenis van zaken op vernietigingslijsten"),
)
