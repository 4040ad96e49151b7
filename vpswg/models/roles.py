"""Who holds which role in which working group."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vpswg.roles import Pillar, Role
from vpswg.scoping import TenantModel


class RoleAssignment(TenantModel):
    """A role held by a user in one group; changed only through ``vpswg.services.roles``.

    The row is the record; the matching Django group membership (guardian's grant) follows it.
    A Coordination role is a seat that belongs to one pillar.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    pillar = models.CharField(
        _("pillar of the seat"), max_length=20, choices=Pillar.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "user", "role"], name="roleassignment_unique_role"
            ),
            models.CheckConstraint(
                condition=(models.Q(role=Role.COORDINATION) & ~models.Q(pillar=""))
                | (~models.Q(role=Role.COORDINATION) & models.Q(pillar="")),
                name="roleassignment_seat_has_pillar",
            ),
        ]
        indexes = [models.Index(fields=["working_group", "role"], name="roleassign_wg_role")]

    def __str__(self) -> str:
        return f"{self.user}: {self.label}"

    @property
    def label(self) -> str:
        if self.pillar:
            return f"{self.get_role_display()} ({self.get_pillar_display()})"
        return str(self.get_role_display())
