"""Institutions by pillar and the people who represent them (seed steps 4 and 6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vpswg.roles import Pillar
from vpswg.scoping import TenantModel


class Institution(TenantModel):
    """A member or observer institution. People take part only on its behalf (criterion b)."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        NATIONAL_GOVERNMENT = "national_government", _("National government body")
        FOREIGN_GOVERNMENT = "foreign_government", _("Embassy or foreign government")
        NGO_ACADEMIC = "ngo_academic", _("NGO or academic institution")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
        OTHER = "other", _("Other")

    class Participation(models.TextChoices):
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    class Standing(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPELLED = "expelled", _("Expelled")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    aliases = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_("Other names and acronyms by which the institution is known."),
    )
    pillar = models.CharField(
        _("pillar"),
        max_length=20,
        choices=Pillar.choices,
        blank=True,
        help_text=_("Observers may have none."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    participation = models.CharField(
        _("participation"), max_length=10, choices=Participation.choices, default="member"
    )
    standing = models.CharField(
        _("standing"), max_length=10, choices=Standing.choices, default="active"
    )
    standing_since = models.DateField(_("standing since"), default=timezone.localdate)
    vps_member = models.BooleanField(
        _("member of the Voluntary Principles Initiative"), default=False
    )
    public_profile = models.TextField(_("public profile"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "name"], name="institution_unique_name"
            ),
            models.CheckConstraint(
                condition=~models.Q(participation="member", pillar=""),
                name="institution_member_has_pillar",
            ),
        ]
        indexes = [
            models.Index(
                fields=["working_group", "participation", "standing", "pillar"],
                name="institution_wg_composition",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name


class Representative(TenantModel):
    """A user acting for one institution, from ``start_date`` until ``end_date`` (if any).

    Ending a representation revokes the role it gave (``members.services``); the row stays, so
    past attendance and records keep their author.
    """

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        ALTERNATE = "alternate", _("Alternate")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="representatives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="representations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default="primary")
    job_title = models.CharField(_("position"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["institution__name", "kind", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="representative_dates_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["working_group", "user"], name="representative_wg_user"),
            models.Index(fields=["working_group", "institution"], name="representative_wg_inst"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.institution})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)
