"""The iCalendar (RFC 5545) file of a hearing, attached to the invitation e-mail (iTIP, RFC 5546).

Built with the ``icalendar`` library, which escapes every TEXT value and folds the lines, so a place or
description with line breaks stays inside its own property. An invitation is ``METHOD:REQUEST`` from the
secretariat (ORGANIZER); a moved hearing sends the same UID with a higher SEQUENCE, which replaces the entry
in the recipient's calendar; a called-off hearing sends ``METHOD:CANCEL`` and ``STATUS:CANCELLED`` with the
same UID and the next SEQUENCE, which removes it.

Times are written in UTC (``...Z``), which needs no VTIMEZONE and is read correctly by every calendar; the
description repeats the time in Europe/Amsterdam for people reading the file.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

UTC = ZoneInfo("UTC")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Adviescommissie geschilbeslechting prestatieafspraken//Geschilbeslechting//NL"
ORGANIZER_NAME = "Secretariaat Adviescommissie geschilbeslechting prestatieafspraken"

REQUEST = "REQUEST"
CANCEL = "CANCEL"

#: control characters a TEXT value may not hold (RFC 5545 §3.3.11: only HTAB; line breaks are written as \n)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WEB_ADDRESS = re.compile(r"https?://[^\s\"<>\\]+")


def clean_text(value) -> str:
    """A TEXT value with every line break as ``\\n`` and no other control character: icalendar escapes the
    rest (backslash, semicolon, comma, newline), so nothing in it can start a property of its own."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", value)


def organizer_address() -> str:
    """The secretariat's address: SECRETARIAT_EMAIL when set, else the sender of the e-mails."""
    return getattr(settings, "SECRETARIAT_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


def _calendar_address(email: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{clean_text(email).strip()}")
    for name, value in params.items():
        address.params[name.replace("_", "-").upper()] = value
    return address


def hearing_calendar(
    *, uid: str, start: datetime, stamp: datetime, summary: str, place: str = "", description: str = "",
    duration: timedelta = timedelta(hours=2), sequence: int = 0, method: str = REQUEST, attendees=(),
) -> bytes:
    """One VEVENT in a VCALENDAR, CRLF line endings, UTF-8; ``method`` is REQUEST (invite, update) or CANCEL."""
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unknown iTIP method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", clean_text(uid).replace("\n", ""))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", (start + duration).astimezone(UTC))
    event.add("sequence", int(sequence))
    event.add("summary", vText(clean_text(summary)))
    organizer = _calendar_address(organizer_address())
    organizer.params["CN"] = ORGANIZER_NAME
    event.add("organizer", organizer)
    for email in attendees:  # the recipient only: parties never see each other's addresses
        event.add("attendee", _calendar_address(email, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION",
                                                rsvp="FALSE"))
    place = clean_text(place)
    if place:
        event.add("location", vText(place))
        if _WEB_ADDRESS.fullmatch(place):  # a video link: also as URL, only when it is one address and nothing else
            event.add("url", place)
    if description:
        event.add("description", vText(clean_text(description)))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()
