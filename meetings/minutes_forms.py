"""The parts of the attributed record as Django forms, one per part the editor saves.

What a post may hold is decided here, not in the view: a due date that is a date, an
institution and a speaker of this group (the scope finds no other), texts within their
columns, and an id or revision that is a number (anything else is None: an unknown part is not
found, an edit without its revision is refused by the service, which is the one place that
knows there is nothing to compare it with). Each form saves through ``meetings.services.minutes``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import ActionItem, Contribution, Decision, Minutes, MinutesSection
from meetings.services import minutes as service
from meetings.services.attribution import SpeakerRef
from members.models import Institution
from vpswg.forms import PostedIdField
from vpswg.models import User


class PartForm(forms.Form):
    """A part of ``minutes``: the existing one (``target``, None for a new one) in its
    ``section``. The view finds both (another meeting's part is a 404) before the form runs."""

    revision = PostedIdField()

    def __init__(
        self,
        data,
        *,
        minutes: Minutes,
        target=None,
        section: MinutesSection | None = None,
    ):
        super().__init__(data)
        self.minutes, self.target, self.section = minutes, target, section

    def save(self, actor: User):
        raise NotImplementedError

    def error_text(self) -> str:
        return " ".join(message for errors in self.errors.values() for message in errors)


class SummaryForm(PartForm):
    summary = forms.CharField(required=False, strip=False)

    def save(self, actor: User) -> Minutes:
        return service.save_summary(
            minutes=self.minutes,
            actor=actor,
            summary=self.cleaned_data["summary"],
            revision=self.cleaned_data["revision"],
        )


class NewSectionForm(PartForm):
    title = forms.CharField(
        required=False, max_length=MinutesSection._meta.get_field("title").max_length
    )

    def save(self, actor: User) -> MinutesSection:
        return service.add_section(
            minutes=self.minutes, actor=actor, title=self.cleaned_data["title"]
        )


class SectionForm(PartForm):
    title = forms.CharField(
        required=False, max_length=MinutesSection._meta.get_field("title").max_length
    )
    main_points = forms.CharField(required=False, strip=False)

    def save(self, actor: User) -> MinutesSection:
        return service.save_section(
            section=self.target,
            actor=actor,
            title=self.cleaned_data["title"],
            main_points=self.cleaned_data["main_points"],
            revision=self.cleaned_data["revision"],
        )


class ContributionForm(PartForm):
    text = forms.CharField(error_messages={"required": _("Write what was said.")})
    #: ``user:<id>``, ``guest:<id>``, ``keep`` (the stored speaker, unread) or empty
    #: (unattributed); checked against this group's representatives and guests.
    speaker = forms.CharField(required=False, strip=False)

    def clean_speaker(self) -> SpeakerRef:
        return service.parse_speaker(self.cleaned_data["speaker"])

    def save(self, actor: User) -> Contribution:
        return service.save_contribution(
            section=self.section,
            actor=actor,
            text=self.cleaned_data["text"],
            speaker=self.cleaned_data["speaker"],
            contribution=self.target,
            revision=self.cleaned_data["revision"],
        )


class DecisionForm(PartForm):
    text = forms.CharField(error_messages={"required": _("Write the decision.")})

    def save(self, actor: User) -> Decision:
        return service.save_decision(
            section=self.section,
            actor=actor,
            text=self.cleaned_data["text"],
            decision=self.target,
            revision=self.cleaned_data["revision"],
        )


class ActionForm(PartForm):
    what = forms.CharField(
        max_length=ActionItem._meta.get_field("what").max_length,
        error_messages={"required": _("Say what is to be done.")},
    )
    institution = forms.ModelChoiceField(
        queryset=Institution.objects.none(),  # the group's, in __init__ (the scope)
        required=False,
        error_messages={"invalid_choice": _("Choose an institution of the group.")},
    )
    # The date picker posts 2027-03-15; a browser without one lets people type the date in
    # their language's format, which is accepted too.
    due_date = forms.DateField(
        required=False, error_messages={"invalid": _("Enter the due date as YYYY-MM-DD.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.all()

    def save(self, actor: User) -> ActionItem:
        return service.save_action_item(
            section=self.section,
            actor=actor,
            what=self.cleaned_data["what"],
            institution=self.cleaned_data["institution"],
            due_date=self.cleaned_data["due_date"],
            item=self.target,
            revision=self.cleaned_data["revision"],
        )


class DeleteForm(PartForm):
    def save(self, actor: User) -> None:
        service.delete_part(obj=self.target, actor=actor)


#: The editor's parts: what ``part`` names, the model of the part it saves (None: a new
#: section), the form that checks and saves it, and whether it may be a new one in a section.
PARTS: dict[str, tuple[type | None, type[PartForm], bool]] = {
    "summary": (Minutes, SummaryForm, False),
    "section_new": (None, NewSectionForm, False),
    "section": (MinutesSection, SectionForm, False),
    "contribution": (Contribution, ContributionForm, True),
    "decision": (Decision, DecisionForm, True),
    "action": (ActionItem, ActionForm, True),
    "delete_contribution": (Contribution, DeleteForm, False),
    "delete_decision": (Decision, DeleteForm, False),
    "delete_action": (ActionItem, DeleteForm, False),
    "delete_section": (MinutesSection, DeleteForm, False),
}

#: The parts the editor autosaves: their answer to htmx is a status line, not a page.
AUTOSAVED = {"summary", "section", "contribution", "decision", "action"}
