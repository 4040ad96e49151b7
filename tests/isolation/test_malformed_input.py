"""Malformed input on every URL of the registry: never a 500, and nothing written on a refusal.

Every pattern is requested as a role that may use it (signed out for public pages) with a
corpus of malformed values in each query parameter and each form field its view reads: one
request per (field, value) with the other fields valid, one with every field missing, one with
a body or query string that is not UTF-8. What each view reads is listed in ``INPUTS``: the
fields of the form the view binds (built as the view builds it), plus what it reads by hand
from ``request.GET`` or ``request.POST``. A new URL without an entry there fails the meta-test.

Each request runs in a savepoint rolled back afterwards, so every one starts from the same
data (a valid request that succeeds does not change what the next one finds) and the row
counts of every table before a request are those counted once per pattern.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote_to_bytes

import pytest
from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities import forms as activities_forms
from activities.models import Activity, Sector
from meetings import forms as meetings_forms
from meetings.documents import forms as document_forms
from meetings.models import AgendaItem, Contribution, Meeting
from meetings.services import minutes as minutes_service
from members import forms as members_forms
from members.models import Institution, TermsOfReference
from members.services.applications import find_by_token
from tests.factories import (
    APPLICATION_DATA,
    MINIMAL_PDF,
    PASSWORD,
    make_application,
    make_coordination,
    make_institution,
    make_meeting,
    make_objective,
    make_plan,
)
from tests.isolation.registry import REGISTRY
from tests.isolation.routes import World, expected_status, own_patterns
from vpswg.forms import GroupSettingsForm
from vpswg.permissions import PUBLIC, SIGNED_IN
from vpswg.roles import ROLE_ACTIONS, Role
from vpswg.scoping import group_scope
from vpswg.services.invitations import user_for_token
from workplan import forms as workplan_forms
from workplan.models import PlannedActivity, WorkPlan

#: What a malformed request may answer. Anything else (a 500 above all) is a failure.
ALLOWED = frozenset({200, 204, 302, 400, 403, 404, 405, 409, 413, 422, 429})


class Raw(str):
    """A value already percent-encoded: sent as these bytes, not as text (invalid UTF-8)."""


class Many(tuple):
    """Several values under one name, where the view expects one."""


class Upload:
    def __init__(self, name: str, content: bytes):
        self.name, self.content = name, content


MISSING = object()

#: The malformed values sent in every query parameter and every text field.
CORPUS: dict[str, object] = {
    "nul": "a\x00b",
    "invalid_utf8": Raw("%ff%fe"),
    "lone_surrogate": Raw("%ed%a0%80"),  # U+D800 encoded as UTF-8, which UTF-8 forbids
    "control_chars": "a\x01 b\t\r\nc\x7f",
    "long": "x" * 100_000,
    "negative": "-1",
    "zero": "0",
    "huge": "99999999999999999999",
    "long_digits": "1" * 5000,  # past int()'s limit on digits (4300)
    "not_a_number": "abc",
    "unicode_digit": "\u00b2",  # "²".isdigit() is True, int("²") raises
    "list": Many(("1", "2")),
    "missing": MISSING,
    "empty": "",
    "unknown_choice": "no-such-choice",
    "date_zeros": "0000-00-00",
    "date_far": "99999-12-31",
    "date_feb_30": "2026-02-30",
}

#: The values sent in every file field.
FILE_CORPUS: dict[str, object] = {
    "missing": MISSING,
    "empty_file": Upload("letter.pdf", b""),
    "not_a_document": Upload("letter.pdf", b"hello"),
    "text_not_file": "abc",
    "nul_in_name": Upload("let\x00ter.pdf", MINIMAL_PDF),
    "long_name": Upload("x" * 1000 + ".pdf", MINIMAL_PDF),
}

#: 500s that the walk finds in code being changed by others right now, each (URL name,
#: field, corpus value). The lead empties this set as those fixes land: an entry that no longer
#: answers 500 fails the test too, so that it is removed.
KNOWN_500S: frozenset[tuple[str, str, str]] = frozenset()

#: Tables a refused request may still write to, each with its reason.
WRITTEN_ON_REFUSAL = {
    # Every display of the attributed record is logged, also when it is shown again with a
    # refusal (the editor after a conflict or a missing revision, the review page with its
    # errors): it is a read, logged as such.
    "meetings_minutesaccess",
}


# --- What each view reads -------------------------------------------------------------------


@dataclass(frozen=True)
class Ctx:
    """What a form or a valid value is built from: the group, the user asking, the URL's
    object kwargs."""

    world: World
    user: object
    kwargs: dict

    @property
    def group(self):
        return self.world.group

    def get(self, model, key: str = "pk"):
        return model.objects.get(pk=self.kwargs[key])


@dataclass(frozen=True)
class Inputs:
    #: Query parameters the view reads (by hand, or through a filter form).
    query: tuple[str, ...] = ()
    #: The form the view binds POST to, built as the view builds it (its fields are read).
    form: Callable[[Ctx], forms.BaseForm] | None = None
    #: POST fields the view reads by hand (``request.POST.get``).
    post: tuple[str, ...] = ()
    #: Valid values, over those derived from the form and the registry's probe data.
    valid: Callable[[Ctx], dict] | None = None
    #: Several requests of one view, each a name -> (valid data, htmx); the fields are the data's.
    variants: Callable[[Ctx], dict[str, tuple[dict, bool]]] | None = None
    #: A paginated list: whatever its ``?page=`` is, it shows a page (200).
    paginated: bool = False
    #: Which of the form's fields to spoil (None: all), where some are made by one loop.
    spoil: Callable[[str], bool] | None = None
    #: Who uses the page, where it is not the first role holding its action: a seat votes,
    #: a guest speaker (no role) answers for themselves.
    actor: str | None = None

    @property
    def posts(self) -> bool:
        return bool(self.form or self.post or self.variants)


def _application(c: Ctx):
    return find_by_token(c.kwargs["token"])


def _status_lookup(c: Ctx) -> dict:
    application = make_application(c.group)
    return {"reference": application.reference, "email": application.contact_email}


def _later_plenary(c: Ctx) -> dict:
    """A plenary that began after the minutes' meeting (a day ago): it may adopt them."""
    return {"meeting": make_meeting(c.group, "held", days=-0.5).pk, "confirm": "on"}


def _handover_proposal(c: Ctx) -> dict:
    """A member institution of the group with a representative to name, and a date to come."""
    from tests.factories import make_representative

    rep = make_representative(c.group)
    return {
        "to": rep.institution_id,
        "incoming": str(rep.user_id),
        "effective_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
    }


def _adoptable(c: Ctx) -> dict:
    """Every seat approves the version under review; a plenary has taken place to adopt it."""
    from members.models import TermsVote
    from vpswg.services.roles import seats

    terms = TermsOfReference.objects.get(number=c.kwargs["number"])
    for seat in seats():
        TermsVote.objects.update_or_create(
            terms=terms,
            voter=seat.user,
            defaults={"working_group": c.group, "pillar": seat.pillar, "vote": "approve"},
        )
    return {"meeting": make_meeting(c.group, "held").pk}


def _member_representative(c: Ctx) -> int:
    from tests.factories import make_representative

    return make_representative(c.group).pk


def _objective(c: Ctx) -> dict:
    return {"objective": make_objective(make_plan(c.group)).pk}


def _invitation_user(c: Ctx):
    return user_for_token(c.kwargs["token"])


def _meeting_start() -> str:
    return (timezone.localtime() + datetime.timedelta(days=40)).strftime("%Y-%m-%dT%H:%M")


def _one_sector(name: str) -> bool:
    """The participant fields are made by one loop, the same for every sector: one sector
    stands for the ten."""
    kind, _, sector = name.partition("_")
    return kind not in {"count", "women", "men"} or sector == Sector.POLICE_MILITARY


def _minutes_parts(c: Ctx) -> dict[str, tuple[dict, bool]]:
    """Every part of the minutes editor as the page posts it: an edit of an existing part is
    autosaved by htmx with its revision; a new part is posted by the plain form."""
    meeting = Meeting.objects.get(pk=c.kwargs["pk"])
    minutes = meeting.minutes
    section = minutes.sections.order_by("position").first()
    contribution = section.contributions.first()
    decision = minutes_service.save_decision(section=section, actor=c.user, text="Agreed.")
    action = minutes_service.save_action_item(
        section=section, actor=c.user, what="Write to the Ministry."
    )
    institution = make_institution(c.group).pk
    due = "2026-09-30"
    return {
        "summary": (
            {"part": "summary", "id": minutes.pk, "summary": "Met.", "revision": minutes.revision},
            True,
        ),
        "section_new": ({"part": "section_new", "title": "AOB"}, False),
        "section": (
            {
                "part": "section",
                "id": section.pk,
                "title": "Business",
                "main_points": "Points.",
                "revision": section.revision,
            },
            True,
        ),
        "contribution_new": (
            {"part": "contribution", "section": section.pk, "text": "Said.", "speaker": ""},
            False,
        ),
        "contribution": (
            {
                "part": "contribution",
                "id": contribution.pk,
                "text": "Said again.",
                "speaker": "keep",
                "revision": contribution.revision,
            },
            True,
        ),
        "decision_new": ({"part": "decision", "section": section.pk, "text": "Decided."}, False),
        "decision": (
            {
                "part": "decision",
                "id": decision.pk,
                "text": "Decided again.",
                "revision": decision.revision,
            },
            True,
        ),
        "action_new": (
            {
                "part": "action",
                "section": section.pk,
                "what": "Call.",
                "institution": institution,
                "due_date": due,
            },
            False,
        ),
        "action": (
            {
                "part": "action",
                "id": action.pk,
                "what": "Call again.",
                "institution": institution,
                "due_date": due,
                "revision": action.revision,
            },
            True,
        ),
        "delete_contribution": ({"part": "delete_contribution", "id": contribution.pk}, False),
        "delete_decision": ({"part": "delete_decision", "id": decision.pk}, False),
        "delete_action": ({"part": "delete_action", "id": action.pk}, False),
        "delete_section": ({"part": "delete_section", "id": section.pk}, False),
    }


def _leak(c: Ctx) -> dict:
    contribution = Contribution.objects.filter(section__minutes__meeting_id=c.kwargs["pk"]).first()
    return {
        "target": f"contribution:{contribution.pk}:text",
        "term": "Something",
        "how": "replace",
        "replacement": "A participant",
    }


INPUTS: dict[str, Inputs] = {
    # Top level
    "home": Inputs(),
    "healthz": Inputs(),
    "set_language": Inputs(post=("language", "next")),
    "notifications": Inputs(query=("page",), paginated=True),
    "notification_open": Inputs(),
    "notifications_read": Inputs(),
    "invitation": Inputs(
        query=("next",),
        form=lambda c: SetPasswordForm(_invitation_user(c)),
        valid=lambda c: {"new_password1": PASSWORD + "-2", "new_password2": PASSWORD + "-2"},
    ),
    # A working group
    "group:home": Inputs(),
    "group:audit": Inputs(query=("verb", "page"), paginated=True),
    "group:settings": Inputs(form=lambda c: GroupSettingsForm(instance=c.group)),
    # The Secretariat and its hand-over
    "group:secretariat": Inputs(query=("to",)),
    "group:secretariat_term": Inputs(
        form=lambda c: members_forms.SecretariatTermForm(institutions=Institution.objects.all())
    ),
    "group:handover_propose": Inputs(
        form=lambda c: members_forms.HandOverForm(people=[]),
        post=("to",),
        valid=lambda c: _handover_proposal(c),
    ),
    "group:handover_vote": Inputs(
        form=lambda c: members_forms.HandOverVoteForm(), actor=Role.COORDINATION
    ),
    "group:handover_decide": Inputs(post=("confirm",), actor=Role.COORDINATION),
    "group:handover_withdraw": Inputs(),
    "group:seat_appoint": Inputs(
        post=("representative",),
        valid=lambda c: {"representative": _member_representative(c)},
    ),
    "group:seat_end": Inputs(
        post=("user",), valid=lambda c: {"user": make_coordination(c.group, mfa=False).pk}
    ),
    # The terms of reference
    "group:terms": Inputs(),
    "group:terms_new": Inputs(),
    "group:terms_version": Inputs(),
    "group:terms_pdf": Inputs(),
    "group:terms_edit": Inputs(
        form=lambda c: members_forms.TermsForm(
            instance=TermsOfReference.objects.get(number=c.kwargs["number"])
        )
    ),
    "group:terms_submit": Inputs(),
    "group:terms_withdraw": Inputs(),
    "group:terms_return": Inputs(),
    "group:terms_vote": Inputs(
        form=lambda c: members_forms.TermsVoteForm(), actor=Role.COORDINATION
    ),
    "group:terms_adopt": Inputs(post=("meeting",), valid=lambda c: _adoptable(c)),
    # Contributions to the group's running
    "members:contributions": Inputs(query=("year",)),
    "members:contribution_new": Inputs(
        form=lambda c: members_forms.ContributionForm(institutions=Institution.objects.all()),
        valid=lambda c: {
            "institution": make_institution(c.group).pk,
            "year": timezone.localdate().year,
            "kind": "venue",
            "description": "The plenary's room",
        },
    ),
    "members:contribution_delete": Inputs(),
    # Applying (public)
    "apply:form": Inputs(
        form=lambda c: members_forms.ApplicationForm(),
        valid=lambda c: {**APPLICATION_DATA, "letter": Upload("letter.pdf", MINIMAL_PDF)},
    ),
    "apply:thanks": Inputs(),
    "apply:status": Inputs(form=lambda c: members_forms.StatusLookupForm(), valid=_status_lookup),
    "apply:applicant": Inputs(
        form=lambda c: members_forms.ApplicationForm(
            instance=_application(c), letter_required=False
        ),
        valid=lambda c: {**APPLICATION_DATA, "letter": Upload("letter.pdf", MINIMAL_PDF)},
    ),
    # Membership
    "members:directory": Inputs(),
    "members:institution": Inputs(),
    "members:institution_new": Inputs(
        form=lambda c: members_forms.InstitutionForm(),
        valid=lambda c: {"name": "Minera Nueva", "pillar": "companies", "participation": "member"},
    ),
    "members:institution_edit": Inputs(
        form=lambda c: members_forms.InstitutionForm(instance=c.get(Institution))
    ),
    "members:representative_add": Inputs(
        form=lambda c: members_forms.RepresentativeForm(),
        valid=lambda c: {"email": f"new-{uuid.uuid4().hex[:8]}@example.test"},
    ),
    "members:representative_end": Inputs(),
    "members:standing": Inputs(form=lambda c: members_forms.StandingForm()),
    "members:standing_vote": Inputs(
        form=lambda c: members_forms.StandingVoteForm(), actor=Role.COORDINATION
    ),
    "members:standing_record": Inputs(post=("confirm",), actor=Role.COORDINATION),
    "members:standing_withdraw": Inputs(),
    "members:nominate": Inputs(
        form=lambda c: members_forms.NominationForm(),
        valid=lambda c: {"pillar": "companies", "participation": "member"},
    ),
    "members:applications": Inputs(query=("status", "page"), paginated=True),
    "members:application": Inputs(),
    "members:application_letter": Inputs(),
    "members:application_screen": Inputs(form=lambda c: members_forms.ScreenForm()),
    "members:application_vote": Inputs(form=lambda c: members_forms.VoteForm()),
    "members:application_decide": Inputs(form=lambda c: members_forms.DecideForm()),
    "members:compliance": Inputs(),
    "members:report": Inputs(form=lambda c: members_forms.AnnualReportForm()),
    "members:report_file": Inputs(),
    # Meetings
    "meetings:list": Inputs(query=("kind", "year", "page"), paginated=True),
    # Documents, the meeting pack and search
    "documents:library": Inputs(query=("kind", "year", "page"), paginated=True),
    "documents:new": Inputs(
        query=("meeting", "item"),
        form=lambda c: document_forms.DocumentForm(group=c.group),
        post=("for_meeting",),
        valid=lambda c: {
            "file": Upload("paper.pdf", MINIMAL_PDF),
            "title": "Scoping study",
            "kind": "study",
            "language": "es",
            "date": "2026-03-10",
            "audience": "members",
            "for_meeting": MISSING,
        },
    ),
    "documents:detail": Inputs(),
    "documents:edit": Inputs(
        form=lambda c: document_forms.DocumentDetailsForm(group=c.group),
        valid=lambda c: {"audience": "coordination", "meeting": "", "agenda_item": ""},
    ),
    "documents:version": Inputs(
        form=lambda c: document_forms.VersionForm(),
        valid=lambda c: {"file": Upload("v2.pdf", MINIMAL_PDF), "note": "Annex"},
    ),
    "documents:remove": Inputs(),
    "documents:file": Inputs(),
    "documents:version_file": Inputs(),
    "documents:public_file": Inputs(),
    "meetings:pack": Inputs(),
    "meetings:pack_status": Inputs(),
    "meetings:pack_file": Inputs(),
    "group:search": Inputs(query=("q", "kind", "year", "page"), paginated=True),
    "meetings:new": Inputs(
        form=lambda c: meetings_forms.MeetingForm(),
        valid=lambda c: {
            "kind": "plenary",
            "start": _meeting_start(),
            "duration_minutes": 120,
            "venue": "Lima",
        },
    ),
    "meetings:guests": Inputs(form=lambda c: meetings_forms.GuestForm()),
    "meetings:topics": Inputs(form=lambda c: meetings_forms.TopicForm()),
    "meetings:topic_interest": Inputs(),
    "meetings:topic_edit": Inputs(form=lambda c: meetings_forms.TopicForm()),
    "meetings:topic_withdraw": Inputs(post=("confirm",)),
    "meetings:topic_schedule": Inputs(
        form=lambda c: meetings_forms.ScheduleForm(meetings=Meeting.objects.all())
    ),
    "meetings:detail": Inputs(),
    "meetings:calendar": Inputs(),
    "meetings:edit": Inputs(form=lambda c: meetings_forms.MeetingForm(instance=c.get(Meeting))),
    "meetings:convene": Inputs(),
    "meetings:cancel": Inputs(form=lambda c: meetings_forms.CancelForm()),
    "meetings:answer": Inputs(
        form=lambda c: meetings_forms.AnswerForm(
            institution=c.user.representations.get().institution
        )
    ),
    "meetings:attendance": Inputs(
        form=lambda c: meetings_forms.AttendanceForm(meeting=c.get(Meeting))
    ),
    "meetings:next": Inputs(form=lambda c: meetings_forms.NextMeetingForm()),
    "meetings:guest_reply": Inputs(form=lambda c: meetings_forms.GuestReplyForm(), actor="no_role"),
    "meetings:suggestion": Inputs(
        form=lambda c: meetings_forms.SuggestionForm(meeting=c.get(Meeting))
    ),
    "meetings:closed_grant": Inputs(
        form=lambda c: meetings_forms.ClosedAccessForm(meeting=c.get(Meeting))
    ),
    "meetings:closed_revoke": Inputs(post=("user",)),
    # Minutes
    "meetings:minutes": Inputs(query=("version", "edit", "preview")),
    "meetings:minutes_pdf": Inputs(query=("version",)),
    "meetings:minutes_start": Inputs(),
    "meetings:minutes_edit": Inputs(variants=_minutes_parts),
    "meetings:minutes_leak": Inputs(post=("target", "term", "how", "replacement"), valid=_leak),
    "meetings:minutes_submit": Inputs(),
    "meetings:minutes_review": Inputs(post=("decision", "comment")),
    "meetings:minutes_adopt": Inputs(post=("meeting",), valid=_later_plenary),
    "meetings:minutes_access": Inputs(),
    "meetings:minutes_version": Inputs(),
    "meetings:minutes_compare": Inputs(query=("old", "new", "only")),
    # Work plan
    "workplan:list": Inputs(),
    "workplan:new": Inputs(
        form=lambda c: workplan_forms.PlanForm(),
        valid=lambda c: {"start_date": "2027-01-01", "end_date": "2028-06-30"},
    ),
    "workplan:detail": Inputs(),
    "workplan:edit": Inputs(form=lambda c: workplan_forms.PlanForm(instance=c.get(WorkPlan))),
    "workplan:objective_add": Inputs(form=lambda c: workplan_forms.ObjectiveForm()),
    "workplan:activity_add": Inputs(
        form=lambda c: workplan_forms.PlannedActivityForm(),
        valid=lambda c: {"start_date": "2026-03-01", "due_date": "2026-06-30"},
    ),
    "workplan:activity_edit": Inputs(
        form=lambda c: workplan_forms.PlannedActivityForm(
            instance=c.get(PlannedActivity, "activity")
        )
    ),
    "workplan:adopt": Inputs(form=lambda c: workplan_forms.AdoptForm()),
    "workplan:close": Inputs(post=("review",)),
    "workplan:from_action": Inputs(
        form=lambda c: workplan_forms.FromActionForm(), valid=_objective
    ),
    # Activities, outreach and reports
    "activities:list": Inputs(query=("kind", "year", "status", "page"), paginated=True),
    "activities:new": Inputs(
        form=lambda c: activities_forms.ActivityForm(),
        valid=lambda c: {
            "kind": "workshop",
            "start_date": "2026-03-10",
            "end_date": "2026-03-11",
            "evidence": Upload("programme.pdf", MINIMAL_PDF),
        },
        spoil=_one_sector,
    ),
    "activities:outreach": Inputs(
        query=("page",),
        paginated=True,
        form=lambda c: activities_forms.OutreachForm(),
        valid=lambda c: {"date": "2026-03-10"},
    ),
    "activities:detail": Inputs(),
    "activities:edit": Inputs(
        form=lambda c: activities_forms.ActivityForm(instance=c.get(Activity)),
        valid=lambda c: {"evidence": Upload("programme.pdf", MINIMAL_PDF)},
        spoil=_one_sector,
    ),
    "activities:confirm": Inputs(post=("decision",)),
    "activities:evidence": Inputs(),
    "activities:import": Inputs(
        form=lambda c: activities_forms.ImportUploadForm(),
        valid=lambda c: {
            "file": Upload(
                "actividades.csv", b"Title,Kind,Date,Organisers\r\nTaller,Workshop,2014-05-02,X\r\n"
            )
        },
    ),
    "activities:import_template_csv": Inputs(),
    "activities:import_template_xlsx": Inputs(),
    "activities:import_preview": Inputs(),
    "activities:import_row": Inputs(
        form=lambda c: activities_forms.ImportRowForm(cells={}), post=("action",)
    ),
    "activities:import_commit": Inputs(),
    "reports:index": Inputs(query=("start", "end")),
    "reports:csv": Inputs(query=("start", "end")),
    "reports:state": Inputs(),
    "reports:annual": Inputs(post=("year",)),
    "reports:job": Inputs(),
    "reports:job_download": Inputs(),
    "meetings:agenda_add": Inputs(form=lambda c: meetings_forms.AgendaItemForm()),
    "meetings:agenda_edit": Inputs(
        form=lambda c: meetings_forms.AgendaItemForm(instance=c.get(AgendaItem, "item"))
    ),
    "meetings:agenda_delete": Inputs(),
    "meetings:agenda_move": Inputs(post=("direction",)),
}


# --- Valid data ---------------------------------------------------------------------------------


def _choices(field: forms.ChoiceField) -> list[str]:
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):
            values += [str(v) for v, _ in label]
        else:
            values.append(str(value))
    return [v for v in values if v not in ("", "None")]


def _example(field: forms.Field):
    """A valid value for a field that no initial value fills (None: leave it out)."""
    if isinstance(field, forms.FileField):
        return None
    if isinstance(field, forms.ModelMultipleChoiceField):
        first = field.queryset.first()
        return Many((str(first.pk),)) if field.required and first else None
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        return str(first.pk) if first else None
    if isinstance(field, forms.BooleanField):
        return "on" if field.required else None
    if isinstance(field, forms.ChoiceField):
        choices = _choices(field)
        return choices[0] if choices else None
    if not field.required:
        return None
    if isinstance(field, forms.EmailField):
        return f"someone-{uuid.uuid4().hex[:8]}@example.test"
    if isinstance(field, forms.URLField):
        return "https://example.test/"
    if isinstance(field, forms.DateTimeField):
        return _meeting_start()
    if isinstance(field, forms.DateField):
        return "2026-03-10"
    if isinstance(field, forms.IntegerField):
        return str(field.min_value if field.min_value is not None else 1)
    return "Valid text"


def _posted(field: forms.Field, value):
    """An initial value as a browser posts it back (None: leave it out)."""
    if isinstance(field, forms.FileField) or value in (None, "", [], ()):
        return None
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return Many(str(v) for v in value)
    if isinstance(value, datetime.datetime):  # in the current time zone already
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(int(value.total_seconds()))
    return str(value)


def form_data(form: forms.BaseForm) -> dict:
    """Valid data for the form: its initial values (an instance's, for an edit), else examples."""
    data = {}
    for name, form_field in form.fields.items():
        value = _posted(form_field, form[name].value())
        if value is None:
            value = _example(form_field)
        if value is not None:
            data[name] = value
    return data


@dataclass
class Variant:
    """One kind of POST to a view: valid data, the fields to spoil one at a time, and whether
    the page sends it with htmx."""

    name: str
    data: dict
    fields: list[str]
    files: set[str] = field(default_factory=set)
    htmx: bool = False


def post_variants(name: str, ctx: Ctx) -> list[Variant]:
    inputs, probe = INPUTS[name], REGISTRY[name]
    if not inputs.posts and probe.method != "post":
        return []
    with group_scope(ctx.group):
        if inputs.variants is not None:
            return [
                Variant(label, data, list(data), htmx=htmx)
                for label, (data, htmx) in inputs.variants(ctx).items()
            ]
        data, fields, files = {}, list(inputs.post), set()
        if inputs.form is not None:
            form = inputs.form(ctx)
            data = form_data(form)
            fields = [*filter(inputs.spoil, form.fields), *fields]
            files = {n for n, f in form.fields.items() if isinstance(f, forms.FileField)}
        data.update({k: str(v) for k, v in probe.data(ctx.group).items()})
        if inputs.valid is not None:
            data.update(inputs.valid(ctx))
    return [Variant("form", data, fields, files)]


# --- Sending and judging ----------------------------------------------------------------------

BOUNDARY = "MalformedInputBoundary"


def _pairs(data: dict):
    for key, value in data.items():
        if value is MISSING:
            continue
        for one in value if isinstance(value, Many) else (value,):
            yield key, one


def urlencoded(data: dict) -> str:
    return "&".join(
        f"{quote(k)}={v if isinstance(v, Raw) else quote(str(v))}" for k, v in _pairs(data)
    )


def multipart(data: dict) -> bytes:
    out = []
    for key, value in _pairs(data):
        out.append(f"--{BOUNDARY}".encode())
        if isinstance(value, Upload):
            out.append(
                f'Content-Disposition: form-data; name="{key}"; filename="{value.name}"'.encode()
            )
            out += [b"Content-Type: application/pdf", b"", value.content]
        else:
            out += [f'Content-Disposition: form-data; name="{key}"'.encode(), b""]
            out.append(unquote_to_bytes(value) if isinstance(value, Raw) else str(value).encode())
    out += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(out)


def row_counts() -> dict[str, int]:
    """Rows in every table, in one query (raw SQL: no scope applies to it)."""
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        }
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


ERROR_MARKERS = ('class="form-errors"', 'class="error"', "has-error", "is-error", 'role="alert"')


def refused(response) -> bool:
    """A refusal: a 4xx, an error message for the next page, or the form shown with errors."""
    if response.status_code >= 400:
        return True
    storage = getattr(response.wsgi_request, "_messages", None)
    if any(m.level >= messages.ERROR for m in getattr(storage, "_queued_messages", [])):
        return True
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        body = response.content.decode(errors="replace")
        return any(marker in body for marker in ERROR_MARKERS)
    return False


def reasons(response) -> str:
    """What a refusal says: the form errors and the error messages (for a failing test)."""
    said = []
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in filter(None, contexts):
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.errors:
                said.append(value.errors.as_text())
    storage = getattr(response.wsgi_request, "_messages", None)
    said += [str(m) for m in getattr(storage, "_queued_messages", [])]
    return "; ".join(dict.fromkeys(said))[:500]


@dataclass
class Walk:
    name: str
    client: Client
    url: str
    anonymous: bool
    before: dict = field(default_factory=dict)
    sent: int = 0
    failures: list = field(default_factory=list)
    five_hundreds: dict = field(default_factory=dict)

    def send(self, method: str, data: dict | bytes, *, htmx: bool = False, multi: bool = False):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        if self.anonymous:
            # Rate limits count by address in the cache: each request starts with none (the
            # visitor is signed out, there is no session to lose).
            caches["default"].clear()
        self.sent += 1
        if method == "get":
            query = data.decode("latin-1") if isinstance(data, bytes) else urlencoded(data)
            return self.client.get(f"{self.url}?{query}" if query else self.url, **headers)
        if isinstance(data, bytes):
            body, content_type = data, "application/x-www-form-urlencoded"
        elif multi:
            body, content_type = multipart(data), f"multipart/form-data; boundary={BOUNDARY}"
        else:
            body, content_type = urlencoded(data).encode(), "application/x-www-form-urlencoded"
        return self.client.generic("POST", self.url, body, content_type=content_type, **headers)

    def check(
        self,
        method: str,
        what: tuple[str, str],
        data: dict | bytes,
        *,
        htmx: bool = False,
        multi: bool = False,
        expect: set[int] | None = None,
        accepted: bool = False,
    ):
        """Send one request in a savepoint rolled back afterwards, and judge the answer."""
        label = (
            f"{method.upper()} {what[0]}={what[1]}" if what[0] else f"{method.upper()} {what[1]}"
        )
        with transaction.atomic():
            response = self.send(method, data, htmx=htmx, multi=multi)
            status = response.status_code
            if status >= 500:
                exc = response.exc_info[1] if response.exc_info else None
                said = f"{label}: {status} {type(exc).__name__}: {exc}"
                self.five_hundreds[(self.name, *what)] = said[:300]
            elif status not in (expect or ALLOWED):
                self.failures.append(
                    f"{label}: {status}, expected one of {sorted(expect or ALLOWED)}"
                )
            elif accepted and refused(response):
                self.failures.append(f"{label}: valid data refused ({status}): {reasons(response)}")
            elif method == "post" and refused(response):
                after = row_counts()
                written = {
                    t: after[t] - self.before[t]
                    for t in after
                    if after[t] != self.before[t] and t not in WRITTEN_ON_REFUSAL
                }
                if written:
                    self.failures.append(f"{label}: refused ({status}) but wrote {written}")
            transaction.set_rollback(True)
        return response


def actor_of(name: str) -> str:
    """Signed out for a public page; otherwise the first role that has the view's action."""
    if INPUTS[name].actor is not None:
        return INPUTS[name].actor
    access = own_patterns()[name].callback.vpswg_access
    if access.requirement == PUBLIC:
        return "anonymous"
    if access.requirement == SIGNED_IN:
        return Role.SECRETARIAT
    return next(r for r in Role if access.action in ROLE_ACTIONS[r])


def test_every_pattern_lists_what_its_view_reads():
    missing = sorted(set(REGISTRY) - set(INPUTS))
    stale = sorted(set(INPUTS) - set(REGISTRY))
    assert missing == [], f"URL patterns without an INPUTS entry: {missing}"
    assert stale == [], f"INPUTS entries without a URL pattern: {stale}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_malformed_input(world, name):
    """Every malformed value in every field of this URL: never a 500; a refusal writes nothing."""
    probe, inputs = REGISTRY[name], INPUTS[name]
    actor = actor_of(name)
    user = None if actor == "anonymous" else world.users[actor]
    owner = user or world.users[Role.SECRETARIAT]
    kwargs = {"wg": world.group.slug} if "wg" in own_patterns()[name].params else {}
    objects = probe.obj(world.group, owner) if probe.obj else {}
    url = reverse(name, kwargs={**kwargs, **objects})
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    walk = Walk(name, client, url, anonymous=user is None)
    variants = post_variants(name, Ctx(world, owner, objects))
    walk.before = row_counts()

    if probe.method == "get":
        walk.check("get", ("", "baseline"), {}, expect={expected_status(name, actor)})
        walk.check("get", ("query", "invalid_utf8"), b"%ff%fe=%ed%a0%80&page=%ff")
        for param in inputs.query:
            for label, value in CORPUS.items():
                expect = None
                if inputs.paginated and param == "page":
                    # An unusable page number shows a page; only NUL may be refused outright.
                    expect = {200, 400} if label == "nul" else {200}
                walk.check("get", (param, label), {param: value}, expect=expect)
    for variant in variants:
        multi = bool(variant.files)
        prefix = "" if variant.name == "form" else f"{variant.name}:"
        walk.check(
            "post",
            (variant.name, "baseline"),
            variant.data,
            htmx=variant.htmx,
            multi=multi,
            accepted=True,
        )
        for field_name in variant.fields:
            corpus = FILE_CORPUS if field_name in variant.files else CORPUS
            for label, value in corpus.items():
                data = {**variant.data, field_name: value}
                walk.check(
                    "post", (f"{prefix}{field_name}", label), data, htmx=variant.htmx, multi=multi
                )
    if variants:
        walk.check("post", ("", "everything_missing"), {})
        walk.check("post", ("body", "invalid_utf8"), b"%ff%fe=%ed%a0%80&\xff\xfe=\xed\xa0\x80")

    known = {k for k in KNOWN_500S if k[0] == name}
    found = set(walk.five_hundreds)
    problems = [walk.five_hundreds[k] for k in sorted(found - known)]
    problems += [f"no longer a 500, remove from KNOWN_500S: {k}" for k in sorted(known - found)]
    problems += walk.failures
    assert not problems, f"{name} ({walk.sent} requests as {actor}):\n" + "\n".join(problems)
