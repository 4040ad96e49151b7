"""The forms of the document library: a new document, its details, a new version, filters."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.forms import FilterForm
from meetings.models import AgendaItem, Document, Meeting
from vpswg.forms import FilterSelect, PostedIdField
from vpswg.uploads import DocumentField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentDetailsForm(forms.Form):
    """What a document is and who reads it (the file apart: ``DocumentForm``)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    date = forms.DateField(
        label=_("Date"), widget=DATE, help_text=_("The date of the document, not of the upload.")
    )
    audience = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Document.Audience.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Checked on every page, download, search result and meeting pack. A document of a "
            "meeting is read only by those who see the meeting."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    meeting = forms.TypedChoiceField(
        label=_("Meeting"), coerce=int, required=False, empty_value=None, choices=[]
    )
    agenda_item = PostedIdField(label=_("Agenda item"))

    def __init__(self, *args, group, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.fixed_meeting = meeting
        if meeting is not None:
            # Attached from the meeting's page: the meeting is that one, its items offered.
            del self.fields["meeting"]
            self.items = list(meeting.agenda_items.order_by("position", "pk"))
        else:
            self.fields["meeting"].choices = [
                ("", _("None: the group's library")),
                *[
                    (m.pk, f"{m.title} ({timezone.localdate(m.start, group.zone):%Y-%m-%d})")
                    for m in Meeting.objects.order_by("-start")
                ],
            ]
            self.items = []
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("language", group.default_language)
            self.initial.setdefault("audience", Document.Audience.MEMBERS)

    def clean(self):
        data = super().clean()
        meeting = self.fixed_meeting
        if meeting is None and data.get("meeting"):
            meeting = Meeting.objects.filter(pk=data["meeting"]).first()
            if meeting is None:
                self.add_error("meeting", _("Choose one of the group's meetings."))
        data["meeting_obj"] = meeting
        item = None
        if data.get("agenda_item") is not None:
            item = (
                AgendaItem.objects.filter(pk=data["agenda_item"], meeting=meeting).first()
                if meeting is not None
                else None
            )
            if item is None:
                self.add_error("agenda_item", _("Choose one of the meeting's agenda items."))
        data["agenda_item_obj"] = item
        return data

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "language": data["language"],
            "date": data["date"],
            "audience": data["audience"],
            "description": data.get("description", ""),
            "meeting": data["meeting_obj"],
            "agenda_item": data["agenda_item_obj"],
        }


class DocumentForm(DocumentDetailsForm):
    file = DocumentField(label=_("File"))
    note = forms.CharField(label=_("Note on this version"), max_length=300, required=False)

    field_order = ["file", "title", "kind", "language", "date", "audience", "description"]


class VersionForm(forms.Form):
    file = DocumentField(label=_("New version"))
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("The earlier versions are kept."),
    )


class LibraryFilterForm(FilterForm):
    """The meetings list's filters, with the kinds of documents."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Document.Kind.choices],
        required=False,
        widget=FilterSelect,
    )
