"""Participation requirements (seed step 4: "attendance to meetings or reporting on security
and human rights efforts") and where each institution stands against them.

Attendance: at least ``attendance_required`` of the last ``attendance_window`` plenaries held,
counted per institution (any of its representatives), over the plenaries held since it joined.
Annual report: the report on year Y is due on the group's day of year Y+1, from the
institutions that were members at the end of Y (``members.history``: an institution admitted
on 1 December 2026 owes nothing on 2025). The plenaries counted are those held since its
admission, by the same definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.attendance import attendance_record
from members.history import admission_dates, admitted_on
from members.models import AnnualReport, Institution, Representative
from members.queries import active_institutions
from vpswg.models import User, WorkingGroup
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.uploads import display_name, random_name


@dataclass
class Standing:
    institution: Institution
    attended: int
    counted: int
    required: int
    report: AnnualReport | None
    report_year: int
    report_due: date
    today: date
    report_required: bool
    #: Whether the institution was a member at the end of ``report_year``: only years of
    #: membership are owed.
    member_in_year: bool = True

    @property
    def attendance_ok(self) -> bool | None:
        if self.required == 0:
            return None
        return self.attended >= self.required

    @property
    def report_state(self) -> str:
        """'submitted', 'due' (not yet late), 'overdue', 'not_required', or 'not_a_member'
        (admitted after the year reported on; a report sent anyway still shows)."""
        if not self.report_required:
            return "not_required"
        if self.report is not None:
            return "submitted"
        if not self.member_in_year:
            return "not_a_member"
        return "overdue" if self.today > self.report_due else "due"

    @property
    def days_to_due(self) -> int:
        return (self.report_due - self.today).days


def report_year(today: date) -> int:
    """The year whose report is being collected now: last year's."""
    return today.year - 1


def standings(working_group: WorkingGroup, today: date | None = None) -> list[Standing]:
    """Every active institution against every requirement: five queries, whatever the size."""
    today = today or timezone.localdate()
    year = report_year(today)
    institutions = list(active_institutions().filter(working_group=working_group).order_by("name"))
    record = attendance_record()
    plenaries = record.recent_plenaries(working_group, working_group.attendance_window)
    attended = record.institutions_present(working_group, [p[0] for p in plenaries])
    reports = {
        r.institution_id: r
        for r in AnnualReport.objects.filter(working_group=working_group, year=year)
    }
    due = working_group.report_due_date(year)
    admissions = admission_dates(working_group)
    result = []
    for institution in institutions:
        institution.working_group = working_group  # its zone, without a query
        joined = admitted_on(institution, admissions)
        counted = sum(
            1
            for _, start in plenaries
            if timezone.localtime(start, working_group.zone).date() >= joined
        )
        result.append(
            Standing(
                institution=institution,
                attended=attended.get(institution.pk, 0),
                counted=counted,
                required=min(working_group.attendance_required, counted),
                report=reports.get(institution.pk),
                report_year=year,
                report_due=due,
                today=today,
                report_required=working_group.annual_report_required,
                member_in_year=joined <= date(year, 12, 31),
            )
        )
    return result


def reminder_thresholds(working_group: WorkingGroup) -> list[int]:
    return sorted({working_group.report_reminder_days, 7}, reverse=True)


@transaction.atomic
def send_report_reminders(working_group: WorkingGroup, today: date | None = None) -> int:
    """Remind representatives of institutions whose report is not in, before it is due.

    Safe to run every day, and more than once: each (year, institution, threshold) reminder has
    its own unique key, and a missed day is caught up by the next run.
    """
    if not working_group.annual_report_required:
        return 0
    today = today or timezone.localdate()
    year = report_year(today)
    days_left = (working_group.report_due_date(year) - today).days
    thresholds = [t for t in reminder_thresholds(working_group) if 0 <= days_left <= t]
    if not thresholds:
        return 0
    threshold = min(thresholds)
    missing = [
        s.institution
        for s in standings(working_group, today)
        if s.report_state == "due"
        and s.institution.participation == Institution.Participation.MEMBER
    ]
    reps = Representative.objects.filter(
        institution__in=missing, end_date__isnull=True
    ).select_related("user", "institution")
    by_institution: dict[int, list[User]] = {}
    for rep in reps:
        by_institution.setdefault(rep.institution_id, []).append(rep.user)
    sent = 0
    for institution in missing:
        sent += len(
            notifications.notify(
                working_group=working_group,
                recipients=by_institution.get(institution.pk, []),
                kind="report_reminder",
                key=f"{year}:{institution.pk}:{threshold}",
                context={
                    "institution": institution.name,
                    "year": year,
                    "due": working_group.report_due_date(year),
                    "days_left": days_left,
                },
                link=reverse("members:report", kwargs={"wg": working_group.slug}),
            )
        )
    return sent


@transaction.atomic
def submit_annual_report(
    *, institution: Institution, actor: User, year: int, text: str, upload=None
) -> AnnualReport:
    """Submit (or replace, until it is reviewed) the institution's report on ``year``."""
    report = AnnualReport.objects.filter(institution=institution, year=year).first()
    created = report is None
    if created:
        report = AnnualReport(
            working_group=institution.working_group,
            institution=institution,
            year=year,
            submitted_by=actor,
        )
    report.text = text.strip()
    report.submitted_by = actor
    if upload is not None:
        if report.file:
            report.file.delete(save=False)
        report.file.save(
            random_name(f"reports/{institution.working_group_id}", upload.document_type),
            upload,
            save=False,
        )
        report.file_name = display_name(upload.name)
        report.file_type = upload.document_type.content_type
    report.save()
    record(
        working_group=institution.working_group,
        actor=actor,
        verb="report.submitted" if created else "report.replaced",
        obj=report,
        data={"institution": institution.pk, "year": year},
    )
    return report
