"""Binding a staff member's authenticator app: only through a set-up link the secretariat sends.

A password alone must never be enough to bind the second factor (whoever first logged in with a
guessed or phished password would otherwise own it). So:

1. The secretariat sends a staff member a set-up link (``enrolment_start``; the staff page
   *Inlogbeveiliging*, or ``manage.py enrolment_link`` for the very first administrator). That makes a
   new, unconfirmed ``TOTPDevice`` and removes any earlier unconfirmed one, so an earlier link stops
   working. The e-mail leaves through the outbox after commit (``send_enrolment_link``); the link is
   signed when the mail is built, so no link is ever stored.
2. The link is signed (``TimestampSigner``), expires after ``TWO_FACTOR_ENROLMENT_HOURS`` and names
   that device and a digest of its secret key. It works only for the staff member it was sent to,
   logged in with their password, and only while that device is unconfirmed: once the app is bound
   (``enrolment_finish``) the link is spent.
3. Binding confirms the device, removes the staff member's other authenticator devices (a new link
   replaces a lost phone) and makes ``BACKUP_CODE_COUNT`` backup codes (django-otp's ``StaticDevice``),
   shown once; each code works once at the second step.

Every link sent and every binding is recorded in the access log (``enrolment_link_sent``,
``second_factor_enrolled``); no link, key or code is.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import outbox, permissions
from .access_log import record_access
from .models import AccessAction, AccessResult, ArchiveRole, StaffRole

log = logging.getLogger("disputes.auth")

SALT = "disputes.enrolment"
BACKUP_CODE_COUNT = 10


def is_staff_user(user) -> bool:
    """Who must log in with a second factor: staff roles, the archive's roles, Django staff and superusers."""
    return bool(user.is_staff or user.is_superuser or permissions.is_staff_member(user)
                or permissions.is_archive_staff(user))


def can_manage_logins(user) -> bool:
    """Who lifts lock-outs and sends set-up links: the secretariat (and superusers)."""
    return bool(user is not None and user.is_authenticated
                and (user.is_superuser or permissions.has_role(user, StaffRole.SECRETARY)))


def staff_users():
    """Every active user who logs in with a second factor."""
    return (
        get_user_model().objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(is_superuser=True)
                | Q(groups__name__in=[*StaffRole.values, *ArchiveRole.values]))
        .distinct().order_by("last_name", "first_name", "username")
    )


def link_seconds() -> int:
    return settings.TWO_FACTOR_ENROLMENT_HOURS * 60 * 60


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user):
    """The device a set-up link was last sent for, while it is not yet bound."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def _key_digest(device: TOTPDevice) -> str:
    return salted_hmac(SALT, device.key, algorithm="sha256").hexdigest()[:32]


def enrolment_token(device: TOTPDevice) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"d": device.pk, "k": _key_digest(device)})


def enrolment_url(device: TOTPDevice) -> str:
    return settings.SITE_URL + reverse("two-factor-enrol", args=[enrolment_token(device)])


def device_for_token(token: str, user):
    """The unconfirmed device of ``user`` that ``token`` was made for, or None when the token is
    forged, expired, spent (the device was bound), replaced by a newer link, or someone else's."""
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=link_seconds())
    except (signing.BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), int) or not isinstance(data.get("k"), str):
        return None
    device = TOTPDevice.objects.filter(pk=data["d"], user=user, confirmed=False).first()
    if device is None or not constant_time_compare(data["k"], _key_digest(device)):
        return None
    return device


@transaction.atomic
def enrolment_start(*, user, actor=None, request=None, send: bool = True) -> TOTPDevice:
    """A new set-up link for ``user``: a fresh unconfirmed device (earlier links stop working), the
    e-mail after commit (``send``), and an ``enrolment_link_sent`` entry by ``actor``.

    ``ValueError`` when ``user`` is not staff or (with ``send``) has no e-mail address."""
    if not is_staff_user(user):
        raise ValueError(_("Alleen medewerkers loggen in met een tweede stap."))
    if send and not user.email:
        raise ValueError(_("%(name)s heeft geen e-mailadres; vul dat eerst in via het beheer.")
                         % {"name": user.get_full_name() or user.get_username()})
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=_("Authenticator-app"), confirmed=False)
    if send:
        outbox.enqueue("disputes.enrolment.send_enrolment_link", device_id=device.pk)
    log.info("enrolment link issued: user=%r by=%r", user.get_username(),
             actor.get_username() if actor is not None else "manage.py")
    record_access(request if request is not None else HttpRequest(), AccessAction.ENROLMENT_LINK_SENT,
                  result=AccessResult.ALLOWED, actor=actor, username="" if actor is not None else "manage.py",
                  object=f"user:{user.get_username()}")
    return device


@transaction.atomic
def enrolment_finish(*, request, device: TOTPDevice) -> list[str]:
    """Bind ``device`` (its code has been checked): confirm it, drop the user's other authenticator
    devices and backup codes, make new backup codes and return them (to be shown once)."""
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=_("Reservecodes"), confirmed=True)
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    log.info("second factor set up: user=%r", user.get_username())
    record_access(request, AccessAction.SECOND_FACTOR_ENROLLED, result=AccessResult.ALLOWED, actor=user,
                  object=f"totp + {BACKUP_CODE_COUNT} backup codes", status_code=200)
    return codes


@shared_task(acks_late=True, ignore_result=True)
def send_enrolment_link(*, device_id: int) -> int:
    """E-mail the set-up link for a device that is still waiting to be bound; 1 when sent, else 0
    (the device was bound or replaced meanwhile: that link would not work)."""
    device = TOTPDevice.objects.select_related("user").filter(pk=device_id, confirmed=False).first()
    if device is None or not device.user.email:
        return 0
    context = {
        "user": device.user,
        "url": enrolment_url(device),
        "valid_until": timezone.localtime(timezone.now() + timedelta(seconds=link_seconds())),
        "site_url": settings.SITE_URL,
    }
    with translation.override("nl"):
        subject = " ".join(render_to_string("emails/enrolment_subject.txt", context).split())
        body = render_to_string("emails/enrolment_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [device.user.email])
    return 1
