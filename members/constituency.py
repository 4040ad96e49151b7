"""Whom a figure counts: the pillars, with the government pillar told apart.

Seed step 10 is about the host state: whether its own bodies take part. The government pillar
also holds the embassies of foreign governments (eight in Peru beside six state bodies), and
international organisations sit beside it as observers; a "Government" count that adds them
together says nothing about the state. So the reports count by constituency, one decision
made here: an institution of kind ``national_government`` (or any other of the government
pillar that is not foreign or international) is the host state; ``foreign_government`` is a
foreign government; ``international_organisation`` an international organisation, whatever its
pillar; the rest by pillar (an observer without one: "other").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from members.models import Institution
from vpswg.roles import Pillar

Kind = Institution.Kind


class Constituency(models.TextChoices):
    COMPANIES = "companies", _("Companies")
    HOST_STATE = "host_state", _("Host state")
    FOREIGN_GOVERNMENTS = "foreign_governments", _("Foreign governments")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    INTERNATIONAL = "international", _("International organisations")
    OTHER = "other", _("Other observers")


def constituency(pillar: str, kind: str) -> str:
    """The constituency of an institution of ``pillar`` and ``kind`` (see the module)."""
    if kind == Kind.FOREIGN_GOVERNMENT:
        return Constituency.FOREIGN_GOVERNMENTS
    if kind == Kind.INTERNATIONAL_ORGANISATION:
        return Constituency.INTERNATIONAL
    if kind == Kind.NATIONAL_GOVERNMENT or pillar == Pillar.GOVERNMENT:
        return Constituency.HOST_STATE
    if pillar == Pillar.COMPANIES:
        return Constituency.COMPANIES
    if pillar == Pillar.CIVIL_SOCIETY:
        return Constituency.CIVIL_SOCIETY
    return Constituency.OTHER


def constituency_expression(prefix: str = "") -> Case:
    """``constituency()`` as SQL, to count by constituency in the query that counts (``prefix``
    is the path to the institution, e.g. ``"institution__"``)."""
    kind, pillar = f"{prefix}kind", f"{prefix}pillar"
    return Case(
        When(**{kind: Kind.FOREIGN_GOVERNMENT}, then=Value(Constituency.FOREIGN_GOVERNMENTS)),
        When(**{kind: Kind.INTERNATIONAL_ORGANISATION}, then=Value(Constituency.INTERNATIONAL)),
        When(**{kind: Kind.NATIONAL_GOVERNMENT}, then=Value(Constituency.HOST_STATE)),
        When(**{pillar: Pillar.GOVERNMENT}, then=Value(Constituency.HOST_STATE)),
        When(**{pillar: Pillar.COMPANIES}, then=Value(Constituency.COMPANIES)),
        When(**{pillar: Pillar.CIVIL_SOCIETY}, then=Value(Constituency.CIVIL_SOCIETY)),
        default=Value(Constituency.OTHER),
        output_field=models.CharField(),
    )
