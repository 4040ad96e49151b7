"""The activity register, outreach, and the report jobs (seed steps 3, 7, 9 and 10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vpswg.scoping import TenantModel
from vpswg.uploads import as_given


class Activity(TenantModel):
    """An activity that took place: what, when, where, by whom, and whom it reached."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        WORKSHOP = "workshop", _("Workshop")
        SEMINAR = "seminar", _("Seminar")
        FORUM = "forum", _("Forum")
        PANEL = "panel", _("Panel")
        ROUND_TABLE = "round_table", _("Round table")
        BREAKFAST = "breakfast", _("Breakfast")
        TRAINING = "training", _("Training")
        STUDY = "study", _("Study publication")
        SITE_VISIT = "site_visit", _("Site visit")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by a member")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Not confirmed")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    description = models.TextField(_("public description"), blank=True)
    organisers = models.ManyToManyField(
        "members.Institution",
        blank=True,
        related_name="+",
        verbose_name=_("organising member institutions"),
    )
    partners = models.TextField(
        _("partners"), blank=True, help_text=_("Organisations outside the group.")
    )
    partner_institutions = models.ManyToManyField(
        "members.Institution",
        blank=True,
        related_name="+",
        verbose_name=_("partner member institutions"),
    )
    funders = models.TextField(_("funders"), blank=True)
    funder_institutions = models.ManyToManyField(
        "members.Institution",
        blank=True,
        related_name="+",
        verbose_name=_("funding member institutions"),
    )
    planned_activity = models.ForeignKey(
        "workplan.PlannedActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delivered_by",
        verbose_name=_("delivers the planned activity"),
    )
    # A study (the scoping study of seed step 3): interviews by pillar, findings, publication.
    interviews_companies = models.PositiveIntegerField(
        _("interviews: companies"), null=True, blank=True
    )
    interviews_government = models.PositiveIntegerField(
        _("interviews: government"), null=True, blank=True
    )
    interviews_civil_society = models.PositiveIntegerField(
        _("interviews: civil society"), null=True, blank=True
    )
    findings = models.TextField(_("findings"), blank=True)
    publication_date = models.DateField(_("published"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="activity_dates_in_order",
            )
        ]
        indexes = [
            models.Index(
                fields=["working_group", "status", "-start_date"], name="activity_wg_status"
            ),
            models.Index(fields=["working_group", "kind", "start_date"], name="activity_wg_kind"),
        ]

    def __str__(self) -> str:
        return self.title


class Sector(models.TextChoices):
    CIVIL_SERVANTS = "civil_servants", _("Civil servants")
    POLICE_MILITARY = "police_military", _("Police and armed forces")
    BUSINESS = "business", _("Business")
    SECURITY_COMPANIES = "security_companies", _("Private security companies")
    UNIONS = "unions", _("Unions")
    NGOS = "ngos", _("NGOs")
    INTERNATIONAL = "international", _("International agencies")
    COMMUNITY = "community", _("Community leaders")
    ACADEMIA = "academia", _("Academia")
    OTHER = "other", _("Other")


class ParticipantCount(TenantModel):
    """How many people of one sector took part; women and men where known."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    total = models.PositiveIntegerField(_("participants"))
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "sector"], name="participants_once_per_sector"
            ),
            models.CheckConstraint(
                condition=models.Q(women__isnull=True)
                | models.Q(men__isnull=True)
                | models.Q(total__gte=models.F("women") + models.F("men")),
                name="participants_gender_within_total",
            ),
        ]
        indexes = [models.Index(fields=["working_group", "sector"], name="participants_wg_sector")]

    def __str__(self) -> str:
        return f"{self.get_sector_display()}: {self.total}"


class Evidence(TenantModel):
    """A file showing the activity took place (same upload rules as application letters)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=as_given)
    file_name = models.CharField(max_length=200)
    file_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["working_group", "activity"], name="evidence_wg_activity")]

    def __str__(self) -> str:
        return self.file_name


class OutreachEntry(TenantModel):
    """An institution approached (seed step 9): who approached it, when, how, with what result."""

    class TargetKind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        POLICE = "police", _("Police or armed forces")
        REGULATOR = "regulator", _("Regulator")
        UNGP = "ungp", _("Business and human rights (UNGP) body")
        ICOC = "icoc", _("ICoC body")
        COMPANY = "company", _("Company")
        EMBASSY = "embassy", _("Embassy")
        CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
        OTHER = "other", _("Other")

    class Method(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Telephone")
        EVENT = "event", _("At an event")
        OTHER = "other", _("Other")

    date = models.DateField(_("date"))
    target_name = models.CharField(_("institution approached"), max_length=200)
    target_kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    target_institution = models.ForeignKey(
        "members.Institution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("if it is a member"),
    )
    guest = models.ForeignKey(
        "meetings.Guest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outreach",
        verbose_name=_("spoke as a guest"),
    )
    by_institution = models.ForeignKey(
        "members.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approached by"),
    )
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outreach")
        verbose_name_plural = _("outreach")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["working_group", "-date"], name="outreach_wg_date")]

    def __str__(self) -> str:
        return f"{self.target_name} ({self.date})"


class ReportJob(TenantModel):
    """A report generated in the background; the page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=as_given, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["working_group", "requested_by"], name="reportjob_wg_user")]

    def __str__(self) -> str:
        return f"{self.year} ({self.status})"


class ActivityImport(TenantModel):
    """A spreadsheet of activities being imported: its rows as parsed, between the preview and
    the import (``activities.importing``).

    The parsed cells are kept here rather than in the session: the session is shared by every
    group a person works in and is capped by Redis' memory, while a row here is the group's
    (scoped, another group's id answers 404), bounded (at most ``importing.MAX_ROWS`` rows of
    short texts), survives a session that expires while the Secretariat fixes rows, and is
    imported once (locked, then marked imported). The file itself is never kept. A preview left
    for ``importing.KEEP_PREVIEW`` is deleted at the next upload of the group.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Being checked")
        IMPORTED = "imported", _("Imported")

    file_name = models.CharField(max_length=200)
    #: ``[{"line": n, "cells": {column: text}, "skip": bool}, ...]``: the cells as text, as the
    #: Secretariat last saw or fixed them.
    rows = models.JSONField(default=list)
    #: Header cells that name no column of the template (shown, and ignored).
    ignored_columns = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    imported = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["working_group", "created_by"], name="activityimport_wg_user")
        ]

    def __str__(self) -> str:
        return self.file_name
