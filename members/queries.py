"""Permission-aware reads of membership data, each a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from members.models import Institution
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

    @property
    def members(self) -> int:
        return sum(p.members for p in self.pillars)

    @property
    def observers(self) -> int:
        return sum(p.observers for p in self.pillars) + self.observers_without_pillar

    @property
    def total(self) -> int:
        return self.members + self.observers


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
    observers_without_pillar = 0
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["n"]
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
    return Composition(
        pillars=list(pillars.values()),
        observers_without_pillar=observers_without_pillar,
        kinds=[(k, str(kind_labels[k]), kinds[k]) for k in Institution.Kind.values if k in kinds],
    )
