"""The tenant: a working group, and the rules for its slug."""

from __future__ import annotations

import calendar
import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from vpswg.roles import Action

#: Top-level paths a group slug must never shadow. The validator also asks the URL resolver,
#: so a top-level path added later is refused even if this list is not updated.
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "admin",
        "static",
        "media",
        "healthz",
        "i18n",
        "notifications",
        "invitation",
        "api",
        "about",
        "help",
        "login",
        "logout",
        "signup",
        "settings",
        "favicon.ico",
        "robots.txt",
        "__debug__",
        "mfa",
        "new",
        "www",
        "mail",
        "bench",
    }
)


def validate_group_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for the application's own pages; choose another slug."),
            code="reserved",
            params={"slug": value},
        )
    try:
        match = resolve(f"/{value}/")
    except Resolver404:
        return
    if match.url_name != "group:home" and "wg" not in match.kwargs:
        raise ValidationError(
            _("“%(slug)s” would hide one of the application's own pages; choose another slug."),
            code="reserved",
            params={"slug": value},
        )


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(tz)s” is not a known time zone."), params={"tz": value})


def validate_month_day(value: str) -> None:
    try:
        month, day = (int(part) for part in value.split("-"))
        datetime.date(2024, month, day)  # a leap year, so 02-29 is accepted
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            _("Enter a day of the year as MM-DD, e.g. 03-31."), code="invalid"
        ) from exc


def validate_day_list(value: str) -> None:
    try:
        days = [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise ValidationError(
            _("Enter whole numbers of days separated by commas, e.g. 7,1."), code="invalid"
        ) from exc
    if any(d < 0 or d > 60 for d in days):
        raise ValidationError(_("Each number of days must be between 0 and 60."), code="range")


#: The settings of ``WorkingGroup`` that govern what the software does and that the group's
#: terms of reference state: they change only when a version of the terms is adopted at a
#: plenary (``meetings.services.terms.adopt``), never on the settings page. Grouped as the
#: terms are read: working rules, decision rules, compliance requirements.
GOVERNED_SETTINGS: dict[str, tuple[str, ...]] = {
    "working_rules": (
        "meeting_cadence_months",
        "default_meeting_duration",
        "notice_period_days",
        "attribution_retention_days",
    ),
    "decision_rules": ("application_rule", "minutes_quorum", "minutes_review_days"),
    "compliance": (
        "attendance_required",
        "attendance_window",
        "annual_report_required",
        "annual_report_due",
    ),
}
GOVERNED_FIELDS: tuple[str, ...] = tuple(f for names in GOVERNED_SETTINGS.values() for f in names)


class WorkingGroup(models.Model):
    """One in-country working group: the tenant every other row belongs to."""

    slug = models.SlugField(
        _("slug"),
        max_length=50,
        unique=True,
        validators=[validate_group_slug],
        help_text=_("Appears in every address of the group, e.g. /peru/."),
    )
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=100)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    meeting_cadence_months = models.PositiveSmallIntegerField(
        _("plenary cadence (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The group meets in plenary at least once in every period of this length."),
    )
    default_meeting_duration = models.PositiveSmallIntegerField(
        _("default meeting duration (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(12 * 60)],
    )
    notice_period_days = models.PositiveSmallIntegerField(
        _("notice period (days)"),
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How long before a plenary the convening notice goes out."),
    )
    public_description = models.TextField(_("public description"), blank=True)
    applications_open = models.BooleanField(_("accepts membership applications"), default=True)
    is_listed = models.BooleanField(_("listed on the front page"), default=True)

    # Membership (seed step 4): how the Coordination Group decides, what members must do.
    class ApplicationRule(models.TextChoices):
        MAJORITY_WITH_PILLAR = (
            "majority_with_pillar",
            _(
                "Majority of the votes cast, with at least one seat of the applicant's pillar approving"
            ),
        )
        MAJORITY = "majority", _("Majority of the votes cast")
        UNANIMITY = "unanimity", _("Every seat that voted approves")

    application_rule = models.CharField(
        _("decision rule for applications"),
        max_length=30,
        choices=ApplicationRule.choices,
        default=ApplicationRule.MAJORITY_WITH_PILLAR,
        help_text=_("Abstentions are not votes cast."),
    )
    attendance_required = models.PositiveSmallIntegerField(
        _("plenaries an institution must attend"),
        default=2,
        validators=[MaxValueValidator(24)],
        help_text=_("Out of the last plenaries counted below; 0 sets no attendance requirement."),
    )
    attendance_window = models.PositiveSmallIntegerField(
        _("plenaries counted"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    annual_report_required = models.BooleanField(
        _("members report on their security and human rights efforts every year"), default=True
    )
    annual_report_due = models.CharField(
        _("annual report due (month-day)"),
        max_length=5,
        default="03-31",
        validators=[validate_month_day],
        help_text=_("The report on a year is due on this day of the following year, e.g. 03-31."),
    )
    report_reminder_days = models.PositiveSmallIntegerField(
        _("remind this many days before the report is due"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )

    # Minutes (seed step 5): who reviews what, and what members see.
    class MinutesQuorum(models.TextChoices):
        EACH_PILLAR = "each_pillar", _("One approval from each pillar's seat, and no return")
        MAJORITY = "majority", _("Approval by a majority of the seats, and no return")
        ALL_SEATS = "all_seats", _("Approval by every seat")

    minutes_quorum = models.CharField(
        _("approval of the minutes"),
        max_length=20,
        choices=MinutesQuorum.choices,
        default=MinutesQuorum.EACH_PILLAR,
    )
    coordination_sees_attribution = models.BooleanField(
        _("the Coordination Group reviews the minutes with the speakers' names"),
        default=True,
        help_text=_("Otherwise it reviews the members' version, without attribution."),
    )
    minutes_list_institutions = models.BooleanField(
        _("the members' minutes list the institutions present"),
        default=False,
        help_text=_(
            "Never tied to what was said. Otherwise attendance is given as counts by pillar."
        ),
    )
    # The group's own funding (seed step 6c: "a self-funding mechanism").
    contributions_shown_to_members = models.BooleanField(
        _("members see each institution's contributions"),
        default=False,
        help_text=_(
            "Otherwise a member sees its own institution's entries and the totals by pillar."
        ),
    )
    # What the VPs Initiative may see of the group (activities.initiative): counts only, per
    # family of figures, none by default.
    initiative_shares_meetings = models.BooleanField(
        _("share with the Initiative: plenaries held, attendance by pillar, host state present"),
        default=False,
    )
    initiative_shares_activities = models.BooleanField(
        _("share with the Initiative: activities and participants by kind and sector"),
        default=False,
    )
    initiative_shares_membership = models.BooleanField(
        _("share with the Initiative: applications received and institutions admitted"),
        default=False,
    )
    initiative_shares_minutes = models.BooleanField(
        _("share with the Initiative: minutes adopted and days to adoption"),
        default=False,
        help_text=_("Counts only, never a name, a text or a file; a count under 3 is withheld."),
    )
    minutes_review_days = models.PositiveSmallIntegerField(
        _("days the Coordination Group has to review minutes"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Seats that have not answered are reminded then; later, the Secretariat is told."
        ),
    )
    attribution_retention_days = models.PositiveSmallIntegerField(
        _("keep the attributed record for this many days after adoption"),
        default=90,
        validators=[MaxValueValidator(3650)],
        help_text=_(
            "Then who said what is destroyed for good: the members' and dissemination versions "
            "remain. 0 destroys it at adoption."
        ),
    )
    rsvp_reminder_days = models.CharField(
        _("remind those who have not answered (days before)"),
        max_length=40,
        default="7,1",
        validators=[validate_day_list],
        help_text=_("Days before a meeting, separated by commas, e.g. 7,1."),
    )

    # The seed's ten steps as a checklist on the Secretariat's dashboard (portal.guide).
    class Guide(models.TextChoices):
        UNTIL_DONE = "until_done", _("Until every step is met")
        ALWAYS = "always", _("Always")
        NEVER = "never", _("Never")
        # Set when every step is met under UNTIL_DONE: the guide is gone, and reopened by
        # choosing "Always" (the steps are not read again on every dashboard).
        MET = "met", _("Hidden: every step has been met")

    founding_guide = models.CharField(
        _("show the founding guide on the dashboard"),
        max_length=12,
        choices=Guide.choices,
        default=Guide.UNTIL_DONE,
        help_text=_(
            "The ten steps of the Peruvian model, each with its status read from the group's data."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]
        permissions = [(action.value, action.label) for action in Action]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug__in=sorted(RESERVED_SLUGS)),
                name="workinggroup_slug_not_reserved",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def rsvp_reminders(self) -> list[int]:
        return sorted(
            {int(p) for p in self.rsvp_reminder_days.split(",") if p.strip()}, reverse=True
        )

    def report_due_date(self, year: int):
        """When the annual report on ``year`` is due (in the following year)."""
        month, day = (int(part) for part in self.annual_report_due.split("-"))
        if (month, day) == (2, 29) and not calendar.isleap(year + 1):
            day = 28
        return datetime.date(year + 1, month, day)
