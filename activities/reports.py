"""What the group did and whom it reached: totals, charts, the seed's own sentence, CSV, the
state participation view. Each a constant number of queries, whatever the register's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import Activity, ParticipantCount, Sector
from meetings.models import Attendance, Invitation, Meeting, MinutesVersion
from members.constituency import Constituency, constituency_expression
from members.models import Institution
from vpswg import charts
from vpswg.exports import csv_bytes
from vpswg.figures import figure
from vpswg.groupcache import GroupCache
from vpswg.models import WorkingGroup

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
        return ngettext(
            "During the period %(period)s, the group conducted %(activities)s training and "
            "dissemination activity. The total number of participants in it was %(participants)s.",
            "During the period %(period)s, the group conducted %(activities)s training and dissemination "
            "activities. The total number of participants in these activities was %(participants)s.",
            self.training_activities,
        ) % {
            "period": period,
            "activities": figure(self.training_activities),
            "participants": figure(self.training_participants),
        }

    def all_kinds_sentence(self) -> str:
        """The count of every kind together, under the seed's sentence."""
        # Two counts, each with its own plural: one ngettext each (one for the sentence
        # would agree "participants" with the number of activities).
        activities = ngettext("%(count)s activity", "%(count)s activities", self.activities) % {
            "count": figure(self.activities)
        }
        participants = ngettext(
            "%(count)s participant", "%(count)s participants", self.participants
        ) % {"count": figure(self.participants)}
        return _("All kinds together: %(activities)s, %(participants)s.") % {
            "activities": activities,
            "participants": participants,
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
        s.value: {"sector": s.value, "label": str(s.label), "total": 0, "women": None, "men": None}
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
        # Unknown (None) until a count with the figure comes: an unknown is not a zero.
        if women is not None:
            entry["women"] = (entry["women"] or 0) + women
        if men is not None:
            entry["men"] = (entry["men"] or 0) + men
    result.sectors = [s for s in sectors.values() if s["total"]]
    found = {y for y, _ in result.activities_by_year_kind}
    if found:
        result.years = list(range(start or min(found), (end or max(found)) + 1))
    return result


def attendance_by_constituency(
    working_group: WorkingGroup, start: int | None, end: int | None
) -> dict[int, dict[str, int]]:
    """Institutions present at plenaries, by year and constituency (``members.constituency``:
    the host state's bodies apart from the embassies and international organisations), one row
    per meeting and institution."""
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
        qs.annotate(
            year=ExtractYear("meeting__start"),
            constituency=constituency_expression("institution__"),
        )
        .values("year", "constituency", "meeting_id")
        .annotate(n=Count("institution_id", distinct=True))
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in per_meeting:
        result[row["year"]][row["constituency"]] += row["n"]
    return {y: dict(v) for y, v in sorted(result.items())}


@dataclass
class ChartSet:
    sectors: charts.Chart
    kinds: charts.Chart
    attendance: charts.Chart
    attendance_rows: list[dict]
    attendance_labels: list[str] = field(default_factory=list)


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
                charts.series_class(Activity.Kind.values.index(k)),
                str(labels[k]),
                [t.activities_by_year_kind.get((y, k), 0) for y in t.years],
            )
            for k in kinds
        ],
    )
    att_years = sorted(attendance)
    columns = attendance_columns(attendance)
    attendance_chart = charts.stacked_columns(
        [str(y) for y in att_years],
        [(f"seg-{c}", label, [attendance[y].get(c, 0) for y in att_years]) for c, label in columns],
    )
    rows = [{"year": y, "cells": [attendance[y].get(c, 0) for c, _ in columns]} for y in att_years]
    return ChartSet(
        sector_chart, kind_chart, attendance_chart, rows, [label for _, label in columns]
    )


#: Always shown, even at zero: the pillars, and the host state (seed step 10).
ALWAYS_SHOWN = frozenset(
    {
        Constituency.COMPANIES,
        Constituency.HOST_STATE,
        Constituency.FOREIGN_GOVERNMENTS,
        Constituency.CIVIL_SOCIETY,
    }
)


def attendance_columns(counts: dict[object, dict[str, int]]) -> list[tuple[str, str]]:
    """The constituencies to show, in order: those always shown, and any other with a count."""
    present = {c for per in counts.values() for c, n in per.items() if n}
    return [(c.value, str(c.label)) for c in Constituency if c in ALWAYS_SHOWN or c in present]


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
                _known_sum(p.women for p in counts.values()),
                _known_sum(p.men for p in counts.values()),
                *[counts[s.value].total if s.value in counts else 0 for s in sectors],
            ]
        )
    return csv_bytes(header, rows, language=language)


def _known_sum(values) -> int | str:
    """The sum of the figures known; an empty cell when none is (an unknown is not a zero)."""
    known = [v for v in values if v is not None]
    return sum(known) if known else ""


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
    """For each recent plenary held, by constituency (the host state's bodies apart from the
    embassies and the international organisations, ``members.constituency``): institutions
    invited (from the invitation records), present, and that took part in the discussion
    (counted from the attributed minutes when they were last submitted). Four queries.

    ``full`` (the Secretariat and the Coordination Group) shows every count. Members see
    attendance, and "took part" only for a constituency of which at least ``SMALL``
    institutions were present: with fewer, a count would point at who spoke. Minutes frozen
    before the counts by constituency were kept have them by pillar only: the government
    pillar's cannot be split, and show as unknown.
    """
    meetings = list(
        Meeting.objects.filter(
            working_group=working_group, kind=Meeting.Kind.PLENARY, status=Meeting.Status.HELD
        ).order_by("-start")[:limit]
    )
    ids = [m.pk for m in meetings]
    invited = _count(Invitation.objects.filter(working_group=working_group, meeting_id__in=ids))
    present = _count(Attendance.objects.filter(working_group=working_group, meeting_id__in=ids))
    # Who spoke is sealed (meetings.services.attribution): the counts were taken when the
    # minutes were frozen, from their latest version.
    spoke = {
        meeting_id: _took_part(counts or {})
        for meeting_id, counts in MinutesVersion.objects.filter(
            minutes__meeting_id__in=ids, minutes__current_version=F("pk")
        ).values_list("minutes__meeting_id", "took_part")
    }
    columns = attendance_columns(
        {key: {key[1]: n} for key, n in (*invited.items(), *present.items())}
    )
    result = []
    for meeting in meetings:
        rows = []
        for value, label in columns:
            here = present.get((meeting.pk, value), 0)
            took_part = spoke.get(meeting.pk, {}).get(value, 0)
            shown = full or here >= SMALL
            rows.append(
                {
                    "constituency": value,
                    "label": label,
                    "invited": invited.get((meeting.pk, value), 0) if full else None,
                    "present": here,
                    "took_part": took_part if shown else None,
                    "suppressed": not shown,
                }
            )
        result.append(PlenaryParticipation(meeting, rows))
    return result


#: A frozen count by pillar that is also one by constituency (nobody else shares the pillar).
_PILLAR_IS_CONSTITUENCY = {
    "companies": Constituency.COMPANIES,
    "civil_society": Constituency.CIVIL_SOCIETY,
}


def _took_part(counts: dict) -> dict[str, int | None]:
    """The frozen counts of who spoke, by constituency; ``None`` where unknown."""
    if "constituencies" in counts:
        return dict(counts["constituencies"])
    result: dict[str, int | None] = {
        constituency: counts.get(pillar, 0)
        for pillar, constituency in _PILLAR_IS_CONSTITUENCY.items()
    }
    government = counts.get("government", 0)
    for c in (Constituency.HOST_STATE, Constituency.FOREIGN_GOVERNMENTS):
        result[c] = None if government else 0
    return result


def _count(qs) -> dict[tuple[int, str], int]:
    """Institutions by meeting and constituency: one query."""
    return {
        (row["meeting_id"], row["constituency"]): row["n"]
        for row in qs.annotate(constituency=constituency_expression("institution__"))
        .values("meeting_id", "constituency")
        .annotate(n=Count("institution_id", distinct=True))
        .order_by()
    }
