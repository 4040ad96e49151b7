"""Membership in motion: applications at every stage, a pending standing decision, annual
reports filed and missing."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from demo import data
from demo.documents import simple_pdf
from demo.seeding.people import demo_email
from meetings.models import Attendance, Invitation, Meeting
from members.models import (
    AnnualReport,
    Application,
    GroupContribution,
    HandOver,
    HandOverVote,
    Institution,
    Representative,
    SecretariatTerm,
    StandingDecision,
)
from members.services import applications as application_service
from members.services.compliance import submit_annual_report
from vpswg.models import User, WorkingGroup
from vpswg.uploads import validate_document


def seed_membership_in_motion(group: WorkingGroup) -> None:
    """Applications under review, plenaries held with their attendance, annual reports."""
    by_local = {
        local: User.objects.get(email=demo_email(local, group.slug))
        for *_, local in data.PERU_INSTITUTIONS
    }
    secretariat = by_local[data.PERU_SECRETARIAT]
    for fields, step, votes in data.PERU_APPLICATIONS:
        if Application.objects.filter(name=fields["name"]).exists():
            continue
        letter = SimpleUploadedFile(
            "carta.pdf", simple_pdf(["Carta de solicitud", fields["name"], "Lima"])
        )
        letter.document_type = validate_document(letter)
        application, token = application_service.submit_application(
            working_group=group, data=fields, letter=letter
        )
        # The applicant followed the link sent to the contact address.
        application = application_service.confirm_address(application=application, token=token)
        if step in {"screened"}:
            application_service.screen(application=application, actor=secretariat, complete=True)
        for local, choice in votes.items():
            application_service.vote(application=application, actor=by_local[local], choice=choice)
    reps = {
        r.user_id: r
        for r in Representative.objects.filter(end_date__isnull=True).select_related("institution")
    }
    for when, title, absent in data.PERU_PLENARIES:
        if Meeting.objects.filter(title=title).exists():
            continue
        start = datetime.datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=group.zone)
        meeting = Meeting.objects.create(
            working_group=group,
            kind=Meeting.Kind.PLENARY,
            title=title,
            start=start,
            venue="Lima",
            status=Meeting.Status.HELD,
        )
        Attendance.objects.bulk_create(
            [
                Attendance(
                    working_group=group,
                    meeting=meeting,
                    user=user,
                    institution=reps[user.pk].institution,
                )
                for local, user in by_local.items()
                if local not in absent and user.pk in reps
            ]
        )
    _invitations_to_past_plenaries(group, by_local, reps)
    Institution.objects.update(created_at=datetime.datetime(2016, 8, 1, tzinfo=group.zone))
    _admissions(group, by_local, reps)
    for local in data.PERU_REPORTS_2025:
        rep = reps[by_local[local].pk]
        if not AnnualReport.objects.filter(institution=rep.institution, year=2025).exists():
            submit_annual_report(
                institution=rep.institution,
                actor=rep.user,
                year=2025,
                text="Capacitación en Principios Voluntarios para el personal de seguridad; "
                "diálogo con comunidades del área de influencia.",
            )


def _invitations_to_past_plenaries(group: WorkingGroup, by_local: dict, reps: dict) -> None:
    """Every institution was invited to each plenary held (the state report counts the
    invitations): present ones answered yes, absent ones no or not at all."""
    for _when, title, absent in data.PERU_PLENARIES:
        meeting = Meeting.objects.get(title=title)
        if Invitation.objects.filter(meeting=meeting).exists():
            continue
        invitations = []
        for local, user in by_local.items():
            answer = Invitation.Answer.YES if local not in absent else Invitation.Answer.PENDING
            if local in absent and local in data.PERU_DECLINED:
                answer = Invitation.Answer.NO
            answered = answer != Invitation.Answer.PENDING
            invitations.append(
                Invitation(
                    working_group=group,
                    meeting=meeting,
                    institution=reps[user.pk].institution,
                    answer=answer,
                    answered_by=user if answered else None,
                    answered_at=meeting.start - datetime.timedelta(days=7) if answered else None,
                )
            )
        Invitation.objects.bulk_create(invitations)


def _admissions(group: WorkingGroup, by_local: dict, reps: dict) -> None:
    """The membership history: each institution's admission, on the day it joined (the
    founders at the constituent meeting), so that a past year's report counts those who were
    members then (``members.history``)."""
    admitted = set(
        StandingDecision.objects.filter(decision=StandingDecision.Decision.ADMISSION).values_list(
            "institution_id", flat=True
        )
    )
    founded = datetime.date.fromisoformat(data.PERU_FOUNDED)
    decisions = []
    for local, user in by_local.items():
        institution = reps[user.pk].institution
        if institution.pk in admitted:
            continue
        later = data.PERU_ADMITTED_LATER.get(local)
        decisions.append(
            StandingDecision(
                working_group=group,
                institution=institution,
                decision=StandingDecision.Decision.ADMISSION,
                from_standing=Institution.Standing.ACTIVE,
                to_standing=Institution.Standing.ACTIVE,
                reason=(
                    "Admitida por el Grupo de Coordinación."
                    if later
                    else "Miembro fundador del Grupo de Trabajo."
                ),
                effective_date=datetime.date.fromisoformat(later) if later else founded,
            )
        )
    StandingDecision.objects.bulk_create(decisions)


def seed_secretariat_history(group: WorkingGroup) -> None:
    """The Secretariat's past (seed step 6c): a first term, then a hand-over the seats agreed,
    as the hand-over service leaves them (the roles of 2014 are not replayed: today's
    Secretariat is the demo's)."""
    if SecretariatTerm.objects.exists():
        return
    by_local = {
        local: User.objects.get(email=demo_email(local, group.slug))
        for *_, local in data.PERU_INSTITUTIONS
    }
    institution_of = {
        r.user_id: r.institution for r in Representative.objects.select_related("institution")
    }
    previous = None
    for local, start, end in data.PERU_SECRETARIAT_TERMS:
        institution = institution_of[by_local[local].pk]
        started = datetime.date.fromisoformat(start)
        handover = None
        if previous is not None:
            decided = datetime.datetime.combine(
                started - datetime.timedelta(days=45), datetime.time(12), tzinfo=group.zone
            )
            handover = HandOver.objects.create(
                working_group=group,
                from_institution=previous,
                to_institution=institution,
                effective_on=started,
                reason="Rotación acordada en la plenaria: cuatro años de Secretaría por institución.",
                status=HandOver.Status.COMPLETED,
                proposed_by=by_local[data.PERU_SECRETARIAT_TERMS[0][0]],
                decided_by=by_local[data.PERU_SEATS["companies"]],
                decided_at=decided,
                completed_at=datetime.datetime.combine(
                    started, datetime.time(0, 5), tzinfo=group.zone
                ),
            )
            handover.incoming.set([by_local[local]])
            for pillar, seat in data.PERU_SEATS.items():
                HandOverVote.objects.create(
                    working_group=group,
                    handover=handover,
                    voter=by_local[seat],
                    pillar=pillar,
                    vote=HandOverVote.Vote.APPROVE,
                )
        SecretariatTerm.objects.create(
            working_group=group,
            institution=institution,
            started_on=started,
            ended_on=datetime.date.fromisoformat(end) if end else None,
            handover=handover,
        )
        previous = institution


def seed_contributions(group: WorkingGroup) -> None:
    """Last year's contributions to the group's running (seed step 6c)."""
    from decimal import Decimal

    if GroupContribution.objects.exists():
        return
    secretariat = User.objects.get(email=demo_email(data.PERU_SECRETARIAT, group.slug))
    institution_of = {
        r.user.email: r.institution
        for r in Representative.objects.select_related("institution", "user")
    }
    year = datetime.date.today().year - 1
    GroupContribution.objects.bulk_create(
        [
            GroupContribution(
                working_group=group,
                institution=institution_of[demo_email(local, group.slug)],
                year=year,
                kind=kind,
                amount=Decimal(amount) if amount else None,
                currency=currency,
                description=what,
                recorded_by=secretariat,
            )
            for local, kind, amount, currency, what in data.PERU_CONTRIBUTIONS
        ]
    )
