"""Meeting forms. Choices of people, institutions and guests are limited to the URL's group."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    AgendaItem,
    Guest,
    GuestReply,
    Invitation,
    Meeting,
    MinutesAccess,
    MinutesReview,
)
from members.models import Representative
from vpswg.forms import FilterSelect, https_urls
from vpswg.models import User
from vpswg.roles import Pillar


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """People, labelled with the institution they represent when one is known."""

    institutions: dict[int, str] = {}

    def label_from_instance(self, obj: User) -> str:
        institution = self.institutions.get(obj.pk)
        return f"{obj.get_full_name()} — {institution}" if institution else obj.get_full_name()


def current_representative_users():
    return User.objects.filter(
        pk__in=Representative.objects.filter(end_date__isnull=True).values("user_id")
    ).order_by("full_name", "email")


#: The longest meeting that can be planned (a day's workshop).
MAX_MEETING_MINUTES = 12 * 60


class MeetingForm(forms.ModelForm):
    start = forms.DateTimeField(
        label=_("Start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In the group's time zone."),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "start", "duration_minutes", "format", "venue", "online_link"]
        formfield_callback = https_urls

    def clean_start(self):
        """A meeting is planned for a time to come (convening refused a past start, but only
        after it had been planned and shown as such); an edit that keeps the start is fine."""
        start = self.cleaned_data["start"]
        unchanged = (
            self.instance.pk is not None
            and self.instance.start.replace(second=0, microsecond=0) == start
        )
        if not unchanged and start <= timezone.now():
            raise forms.ValidationError(_("Choose a start in the future."))
        return start

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if minutes is None or not 1 <= minutes <= MAX_MEETING_MINUTES:
            raise forms.ValidationError(
                _("A meeting lasts from 1 minute to %(hours)s hours.")
                % {"hours": MAX_MEETING_MINUTES // 60}
            )
        return minutes

    def clean(self):
        data = super().clean()
        if not data.get("venue") and not data.get("online_link"):
            self.add_error("venue", _("Give a venue, an online link, or both."))
        return data


class AgendaItemForm(forms.ModelForm):
    speakers = PersonChoiceField(
        label=_("Speakers from the group"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guests = forms.ModelMultipleChoiceField(
        label=_("Guest speakers"),
        queryset=Guest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A guest with an e-mail address is invited and may see this meeting's logistics."
        ),
    )

    class Meta:
        model = AgendaItem
        fields = ["topic", "description", "format", "duration_minutes", "speakers", "guests"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = current_representative_users()
        self.fields["guests"].queryset = Guest.objects.order_by("name")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will your institution attend?"),
        choices=[c for c in Invitation.Answer.choices if c[0] != Invitation.Answer.PENDING],
        widget=forms.RadioSelect,
    )
    attendees = PersonChoiceField(
        label=_("Who will attend"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note for the Secretariat"), required=False, max_length=300)

    def __init__(self, *args, institution=None, **kwargs):
        kwargs.setdefault("auto_id", "answer-%s")  # unique ids beside the page's other forms
        super().__init__(*args, **kwargs)
        if institution is not None:
            self.fields["attendees"].queryset = User.objects.filter(
                representations__institution=institution, representations__end_date__isnull=True
            ).order_by("full_name")


class SuggestionForm(forms.Form):
    """One suggestion of the last plenary's agreements, taken or set aside."""

    topic = forms.CharField(required=False, max_length=2000)
    guest = forms.ModelChoiceField(queryset=Guest.objects.none(), required=False)
    item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    set_aside = forms.BooleanField(required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guest"].queryset = Guest.objects.all()  # the group's (its scope)
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting=meeting)


class GuestReplyForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you attend?"), choices=GuestReply.Answer.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "guest-reply-%s")
        super().__init__(*args, **kwargs)


@dataclass
class AttendeeOption:
    """One representative in the attendance form, with what their institution said."""

    user_id: int
    name: str
    announced: bool  # named in the institution's answer as coming
    checked: bool


@dataclass
class InstitutionAttendance:
    pk: int
    name: str
    answer: str  # the invitation's answer code
    answer_label: str
    people: list[AttendeeOption]


@dataclass
class PillarAttendanceGroup:
    label: str
    institutions: list[InstitutionAttendance]


class GuestChoiceField(forms.ModelMultipleChoiceField):
    """Guests, labelled with their organisation and their own answer when they gave one."""

    replies: dict[int, str] = {}

    def label_from_instance(self, obj: Guest) -> str:
        reply = self.replies.get(obj.pk)
        return f"{obj} — {reply}" if reply else str(obj)


#: The most walk-ins one submission records (a full room, not a pasted directory).
MAX_WALK_INS = 50


class AttendanceForm(forms.Form):
    """Who came, grouped by pillar and institution and started from the answers: those
    announced are ticked until attendance is first recorded. Any current representative of an
    invited institution may be ticked (a substitute); people on no list are walk-ins."""

    present = PersonChoiceField(
        label=_("Present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guests = GuestChoiceField(
        label=_("Guests present"),
        queryset=Guest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    walk_ins = forms.CharField(
        label=_("Walk-ins"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "People who came without being on any list, one per line: name, organisation. "
            "They are recorded as guests of the meeting."
        ),
    )

    def __init__(self, *args, meeting: Meeting, invitations: list[Invitation] | None = None, **kw):
        kw.setdefault("auto_id", "attendance-%s")  # unique ids beside the page's other forms
        super().__init__(*args, **kw)
        if invitations is None:
            invitations = list(
                Invitation.objects.filter(meeting=meeting)
                .select_related("institution")
                .prefetch_related(models.Prefetch("attendees", to_attr="attendee_list"))
            )
        # Current representatives of the invited institutions, and anyone already recorded
        # (a representative who has left since is still shown as present).
        reps = list(
            Representative.objects.filter(institution__invitations__meeting=meeting)
            .filter(Q(end_date__isnull=True) | Q(user__attendance__meeting=meeting))
            .select_related("user")
            .only("user_id", "institution_id", "user__full_name", "user__email")
            .order_by("user__full_name", "user__email")
            .distinct()
        )
        self.fields["present"].institutions = {r.user_id: "" for r in reps}
        self.fields["present"].queryset = User.objects.filter(
            pk__in={r.user_id for r in reps}
        ).order_by("full_name")
        guests = list(
            Guest.objects.filter(
                Q(agenda_items__meeting=meeting) | Q(pk__in=meeting.guests_present.values("pk"))
            )
            .distinct()
            .order_by("name")
        )
        replies = dict(meeting.guest_replies.values_list("guest_id", "answer"))
        labels = dict(GuestReply.Answer.choices)
        self.fields["guests"].replies = {pk: labels[a] for pk, a in replies.items()}
        self.fields["guests"].queryset = Guest.objects.filter(pk__in=[g.pk for g in guests])
        announced = {u.pk for i in invitations if i.answer == "yes" for u in i.attendee_list}
        if not self.is_bound and "present" not in self.initial:
            if meeting.attendance_recorded_at is None:
                # Nothing recorded yet: start from what was announced.
                self.initial["present"] = sorted(announced)
                self.initial["guests"] = [pk for pk, a in replies.items() if a == "yes"]
            else:
                self.initial["present"] = list(meeting.attendance.values_list("user_id", flat=True))
                self.initial["guests"] = list(meeting.guests_present.values_list("pk", flat=True))
        if self.is_bound:
            checked = set(self.data.getlist(self.add_prefix("present")))
        else:
            checked = {str(getattr(v, "pk", v)) for v in self.initial.get("present", [])}
        self.groups = self._grouped(invitations, reps, announced, checked)

    @staticmethod
    def _grouped(invitations, reps, announced, checked) -> list[PillarAttendanceGroup]:
        by_institution: dict[int, list] = {}
        for r in reps:
            by_institution.setdefault(r.institution_id, []).append(r)
        groups: dict[str, PillarAttendanceGroup] = {
            p.value: PillarAttendanceGroup(str(p.label), []) for p in Pillar
        }
        observers = PillarAttendanceGroup(str(_("Observers")), [])
        for invitation in sorted(invitations, key=lambda i: i.institution.name.lower()):
            institution = invitation.institution
            people = [
                AttendeeOption(
                    user_id=r.user_id,
                    name=r.user.get_full_name(),
                    announced=r.user_id in announced,
                    checked=str(r.user_id) in checked,
                )
                for r in by_institution.get(institution.pk, [])
            ]
            row = InstitutionAttendance(
                institution.pk,
                institution.name,
                invitation.answer,
                invitation.get_answer_display(),
                people,
            )
            groups.get(institution.pillar, observers).institutions.append(row)
        return [g for g in [*groups.values(), observers] if g.institutions]

    def clean_walk_ins(self) -> list[tuple[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["walk_ins"].splitlines(), start=1):
            name, _sep, organisation = (part.strip() for part in line.partition(","))
            if not name and not organisation:
                continue
            if not name:
                raise ValidationError(
                    _("Line %(number)d has an organisation but no name.") % {"number": number}
                )
            if len(name) > 200 or len(organisation) > 200:
                raise ValidationError(
                    _(
                        "Line %(number)d is too long: at most 200 characters for the name and "
                        "200 for the organisation."
                    )
                    % {"number": number}
                )
            rows.append((name, organisation))
        if len(rows) > MAX_WALK_INS:
            raise ValidationError(_("At most %(max)d walk-ins at a time.") % {"max": MAX_WALK_INS})
        return rows


class NextMeetingForm(forms.Form):
    topics = forms.CharField(
        label=_("Topics agreed for the next meeting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. They become the next plenary's agenda."),
    )
    venue = forms.CharField(label=_("Venue agreed"), required=False, max_length=300)
    guests = forms.ModelMultipleChoiceField(
        label=_("Guests to invite"),
        queryset=Guest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "next-%s")  # unique ids beside the page's other forms
        super().__init__(*args, **kwargs)
        self.fields["guests"].queryset = Guest.objects.order_by("name")


class AdoptForm(forms.Form):
    """The plenary that adopted circulated minutes, and a confirmation: adoption makes them
    the group's final record (no edit after it) and may destroy the attributed record."""

    meeting = forms.ModelChoiceField(
        label=_("Adopted at"),
        queryset=Meeting.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose the plenary that adopted the minutes."),
            "invalid_choice": _(
                "Minutes are adopted at a later plenary of the group, once it has begun: "
                "this one has not taken place."
            ),
        },
    )
    confirm = forms.BooleanField(
        label=_("The plenary adopted this version. After this, the minutes cannot be changed."),
        error_messages={"required": _("Confirm that the plenary adopted this version.")},
    )

    def __init__(self, *args, candidates: list[Meeting], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            pk__in=[m.pk for m in candidates]
        ).order_by("start")


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (everyone invited is told)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class GuestForm(forms.ModelForm):
    class Meta:
        model = Guest
        fields = ["name", "organisation", "position", "email", "expertise"]
        widgets = {"expertise": forms.Textarea(attrs={"rows": 2})}


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=300)
    description = forms.CharField(
        label=_("Why it matters to the group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings, **kwargs):
        """``meetings``: those the person scheduling may see (``meetings.access``)."""
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings.filter(
            status__in=[Meeting.Status.PLANNED, Meeting.Status.CONVENED]
        ).order_by("start")


class ClosedAccessForm(forms.Form):
    """Give one more person access to a closed (Coordination Group) meeting: a member or
    observer of the group who holds no seat (the Secretariat and the seats see it anyway)."""

    user = forms.ModelChoiceField(
        label=_("Give access to"), queryset=User.objects.none(), empty_label=None
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        from meetings.access import closed_grantees
        from vpswg.services.roles import confidential_role_holders

        kwargs.setdefault("auto_id", "closed-%s")  # unique ids beside the page's other forms
        super().__init__(*args, **kwargs)
        seen = confidential_role_holders()
        granted = [u.pk for u in closed_grantees(meeting)]
        self.fields["user"].queryset = (
            current_representative_users().exclude(pk__in=seen).exclude(pk__in=granted)
        )
        # Each person with the institution they represent, as everywhere else in the group.
        self.institutions = dict(
            Representative.objects.filter(end_date__isnull=True).values_list(
                "user_id", "institution__name"
            )
        )
        self.fields["user"].label_from_instance = self._label

    def _label(self, user: User) -> str:
        institution = self.institutions.get(user.pk)
        return f"{user.get_full_name()} — {institution}" if institution else user.get_full_name()


class AccessFilterForm(forms.Form):
    """The access log's filters: a reader (of those in the log), a rendering, a period."""

    reader = forms.TypedChoiceField(label=_("Reader"), coerce=int, required=False, choices=[])
    kind = forms.ChoiceField(label=_("What"), required=False, choices=[])
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people: list[User], **kwargs):
        kwargs.setdefault("auto_id", "access-%s")
        super().__init__(*args, **kwargs)
        self.fields["reader"].choices = [
            ("", _("Everyone")),
            *[(p.pk, p.get_full_name() or p.email) for p in people],
        ]
        self.fields["kind"].choices = [("", _("Everything")), *MinutesAccess.Kind.choices]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Meeting.Kind.choices],
        required=False,
        widget=FilterSelect,
    )
    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, required=False, choices=[], widget=FilterSelect
    )

    def __init__(self, *args, years: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, y) for y in years]]


class CompareForm(forms.Form):
    """Two versions to compare, of those the reader may open (``openable_versions``)."""

    old = forms.TypedChoiceField(label=_("Compare version"), coerce=int, choices=[])
    new = forms.TypedChoiceField(label=_("with version"), coerce=int, choices=[])

    def __init__(self, *args, numbers: list[int], **kwargs):
        kwargs.setdefault("auto_id", "compare-%s")
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(number)s") % {"number": n}) for n in numbers]
        self.fields["old"].choices = self.fields["new"].choices = choices


#: A comment on one part is posted as ``note-<anchor key>`` (``redaction.section_key``...).
NOTE_PREFIX = "note-"
#: The most parts one review may comment on (a crafted post is not a thousand fields).
MAX_NOTES = 300


class ReviewForm(forms.Form):
    """A seat's approval or return: the decision, a general comment, and comments on the
    version's sections and statements (which parts exist, the service checks against the
    version under review)."""

    decision = forms.ChoiceField(
        choices=MinutesReview.Decision.choices,
        error_messages={
            "required": _("Approve or return."),
            "invalid_choice": _("Approve or return."),
        },
    )
    comment = forms.CharField(required=False, max_length=4000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "review-%s")
        super().__init__(*args, **kwargs)
        posted = [
            name
            for name in (self.data or {})
            if name.startswith(NOTE_PREFIX) and name[len(NOTE_PREFIX) :].isascii()
        ]
        for name in posted[:MAX_NOTES]:
            self.fields[name] = forms.CharField(required=False, max_length=4000)

    def notes(self) -> dict[str, str]:
        """``{anchor key: text}`` of the parts commented on."""
        return {
            name[len(NOTE_PREFIX) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(NOTE_PREFIX) and value.strip()
        }
