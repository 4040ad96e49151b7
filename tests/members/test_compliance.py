"""Participation requirements: attendance at plenaries, annual reports, reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting
from members.models import AnnualReport
from members.services.compliance import send_report_reminders, standings, submit_annual_report
from tests.factories import (
    cold_process,
    make_application,
    make_coordination,
    make_member,
    make_representative,
    make_secretariat,
    sign_in,
    upload,
)
from vpswg.models import Notification
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


def plenary(group, days_ago: int, status="held", kind="plenary") -> Meeting:
    with group_scope(group):
        return Meeting.objects.create(
            working_group=group,
            kind=kind,
            title=f"Plenary -{days_ago}d",
            status=status,
            start=timezone.now() - timedelta(days=days_ago),
        )


def attend(group, meeting, rep) -> None:
    with group_scope(group):
        Attendance.objects.create(
            working_group=group, meeting=meeting, user=rep.user, institution=rep.institution
        )


def backdate(group, institution, days: int) -> None:
    with group_scope(group):
        type(institution).objects.filter(pk=institution.pk).update(
            created_at=timezone.now() - timedelta(days=days)
        )


def test_attendance_counts_the_last_plenaries_held_per_institution(group):
    rep = make_representative(group)
    alternate = make_representative(group, institution=rep.institution)
    absent = make_representative(group)
    for r in (rep, absent):
        backdate(group, r.institution, 400)
    meetings = [plenary(group, d) for d in (300, 200, 100, 50, 10)]
    plenary(group, 5, kind="coordination")  # not a plenary
    plenary(group, -10, status="planned")  # not held
    attend(group, meetings[4], rep)
    attend(group, meetings[4], alternate)  # two people, one institution, one meeting
    attend(group, meetings[3], alternate)
    attend(group, meetings[0], absent)  # outside the window of the last 4
    with group_scope(group):
        rows = {s.institution.pk: s for s in standings(group)}
    assert (rows[rep.institution_id].attended, rows[rep.institution_id].counted) == (2, 4)
    assert rows[rep.institution_id].attendance_ok is True
    assert (rows[absent.institution_id].attended, rows[absent.institution_id].attendance_ok) == (
        0,
        False,
    )


def test_a_new_institution_is_held_only_to_plenaries_since_it_joined(group):
    for d in (300, 200, 100):
        plenary(group, d)
    newcomer = make_representative(group)
    backdate(group, newcomer.institution, 150)
    with group_scope(group):
        (row,) = [s for s in standings(group) if s.institution.pk == newcomer.institution_id]
    assert (row.counted, row.required, row.attendance_ok) == (1, 1, False)


def test_report_states(group):
    on_time, late = make_representative(group), make_representative(group)
    for r in (on_time, late):
        backdate(group, r.institution, 800)  # members in 2025
    today = date(2026, 2, 1)
    with group_scope(group):
        submit_annual_report(
            institution=on_time.institution, actor=on_time.user, year=2025, text="Done."
        )
        states = {s.institution.pk: s.report_state for s in standings(group, today)}
        after = {s.institution.pk: s.report_state for s in standings(group, date(2026, 4, 1))}
    assert states[on_time.institution_id] == "submitted" and states[late.institution_id] == "due"
    assert after[late.institution_id] == "overdue"


def test_reminders_go_once_per_threshold_to_those_missing(group):
    done, missing = make_representative(group), make_representative(group)
    for r in (done, missing):
        backdate(group, r.institution, 800)  # members in 2025
    with group_scope(group):
        submit_annual_report(institution=done.institution, actor=done.user, year=2025, text="Done.")
        due = group.report_due_date(2025)
        assert send_report_reminders(group, due - timedelta(days=40)) == 0  # too early
        assert send_report_reminders(group, due - timedelta(days=30)) == 1
        assert send_report_reminders(group, due - timedelta(days=29)) == 0  # already reminded
        assert send_report_reminders(group, due - timedelta(days=7)) == 1  # the second threshold
        assert (
            send_report_reminders(group, due + timedelta(days=1)) == 0
        )  # past due: the list shows it
        recipients = {n.recipient for n in Notification.objects.filter(kind="report_reminder")}
    assert recipients == {missing.user}


def test_the_daily_task_covers_every_group(
    group, other_group, eager_tasks, django_capture_on_commit_callbacks
):
    from members.tasks import daily

    assert daily.apply().get() == 2


def test_member_submits_the_report_with_an_attachment(client, group):
    rep = make_representative(group)
    sign_in(client, rep.user)
    url = reverse("members:report", kwargs={"wg": group.slug})
    response = client.post(
        url,
        {"year": timezone.localdate().year - 1, "text": "We trained 40 guards.", "file": upload()},
    )
    assert response.status_code == 302
    with group_scope(group):
        report = AnnualReport.objects.get(institution=rep.institution)
    assert report.file.name.startswith(f"reports/{group.pk}/") and report.file_name == "letter.pdf"
    # The Secretariat downloads it; the member's colleague in another institution cannot.
    client.logout()
    sign_in(client, make_secretariat(group))
    response = client.get(
        reverse("members:report_file", kwargs={"wg": group.slug, "pk": report.pk})
    )
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    client.logout()
    sign_in(client, make_member(group))
    assert (
        client.get(
            reverse("members:report_file", kwargs={"wg": group.slug, "pk": report.pk})
        ).status_code
        == 403
    )


def test_compliance_page_for_the_coordination_group(client, group):
    make_representative(group)
    sign_in(client, make_coordination(group))
    response = client.get(reverse("members:compliance", kwargs={"wg": group.slug}))
    assert response.status_code == 200 and len(response.context["rows"]) == 2


def count(client, url) -> int:
    cold_process()  # the count of a first request: the per-process cache empty
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_compliance_and_review_query_counts_do_not_grow(client, group):
    sign_in(client, make_secretariat(group))
    compliance = reverse("members:compliance", kwargs={"wg": group.slug})
    review = reverse("members:applications", kwargs={"wg": group.slug})
    m = plenary(group, 10)
    for _ in range(3):
        attend(group, m, make_representative(group))
        make_application(group)
    few = (count(client, compliance), count(client, review + "?status=all"))
    for _ in range(27):
        attend(group, m, make_representative(group))
        make_application(group)
    assert (count(client, compliance), count(client, review + "?status=all")) == few


def test_group_settings_by_the_secretariat(client, group):
    """The Secretariat changes the group's own settings; the rules the terms of reference
    govern are shown, not edited: a crafted post of them changes nothing (issue 20)."""
    sign_in(client, make_secretariat(group))
    url = reverse("group:settings", kwargs={"wg": group.slug})
    page = client.get(url).content.decode()
    assert 'name="attendance_required"' not in page and 'name="application_rule"' not in page
    assert "Set by the terms of reference" in page
    data = {
        "name": group.name,
        "country": group.country,
        "public_description": "",
        "default_language": "en",
        "timezone": "UTC",
        "applications_open": "on",
        "report_reminder_days": 0,
        "founding_guide": "always",
        # Governed: not the settings page's to change.
        "meeting_cadence_months": 1,
        "application_rule": "unanimity",
        "attendance_required": 3,
        "attribution_retention_days": 365,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "report_reminder_days" in response.context["form"].errors
    response = client.post(url, {**data, "report_reminder_days": 20})
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.report_reminder_days, group.founding_guide) == (20, "always")
    assert (
        group.meeting_cadence_months,
        group.application_rule,
        group.attendance_required,
        group.attribution_retention_days,
    ) == (3, "majority_with_pillar", 2, 90)


def test_only_years_of_membership_are_owed_a_report(client, group):
    """A member admitted on 1 December 2026 owes no report on 2025 (issue 15); one admitted
    during 2025 does; one entered by the Secretariat without an admission decision counts from
    the day it was entered."""
    from members.models import StandingDecision

    newcomer, old_member, entered = (make_representative(group) for _ in range(3))
    backdate(group, newcomer.institution, 800)  # entered long ago, but admitted only now:
    backdate(group, old_member.institution, 800)
    with group_scope(group):
        for rep, day in ((newcomer, date(2026, 12, 1)), (old_member, date(2025, 6, 1))):
            StandingDecision.objects.create(
                working_group=group,
                institution=rep.institution,
                decision=StandingDecision.Decision.ADMISSION,
                from_standing="active",
                to_standing="active",
                reason="Application accepted.",
                effective_date=day,
            )
        states = {s.institution.pk: s.report_state for s in standings(group, date(2026, 12, 1))}
        reminded = send_report_reminders(group, group.report_due_date(2025) - timedelta(days=7))
    assert states[newcomer.institution_id] == "not_a_member"
    assert states[old_member.institution_id] == "overdue"
    assert states[entered.institution_id] == "not_a_member"  # entered today
    assert reminded == 1  # of the 2025 report: only the member of 2025 is reminded
    # The page, on today's date: a member admitted today is not late with last year's report.
    sign_in(client, make_coordination(group))
    body = client.get(reverse("members:compliance", kwargs={"wg": group.slug})).content.decode()
    row = body[body.index(entered.institution.name) :].split("</tr>")[0]
    assert "Overdue" not in row and f"Not a member in {timezone.localdate().year - 1}" in row
