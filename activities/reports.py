"""What the group did and whom it reached: totals, charts, the seed's own sentence, CSV, the
state participation view. Each a constant number of queries, whatever the register's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from activities.models import Activity, ParticipantCount, Sector
from meetings.models import Attendance, Invitation, Meeting, MinutesVersion
from members.models import Institution
from vpswg import charts
from vpswg.exports import csv_bytes
from vpswg.groupcache import GroupCache
from vpswg.models import WorkingGroup
from vpswg.roles import Pillar

#: The seed's "training and dissemination activities (events, workshops, courses, seminars and
#: panel discussions)": studies, site visits and others are counted apart.
TRAINING_AND_DISSEMINATION = frozenset(
    {
        Activity.Kind.COURSE,
        Activity.Kind.WORKSHOP,
        Activity.Kind.SEMINAR,
        Activity.Kind.FORUM,
        Activity.Kind.PANEL,
        Activity.Kind.ROUND_TABLE,
        Activity.Kind.BREAKFAST,
        Activity.Kind.TRAINING,
    }
)


def confirmed(working_group: WorkingGroup, start: int | None, end: int | None):
    qs = Activity.objects.filter(working_group=working_group, status=Activity.Status.CONFIRMED)
    if start:
        qs = qs.filter(start_date__year__gte=start)
    if end:
        qs = qs.filter(start_date__year__lte=end)
    return qs


@dataclass
class Totals:
    start: int | None
    end: int | None
    years: list[int] = field(default_factory=list)
    activities_by_year_kind: dict[tuple[int, str], int] = field(default_factory=dict)
    participants_by_year_kind: dict[tuple[int, str], int] = field(default_factory=dict)
    sectors: list[dict] = field(default_factory=list)

    @property
    def activities(self) -> int:
        return sum(self.activities_by_year_kind.values())

    @property
    def participants(self) -> int:
        return sum(self.participants_by_year_kind.values())

    @property
    def training_activities(self) -> int:
        return sum(
            n
            for (_year, kind), n in self.activities_by_year_kind.items()
            if kind in TRAINING_AND_DISSEMINATION
        )

    @property
    def training_participants(self) -> int:
        return sum(
            n
            for (_year, kind), n in self.participants_by_year_kind.items()
            if kind in TRAINING_AND_DISSEMINATION
        )

    @property
    def by_year(self) -> list[dict]:
        return [
            {
                "year": y,
                "activities": sum(
                    n for (yy, _), n in self.activities_by_year_kind.items() if yy == y
                ),
                "participants": sum(
                    n for (yy, _), n in self.participants_by_year_kind.items() if yy == y
                ),
            }
            for y in self.years
        ]

    @property
    def by_kind(self) -> list[dict]:
        counts: dict[str, int] = defaultdict(int)
        people: dict[str, int] = defaultdict(int)
        for (_year, kind), n in self.activities_by_year_kind.items():
            counts[kind] += n
        for (_year, kind), n in self.participants_by_year_kind.items():
            people[kind] += n
        labels = dict(Activity.Kind.choices)
        return [
            {"kind": k, "label": str(labels[k]), "activities": counts[k], "participants": people[k]}
            for k in Activity.Kind.values
            if counts.get(k)
        ]

    def sentence(self) -> str:
        """The seed's own sentence, from the register."""
        period = (
            f"{self.years[0]}-{self.years[-1]}"
            if self.years and self.years[0] != self.years[-1]
            else str(self.years[0])
            if self.years
            else ""
        )
        if self.start and self.end:
            period = f"{self.start}-{self.end}" if self.start != self.end else str(self.start)
        return _(
            "During the period %(period)s, the group conducted %(activities)s training and dissemination "
            "activities. The total number of participants in these activities was %(participants)s."
        ) % {
            "period": period,
            "activities": self.training_activities,
            "participants": self.training_participants,
        }


def totals(working_group: WorkingGroup, start: int | None = None, end: int | None = None) -> Totals:
    """Activities by year and kind, participants by year, kind and sector: two queries."""
    activities = confirmed(working_group, start, end)
    result = Totals(start=start, end=end)
    for row in (
        activities.annotate(year=ExtractYear("start_date"))
        .values("year", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result.activities_by_year_kind[(row["year"], row["kind"])] = row["n"]
    sectors: dict[str, dict] = {
        s.value: {"sector": s.value, "label": str(s.label), "total": 0, "women": 0, "men": 0}
        for s in Sector
    }
    by_year_kind = result.participants_by_year_kind
    # Tuples rather than dicts: twelve years by eleven kinds by ten sectors is a thousand rows.
    for year, kind, sector, total, women, men in (
        ParticipantCount.objects.filter(activity__in=activities)
        .annotate(year=ExtractYear("activity__start_date"))
        .values("year", "activity__kind", "sector")
        .annotate(total=Sum("total"), women=Sum("women"), men=Sum("men"))
        .values_list("year", "activity__kind", "sector", "total", "women", "men")
        .order_by()
    ):
        by_year_kind[(year, kind)] = by_year_kind.get((year, kind), 0) + total
        entry = sectors[sector]
        entry["total"] += total
        entry["women"] += women or 0
        entry["men"] += men or 0
    result.sectors = [s for s in sectors.values() if s["total"]]
    found = {y for y, _ in result.activities_by_year_kind}
    if found:
        result.years = list(range(start or min(found), (end or max(found)) + 1))
    return result


def attendance_by_pillar(
    working_group: WorkingGroup, start: int | None, end: int | None
) -> dict[int, dict[str, int]]:
    """Institutions present at plenaries, by year and pillar (one row per meeting and institution)."""
    # The group repeated on the joined tables lets PostgreSQL read them through their
    # working_group indexes instead of scanning every group's meetings and institutions.
    qs = Attendance.objects.filter(
        working_group=working_group,
        meeting__working_group=working_group,
        meeting__kind=Meeting.Kind.PLENARY,
        institution__working_group=working_group,
    )
    if start:
        qs = qs.filter(meeting__start__year__gte=start)
    if end:
        qs = qs.filter(meeting__start__year__lte=end)
    # Distinct institutions per meeting, summed over the year's meetings.
    per_meeting = (
        qs.annotate(year=ExtractYear("meeting__start"))
        .values("year", "institution__pillar", "meeting_id")
        .annotate(n=Count("institution_id", distinct=True))
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in per_meeting:
        result[row["year"]][row["institution__pillar"] or "observers"] += row["n"]
    return {y: dict(v) for y, v in sorted(result.items())}


@dataclass
class ChartSet:
    sectors: charts.Chart
    kinds: charts.Chart
    attendance: charts.Chart
    attendance_rows: list[dict]


def chart_set(t: Totals, attendance: dict[int, dict[str, int]]) -> ChartSet:
    sector_chart = charts.horizontal(
        [(s["label"], s["total"]) for s in sorted(t.sectors, key=lambda s: -s["total"])]
    )
    years = [str(y) for y in t.years]
    kinds = [
        k for k in Activity.Kind.values if any(kk == k for (_, kk) in t.activities_by_year_kind)
    ]
    labels = dict(Activity.Kind.choices)
    kind_chart = charts.stacked_columns(
        years,
        [
            (
                f"series-{i % 8}",
                str(labels[k]),
                [t.activities_by_year_kind.get((y, k), 0) for y in t.years],
            )
            for i, k in enumerate(kinds)
        ],
    )
    att_years = sorted(attendance)
    pillars = [(p.value, str(p.label)) for p in Pillar] + [("observers", _("Observers"))]
    attendance_chart = charts.stacked_columns(
        [str(y) for y in att_years],
        [(f"seg-{p}", label, [attendance[y].get(p, 0) for y in att_years]) for p, label in pillars],
    )
    rows = [{"year": y, "cells": [attendance[y].get(p, 0) for p, _ in pillars]} for y in att_years]
    return ChartSet(sector_chart, kind_chart, attendance_chart, rows)


def csv_export(
    working_group: WorkingGroup, start: int | None, end: int | None, *, language: str
) -> bytes:
    """The register as CSV for the reader's spreadsheet (``vpswg.exports``: separator by
    language, byte-order mark, no cell read as a formula). Three queries."""
    activities = list(
        confirmed(working_group, start, end)
        .prefetch_related("organisers", "participants")
        .order_by("start_date", "id")
    )
    sectors = list(Sector)
    header = [
        _("Date"),
        _("Until"),
        _("Title"),
        _("Kind"),
        _("Place"),
        _("Region"),
        _("Organisers"),
        _("Partners"),
        _("Funders"),
        _("Participants"),
        _("Women"),
        _("Men"),
        *[str(s.label) for s in sectors],
    ]
    rows = []
    for a in activities:
        counts = {p.sector: p for p in a.participants.all()}
        rows.append(
            [
                a.start_date.isoformat(),
                a.end_date.isoformat() if a.end_date else "",
                a.title,
                a.get_kind_display(),
                a.place,
                a.region,
                ", ".join(o.name for o in a.organisers.all()),
                a.partners,
                a.funders,
                sum(p.total for p in counts.values()),
                sum(p.women or 0 for p in counts.values()),
                sum(p.men or 0 for p in counts.values()),
                *[counts[s.value].total if s.value in counts else 0 for s in sectors],
            ]
        )
    return csv_bytes(header, rows, language=language)


# --- Kept figures --------------------------------------------------------------------------------

#: The reports page's figures and charts, rendered (``activities.report_views.figures``).
figures_cache = GroupCache(
    "reports",
    drawn_from=(
        WorkingGroup,
        Activity,
        ParticipantCount,
        Meeting,  # plenaries
        Attendance,
        Institution,  # pillars
    ),
)


# --- State commitment (seed step 10) -----------------------------------------------------------

SMALL = 3  # below this many institutions of a pillar present, members see no participation figure


@dataclass
class PlenaryParticipation:
    meeting: Meeting
    rows: list[dict]


def participation(
    working_group: WorkingGroup, *, full: bool, limit: int = 24
) -> list[PlenaryParticipation]:
    """For each recent plenary held, by pillar: institutions invited, present, and that took part
    in the discussion (counted from the attributed minutes when they were last submitted).

    ``full`` (the Secretariat and the Coordination Group) shows every count. Members see
    attendance, and "took part" only for a pillar of which at least three institutions were
    present: with fewer, a count would point at who spoke.
    """
    meetings = list(
        Meeting.objects.filter(
            working_group=working_group, kind=Meeting.Kind.PLENARY, status=Meeting.Status.HELD
        ).order_by("-start")[:limit]
    )
    ids = [m.pk for m in meetings]
    invited = _count(
        Invitation.objects.filter(meeting_id__in=ids),
        "meeting_id",
        "institution__pillar",
        "institution_id",
    )
    present = _count(
        Attendance.objects.filter(meeting_id__in=ids),
        "meeting_id",
        "institution__pillar",
        "institution_id",
    )
    # Who spoke is sealed (meetings.services.attribution): the counts by pillar were taken
    # when the minutes were frozen, from their latest version.
    spoke = {
        (meeting_id, pillar): n
        for meeting_id, counts in MinutesVersion.objects.filter(
            minutes__meeting_id__in=ids, minutes__current_version=F("pk")
        ).values_list("minutes__meeting_id", "took_part")
        for pillar, n in (counts or {}).items()
    }
    result = []
    for meeting in meetings:
        rows = []
        for pillar in Pillar:
            here = present.get((meeting.pk, pillar.value), 0)
            took_part = spoke.get((meeting.pk, pillar.value), 0)
            rows.append(
                {
                    "pillar": pillar.value,
                    "label": str(pillar.label),
                    "invited": invited.get((meeting.pk, pillar.value), 0) if full else None,
                    "present": here,
                    "took_part": took_part if (full or here >= SMALL) else None,
                    "suppressed": not full and here < SMALL,
                }
            )
        result.append(PlenaryParticipation(meeting, rows))
    return result


def _count(
    qs, meeting_field: str, pillar_field: str, institution_field: str
) -> dict[tuple[int, str], int]:
    return {
        (row[meeting_field], row[pillar_field]): row["n"]
        for row in qs.values(meeting_field, pillar_field)
        .annotate(n=Count(institution_field, distinct=True))
        .order_by()
    }
