"""The URL registry: every URL pattern of the application, how to request it, and what a role
that may use it gets back.

Who may use a pattern is declared on its view (``public``, ``signed_in`` or ``requires(action)``
in ``vpswg.permissions``); what everyone else gets follows from the role x action table:

    signed out                    -> 302 to the sign-in page (htmx: 204 + HX-Redirect)
    signed in, no role in group   -> 404 (an outsider learns nothing of the group's pages)
    a role without the action     -> 403
    a role with the action        -> ``Probe.ok``
    another group's object id     -> 404, whatever the role

A meta-test fails when a pattern has no entry here. Add one with every new URL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from vpswg.models import User, WorkingGroup
from vpswg.roles import ROLE_ACTIONS, Action

#: Builds the URL's object kwargs for ``group`` as seen by ``user`` (e.g. the id of a meeting of
#: that group). Called with another group and one of its users for the outsider case.
ObjectFactory = Callable[[WorkingGroup, User], dict]


@dataclass(frozen=True)
class Probe:
    method: str = "get"
    ok: int = 200
    obj: ObjectFactory | None = None
    data: Callable[[WorkingGroup], dict] = field(default=lambda group: {})
    #: Deviations from the rule above, each with its reason next to the entry.
    statuses: dict[str, int] = field(default_factory=dict)
    #: Status when the object belongs to another group; None where the URL's object is not a
    #: group's (an invitation token names an account), with the reason next to the entry.
    outsider: int | None = 404


def _notification(group: WorkingGroup, user: User) -> dict:
    from vpswg.scoping import group_scope
    from vpswg.services.notifications import notify

    with group_scope(group):
        ids = notify(
            working_group=group,
            recipients=[user],
            kind="role_granted",
            key=f"probe-{uuid.uuid4().hex}",
            context={"role": "member"},
            link=f"/{group.slug}/",
        )
    return {"pk": ids[0]}


def _institution(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_institution

    return {"pk": make_institution(group).pk}


def _representative(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_representative

    rep = make_representative(group)
    return {"pk": rep.institution_id, "rep": rep.pk}


def _standing_proposal(group: WorkingGroup, user: User) -> dict:
    """An open proposal to suspend an institution of the group."""
    from members.models import StandingProposal
    from tests.factories import make_institution, make_user
    from vpswg.scoping import group_scope

    institution = make_institution(group)
    with group_scope(group):
        proposal = StandingProposal.objects.create(
            working_group=group,
            institution=institution,
            decision="suspension",
            criterion="annual_report",
            reason="No annual report for 2025.",
            proposed_by=make_user(),
        )
    return {"pk": institution.pk, "proposal": proposal.pk}


def _standing_proposal_voted(group: WorkingGroup, user: User) -> dict:
    """An open proposal the requesting user, as a seat, has voted on: ready to be decided
    where they are the group's only seat."""
    from members.models import StandingVote

    ids = _standing_proposal(group, user)
    from vpswg.scoping import group_scope

    with group_scope(group):
        StandingVote.objects.create(
            working_group=group,
            proposal_id=ids["proposal"],
            voter=user,
            pillar="government",
            vote="approve",
        )
    return ids


def _handover(group: WorkingGroup, user: User) -> dict:
    """An open hand-over of the group's Secretariat to one of its member institutions."""
    from members.models import HandOver
    from tests.factories import make_representative, make_user
    from vpswg.scoping import group_scope

    rep = make_representative(group)
    with group_scope(group):
        HandOver.objects.filter(working_group=group, status__in=["open", "scheduled"]).update(
            status="withdrawn"
        )
        handover = HandOver.objects.create(
            working_group=group,
            to_institution=rep.institution,
            effective_on=date.today() + timedelta(days=30),
            proposed_by=make_user(),
        )
        handover.incoming.set([rep.user])
    return {"pk": handover.pk}


#: Version numbers are looked up within the group: numbers drawn from one sequence for every
#: group, so that another group's version is never this group's under the same number.
_TERMS_NUMBERS = iter(range(1000, 10**6))


def _terms(status: str) -> ObjectFactory:
    """A version of the group's terms of reference in ``status`` (a proposal open before is
    withdrawn: one at a time)."""

    def build(group: WorkingGroup, user: User) -> dict:
        from members.models import TermsOfReference
        from tests.factories import make_user
        from vpswg.scoping import group_scope

        with group_scope(group):
            if status in {"draft", "review"}:
                TermsOfReference.objects.filter(status__in=["draft", "review"]).update(
                    status="withdrawn"
                )
            terms = TermsOfReference.objects.create(
                working_group=group,
                number=next(_TERMS_NUMBERS),
                status=status,
                objectives="Probe objectives.",
                proposed_by=make_user(),
            )
        return {"number": terms.number}

    return build


def _handover_voted(group: WorkingGroup, user: User) -> dict:
    """An open hand-over the requesting user, as a seat, has voted for: ready to be decided
    where they are the group's only seat."""
    from members.models import HandOver, HandOverVote
    from vpswg.scoping import group_scope

    ids = _handover(group, user)
    with group_scope(group):
        handover = HandOver.objects.select_related("to_institution").get(pk=ids["pk"])
        HandOverVote.objects.create(
            working_group=group,
            handover=handover,
            voter=user,
            pillar=handover.to_institution.pillar or "companies",
            vote="approve",
        )
    return ids


def _contribution(group: WorkingGroup, user: User) -> dict:
    from members.models import GroupContribution
    from tests.factories import make_institution, make_user
    from vpswg.scoping import group_scope

    institution = make_institution(group)
    with group_scope(group):
        entry = GroupContribution.objects.create(
            working_group=group,
            institution=institution,
            year=date.today().year,
            kind="venue",
            description="The plenary's room.",
            recorded_by=make_user(),
        )
    return {"pk": entry.pk}


def _eligible_institution(group: WorkingGroup) -> dict:
    from tests.factories import make_institution

    return {"to": make_institution(group).pk}


def _application(status: str):
    def factory(group: WorkingGroup, user: User) -> dict:
        from tests.factories import make_application

        return {"pk": make_application(group, status).pk}

    return factory


def _voted_application(group: WorkingGroup, user: User) -> dict:
    """A screened application every seat of the group has voted on: ready to be decided."""
    from members.services.applications import seats, vote
    from tests.factories import make_application
    from vpswg.scoping import group_scope

    application = make_application(group, "screened")
    with group_scope(group):
        for seat in seats():
            vote(application=application, actor=seat.user, choice="approve")
    return {"pk": application.pk}


def _applicant_token(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_application

    return {"token": make_application(group, "incomplete").token}


def _report(group: WorkingGroup, user: User) -> dict:
    from members.services.compliance import submit_annual_report
    from tests.factories import make_representative, upload
    from vpswg.scoping import group_scope

    rep = make_representative(group)
    with group_scope(group):
        report = submit_annual_report(
            institution=rep.institution,
            actor=rep.user,
            year=2025,
            text="Our year.",
            upload=upload(),
        )
    return {"pk": report.pk}


def _invitation(group: WorkingGroup, user: User) -> dict:
    from vpswg.services.invitations import get_or_invite_user, invitation_token

    invited, _ = get_or_invite_user(email=f"invited-{group.slug}-{user.pk}@example.test")
    return {"token": invitation_token(invited)}


def _meeting(status: str, days: float = 30):
    def factory(group: WorkingGroup, user: User) -> dict:
        from tests.factories import make_meeting

        return {"pk": make_meeting(group, status, days=days).pk}

    return factory


def _agenda_item(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_agenda_item, make_meeting

    item = make_agenda_item(make_meeting(group, "planned"))
    return {"pk": item.meeting_id, "item": item.pk}


def _own_topic(group: WorkingGroup, user: User) -> dict:
    """A topic the requesting user proposed: only its proposer changes or withdraws it."""
    from tests.factories import make_topic

    return {"pk": make_topic(group, user=user).pk}


def _topic(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_topic

    return {"pk": make_topic(group).pk}


def _schedule_data(group: WorkingGroup) -> dict:
    from tests.factories import make_meeting

    return {"meeting": make_meeting(group, "planned").pk}


def _minutes(status: str, **extra):
    """A held meeting whose minutes are at ``status`` (draft, submitted or circulated);
    ``extra``: further URL kwargs (a version's number)."""

    def factory(group: WorkingGroup, user: User) -> dict:
        from meetings.services import minutes as service
        from tests.factories import (
            add_contribution,
            make_coordination,
            make_meeting,
            make_minutes,
            make_user,
        )
        from vpswg.scoping import group_scope

        meeting = make_meeting(group, "held", days=-1)
        minutes = make_minutes(meeting)
        actor = make_user()
        with group_scope(group):
            section = service.add_section(minutes=minutes, actor=actor, title="Business")
        add_contribution(minutes, "Something was said.", section=section)
        if status != "draft":
            with group_scope(group):
                if not service.seats():
                    make_coordination(group)
                service.submit(minutes=minutes, actor=actor)
                if status == "circulated":
                    for seat in service.seats():
                        service.review(minutes=minutes, actor=seat.user, decision="approve")
                    service.circulate(minutes=minutes)
        return {"pk": meeting.pk, **extra}

    return factory


def _guest_meeting(group: WorkingGroup, user: User) -> dict:
    """A convened plenary at which ``user`` speaks as a guest (if they hold no role there)."""
    from meetings.models import Guest
    from tests.factories import make_agenda_item, make_meeting
    from vpswg.scoping import group_scope

    meeting = make_meeting(group, "convened")
    with group_scope(group):
        guest = Guest.objects.create(
            working_group=group, name=str(user), email=user.email, user=user
        )
    make_agenda_item(meeting, topic="A guest's presentation", guests=[guest])
    return {"pk": meeting.pk}


def _plenary_with_suggestions(group: WorkingGroup, user: User) -> dict:
    """A planned plenary after one held that agreed a topic ("ICoC") for the next."""
    from meetings.services import participation
    from tests.factories import make_meeting, make_user
    from vpswg.scoping import group_scope

    held = make_meeting(group, "held", days=-30)
    with group_scope(group):
        participation.record_next(meeting=held, actor=make_user(), topics="ICoC", venue="")
    return {"pk": make_meeting(group, "planned").pk}


def _closed_meeting(group: WorkingGroup, user: User) -> dict:
    """A convened Coordination Group meeting (closed), with one member given access to it."""
    from meetings.services import closed as service
    from tests.factories import make_meeting, make_member
    from vpswg.scoping import group_scope

    meeting = make_meeting(group, "convened", kind="coordination")
    with group_scope(group):
        service.grant_closed_access(meeting=meeting, user=make_member(group), actor=user)
    return {"pk": meeting.pk}


def _closed_grant_data(group: WorkingGroup) -> dict:
    from tests.factories import make_member

    return {"user": make_member(group).pk}


def _closed_revoke_data(group: WorkingGroup) -> dict:
    """The person given access by ``_closed_meeting`` to the group's newest closed meeting."""
    from meetings.access import closed_grantees
    from meetings.models import Meeting
    from vpswg.scoping import group_scope

    with group_scope(group):
        meeting = Meeting.objects.filter(kind="coordination").order_by("-pk").first()
        # None when the URL names another group's meeting: any id will do, it is a 404.
        return {"user": closed_grantees(meeting)[0].pk if meeting else 0}


def _plan(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_plan

    return {"pk": make_plan(group).pk}


def _plan_objective(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_objective, make_plan

    objective = make_objective(make_plan(group))
    return {"pk": objective.plan_id, "objective": objective.pk}


def _plan_activity(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_objective, make_plan, make_planned_activity

    activity = make_planned_activity(make_objective(make_plan(group)))
    return {"pk": activity.objective.plan_id, "activity": activity.pk}


def _plan_with_objective(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_objective, make_plan

    return {"pk": make_objective(make_plan(group)).plan_id}


def _adopted_plan(group: WorkingGroup, user: User) -> dict:
    from tests.factories import make_meeting, make_objective, make_plan
    from vpswg.scoping import group_scope
    from workplan import services

    plan = make_plan(group)
    make_objective(plan)
    with group_scope(group):
        services.adopt(plan=plan, actor=user, meeting=make_meeting(group, "held", days=-1))
    return {"pk": plan.pk}


def _adopt_data(group: WorkingGroup) -> dict:
    from tests.factories import make_meeting

    return {"meeting": make_meeting(group, "held", days=-1).pk}


def _action_item(group: WorkingGroup, user: User) -> dict:
    from meetings.services import minutes as service
    from tests.factories import make_meeting, make_minutes, make_user
    from vpswg.scoping import group_scope

    minutes = make_minutes(make_meeting(group, "held", days=-1))
    with group_scope(group):
        section = service.add_section(minutes=minutes, actor=make_user(), title="Business")
        item = service.save_action_item(section=section, actor=make_user(), what="Draft a protocol")
    return {"pk": item.pk}


def _activity(confirmed: bool = True):
    def factory(group: WorkingGroup, user: User) -> dict:
        from tests.factories import make_activity

        return {"pk": make_activity(group, confirmed=confirmed).pk}

    return factory


def _evidence(group: WorkingGroup, user: User) -> dict:
    from activities import services
    from tests.factories import make_activity, make_user, upload
    from vpswg.scoping import group_scope

    activity = make_activity(group)
    with group_scope(group):
        evidence = services.add_evidence(activity=activity, actor=make_user(), upload=upload())
    return {"pk": activity.pk, "evidence": evidence.pk}


def _activity_import(group: WorkingGroup, user: User) -> dict:
    """A preview of one good row, the prober's own (a preview is its author's)."""
    from activities.models import ActivityImport
    from tests.factories import make_institution
    from vpswg.scoping import group_scope

    institution = make_institution(group)
    cells = {
        "title": f"Taller {uuid.uuid4().hex[:6]}",
        "kind": "workshop",
        "start_date": "2014-05-02",
        "organisers": institution.name,
    }
    with group_scope(group):
        imported = ActivityImport.objects.create(
            working_group=group,
            created_by=user,
            file_name="actividades.csv",
            rows=[{"line": 2, "cells": cells, "skip": False}],
        )
    return {"pk": imported.pk}


def _activity_import_row(group: WorkingGroup, user: User) -> dict:
    return {**_activity_import(group, user), "row": 0}


def _job(done: bool):
    def factory(group: WorkingGroup, user: User) -> dict:
        from django.core.files.base import ContentFile

        from activities.models import ReportJob
        from tests.factories import MINIMAL_PDF
        from vpswg.scoping import group_scope

        with group_scope(group):
            job = ReportJob.objects.create(working_group=group, year=2025, requested_by=user)
            if done:
                job.file.save(
                    f"reports/{group.pk}/{uuid.uuid4().hex}.pdf",
                    ContentFile(MINIMAL_PDF),
                    save=False,
                )
                job.status = ReportJob.Status.DONE
                job.save()
        return {"pk": job.pk}

    return factory


def _document(audience: str = "members", meeting: bool = False):
    """A document of the group (in its library, or of a held plenary), read by ``audience``."""

    def factory(group: WorkingGroup, user: User) -> dict:
        from django.utils import timezone

        from meetings.documents import services
        from tests.factories import make_meeting, make_user, upload
        from vpswg.scoping import group_scope

        held = make_meeting(group, "held", days=-2) if meeting else None
        with group_scope(group):
            document = services.add_document(
                working_group=group,
                actor=make_user(),
                upload=upload("paper.pdf"),
                title="Informe Quellaveco 2026",
                kind="background",
                language="en",
                date=timezone.localdate(),
                audience=audience,
                meeting=held,
            )
        return {"pk": document.pk}

    return factory


def _document_version(group: WorkingGroup, user: User) -> dict:
    return {**_document()(group, user), "number": 1}


def _document_details(group: WorkingGroup) -> dict:
    return {
        "title": "Informe Quellaveco 2026, revisado",
        "kind": "background",
        "language": "es",
        "date": date.today().isoformat(),
        "audience": "members",
    }


def _new_version(group: WorkingGroup) -> dict:
    from tests.factories import upload

    return {"file": upload("paper-v2.pdf"), "note": "Figures corrected"}


def _pack_job(done: bool):
    """The requesting user's meeting pack of a held plenary (made, with its file, if ``done``)."""

    def factory(group: WorkingGroup, user: User) -> dict:
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from meetings.models import PackJob
        from tests.factories import MINIMAL_PDF, make_meeting
        from vpswg.scoping import group_scope

        meeting = make_meeting(group, "held", days=-2)
        with group_scope(group):
            job = PackJob(working_group=group, meeting=meeting, requested_by=user)
            if done:
                job.status, job.progress = PackJob.Status.DONE, 100
                job.finished_at = timezone.now()
                job.file.save(
                    f"packs/{group.pk}/{uuid.uuid4().hex}.pdf", ContentFile(MINIMAL_PDF), save=False
                )
            job.save()
        return {"pk": meeting.pk, "job": job.pk}

    return factory


REGISTRY: dict[str, Probe] = {
    # Top level
    "home": Probe(),
    "healthz": Probe(),
    "set_language": Probe(method="post", ok=302, data=lambda g: {"language": "es", "next": "/"}),
    "notifications": Probe(),
    # A notice of a group where one no longer holds a role is out of reach, like the group.
    "notification_open": Probe(ok=302, obj=_notification, statuses={"no_role": 404}),
    "notifications_read": Probe(method="post", ok=302),
    # The token names an account, not a group's object: there is no "another group" here.
    "invitation": Probe(obj=_invitation, outsider=None),
    # A working group
    "group:home": Probe(),
    "group:audit": Probe(),
    "group:settings": Probe(),
    "group:secretariat": Probe(),
    "members:contributions": Probe(),
    "members:contribution_new": Probe(
        method="post", ok=302, data=lambda g: {"year": date.today().year, "kind": "venue"}
    ),
    "members:contribution_delete": Probe(method="post", ok=302, obj=_contribution),
    # Each form answers with the page (a redirect), its message saying what was refused.
    "group:secretariat_term": Probe(method="post", ok=302),
    "group:handover_propose": Probe(method="post", ok=302, data=_eligible_institution),
    "group:handover_vote": Probe(
        method="post", ok=302, obj=_handover, data=lambda g: {"vote": "approve"}
    ),
    "group:handover_decide": Probe(
        method="post", ok=302, obj=_handover_voted, data=lambda g: {"confirm": "on"}
    ),
    "group:handover_withdraw": Probe(method="post", ok=302, obj=_handover),
    "group:seat_appoint": Probe(method="post", ok=302),
    "group:seat_end": Probe(method="post", ok=302),
    # The terms of reference: a version in force or superseded is every role's to read; each
    # step answers with the page (a redirect), its message saying what was refused.
    "group:terms": Probe(),
    "group:terms_new": Probe(method="post", ok=302),
    "group:terms_version": Probe(obj=_terms("superseded")),
    "group:terms_pdf": Probe(obj=_terms("superseded")),
    "group:terms_edit": Probe(obj=_terms("draft")),
    "group:terms_submit": Probe(method="post", ok=302, obj=_terms("draft")),
    "group:terms_withdraw": Probe(method="post", ok=302, obj=_terms("draft")),
    "group:terms_vote": Probe(
        method="post", ok=302, obj=_terms("review"), data=lambda g: {"vote": "approve"}
    ),
    "group:terms_return": Probe(method="post", ok=302, obj=_terms("review")),
    "group:terms_adopt": Probe(method="post", ok=302, obj=_terms("review")),
    # Applying (public)
    "apply:form": Probe(),
    "apply:thanks": Probe(ok=302),  # nothing was sent from this session: back to the form
    "apply:status": Probe(),
    "apply:applicant": Probe(obj=_applicant_token),
    # Membership
    "members:directory": Probe(),
    "members:institution": Probe(obj=_institution),
    "members:institution_new": Probe(),
    "members:institution_edit": Probe(obj=_institution),
    "members:representative_add": Probe(obj=_institution),
    "members:representative_end": Probe(method="post", ok=302, obj=_representative),
    "members:standing": Probe(
        method="post",
        ok=302,
        obj=_institution,
        data=lambda g: {"decision": "warning", "reason": "Three plenaries missed."},
    ),
    # A seat's vote, a seat's decision (refused with a message until a majority has voted),
    # a withdrawal (refused to a seat that did not propose it): each answers with the page.
    "members:standing_vote": Probe(
        method="post", ok=302, obj=_standing_proposal, data=lambda g: {"vote": "approve"}
    ),
    "members:standing_record": Probe(
        method="post", ok=302, obj=_standing_proposal_voted, data=lambda g: {"confirm": "on"}
    ),
    "members:standing_withdraw": Probe(method="post", ok=302, obj=_standing_proposal),
    "members:nominate": Probe(),
    "members:applications": Probe(),
    "members:application": Probe(obj=_application("submitted")),
    "members:application_letter": Probe(obj=_application("submitted")),
    "members:application_screen": Probe(
        method="post", ok=302, obj=_application("submitted"), data=lambda g: {"complete": "yes"}
    ),
    "members:application_vote": Probe(
        method="post", ok=302, obj=_application("screened"), data=lambda g: {"vote": "approve"}
    ),
    "members:application_decide": Probe(method="post", ok=302, obj=_voted_application),
    "members:compliance": Probe(),
    # Only a current representative reports for an institution; a role alone has none.
    "members:report": Probe(),
    "members:report_file": Probe(obj=_report),
    # Meetings
    "meetings:list": Probe(),
    "meetings:new": Probe(),
    "meetings:guests": Probe(),
    "meetings:topics": Probe(),
    "meetings:topic_interest": Probe(method="post", ok=302, obj=_topic),
    "meetings:topic_schedule": Probe(method="post", ok=302, obj=_topic, data=_schedule_data),
    "meetings:topic_edit": Probe(obj=_own_topic),
    "meetings:topic_withdraw": Probe(
        method="post", ok=302, obj=_own_topic, data=lambda g: {"confirm": "on"}
    ),
    "meetings:detail": Probe(obj=_meeting("convened")),
    "meetings:calendar": Probe(obj=_meeting("convened")),
    "meetings:edit": Probe(obj=_meeting("planned")),
    "meetings:convene": Probe(method="post", ok=302, obj=_meeting("planned")),
    "meetings:cancel": Probe(
        method="post", ok=302, obj=_meeting("convened"), data=lambda g: {"reason": "Strike."}
    ),
    "meetings:answer": Probe(
        method="post", ok=302, obj=_meeting("convened"), data=lambda g: {"answer": "yes"}
    ),
    # Only a guest speaker of the meeting answers there, who holds no role in the group (the
    # "no role" account is made the meeting's guest): to anyone with a role it is not there.
    "meetings:guest_reply": Probe(
        method="post",
        ok=302,
        obj=_guest_meeting,
        data=lambda g: {"answer": "yes"},
        statuses={
            "no_role": 302,
            **{
                role.value: 404
                for role, actions in ROLE_ACTIONS.items()
                if Action.VIEW_MEETINGS in actions
            },
        },
    ),
    "meetings:attendance": Probe(method="post", ok=302, obj=_meeting("convened", days=-0.05)),
    "meetings:next": Probe(
        method="post",
        ok=302,
        obj=_meeting("held"),
        data=lambda g: {"topics": "ICoC", "venue": "Cusco"},
    ),
    # Nothing agreed is waiting for the probe's meeting: refused with a message, and back.
    "meetings:suggestion": Probe(
        method="post", ok=302, obj=_plenary_with_suggestions, data=lambda g: {"topic": "ICoC"}
    ),
    "meetings:closed_grant": Probe(
        method="post", ok=302, obj=_closed_meeting, data=_closed_grant_data
    ),
    "meetings:closed_revoke": Probe(
        method="post", ok=302, obj=_closed_meeting, data=_closed_revoke_data
    ),
    # Minutes
    # Documents and the meeting pack
    "documents:library": Probe(),
    "documents:new": Probe(),
    "documents:detail": Probe(obj=_document()),
    "documents:edit": Probe(method="post", ok=302, obj=_document(), data=_document_details),
    "documents:version": Probe(method="post", ok=302, obj=_document(), data=_new_version),
    "documents:remove": Probe(method="post", ok=302, obj=_document()),
    "documents:file": Probe(obj=_document()),
    "documents:version_file": Probe(obj=_document_version),
    "documents:public_file": Probe(obj=_document("public")),
    "meetings:pack": Probe(method="post", ok=302, obj=_meeting("held", days=-2)),
    "meetings:pack_status": Probe(obj=_pack_job(done=False)),
    "meetings:pack_file": Probe(obj=_pack_job(done=True)),
    "group:search": Probe(),
    "meetings:minutes": Probe(obj=_minutes("circulated")),
    "meetings:minutes_pdf": Probe(obj=_minutes("circulated")),
    "meetings:minutes_start": Probe(method="post", ok=302, obj=_meeting("held")),
    "meetings:minutes_edit": Probe(
        method="post",
        ok=302,
        obj=_minutes("draft"),
        data=lambda g: {"part": "section_new", "title": "AOB"},
    ),
    "meetings:minutes_leak": Probe(method="post", ok=302, obj=_minutes("draft")),
    "meetings:minutes_submit": Probe(method="post", ok=302, obj=_minutes("draft")),
    "meetings:minutes_review": Probe(
        method="post", ok=302, obj=_minutes("submitted"), data=lambda g: {"decision": "approve"}
    ),
    "meetings:minutes_adopt": Probe(method="post", ok=302, obj=_minutes("circulated")),
    "meetings:minutes_access": Probe(obj=_minutes("circulated")),
    "meetings:minutes_version": Probe(obj=_minutes("circulated", number=1)),
    "meetings:minutes_compare": Probe(obj=_minutes("circulated")),
    # Work plan
    "workplan:list": Probe(),
    "workplan:new": Probe(),
    "workplan:detail": Probe(obj=_plan),
    "workplan:edit": Probe(obj=_plan),
    "workplan:objective_add": Probe(
        method="post", ok=302, obj=_plan, data=lambda g: {"title": "Promote the VPs"}
    ),
    "workplan:activity_add": Probe(obj=_plan_objective),
    "workplan:activity_edit": Probe(obj=_plan_activity),
    "workplan:adopt": Probe(method="post", ok=302, obj=_plan_with_objective, data=_adopt_data),
    "workplan:close": Probe(
        method="post", ok=302, obj=_adopted_plan, data=lambda g: {"review": "Done."}
    ),
    "workplan:from_action": Probe(obj=_action_item),
    # Activities, outreach and reports
    "activities:list": Probe(),
    "activities:new": Probe(),
    "activities:outreach": Probe(),
    "activities:detail": Probe(obj=_activity()),
    "activities:edit": Probe(obj=_activity()),
    "activities:confirm": Probe(method="post", ok=302, obj=_activity(confirmed=False)),
    "activities:evidence": Probe(obj=_evidence),
    "activities:import": Probe(),
    "activities:import_template_csv": Probe(),
    "activities:import_template_xlsx": Probe(),
    "activities:import_preview": Probe(obj=_activity_import),
    "activities:import_row": Probe(obj=_activity_import_row),
    "activities:import_commit": Probe(method="post", ok=302, obj=_activity_import),
    "reports:index": Probe(),
    "reports:csv": Probe(),
    "reports:state": Probe(),
    "reports:annual": Probe(method="post", ok=302, data=lambda g: {"year": "2025"}),
    "reports:job": Probe(obj=_job(done=False)),
    "reports:job_download": Probe(obj=_job(done=True)),
    "meetings:agenda_add": Probe(obj=_meeting("planned")),
    "meetings:agenda_edit": Probe(obj=_agenda_item),
    "meetings:agenda_delete": Probe(method="post", ok=302, obj=_agenda_item),
    "meetings:agenda_move": Probe(
        method="post", ok=302, obj=_agenda_item, data=lambda g: {"direction": "down"}
    ),
}

#: Third-party URL trees, tested by their projects and by our own account and MFA tests.
EXTERNAL_MODULE_PREFIXES = ("allauth.",)  # and the admin site (app_name "admin")
