"""An iCalendar (RFC 5545) invitation for a hearing, attached to the e-mail to the parties.

Times are written in UTC (``...Z``), which needs no VTIMEZONE and is read correctly by every
calendar; the description repeats the time in Europe/Amsterdam for people reading the file.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Adviescommissie geschilbeslechting prestatieafspraken//Geschilbeslechting//NL"


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with one space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def hearing_calendar(
    *, uid: str, start: datetime, stamp: datetime, summary: str, place: str = "", description: str = "",
    duration: timedelta = timedelta(hours=2), sequence: int = 0,
) -> bytes:
    """One VEVENT in a VCALENDAR, CRLF line endings, UTF-8."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{utc_stamp(start)}",
        f"DTEND:{utc_stamp(start + duration)}",
        f"SEQUENCE:{sequence}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
        if place.startswith(("https://", "http://")):
            lines.append(f"URL:{place}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
