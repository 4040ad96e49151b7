"""Roles, pillars and the role x action table: the one place that says who may do what.

Roles are held per working group. django-guardian stores the grants: one Django group per
(working group, role) holds, on the ``WorkingGroup`` object, the permissions this table gives
the role (``vpswg.permissions.sync_role_groups``). Views name the action they need; the tests
generate their expectations from this table, so changing a row here changes both.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    COORDINATION = "coordination", _("Coordination Group")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


#: Roles whose holders must enrol a second factor before they reach anything else.
PRIVILEGED_ROLES = frozenset({Role.SECRETARIAT, Role.COORDINATION})


class Pillar(models.TextChoices):
    COMPANIES = "companies", _("Companies")
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


class Action(models.TextChoices):
    """Working-group-level permissions; the value is the guardian codename on WorkingGroup."""

    VIEW_DASHBOARD = "view_dashboard", _("See the group's dashboard")
    VIEW_DIRECTORY = "view_directory", _("See the member directory")
    VIEW_AUDIT_LOG = "view_audit_log", _("Read the group's audit log")
    MANAGE_GROUP = "manage_group", _("Change the group's settings and roles")
    MANAGE_MEMBERSHIP = "manage_membership", _("Manage institutions and representatives")
    NOMINATE_INSTITUTION = "nominate_institution", _("Nominate an institution")
    REVIEW_APPLICATIONS = "review_applications", _("See membership applications")
    SCREEN_APPLICATIONS = "screen_applications", _("Screen membership applications")
    DECIDE_APPLICATIONS = "decide_applications", _("Decide on membership applications")
    VIEW_COMPLIANCE = "view_compliance", _("See compliance with participation requirements")
    DECIDE_STANDING = "decide_standing", _("Decide on an institution's standing")
    REPORT_COMPLIANCE = "report_compliance", _("Submit the institution's annual report")
    VIEW_MEETINGS = "view_meetings", _("See meetings")
    MANAGE_MEETINGS = "manage_meetings", _("Plan, convene and record meetings")
    ANSWER_INVITATION = "answer_invitation", _("Answer a meeting invitation")
    PROPOSE_TOPIC = "propose_topic", _("Propose a discussion topic")
    SCHEDULE_TOPIC = "schedule_topic", _("Schedule a discussion topic")
    VIEW_MINUTES = "view_minutes", _("Read the members' minutes")
    EDIT_MINUTES = "edit_minutes", _("Edit the attributed minutes")
    REVIEW_MINUTES = "review_minutes", _("Approve or return minutes")
    VIEW_ACCESS_LOG = "view_access_log", _("Read the minutes access log")
    VIEW_WORKPLAN = "view_workplan", _("See the work plan")
    MANAGE_WORKPLAN = "manage_workplan", _("Edit the work plan")
    VIEW_ACTIVITIES = "view_activities", _("See the activity register")
    PROPOSE_ACTIVITY = "propose_activity", _("Propose an activity for the register")
    MANAGE_ACTIVITIES = "manage_activities", _("Edit and confirm activities")
    VIEW_OUTREACH = "view_outreach", _("See the outreach log")
    MANAGE_OUTREACH = "manage_outreach", _("Edit the outreach log")
    VIEW_REPORTS = "view_reports", _("See reports")
    PREPARE_ANNUAL_REPORT = "prepare_annual_report", _("Prepare the annual report PDF")
    VIEW_STATE_PARTICIPATION = "view_state_participation", _("See state participation")
    DECIDE_HANDOVER = "decide_handover", _("Decide on handing the Secretariat over")
    REVIEW_TERMS = "review_terms", _("Vote on a proposed version of the terms of reference")


_EVERYONE = {
    Action.VIEW_DASHBOARD,
    Action.VIEW_DIRECTORY,
    Action.VIEW_MEETINGS,
    Action.VIEW_MINUTES,
    Action.VIEW_WORKPLAN,
    Action.VIEW_ACTIVITIES,
    Action.VIEW_REPORTS,
    Action.PROPOSE_TOPIC,
}

#: The role x action table. A user's permissions in a group are the union over their roles.
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    # The Secretariat convenes and administers but does not vote: deciding applications and
    # approving minutes belong to the Coordination Group's seats (seed step 6).
    Role.SECRETARIAT: frozenset(Action)
    - {
        Action.DECIDE_APPLICATIONS,
        Action.REVIEW_MINUTES,
        Action.ANSWER_INVITATION,
        Action.REPORT_COMPLIANCE,
        # Who holds the Secretariat next is the seats' decision, not the Secretariat's own.
        Action.DECIDE_HANDOVER,
        # The Secretariat proposes the terms of reference; the seats review them.
        Action.REVIEW_TERMS,
    },
    Role.COORDINATION: frozenset(
        _EVERYONE
        | {
            Action.NOMINATE_INSTITUTION,
            Action.REVIEW_APPLICATIONS,
            Action.DECIDE_APPLICATIONS,
            Action.VIEW_COMPLIANCE,
            Action.DECIDE_STANDING,
            Action.SCHEDULE_TOPIC,
            Action.REVIEW_MINUTES,
            Action.VIEW_OUTREACH,
            Action.VIEW_STATE_PARTICIPATION,
            Action.DECIDE_HANDOVER,
            Action.REVIEW_TERMS,
            # The report the Coordination Group presents: a heavy PDF made in the background,
            # for those who need it, not for every member.
            Action.PREPARE_ANNUAL_REPORT,
        }
    ),
    Role.MEMBER: frozenset(
        _EVERYONE
        | {
            Action.NOMINATE_INSTITUTION,
            Action.REPORT_COMPLIANCE,
            Action.ANSWER_INVITATION,
            Action.PROPOSE_ACTIVITY,
        }
    ),
    Role.OBSERVER: frozenset(_EVERYONE | {Action.ANSWER_INVITATION}),
}


def actions_for(roles) -> frozenset[Action]:
    result: set[Action] = set()
    for role in roles:
        result |= ROLE_ACTIONS[Role(role)]
    return frozenset(result)
