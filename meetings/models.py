"""Meetings and who attended them (seed steps 2, 5 and 6).

The membership issue needs attendance for its compliance rule (at least N of the last M
plenaries); the meetings issue builds agenda, invitations and convening on these models.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vpswg.scoping import TenantModel


class Meeting(TenantModel):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        COORDINATION = "coordination", _("Coordination Group")
        EXTRAORDINARY = "extraordinary", _("Extraordinary")

    class Format(models.TextChoices):
        PRESENTATION = "presentation", _("Presentation")
        WORKSHOP = "workshop", _("Workshop")
        DIALOGUE = "dialogue", _("Dialogue")
        PANEL = "panel", _("Panel")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONVENED = "convened", _("Convened")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.DIALOGUE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start"]
        indexes = [
            models.Index(
                fields=["working_group", "kind", "status", "-start"], name="meeting_wg_kind"
            ),
            models.Index(fields=["working_group", "-start"], name="meeting_wg_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def end(self):
        return self.start + timedelta(minutes=self.duration_minutes)


class Attendance(TenantModel):
    """One person present at one meeting, for one institution (so institutions and pillars
    follow). Recorded by the Secretariat after the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance"
    )
    institution = models.ForeignKey(
        "members.Institution", on_delete=models.PROTECT, related_name="attendance"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once_per_person"),
        ]
        indexes = [
            models.Index(fields=["working_group", "meeting"], name="attendance_wg_meeting"),
            models.Index(fields=["working_group", "institution"], name="attendance_wg_inst"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.meeting}"
