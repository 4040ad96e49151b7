"""Permission-aware reads of membership data, each a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from members.models import Application, ApplicationVote, Institution, Representative
from vpswg.groupcache import GroupCache
from vpswg.models import WorkingGroup
from vpswg.roles import Pillar


@dataclass
class PillarCount:
    pillar: str
    label: str
    members: int = 0
    observers: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.members + self.observers


@dataclass
class Composition:
    """Active institutions by pillar (observers without a pillar apart), and by kind."""

    pillars: list[PillarCount]
    observers_without_pillar: int
    kinds: list[tuple[str, str, int]]
    #: Per kind: its label and counts by pillar ("" for observers without one).
    matrix: list[tuple[str, dict[str, int]]] = field(default_factory=list)

    @property
    def table(self) -> list[dict]:
        """The matrix as rows of cells in column order: the three pillars, then no pillar."""
        columns = [*Pillar.values, ""]
        return [
            {
                "label": label,
                "cells": [cells.get(c, 0) for c in columns],
                "total": sum(cells.values()),
            }
            for label, cells in self.matrix
        ]

    @property
    def members(self) -> int:
        return sum(p.members for p in self.pillars)

    @property
    def observers(self) -> int:
        return sum(p.observers for p in self.pillars) + self.observers_without_pillar

    @property
    def total(self) -> int:
        return self.members + self.observers

    @property
    def largest_kind(self) -> int:
        return max((n for _, _, n in self.kinds), default=0)

    def chart(self, width: int = 400, bar: int = 22, gap: int = 10) -> dict:
        """Geometry of the chart of institutions by kind, split by pillar, for a server-drawn,
        accessible SVG (the table beside it carries the same numbers)."""
        scale = width / self.largest_kind if self.largest_kind else 0
        rows = []
        for index, (label, cells) in enumerate(self.matrix):
            x = 0.0
            segments = []
            for pillar in [*Pillar.values, ""]:
                n = cells.get(pillar, 0)
                if n:
                    segments.append(
                        {
                            "x": round(x, 1),
                            "width": round(n * scale, 1),
                            "n": n,
                            "pillar": pillar or "observers",
                        }
                    )
                    x += n * scale
            rows.append(
                {
                    "label": label,
                    "y": index * (bar + gap),
                    "segments": segments,
                    "total": sum(cells.values()),
                    "end": round(x, 1),
                }
            )
        return {
            "rows": rows,
            "width": width,
            "bar": bar,
            "height": max(len(rows) * (bar + gap) - gap, 0),
        }


def active_institutions():
    """The one definition of who takes part now, for every app (invitations, the work plan,
    activities, compliance): institutions in good standing. A warned one is still active; a
    suspended, expelled or withdrawn one is not."""
    return Institution.objects.filter(standing=Institution.Standing.ACTIVE)


def composition(working_group: WorkingGroup) -> Composition:
    """The group's composition in one query; shown on the public page and the dashboard."""
    rows = (
        Institution.objects.filter(
            working_group=working_group, standing=Institution.Standing.ACTIVE
        )
        .values("pillar", "participation", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    pillars = {p.value: PillarCount(pillar=p.value, label=str(p.label)) for p in Pillar}
    kinds: dict[str, int] = {}
    by_kind: dict[str, dict[str, int]] = {}
    observers_without_pillar = 0
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["n"]
        cell = by_kind.setdefault(row["kind"], {})
        cell[row["pillar"]] = cell.get(row["pillar"], 0) + row["n"]
        if not row["pillar"]:
            observers_without_pillar += row["n"]
            continue
        entry = pillars[row["pillar"]]
        if row["participation"] == Institution.Participation.MEMBER:
            entry.members += row["n"]
        else:
            entry.observers += row["n"]
        entry.kinds[row["kind"]] = entry.kinds.get(row["kind"], 0) + row["n"]
    kind_labels = dict(Institution.Kind.choices)
    ordered = [k for k in Institution.Kind.values if k in kinds]
    return Composition(
        pillars=list(pillars.values()),
        observers_without_pillar=observers_without_pillar,
        kinds=[(k, str(kind_labels[k]), kinds[k]) for k in ordered],
        matrix=[(str(kind_labels[k]), by_kind[k]) for k in ordered],
    )


#: The directory's summary and sections, rendered (``members.views.directory``).
directory_cache = GroupCache(
    "directory",
    drawn_from=(WorkingGroup, Institution, Representative),
    user_fields=("full_name", "email"),  # the representatives listed
)


#: The applications under review, rendered (``members.views.admissions.applications``).
applications_cache = GroupCache(
    "applications", drawn_from=(WorkingGroup, Application, ApplicationVote)
)


@dataclass
class DirectorySection:
    key: str
    label: str
    institutions: list[Institution]


def directory(working_group: WorkingGroup) -> list[DirectorySection]:
    """Active institutions by pillar, observers apart, each with its current representatives:
    two queries."""
    current = (
        Representative.objects.filter(end_date__isnull=True)
        .select_related("user")
        .only("pk", "kind", "institution_id", "user__id", "user__full_name", "user__email")
        .order_by("kind", "user__full_name")
    )
    institutions = list(
        Institution.objects.filter(
            working_group=working_group, standing=Institution.Standing.ACTIVE
        )
        .only("pk", "name", "short_name", "pillar", "participation", "kind", "vps_member")
        .prefetch_related(Prefetch("representatives", queryset=current, to_attr="current_reps"))
        .order_by("name")
    )
    sections = [
        DirectorySection(
            p.value,
            str(p.label),
            [i for i in institutions if i.pillar == p.value and i.participation == "member"],
        )
        for p in Pillar
    ]
    sections.append(
        DirectorySection(
            "observers",
            _("Observers"),
            [i for i in institutions if i.participation == Institution.Participation.OBSERVER],
        )
    )
    return sections


def reviewable():
    """The applications the group sees: not those whose contact address is unconfirmed
    (anyone may have typed anyone's address; they are nobody's business until confirmed)."""
    return Application.objects.exclude(status=Application.Status.UNCONFIRMED)


def review_list(working_group: WorkingGroup, status: str = ""):
    """Applications with their vote counts: one query."""
    qs = (
        reviewable()
        .filter(working_group=working_group)
        .annotate(
            approvals=Count("votes", filter=Q(votes__vote=ApplicationVote.Vote.APPROVE)),
            declines=Count("votes", filter=Q(votes__vote=ApplicationVote.Vote.DECLINE)),
            abstentions=Count("votes", filter=Q(votes__vote=ApplicationVote.Vote.ABSTAIN)),
        )
    )
    if status == "open":
        qs = qs.exclude(status__in=[Application.Status.ACCEPTED, Application.Status.DECLINED])
    elif status in Application.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")
