"""Figures that do not mislead (issue 15): the host state told apart from the embassies and the
international organisations, invitations counted from their records, the annual report by the
year it describes, unknown values as "–", plurals and agreement, thousands grouped, a palette
whose series never share a colour."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from activities import annual, reports
from activities.models import Activity, ReportJob
from demo import data
from meetings.models import Meeting, Minutes
from meetings.services import minutes as minutes_service
from meetings.services import participation as participation_service
from members.models import Institution, StandingDecision
from tests.factories import (
    add_contribution,
    make_activity,
    make_coordination,
    make_institution,
    make_meeting,
    make_member,
    make_minutes,
    make_representative,
    make_secretariat,
    sign_in,
)
from vpswg.models import User, WorkingGroup
from vpswg.scoping import group_scope
from workplan.models import WorkPlan

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def rows_of(body: str, meeting_title: str) -> dict[str, list[str]]:
    """The state report's table for one plenary: each row's label and its cells' text."""
    section = body[body.index(meeting_title) :]
    section = section[: section.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)[1:]:
        label = re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1).strip()
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        rows[label] = cells
    return rows


def held_plenary(group, reps_present, title: str, speakers=()) -> Meeting:
    """A plenary convened (every active institution invited), held with ``reps_present``, whose
    minutes (with ``speakers`` speaking) are submitted, so who spoke is counted."""
    secretariat = make_secretariat(group)
    meeting = make_meeting(group, "convened", days=5, title=title, actor=secretariat)
    # A seat to review the minutes; its institution, admitted after the convening, is invited.
    make_coordination(group, "civil_society")
    with group_scope(group):
        Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(hours=3))
        meeting.refresh_from_db()
        participation_service.record_attendance(
            meeting=meeting, actor=secretariat, present=[r.user for r in reps_present]
        )
    minutes = make_minutes(meeting, secretariat)
    with group_scope(group):
        section = minutes_service.add_section(minutes=minutes, actor=secretariat, title="Business")
    for rep in speakers:
        add_contribution(minutes, "A point.", speaker=rep, section=section, actor=secretariat)
    with group_scope(group):
        minutes_service.submit(minutes=Minutes.objects.get(pk=minutes.pk), actor=secretariat)
    return meeting


# --- Honest state participation ----------------------------------------------------------------


def test_the_state_report_tells_the_host_state_from_embassies_and_counts_invitations(client, group):
    state = [
        make_representative(
            group,
            institution=make_institution(group, pillar="government", kind="national_government"),
        )
        for _ in range(2)
    ]
    embassies = [
        make_representative(
            group,
            institution=make_institution(group, pillar="government", kind="foreign_government"),
        )
        for _ in range(4)
    ]
    companies = [make_representative(group) for _ in range(3)]
    observer = make_representative(
        group,
        institution=make_institution(
            group, pillar="", kind="international_organisation", participation="observer"
        ),
    )
    held_plenary(
        group,
        [*state, *embassies, *companies, observer],
        "Plenary on the state",
        speakers=[state[0], embassies[0], embassies[1], companies[0]],
    )
    url = reverse("reports:state", kwargs={"wg": group.slug})
    sign_in(client, make_coordination(group, "government"))  # the seat sees every count
    rows = rows_of(client.get(url).content.decode(), "Plenary on the state")
    # Invited (the invitation records), present, took part: the state's bodies on their own.
    assert rows["Host state"] == ["2", "2", "1"]
    assert rows["Foreign governments"] == ["4", "4", "2"]
    # The Secretariat's and the seat's companies too, absent.
    assert rows["Companies"][:2] == ["5", "3"]
    assert rows["International organisations"] == ["1", "1", "0"]
    assert "Government" not in rows
    client.logout()
    # Members: two state bodies present are too few to show who took part, although the
    # government pillar had six present (the suppression rule, now by constituency).
    sign_in(client, make_member(group))
    rows = rows_of(client.get(url).content.decode(), "Plenary on the state")
    assert rows["Host state"] == ["2", "–"]
    assert rows["Foreign governments"] == ["4", "2"]


def test_the_demo_records_the_invitations_to_its_past_plenaries(client):
    call_command("seed_demo", verbosity=0)
    peru = WorkingGroup.objects.get(slug="peru")
    with group_scope(peru):
        plenaries = reports.participation(peru, full=True)
    assert len(plenaries) == 4
    for p in plenaries:
        counts = {r["constituency"]: (r["invited"], r["present"]) for r in p.rows}
        assert sum(invited for invited, _ in counts.values()) == 29, p.meeting.title
        assert counts["host_state"][0] == 6 and counts["foreign_governments"][0] == 8
        assert counts["companies"][0] == 8 and counts["international"][0] == 2
        assert all(present <= invited for invited, present in counts.values())
    member = User.objects.get(email="angloamerican@peru.example.org")
    sign_in(client, member, password=data.PASSWORD)
    body = client.get(reverse("reports:state", kwargs={"wg": "peru"})).content.decode()
    rows = rows_of(body, "Conflictos sociales y consulta previa")
    # 6 state bodies and 6 of the 8 embassies present, no longer one "Gobierno: 12" (a member
    # sees who was present; the Secretariat and the seats the invitations too).
    host_state, foreign = (
        next(cells for label, cells in rows.items() if label in names)
        for names in (
            ("Host state", "Estado anfitrión"),
            ("Foreign governments", "Gobiernos extranjeros"),
        )
    )
    assert (host_state, foreign) == (["6", "2"], ["6", "0"])


def test_attendance_at_plenaries_is_counted_by_constituency_on_the_reports_page(client, group):
    state = make_representative(
        group, institution=make_institution(group, pillar="government", kind="national_government")
    )
    embassy = make_representative(
        group, institution=make_institution(group, pillar="government", kind="foreign_government")
    )
    held_plenary(group, [state, embassy], "Plenary of the year")
    with group_scope(group):
        counts = reports.attendance_by_constituency(group, None, None)
    assert counts == {timezone.localdate().year: {"host_state": 1, "foreign_governments": 1}}
    sign_in(client, make_secretariat(group))
    body = client.get(reverse("reports:index", kwargs={"wg": group.slug})).content.decode()
    table = body[body.index("Institutions present at plenaries") :]
    assert "Host state" in table and "Foreign governments" in table


# --- Reports by the year they describe ---------------------------------------------------------


def admit(group, institution, on: date) -> None:
    with group_scope(group):
        StandingDecision.objects.create(
            working_group=group,
            institution=institution,
            decision=StandingDecision.Decision.ADMISSION,
            from_standing="active",
            to_standing="active",
            reason="Admitted.",
            effective_date=on,
        )


def decide(group, institution, decision: str, to: str, on: date, previous="active") -> None:
    with group_scope(group):
        StandingDecision.objects.create(
            working_group=group,
            institution=institution,
            decision=decision,
            from_standing=previous,
            to_standing=to,
            reason="Decided.",
            effective_date=on,
        )
        Institution.objects.filter(pk=institution.pk).update(standing=to, standing_since=on)


def build_report(group, user, year: int) -> ReportJob:
    with group_scope(group):
        job = ReportJob.objects.create(working_group=group, year=year, requested_by=user)
        annual.build(job)
        job.refresh_from_db()
    return job


def pdf_text(job: ReportJob, tmp_path) -> str:
    path = tmp_path / f"annual-{job.pk}.pdf"
    with job.file.open("rb") as f:
        path.write_bytes(f.read())
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def line_of(text: str, label: str) -> list[str]:
    """The words of the first line of ``text`` that starts with ``label``, after it."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            return line.strip()[len(label) :].split()
    raise AssertionError(f"no line starting with {label!r}")


def test_the_annual_report_shows_the_composition_at_the_end_of_its_year(client, group, tmp_path):
    founder = make_institution(group, name="Founding Mining")
    admit(group, founder, date(2012, 5, 1))
    later = make_institution(group, name="Later Mining")
    admit(group, later, date(2017, 2, 1))  # not a member in 2015
    suspended = make_institution(group, name="Suspended Mining")
    admit(group, suspended, date(2012, 5, 1))
    decide(group, suspended, "suspension", "suspended", date(2015, 6, 1))
    decide(group, suspended, "reinstatement", "active", date(2016, 3, 1), previous="suspended")
    state = make_institution(group, pillar="government", kind="national_government")
    admit(group, state, date(2013, 1, 1))
    embassy = make_institution(group, pillar="government", kind="foreign_government")
    admit(group, embassy, date(2013, 1, 1))
    decide(group, embassy, "expulsion", "expelled", date(2014, 1, 1))
    make_institution(group, pillar="civil_society", kind="ngo_academic")  # entered today
    user = make_secretariat(group)
    job = build_report(group, user, 2015)
    text = pdf_text(job, tmp_path)
    assert "On Dec. 31, 2015" in text
    # Members, observers, suspended, expelled: 2015's, not today's (3 companies, 1 NGO).
    assert line_of(text, "Companies") == ["1", "0", "1", "0"]
    assert line_of(text, "Host state") == ["1", "0", "0", "0"]
    assert line_of(text, "Foreign governments") == ["0", "0", "0", "1"]
    assert "Civil society" not in text.split("Meetings held")[0]
    # The job's page says the same.
    sign_in(client, user)
    page = client.get(reverse("reports:job", kwargs={"wg": group.slug, "pk": job.pk}))
    composition = page.context["report"]["composition"]
    assert [(r.constituency, r.members, r.suspended, r.expelled) for r in composition.shown] == [
        ("companies", 1, 1, 0),
        ("host_state", 1, 0, 0),
        ("foreign_governments", 0, 0, 1),
    ]
    body = page.content.decode()
    assert "Suspended" in body and "Download the PDF" in body


def test_unknown_values_are_a_dash_in_the_pdf_and_on_the_page(client, group, tmp_path):
    make_activity(
        group,
        title="Seminario de Arequipa",
        kind="seminar",
        start_date=date(2025, 5, 5),
        counts=[("business", 42, None, None), ("ngos", 10, 4, 6)],
    )
    user = make_secretariat(group)
    job = build_report(group, user, 2025)
    text = pdf_text(job, tmp_path)
    assert line_of(text, "Business") == ["42", "–", "–"]
    assert line_of(text, "NGOs") == ["10", "4", "6"]
    sign_in(client, user)
    body = client.get(reverse("reports:index", kwargs={"wg": group.slug})).content.decode()
    business = body[body.index('<th scope="row">Business</th>') :]
    assert business.split("</tr>")[0].count(">–<") == 2


def test_the_annual_report_speaks_correct_plurals_and_names_what_is_missing(group, tmp_path):
    make_activity(
        group, kind="course", start_date=date(2024, 5, 5), counts=[("business", 1234, 600, 634)]
    )
    job = build_report(group, make_secretariat(group), 2024)
    text = " ".join(pdf_text(job, tmp_path).split())
    assert "conducted 1 training and dissemination activity." in text
    assert "1 training and dissemination activities" not in text
    assert "No meeting was held in 2024." in text and "None." not in text
    assert "1,234" in text  # thousands grouped


def compiled_catalogue(tmp_path, entries: str) -> Path:
    """A Spanish catalogue holding ``entries``, compiled: the lead translates the new messages
    after merging; the test stands in for that translation to see the right one is chosen."""
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n' + entries,
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(po)], check=True)
    return tmp_path / "locale"


def test_spanish_agreement_for_the_plan_and_the_plural_for_one_activity(settings, tmp_path):
    settings.LOCALE_PATHS = [
        compiled_catalogue(
            tmp_path,
            'msgctxt "work plan"\nmsgid "Adopted"\nmsgstr "Adoptado"\n\n'
            'msgid "During the period %(period)s, the group conducted %(activities)s training and '
            'dissemination activity. The total number of participants in it was %(participants)s."\n'
            'msgid_plural "During the period %(period)s, the group conducted %(activities)s training '
            "and dissemination activities. The total number of participants in these activities "
            'was %(participants)s."\n'
            'msgstr[0] "En %(period)s, el grupo realizó %(activities)s actividad (%(participants)s)."\n'
            'msgstr[1] "En %(period)s, el grupo realizó %(activities)s actividades '
            '(%(participants)s)."\n',
        ),
        *settings.LOCALE_PATHS,
    ]
    one = reports.Totals(start=2015, end=2015, years=[2015])
    one.activities_by_year_kind[(2015, "course")] = 1
    one.participants_by_year_kind[(2015, "course")] = 2213
    with translation.override("es"):
        plan = str(WorkPlan.Status.ADOPTED.label)
        minutes = str(Minutes.Status.ADOPTED.label)
        sentence = one.sentence()
    assert (plan, minutes) == ("Adoptado", "Adoptada")
    assert sentence == "En 2015, el grupo realizó 1 actividad (2.213)."


def test_figures_are_grouped_in_the_readers_language(client, group):
    make_activity(
        group, kind="course", start_date=date(2014, 5, 5), counts=[("ngos", 1234, None, None)]
    )
    sign_in(client, make_secretariat(group))
    url = reverse("reports:index", kwargs={"wg": group.slug})
    english = client.get(url).content.decode()
    assert "was 1,234." in english and '<td class="num">1,234</td>' in english
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish = client.get(url).content.decode()
    assert '<td class="num">1.234</td>' in spanish and "1,234" not in spanish
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    french = client.get(url).content.decode()
    assert '<td class="num">1\u202f234</td>' in french and "1,234" not in french
    # Years are not figures: never grouped, in any language.
    assert ">2014<" in english and ">2014<" in spanish and ">2014<" in french


# --- The palette --------------------------------------------------------------------------------


def stylesheet_colours() -> dict[str, str]:
    """Each chart class of the stylesheet and the colour it fills with (variables resolved)."""
    css = (ROOT / "static" / "css" / "vpswg.css").read_text()
    variables = dict(re.findall(r"(--[a-z-]+):\s*([^;]+);", css))
    colours = {}
    for name, fill in re.findall(r"\.((?:series|seg)-[a-z0-9_]+) \{ fill: ([^;]+);", css):
        fill = fill.strip()
        if fill.startswith("var("):
            fill = variables[fill[4:-1]]
        colours[name] = fill.strip().lower()
    return colours


def test_no_two_series_of_a_chart_share_a_colour(group):
    for i, kind in enumerate(Activity.Kind.values):
        make_activity(group, kind=kind, start_date=date(2010 + i % 6, 3, 1))
    with group_scope(group):
        t = reports.totals(group, None, None)
    attendance = {
        2015: {
            c: 1
            for c in (
                "companies",
                "host_state",
                "foreign_governments",
                "civil_society",
                "international",
                "other",
            )
        }
    }
    chart_set = reports.chart_set(t, attendance)
    colours = stylesheet_colours()
    kinds = [css for css, _ in chart_set.kinds.series]
    assert len(kinds) == len(Activity.Kind.values) == 11
    labels = dict(chart_set.kinds.series)
    shared = {}
    for css in kinds:
        shared.setdefault(colours[css], []).append(labels[css])
    assert all(len(names) == 1 for names in shared.values()), shared  # "Course" and "Study"...
    for chart in (chart_set.attendance,):
        fills = [colours[css] for css, _ in chart.series]
        assert len(set(fills)) == len(fills) == 6
    sectors = [b.css for b in reports.chart_set(t, {}).sectors.bars]
    assert len({colours[css] for css in sectors}) == len(sectors)


# --- Query counts -------------------------------------------------------------------------------


def test_state_and_annual_report_pages_query_counts_do_not_grow(client, group):
    user = make_secretariat(group)
    sign_in(client, user)

    def count(url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def grow(n: int, year: int) -> None:
        reps = [
            make_representative(
                group,
                institution=make_institution(
                    group,
                    pillar="government",
                    kind=("national_government", "foreign_government")[i % 2],
                ),
            )
            for i in range(n)
        ]
        held_plenary(group, reps, f"Plenary {n} {year}", speakers=reps[:2])
        for i in range(n):
            make_activity(
                group, start_date=date(year, 1 + i % 12, 1), organisers=[reps[i].institution]
            )
        with group_scope(group):
            for r in reps:
                admit(group, r.institution, date(year - 1, 1, 1))

    grow(1, timezone.localdate().year)
    with group_scope(group):
        job = ReportJob.objects.create(
            working_group=group,
            year=timezone.localdate().year,
            requested_by=user,
            status="done",
            progress=100,
        )
    state = reverse("reports:state", kwargs={"wg": group.slug})
    page = reverse("reports:job", kwargs={"wg": group.slug, "pk": job.pk})
    count(state), count(page)  # the session's first requests read the permissions they cache
    few = (count(state), count(page))
    grow(6, timezone.localdate().year)
    assert (count(state), count(page)) == few
