"""Side effects of the domain that leave the process: e-mail to the parties.

Services put these in the transactional outbox (outbox.py, ADR 0008). Every mail is recorded as a
``Notification`` first (unique per event and recipient), so running a task twice sends nothing twice.
"""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from . import clock, permissions, search, selectors
from .atw import format_date_nl
from .models import DisputeEvent, DocumentType, Notification
from .states import TRANSITIONS

#: Event kinds the parties hear about by e-mail.
NOTIFY_KINDS = set(TRANSITIONS) | {"responded", "applicant_withdrawn"}


def recipients_for(event: DisputeEvent) -> list[str]:
    """Who hears about an event by e-mail.

    An event naming ``notify_users`` goes to those users, as long as they may still see the case;
    an event with an ``audience`` (reminders) goes to the members of those organisations and the
    holders of those staff roles; a party-visible transition goes to every member of every party,
    and a new filing (``submit``) to the secretariat as well.
    """
    from .models import StaffRole

    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    audience = event.payload.get("audience")
    if event.payload.get("notify_users"):  # one message for named users, e.g. who asked for a dossier
        users = [u for u in users.filter(pk__in=event.payload["notify_users"])
                 if permissions.can_view_dispute(u, event.dispute)]
        return sorted({u.email for u in users})
    if isinstance(audience, dict) and audience:
        users = users.filter(selectors.acting_for(event.dispute, audience.get("organisations", []))
                             | Q(groups__name__in=audience.get("roles", [])))
    elif event.visibility == "parties" and event.kind in NOTIFY_KINDS:
        parties = selectors.acting_for(event.dispute, event.dispute.organisation_ids())
        if event.kind == "submit":  # a new filing: the secretariat hears of it too (issue 16, item 5)
            parties |= Q(groups__name=StaffRole.SECRETARY)
        users = users.filter(parties)
    else:
        return []
    return sorted(set(users.values_list("email", flat=True)))


#: reading a case's new documents may take a while (SEARCH_EXTRACT_SECONDS each); what was read before a limit
#: stopped the task is kept, and the case's next event picks up the rest
INDEX_SOFT_TIME_LIMIT = 10 * 60


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=INDEX_SOFT_TIME_LIMIT,
             time_limit=INDEX_SOFT_TIME_LIMIT + 60)
def index_case(*, dispute_id: str) -> int:
    """Staff search: read the text of the case's new documents and rewrite its search entry (disputes/search.py)."""
    return search.index_case(dispute_id)


@shared_task(acks_late=True, ignore_result=True)
def notify_event(*, event_id: int) -> int:
    """E-mail the parties about one event. Returns the number of messages sent by this run.

    Staff among the recipients (the secretariat on a new filing, staff reminders, an assigned task) get the
    same message with the link to the staff case page instead of the portal's."""
    from .models import StaffRole

    event = DisputeEvent.objects.select_related("dispute").filter(pk=event_id).first()
    if event is None:
        return 0
    addresses = recipients_for(event)
    staff = set(get_user_model().objects.filter(email__in=addresses, groups__name__in=StaffRole.values)
                .values_list("email", flat=True))
    due = event.payload.get("due")
    context = {
        "event": event,
        "dispute": event.dispute,
        "transition": TRANSITIONS.get(event.kind),
        "due": format_date_nl(date.fromisoformat(due)) if due else "",
        "site_url": settings.SITE_URL,
    }
    with translation.override("nl"):  # e-mail to the parties is Dutch, whoever's request caused it
        # the document types asked for (a remedy request) or added (documents_submitted), in words
        codes = event.payload.get("documents") if event.kind == "request_remedy" else event.payload.get("types")
        context["document_labels"] = [str(DocumentType(c).label) for c in (codes or []) if c in DocumentType.values]
        subject = " ".join(render_to_string("emails/event_subject.txt", context).split())
        bodies = {flag: render_to_string("emails/event_body.txt", {**context, "staff": flag})
                  for flag in {False, bool(staff)}}
    sent = 0
    for address in addresses:
        body = bodies[address in staff]
        try:
            with transaction.atomic():
                Notification.objects.create(
                    event=event, recipient=address, subject=subject[:300], body=body, sent_at=clock.now()
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except IntegrityError:
            continue  # already sent by an earlier run
        sent += 1
    return sent


@shared_task(acks_late=True, ignore_result=True)
def send_letter(*, event_id: int, document_id: str, recipients: list[dict]) -> int:
    """E-mail a letter the case generated (e.g. the extension notice) as a PDF attachment to organisations that
    may not see the case, such as the college van B&W of the gemeente of the agreement when the gemeente is no
    party (BTIV art. 40 lid 2). ``recipients`` are ``{"organisation": id, "as": capacity}``; each goes to
    ``letters.notice_addresses``. Recorded as a ``Notification`` of the event, so a second run sends nothing
    twice. Parties read their letters on the case page; documents are not e-mailed to them."""
    from .letters import notice_addresses
    from .models import Document, LetterCopy, Organisation

    event = DisputeEvent.objects.select_related("dispute__agreement__municipality").filter(pk=event_id).first()
    document = Document.objects.filter(pk=document_id, dispute_id=getattr(event, "dispute_id", None)).first()
    if event is None or document is None:
        return 0
    copy = LetterCopy.objects.filter(document=document).select_related("letter").first()
    kind = copy.letter.kind if copy is not None else ""  # the letter's kind (disputes/letterbook.py)
    with document.file.open("rb") as handle:
        content = handle.read()
    sent = 0
    for recipient in recipients:
        organisation = Organisation.objects.filter(pk=recipient["organisation"]).first()
        if organisation is None:
            continue
        context = {"event": event, "dispute": event.dispute, "organisation": organisation,
                   "capacity": recipient.get("as", ""), "letter": kind, "site_url": settings.SITE_URL}
        with translation.override("nl"):
            subject = " ".join(render_to_string("emails/letter_subject.txt", context).split())
            body = render_to_string("emails/letter_body.txt", context)
        for address in notice_addresses(organisation, recipient.get("as", "")):
            try:
                with transaction.atomic():
                    Notification.objects.create(
                        event=event, recipient=address, subject=subject[:300], body=body, sent_at=clock.now()
                    )
                    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
                    message.attach(f"{document.doc_type}-{event.dispute.case_number}.pdf", content,
                                   "application/pdf")
                    message.send()
            except IntegrityError:
                continue  # already sent by an earlier run (or this address had the event's own e-mail)
            sent += 1
    return sent


#: Reading every stored file takes long on a large store; past this the run stops and reports what
#: it did not check (see disputes/integrity.py). A daily task must end well within the day.
INTEGRITY_SOFT_TIME_LIMIT = 4 * 60 * 60
INTEGRITY_TIME_LIMIT = INTEGRITY_SOFT_TIME_LIMIT + 10 * 60


@shared_task(
    # Acknowledged when it starts, unlike the other tasks: a run may take hours, longer than Redis
    # waits (visibility timeout, 1 hour) before it hands an unacknowledged message to another worker,
    # which would start the same check again every hour. A run lost with its worker is simply the
    # next night's run; nothing is written that a repeat would have to finish.
    acks_late=False, ignore_result=True,
    soft_time_limit=INTEGRITY_SOFT_TIME_LIMIT, time_limit=INTEGRITY_TIME_LIMIT,
)
def check_integrity() -> dict:
    """Re-verify the SHA-256 of every stored file (nightly, see setup_periodic_tasks); log a summary
    and e-mail the secretariat when a file is missing or changed. It only reads and reports, so a
    second run checks again and reports again."""
    from .services.integrity import run_check

    return run_check().as_dict()


# Tasks that live next to their subject; imported here so Celery's autodiscovery registers them.
from . import enrolment as enrolment_tasks  # noqa: E402,F401 - send_enrolment_link
from . import invitations as invitation_tasks  # noqa: E402,F401 - send_invitation
from .dossier import tasks as dossier_tasks  # noqa: E402,F401


@shared_task(acks_late=True, ignore_result=True)
def relay_outbox() -> int:
    """Send the outbox messages that could not reach the broker at commit time."""
    from . import outbox

    return outbox.relay()


@shared_task(acks_late=True, ignore_result=True)
def deliver_webhook(*, delivery_id: str) -> str:
    """One attempt at a change notification (CloudEvent) for one subscription (disputes/services/webhooks.py)."""
    from .services import webhooks

    return webhooks.deliver(delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def retry_webhooks() -> int:
    """Put the change notifications whose next attempt is due back in the outbox (the back-off's clock)."""
    from .services import webhooks

    return webhooks.retry_due()


@shared_task(acks_late=True, ignore_result=True)
def prune_idempotency_keys() -> int:
    """Forget the API writes' Idempotency-Keys older than 24 hours (disputes/api/idempotency.py, docs/api.md)."""
    from .services.api import idempotency_keys_prune

    return idempotency_keys_prune()


@shared_task(acks_late=True, ignore_result=True)
def destroy_list(*, list_id: str) -> int:
    """Destroy the cases of an approved destruction list (disputes/services/archive.py, docs/archive.md): one case
    per transaction, files first; a run that stops half-way (a worker killed, a storage error) is run again by
    another delivery or by ``destruction_list_destroy`` on the list being destroyed, and finishes the rest."""
    from .services.archive import destroy_pending

    return destroy_pending(list_id)
