"""Calendar invitations (RFC 5545) for meeting notices.

One VEVENT per meeting; its UID never changes and SEQUENCE grows with every update sent, so a
calendar replaces the event instead of adding another. Times carry the group's time zone (with
its VTIMEZONE). The only ATTENDEE is the person the file is sent to: nobody learns from it who
else was invited.
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
from django.conf import settings
from django.utils import translation

from meetings.models import Meeting


def meeting_ics(
    meeting: Meeting, *, recipient_email: str, url: str, cancel: bool = False, language: str = ""
) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//vpswg//Working group meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"{meeting.uid}@vpswg")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", datetime.now(UTC))
    zone = meeting.working_group.zone
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    event.add("summary", meeting.title)
    location = meeting.venue or meeting.online_link
    if location:
        event.add("location", location)
    with translation.override(language or meeting.working_group.default_language):
        event.add("description", f"{meeting.working_group.name}\n{url}")
    event.add("url", url)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organiser = icalendar.vCalAddress(f"mailto:{_address(settings.DEFAULT_FROM_EMAIL)}")
    organiser.params["cn"] = icalendar.vText(meeting.working_group.name)
    event.add("organizer", organiser)
    attendee = icalendar.vCalAddress(f"mailto:{recipient_email}")
    attendee.params["rsvp"] = icalendar.vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


_PLACEHOLDER = "recipient@vpswg.invalid"


def meeting_ics_factory(meeting: Meeting, *, url: str, cancel: bool = False):
    """``meeting_ics`` for many recipients: the calendar is built once per language and only
    the recipient's own ATTENDEE line differs (a convening sends sixty of these per group).
    Returns ``make(recipient_email, language) -> str``, equal to ``meeting_ics`` for them."""
    built: dict[str, tuple[str, str, str]] = {}

    def make(recipient_email: str, language: str = "") -> str:
        if language not in built:
            text = meeting_ics(
                meeting, recipient_email=_PLACEHOLDER, url=url, cancel=cancel, language=language
            )
            start = text.index("\r\nATTENDEE") + 2
            end = text.index("\r\n", start)
            while text.startswith("\r\n ", end):  # a folded line goes on after CRLF + space
                end = text.index("\r\n", end + 3)
            built[language] = (text[:start], text[start:end].replace("\r\n ", ""), text[end:])
        head, line, tail = built[language]
        own = icalendar.parser.Contentline(line.replace(_PLACEHOLDER, recipient_email))
        return head + own.to_ical().decode() + tail

    return make


def _address(from_email: str) -> str:
    return from_email.rsplit("<", 1)[-1].rstrip(">").strip()
