"""Meetings, their agenda and invitations, who attended, and the topics members propose
(seed steps 2, 5, 6 and 8)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vpswg.scoping import TenantModel


class Guest(TenantModel):
    """The group's register of speakers from outside it: an expert, a ministry official.

    A guest invited to speak gets an account (without any role in the group) and, on that one
    meeting, the guardian permission ``meetings.view_logistics``: the meeting's logistics and
    nothing else.
    """

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    expertise = models.TextField(_("expertise"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guest speaker")
        verbose_name_plural = _("guest speakers")
        ordering = ["name"]
        indexes = [models.Index(fields=["working_group", "name"], name="guest_wg_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


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
    #: Calendar identity: the UID never changes; SEQUENCE grows with every update sent.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    convened_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    guests_present = models.ManyToManyField(Guest, blank=True, related_name="+")
    # What the meeting agreed for the next one (seed step 5): prefills the next meeting.
    next_topics = models.TextField(_("topics agreed for the next meeting"), blank=True)
    next_venue = models.CharField(
        _("venue agreed for the next meeting"), max_length=300, blank=True
    )
    next_guests = models.ManyToManyField(
        Guest, blank=True, related_name="+", verbose_name=_("guests agreed for the next meeting")
    )
    #: Which of these agreements a later plenary took (or set aside): ``"topic:<text>"`` or
    #: ``"guest:<id>"`` -> that plenary's id. Each is offered until taken once; released if that
    #: plenary is cancelled (``meetings.services.participation.suggestions_for``).
    next_taken = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start"]
        permissions = [
            ("view_logistics", "See the meeting's logistics (a guest speaker)"),
            ("view_closed", "See a closed meeting, its agenda and its minutes"),
        ]
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

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.PLANNED, self.Status.CONVENED}


class AgendaItem(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    topic = models.CharField(_("topic"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=Meeting.Format.choices, default=Meeting.Format.DIALOGUE
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("speakers from the group"),
    )
    guests = models.ManyToManyField(
        Guest, blank=True, related_name="agenda_items", verbose_name=_("guest speakers")
    )
    discussion_topic = models.ForeignKey(
        "DiscussionTopic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["working_group", "meeting"], name="agenda_wg_meeting")]

    def __str__(self) -> str:
        return self.topic


class Invitation(TenantModel):
    """One institution invited to one meeting, and its answer (any of its representatives)."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Yes")
        NO = "no", _("No")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    institution = models.ForeignKey(
        "members.Institution", on_delete=models.PROTECT, related_name="invitations"
    )
    answer = models.CharField(
        _("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("who will attend")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "institution"], name="invitation_once_per_institution"
            )
        ]
        indexes = [
            models.Index(
                fields=["working_group", "meeting", "answer"], name="invitation_wg_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} @ {self.meeting}"


class GuestReply(TenantModel):
    """A guest speaker's own answer to "will you come?": they hold no institution's invitation,
    and the Secretariat plans the agenda and starts the attendance record from it."""

    class Answer(models.TextChoices):
        YES = "yes", _("I will attend")
        NO = "no", _("I cannot attend")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guest_replies")
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="replies")
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("guest's answer")
        verbose_name_plural = _("guests' answers")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "guest"], name="guest_reply_once"),
        ]
        indexes = [
            models.Index(fields=["working_group", "meeting"], name="guest_reply_wg_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.guest} @ {self.meeting}: {self.answer}"


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


class DiscussionTopic(TenantModel):
    """A topic members propose for a future meeting (seed step 8); others mark interest; the
    Secretariat or Coordination Group schedules it onto an agenda item."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SCHEDULED = "scheduled", _("Scheduled")
        DISCUSSED = "discussed", _("Discussed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("topic"), max_length=300)
    description = models.TextField(_("why it matters"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discussion topic")
        verbose_name_plural = _("discussion topics")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["working_group", "status"], name="topic_wg_status")]

    def __str__(self) -> str:
        return self.title


class TopicInterest(TenantModel):
    topic = models.ForeignKey(DiscussionTopic, on_delete=models.CASCADE, related_name="interest")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="interest_once_per_person")
        ]
        indexes = [models.Index(fields=["working_group", "topic"], name="interest_wg_topic")]

    def __str__(self) -> str:
        return f"{self.user} → {self.topic}"
