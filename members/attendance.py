"""What membership needs to know of meetings, without depending on them.

Compliance counts each institution's attendance at the last plenaries (seed step 4), but
membership stands below meetings: ``members`` may not import ``meetings``
(docs/architecture.md). So membership says what it needs here, and the meetings app, which
knows how plenaries and attendance are recorded, provides it when it is installed
(``MeetingsConfig.ready``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from vpswg.models import WorkingGroup


class AttendanceRecord(Protocol):
    def recent_plenaries(self, group: WorkingGroup, limit: int) -> list[tuple[int, datetime]]:
        """The ids and starts of the last ``limit`` plenaries held, newest first."""

    def institutions_present(self, group: WorkingGroup, meeting_ids: list[int]) -> dict[int, int]:
        """For each institution, at how many of these meetings it was present."""


_record: AttendanceRecord | None = None


def provide(record: AttendanceRecord) -> None:
    global _record
    _record = record


def attendance_record() -> AttendanceRecord:
    if _record is None:
        raise ImproperlyConfigured(
            "No attendance record: the meetings app provides it (MeetingsConfig.ready)."
        )
    return _record
