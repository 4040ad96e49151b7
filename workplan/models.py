"""The work plan (seed step 7): long-term objectives and the activities planned under them,
assigned to institutions so that all pillars are committed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vpswg.scoping import TenantModel


class WorkPlan(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # A plan is masculine in Spanish ("adoptado"), minutes feminine ("adoptada").
        ADOPTED = "adopted", pgettext_lazy("work plan", "Adopted")
        CLOSED = "closed", pgettext_lazy("work plan", "Closed")

    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    adopted_at_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adopted at"),
    )
    review = models.TextField(_("closing review"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="workplan_dates_in_order",
            )
        ]
        indexes = [models.Index(fields=["working_group", "-start_date"], name="workplan_wg_start")]

    def __str__(self) -> str:
        return self.title


class Objective(TenantModel):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("objective"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["working_group", "plan"], name="objective_wg_plan")]

    def __str__(self) -> str:
        return self.title


class PlannedActivity(TenantModel):
    class Kind(models.TextChoices):
        CAPACITY_BUILDING = "capacity_building", _("Capacity building")
        PROMOTION = "promotion", _("Promotion")
        STUDIES = "studies", _("Studies")
        LOBBYING = "lobbying", _("Lobbying")
        ASSESSMENTS = "assessments", _("Security and human rights assessments")
        SITE_VISITS = "site_visits", _("Site visits")
        MONITORING = "monitoring", _("Monitoring and evaluation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("activity"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.CAPACITY_BUILDING
    )
    lead_institution = models.ForeignKey(
        "members.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead institution"),
    )
    supporting_institutions = models.ManyToManyField(
        "members.Institution",
        blank=True,
        related_name="+",
        verbose_name=_("supporting institutions"),
    )
    start_date = models.DateField(_("target start"), null=True, blank=True)
    due_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    source_action_item = models.OneToOneField(
        "meetings.ActionItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_activity",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["working_group", "objective"], name="planned_wg_objective")]

    def __str__(self) -> str:
        return self.title
