"""What the audit log's verbs and states say to a person: one label per verb written anywhere.

An entry stores codes (``application.submitted``, ``submitted``): they are what the hash chain
covers and what the operator filters by, and they must not change when a wording does. The
pages show the label of the verb, in the reader's language, with the code beside it, and each
state through the labels of the choices it was drawn from (``states``: "app_label.Model.field",
named by string so that the kernel imports no app; the registry resolves it when asked).

tests/vpswg/test_audit_verbs.py reads every ``verb=`` of the code and fails for one that is not
here, or that records states without saying where their labels are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Verb:
    label: Promise
    #: The choices ``from_state`` and ``to_state`` are values of, as "app_label.Model.field".
    states: str = ""


ROLE = "vpswg.RoleAssignment.role"
APPLICATION = "members.Application.status"
STANDING = "members.Institution.standing"
PROPOSAL = "members.StandingProposal.status"
HANDOVER = "members.HandOver.status"
TERMS = "members.TermsOfReference.status"
MEETING = "meetings.Meeting.status"
MINUTES = "meetings.Minutes.status"
TOPIC = "meetings.DiscussionTopic.status"
PLAN = "workplan.WorkPlan.status"
ACTIVITY = "activities.Activity.status"

VERBS: dict[str, Verb] = {
    # The group and its roles
    "group.created": Verb(_("Group created")),
    "group.changed": Verb(_("Group changed by the platform operator")),
    "group.settings_changed": Verb(_("Group settings changed")),
    "group.secretariat_appointed": Verb(_("Secretariat appointed by the platform operator"), ROLE),
    "role.granted": Verb(_("Role given"), ROLE),
    "role.revoked": Verb(_("Role taken away"), ROLE),
    "role.seat_moved": Verb(
        _("Coordination Group seat moved to another pillar"), "vpswg.RoleAssignment.pillar"
    ),
    # Institutions, representatives, standing
    "institution.created": Verb(_("Institution entered"), "members.Institution.participation"),
    "institution.changed": Verb(_("Institution's details changed")),
    "representative.added": Verb(_("Representative added")),
    "representative.ended": Verb(_("Representative's term ended")),
    "standing.warning": Verb(_("Warning decided"), STANDING),
    "standing.suspension": Verb(_("Suspension decided"), STANDING),
    "standing.expulsion": Verb(_("Expulsion decided"), STANDING),
    "standing.withdrawal": Verb(_("Withdrawal recorded"), STANDING),
    "standing.reinstatement": Verb(_("Reinstatement decided"), STANDING),
    "standing.proposed": Verb(
        _("Decision on standing proposed"), "members.StandingProposal.decision"
    ),
    "standing.voted": Verb(_("Vote on a decision on standing"), "members.StandingVote.vote"),
    "standing.decided": Verb(_("Coordination Group's decision on standing recorded"), PROPOSAL),
    "standing.proposal_withdrawn": Verb(_("Proposed decision on standing withdrawn"), PROPOSAL),
    # The Secretariat's rotation
    "secretariat.term_recorded": Verb(_("Institution holding the Secretariat recorded")),
    "secretariat.handover_proposed": Verb(_("Hand-over of the Secretariat proposed"), HANDOVER),
    "secretariat.handover_voted": Verb(
        _("Vote on a hand-over of the Secretariat"), "members.HandOverVote.vote"
    ),
    "secretariat.handover_decided": Verb(
        _("Coordination Group's decision on a hand-over recorded"), HANDOVER
    ),
    "secretariat.handover_withdrawn": Verb(_("Hand-over of the Secretariat withdrawn"), HANDOVER),
    "secretariat.handed_over": Verb(_("Secretariat handed over"), HANDOVER),
    # The terms of reference
    "terms.drafted": Verb(_("Version of the terms of reference drafted"), TERMS),
    "terms.edited": Verb(_("Draft of the terms of reference edited")),
    "terms.submitted": Verb(_("Terms of reference put before the Coordination Group"), TERMS),
    "terms.voted": Verb(_("Vote on the terms of reference"), "members.TermsVote.vote"),
    "terms.returned": Verb(_("Terms of reference returned to a draft"), TERMS),
    "terms.withdrawn": Verb(_("Proposed terms of reference withdrawn"), TERMS),
    "terms.adopted": Verb(_("Terms of reference adopted by the plenary"), TERMS),
    "terms.superseded": Verb(_("Terms of reference superseded"), TERMS),
    "contribution.recorded": Verb(
        _("Contribution to the group's running recorded"), "members.GroupContribution.kind"
    ),
    "contribution.deleted": Verb(
        _("Contribution to the group's running deleted"), "members.GroupContribution.kind"
    ),
    "report.submitted": Verb(_("Annual report submitted")),
    "report.replaced": Verb(_("Annual report replaced")),
    # Applications
    "application.submitted": Verb(_("Application submitted"), APPLICATION),
    "application.nominated": Verb(_("Institution nominated"), APPLICATION),
    "application.unconfirmed_expired": Verb(_("Unconfirmed applications deleted")),
    "application.screened": Verb(_("Application screened"), APPLICATION),
    "application.voted": Verb(_("Vote on an application"), "members.ApplicationVote.vote"),
    "application.decided": Verb(_("Application decided"), APPLICATION),
    # Meetings
    "meeting.planned": Verb(_("Meeting planned"), MEETING),
    "meeting.changed": Verb(_("Meeting changed")),
    "meeting.convened": Verb(_("Meeting convened"), MEETING),
    "meeting.cancelled": Verb(_("Meeting cancelled"), MEETING),
    "meeting.attendance_recorded": Verb(_("Attendance recorded"), MEETING),
    "meeting.next_agreed": Verb(_("Agreed for the next meeting recorded")),
    "meeting.agreement_taken": Verb(_("Agreement of the last meeting put on the agenda")),
    "meeting.agreement_set_aside": Verb(_("Agreement of the last meeting set aside")),
    "meeting.closed_access_granted": Verb(_("Access to a closed meeting given")),
    "meeting.closed_access_revoked": Verb(_("Access to a closed meeting taken away")),
    "invitation.answered": Verb(_("Invitation answered"), "meetings.Invitation.answer"),
    "agenda.saved": Verb(_("Agenda item saved")),
    "agenda.removed": Verb(_("Agenda item removed")),
    "agenda.reordered": Verb(_("Agenda reordered")),
    "topic.proposed": Verb(_("Discussion topic proposed"), TOPIC),
    "topic.edited": Verb(_("Discussion topic changed")),
    "topic.scheduled": Verb(_("Discussion topic put on an agenda"), TOPIC),
    "topic.withdrawn": Verb(_("Discussion topic withdrawn"), TOPIC),
    "guest.registered": Verb(_("Guest speaker registered")),
    "guest.invited": Verb(_("Guest speaker invited")),
    "guest.replied": Verb(_("Guest speaker answered"), "meetings.GuestReply.answer"),
    # Minutes
    "minutes.started": Verb(_("Minutes started"), MINUTES),
    "minutes.reopened": Verb(_("Minutes reopened"), MINUTES),
    "minutes.part_removed": Verb(_("Part of the minutes removed")),
    "minutes.leak_marked_subject": Verb(_("Words in the minutes marked as the subject discussed")),
    "minutes.leak_replaced": Verb(_("Words in the minutes replaced")),
    "minutes.submitted": Verb(_("Minutes submitted to the Coordination Group"), MINUTES),
    "minutes.review_approve": Verb(_("Minutes approved by a seat")),
    "minutes.review_return": Verb(_("Minutes returned by a seat")),
    "minutes.returned": Verb(_("Minutes returned to the Secretariat"), MINUTES),
    "minutes.approved": Verb(_("Minutes approved"), MINUTES),
    "minutes.circulated": Verb(_("Minutes circulated"), MINUTES),
    "minutes.adopted": Verb(_("Minutes adopted"), MINUTES),
    "minutes.attribution_destroyed": Verb(_("Attributed record destroyed")),
    # Documents
    "document.added": Verb(_("Document added")),
    "document.version_added": Verb(_("New version of a document uploaded")),
    "document.changed": Verb(_("Document's details changed")),
    "document.removed": Verb(_("Document removed")),
    "document.pack_requested": Verb(_("Meeting pack requested")),
    # Work plans
    "workplan.created": Verb(_("Work plan drafted"), PLAN),
    "workplan.changed": Verb(_("Work plan changed")),
    "workplan.objective_added": Verb(_("Objective added to a work plan")),
    "workplan.activity_saved": Verb(_("Planned activity saved"), "workplan.PlannedActivity.status"),
    "workplan.adopted": Verb(_("Work plan adopted"), PLAN),
    "workplan.closed": Verb(_("Work plan closed"), PLAN),
    # Activities
    "activity.recorded": Verb(_("Activity recorded"), ACTIVITY),
    "activity.saved": Verb(_("Activity changed"), ACTIVITY),
    "activity.confirmed": Verb(_("Activity confirmed"), ACTIVITY),
    "activity.declined": Verb(_("Activity declined"), ACTIVITY),
    "activity.evidence_added": Verb(_("Evidence added to an activity")),
    "activity.imported": Verb(
        _("Activities imported from a spreadsheet"), "activities.ActivityImport.status"
    ),
    "outreach.logged": Verb(_("Outreach logged")),
}


def verb_label(verb: str) -> str | Promise:
    """The verb's label; an unknown verb (written by an older version) shows as itself."""
    known = VERBS.get(verb)
    return known.label if known else verb


def state_label(verb: str, state: str) -> str | Promise:
    """The label of ``state`` among the choices the verb's states are drawn from; the code
    itself when the verb names none or the code is not among them (a choice since removed)."""
    if not state:
        return ""
    known = VERBS.get(verb)
    if known is None or not known.states:
        return state
    return choices(known.states).get(state, state)


@cache
def choices(spec: str) -> dict[str, Promise]:
    """The labels (lazy: translated when shown) of the field named "app_label.Model.field"."""
    app_label, model_name, field_name = spec.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    return {str(value): label for value, label in field.flatchoices}
