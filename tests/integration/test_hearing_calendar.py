"""The hearing's calendar file (issue 16, item 5): built with icalendar, METHOD:REQUEST from the secretariat,
updates and a cancellation with the same UID and a higher SEQUENCE, no property injection through the place;
the invitation goes to the parties and to the commission seated on the case, each address once."""

from datetime import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from disputes import clock, services
from disputes.models import Dispute, DisputeEvent, Representation, RepresentationStatus
from tests.factories import UserFactory, case_in_state, moment
from workflow import ical
from workflow.models import HearingInvitation
from workflow.tasks import send_hearing_invitations

pytestmark = pytest.mark.django_db

PARTIES = ["anna@example.nl", "bert@example.nl", "gerda@example.nl"]
COMMISSION = ["chair@example.nl", "lid2@example.nl", "lid@example.nl"]
EVIL = "Zaal 1\r\nATTENDEE:mailto:evil@example.org"


@pytest.fixture(autouse=True)
def _strict(settings):
    settings.WORKFLOW_STRICT = True
    settings.SITE_URL = "https://geschil.example.nl"


def calendar_mails():
    return [m for m in mail.outbox if m.attachments and m.attachments[0][0] == "hoorzitting.ics"]


def parsed(message) -> tuple[str, icalendar.Calendar]:
    """The raw .ics text and the calendar icalendar reads back from it."""
    name, content, mimetype = message.attachments[0]
    text = content.decode() if isinstance(content, bytes) else content
    return text, icalendar.Calendar.from_ical(text)


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def attendees(event) -> list[str]:
    found = event.get("attendee", [])
    return [str(a) for a in (found if isinstance(found, list) else [found])]


def by_recipient(messages) -> dict:
    return {m.to[0]: m for m in messages}


def schedule(world, dispute, place="Den Haag, zaal 3", when="2017-03-06 10:00", capture=None):
    with capture(execute=True):
        services.dispute_schedule_hearing(dispute=dispute, actor=world.secretary, hearing_at=moment(when),
                                          place=place)
    return DisputeEvent.objects.get(dispute=dispute, kind="schedule_hearing")


def test_a_place_with_a_line_break_injects_no_property():
    text = ical.hearing_calendar(
        uid="hoorzitting-1-2@geschilbeslechting", start=datetime(2017, 3, 6, 10, tzinfo=clock.AMSTERDAM),
        stamp=datetime(2017, 2, 20, 9, tzinfo=clock.AMSTERDAM), summary="Uitnodiging\r\nMETHOD:CANCEL",
        place=EVIL, description="Regel één\r\nBEGIN:VEVENT\r\nUID:x",
    ).decode()
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded content lines
    assert not [line for line in lines if line.startswith("ATTENDEE")]
    assert [line for line in lines if line.startswith(("BEGIN:VEVENT", "METHOD", "UID"))] == [
        "METHOD:REQUEST", "BEGIN:VEVENT", "UID:hoorzitting-1-2@geschilbeslechting"]
    calendar = icalendar.Calendar.from_ical(text)
    event = only_event(calendar)
    assert str(event["location"]) == "Zaal 1\nATTENDEE:mailto:evil@example.org"  # kept as text, in its place
    assert "attendee" not in event and "url" not in event
    assert str(calendar["method"]) == "REQUEST" and str(event["status"]) == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:geschilbeslechting@example.nl"
    # a web address that is not one address and nothing else is no URL
    text = ical.hearing_calendar(uid="u@x", start=datetime(2017, 3, 6, 10, tzinfo=clock.AMSTERDAM),
                                 stamp=datetime(2017, 2, 20, 9, tzinfo=clock.AMSTERDAM), summary="s",
                                 place="https://video.example.nl/7\r\nATTENDEE:mailto:evil@example.org").decode()
    assert "\r\nURL" not in text and len(list(icalendar.Calendar.from_ical(text).walk("VEVENT"))) == 1


def test_an_injected_place_reaches_nobody_as_an_attendee(world, django_capture_on_commit_callbacks):
    dispute = case_in_state(world, "exchange")
    mail.outbox.clear()
    schedule(world, dispute, place=EVIL, capture=django_capture_on_commit_callbacks)
    messages = calendar_mails()
    assert sorted(m.to[0] for m in messages) == sorted(PARTIES + COMMISSION)
    for message in messages:
        text, calendar = parsed(message)
        event = only_event(calendar)
        assert attendees(event) == [f"mailto:{message.to[0]}"]  # the recipient only, never another's address
        assert "evil@example.org" not in "".join(line for line in text.split("\r\n") if line.startswith("ATTENDEE"))


def test_invitation_update_and_cancellation_share_the_uid_with_a_rising_sequence(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SECRETARIAT_EMAIL = "secretariaat@example.nl"
    dispute = case_in_state(world, "exchange")
    mail.outbox.clear()
    first = schedule(world, dispute, capture=django_capture_on_commit_callbacks)
    invited = calendar_mails()
    assert sorted(m.to[0] for m in invited) == sorted(PARTIES + COMMISSION)
    text, calendar = parsed(invited[0])
    event = only_event(calendar)
    uid = str(event["uid"])
    assert uid == f"hoorzitting-{dispute.pk}-{first.pk}@geschilbeslechting"
    assert str(calendar["method"]) == "REQUEST" and event["sequence"] == 0 and str(event["status"]) == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:secretariaat@example.nl"
    assert event.decoded("dtstart") == moment("2017-03-06 10:00")
    assert text.count("charset") == 0  # the charset is the e-mail part's, once (see the MIME test below)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_reschedule_hearing(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary,
                                            hearing_at=moment("2017-03-09 14:00"), place="Utrecht",
                                            reason="Zaal niet beschikbaar")
    moved = calendar_mails()
    assert sorted(m.to[0] for m in moved) == sorted(PARTIES + COMMISSION)
    _text, calendar = parsed(moved[0])
    event = only_event(calendar)
    assert str(event["uid"]) == uid and event["sequence"] == 1 and str(calendar["method"]) == "REQUEST"
    assert str(event["location"]) == "Utrecht"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_cancel_hearing(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary,
                                        reason="De voorzitter is ziek")
    cancelled = calendar_mails()
    assert sorted(m.to[0] for m in cancelled) == sorted(PARTIES + COMMISSION)
    for message in cancelled:
        _text, calendar = parsed(message)
        event = only_event(calendar)
        assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
        assert str(event["uid"]) == uid and event["sequence"] == 2
        assert event.decoded("dtstart") == moment("2017-03-09 14:00")  # the entry as it stood
        assert attendees(event) == [f"mailto:{message.to[0]}"]
        assert message.subject == f"Afgezegd: hoorzitting geschil {dispute.case_number}"
        assert "De voorzitter is ziek" in message.body and message.attachments[0][2] == "text/calendar; method=CANCEL"
    cancel = DisputeEvent.objects.get(dispute=dispute, kind="cancel_hearing")
    assert send_hearing_invitations(event_id=cancel.pk) == 0, "a rerun sends nothing twice"
    assert HearingInvitation.objects.filter(event=cancel).count() == len(PARTIES + COMMISSION)

    # a new hearing after the cancellation is a new calendar entry
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_schedule_hearing(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary,
                                          hearing_at=moment("2017-03-08 10:00"), place="Den Haag")
    _text, calendar = parsed(calendar_mails()[0])
    event = only_event(calendar)
    assert str(event["uid"]) != uid and event["sequence"] == 0 and str(calendar["method"]) == "REQUEST"


def test_the_calendar_part_has_one_charset_and_the_itip_method(world, django_capture_on_commit_callbacks):
    dispute = case_in_state(world, "exchange")
    mail.outbox.clear()
    schedule(world, dispute, capture=django_capture_on_commit_callbacks)
    parts = [p for p in calendar_mails()[0].message().walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    header = parts[0]["Content-Type"]
    assert header.lower().count("charset") == 1 and parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_content_charset() == "utf-8"
    assert len(list(icalendar.Calendar.from_ical(parts[0].get_payload(decode=True)).walk("VEVENT"))) == 1


def test_invitations_go_to_representatives_and_the_seated_commission_but_not_a_recused_member(
    world, django_capture_on_commit_callbacks
):
    dispute = case_in_state(world, "exchange")
    advocate = UserFactory(username="mr-jansen")  # a gemachtigde of the corporation, outside its organisation
    Representation.objects.create(
        dispute=dispute, organisation=world.corporatie, name="Mr. Jansen", email=advocate.email, user=advocate,
        status=RepresentationStatus.APPROVED, requested_by=world.corp_user, requested_at=clock.now(),
    )
    refused = UserFactory(username="mr-nee")
    Representation.objects.create(
        dispute=dispute, organisation=world.corporatie, name="Mr. Nee", email=refused.email, user=refused,
        status=RepresentationStatus.REFUSED, requested_by=world.corp_user, requested_at=clock.now(),
    )
    services.dispute_recuse(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.commission_member2,
                            reason="Oud-bestuurder")
    mail.outbox.clear()
    schedule(world, Dispute.objects.get(pk=dispute.pk), capture=django_capture_on_commit_callbacks)
    recipients = [m.to[0] for m in calendar_mails()]
    assert sorted(recipients) == sorted([*PARTIES, "mr-jansen@example.nl", "chair@example.nl", "lid@example.nl"])
    assert len(recipients) == len(set(recipients))  # each address once


def test_every_invitation_links_to_the_case_page_its_reader_uses(world, django_capture_on_commit_callbacks):
    dispute = case_in_state(world, "exchange")
    mail.outbox.clear()
    schedule(world, dispute, capture=django_capture_on_commit_callbacks)
    portal = "https://geschil.example.nl" + reverse("portal:dispute", args=[dispute.pk])
    staff = "https://geschil.example.nl" + reverse("workflow:case", args=[dispute.pk])
    messages = by_recipient(calendar_mails())
    for address in PARTIES:
        assert portal in messages[address].body and staff not in messages[address].body
        assert "namens uw organisatie" in messages[address].body
    for address in COMMISSION:
        assert staff in messages[address].body and portal not in messages[address].body
        assert "lid van de adviescommissie" in messages[address].body
        _text, calendar = parsed(messages[address])
        assert staff in str(only_event(calendar)["description"])
