"""The tenant: a working group, and the rules for its slug."""

from __future__ import annotations

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
