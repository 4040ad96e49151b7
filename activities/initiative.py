"""The Initiative's view across working groups: how each group is doing, year by year, in the
figures it agreed to share, and nothing else (issue 18).

A group opts in per family of figures (``WorkingGroup.initiative_shares_*``; none by default):

* ``meetings``: plenaries held against the group's cadence, attendance by pillar (institutions
  present of those invited), and the share of the host state's bodies present (seed step 10);
* ``activities``: confirmed activities and their participants, by kind and by sector;
* ``membership``: applications received and institutions admitted;
* ``minutes``: minutes adopted, and the median days from the meeting to the adoption.

Only counts leave a group: no name, no text, no file, no id of anything inside it. A count of
one or two (under ``MIN_COUNT``) is withheld (``None``, shown as "fewer than 3"), and so is a
rate or a median computed from fewer than ``MIN_COUNT`` items: in a small group, "1 application
declined" or "1 of 2 companies present" points at an institution. Zero is shown.

A constant number of queries (one per family, across every group and year), read with the
tenant scope disabled on purpose: this is the one place that reads across groups, for the
platform operator, and returns aggregates only.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from activities.models import Activity, ParticipantCount
from meetings.models import Attendance, Invitation, Meeting, Minutes
from members.constituency import Constituency, constituency_expression
from members.models import Application
from vpswg.models import WorkingGroup
from vpswg.roles import Pillar
from vpswg.scoping import scopes_disabled

FAMILIES = ("meetings", "activities", "membership", "minutes")


def min_count() -> int:
    return getattr(settings, "INITIATIVE_MIN_COUNT", 3)


def shown(n: int | None) -> int | None:
    """A count as it may leave the group: withheld when 1 or 2 (under ``MIN_COUNT``)."""
    if n is None:
        return None
    return n if n == 0 or n >= min_count() else None


def rate(part: int, whole: int) -> float | None:
    """A share, withheld when its base is under ``MIN_COUNT``."""
    if whole < min_count():
        return None
    return round(part / whole, 3)


@dataclass
class GroupYear:
    group: WorkingGroup
    year: int
    shares: set[str]
    figures: dict = field(default_factory=dict)

    def family(self, name: str) -> dict | None:
        return self.figures.get(name) if name in self.shares else None


def _shares(group: WorkingGroup) -> set[str]:
    return {f for f in FAMILIES if getattr(group, f"initiative_shares_{f}")}


def rows(years: list[int]) -> list[GroupYear]:
    """One row per sharing group and year, the figures of each family it shares only."""
    with scopes_disabled():
        groups = [
            g
            for g in WorkingGroup.objects.filter(
                Q(initiative_shares_meetings=True)
                | Q(initiative_shares_activities=True)
                | Q(initiative_shares_membership=True)
                | Q(initiative_shares_minutes=True)
            ).order_by("name")
        ]
        by_family = {f: {g.pk for g in groups if f in _shares(g)} for f in FAMILIES}
        result = {(g.pk, y): GroupYear(g, y, _shares(g)) for g in groups for y in sorted(years)}
        if by_family["meetings"]:
            _meetings(result, by_family["meetings"], years)
        if by_family["activities"]:
            _activities(result, by_family["activities"], years)
        if by_family["membership"]:
            _membership(result, by_family["membership"], years)
        if by_family["minutes"]:
            _minutes(result, by_family["minutes"], years)
    return sorted(result.values(), key=lambda r: (r.group.name, r.year))


def _meetings(result: dict, group_ids: set[int], years: list[int]) -> None:
    held = {
        (r["working_group_id"], r["year"]): r["n"]
        for r in Meeting.objects.filter(
            working_group_id__in=group_ids,
            kind=Meeting.Kind.PLENARY,
            status=Meeting.Status.HELD,
            start__year__in=years,
        )
        .annotate(year=ExtractYear("start"))
        .values("working_group_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    }

    def by_pillar(model) -> dict:
        """Institutions per (group, year, pillar or "host_state"), summed over the plenaries."""
        counts: dict = defaultdict(int)
        rows = (
            model.objects.filter(
                working_group_id__in=group_ids,
                meeting__kind=Meeting.Kind.PLENARY,
                meeting__status=Meeting.Status.HELD,
                meeting__start__year__in=years,
            )
            .annotate(
                year=ExtractYear("meeting__start"),
                constituency=constituency_expression("institution__"),
            )
            .values("working_group_id", "year", "meeting_id", "institution__pillar", "constituency")
            .annotate(n=Count("institution_id", distinct=True))
            .order_by()
        )
        for r in rows:
            key = (r["working_group_id"], r["year"])
            if r["institution__pillar"]:
                counts[(*key, r["institution__pillar"])] += r["n"]
            if r["constituency"] == Constituency.HOST_STATE:
                counts[(*key, "host_state")] += r["n"]
        return counts

    invited, present = by_pillar(Invitation), by_pillar(Attendance)
    for (group_id, year), row in result.items():
        if group_id not in group_ids:
            continue
        cadence = row.group.meeting_cadence_months
        figures = {
            "plenaries_held": shown(held.get((group_id, year), 0)),
            "plenaries_expected": math.ceil(12 / cadence),
            "attendance_by_pillar": {
                p.value: rate(
                    present.get((group_id, year, p.value), 0),
                    invited.get((group_id, year, p.value), 0),
                )
                for p in Pillar
            },
            "host_state_present": rate(
                present.get((group_id, year, "host_state"), 0),
                invited.get((group_id, year, "host_state"), 0),
            ),
        }
        row.figures["meetings"] = figures


def _activities(result: dict, group_ids: set[int], years: list[int]) -> None:
    confirmed = Activity.objects.filter(
        working_group_id__in=group_ids,
        status=Activity.Status.CONFIRMED,
        start_date__year__in=years,
    )
    kinds: dict = defaultdict(dict)
    for r in (
        confirmed.annotate(year=ExtractYear("start_date"))
        .values("working_group_id", "year", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        kinds[(r["working_group_id"], r["year"])][r["kind"]] = r["n"]
    sectors: dict = defaultdict(dict)
    for r in (
        ParticipantCount.objects.filter(activity__in=confirmed)
        .annotate(year=ExtractYear("activity__start_date"))
        .values("working_group_id", "year", "sector")
        .annotate(n=Sum("total"))
        .order_by()
    ):
        sectors[(r["working_group_id"], r["year"])][r["sector"]] = r["n"]
    for (group_id, year), row in result.items():
        if group_id not in group_ids:
            continue
        mine_kinds, mine_sectors = (
            kinds.get((group_id, year), {}),
            sectors.get((group_id, year), {}),
        )
        row.figures["activities"] = {
            "activities": shown(sum(mine_kinds.values())),
            "activities_by_kind": {k: shown(n) for k, n in sorted(mine_kinds.items())},
            "participants": shown(sum(mine_sectors.values())),
            "participants_by_sector": {s: shown(n) for s, n in sorted(mine_sectors.items())},
        }


def _membership(result: dict, group_ids: set[int], years: list[int]) -> None:
    received = {
        (r["working_group_id"], r["year"]): r["n"]
        for r in Application.objects.filter(
            working_group_id__in=group_ids,
            submitted_at__year__in=years,
        )
        .exclude(status__in=[Application.Status.UNCONFIRMED, Application.Status.NOMINATED])
        .annotate(year=ExtractYear("submitted_at"))
        .values("working_group_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    }
    admitted = {
        (r["working_group_id"], r["year"]): r["n"]
        for r in Application.objects.filter(
            working_group_id__in=group_ids,
            status=Application.Status.ACCEPTED,
            decided_at__year__in=years,
        )
        .annotate(year=ExtractYear("decided_at"))
        .values("working_group_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    }
    for (group_id, year), row in result.items():
        if group_id in group_ids:
            row.figures["membership"] = {
                "applications_received": shown(received.get((group_id, year), 0)),
                "institutions_admitted": shown(admitted.get((group_id, year), 0)),
            }


def _minutes(result: dict, group_ids: set[int], years: list[int]) -> None:
    days: dict = defaultdict(list)
    for group_id, adopted_at, start in Minutes.objects.filter(
        working_group_id__in=group_ids,
        status=Minutes.Status.ADOPTED,
        adopted_at__year__in=years,
    ).values_list("working_group_id", "adopted_at", "meeting__start"):
        days[(group_id, adopted_at.year)].append((adopted_at - start).days)
    for (group_id, year), row in result.items():
        if group_id in group_ids:
            mine = days.get((group_id, year), [])
            row.figures["minutes"] = {
                "minutes_adopted": shown(len(mine)),
                "median_days_to_adoption": (
                    statistics.median(mine) if len(mine) >= min_count() else None
                ),
            }


def flat(row: GroupYear) -> dict:
    """One row of the export: the group, the year, and each shared figure (a family not shared
    is left out; a withheld figure is empty)."""
    out: dict = {"group": row.group.name, "country": row.group.country, "year": row.year}
    meetings = row.family("meetings")
    if meetings is not None:
        out["plenaries_held"] = meetings["plenaries_held"]
        out["plenaries_expected"] = meetings["plenaries_expected"]
        for pillar, value in meetings["attendance_by_pillar"].items():
            out[f"attendance_rate_{pillar}"] = value
        out["host_state_present_rate"] = meetings["host_state_present"]
    activities = row.family("activities")
    if activities is not None:
        out["activities"] = activities["activities"]
        for kind, n in activities["activities_by_kind"].items():
            out[f"activities_{kind}"] = n
        out["participants"] = activities["participants"]
        for sector, n in activities["participants_by_sector"].items():
            out[f"participants_{sector}"] = n
    membership = row.family("membership")
    if membership is not None:
        out.update(membership)
    minutes = row.family("minutes")
    if minutes is not None:
        out.update(minutes)
    return out
