"""Activity register and outreach forms; choices are the URL's group's (the scope)."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities import importing
from activities.models import Activity, OutreachEntry, Sector
from activities.services import ACTIVITY_FIELDS, Count
from meetings.models import Guest
from members.models import Institution
from members.queries import active_institutions
from vpswg.figures import figure
from vpswg.forms import https_urls
from vpswg.models import User
from vpswg.roles import Pillar
from vpswg.uploads import MAX_SPREADSHEET_BYTES, MESSAGES, DocumentField
from workplan.models import PlannedActivity

#: The lists of member institutions an activity names.
PICKERS = ("organisers", "partner_institutions", "funder_institutions")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: More people of one sector than any activity has: also below what the database column holds.
MAX_PARTICIPANTS = 1_000_000


class ActivityForm(forms.ModelForm):
    """``proposer``: a member proposing an activity, whose own institutions are offered as its
    organisers; the three lists of institutions are drawn grouped by pillar (``pickers``)."""

    organisers = forms.ModelMultipleChoiceField(
        label=_("Organising member institutions"),
        queryset=Institution.objects.none(),
        error_messages={
            "required": _(
                "Choose at least one organising member institution: the reports count each activity for the institutions that organised it."
            )
        },
        widget=forms.CheckboxSelectMultiple,
    )
    partner_institutions = forms.ModelMultipleChoiceField(
        label=_("Partner member institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    funder_institutions = forms.ModelMultipleChoiceField(
        label=_("Funding member institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = DocumentField(
        label=_("Evidence (programme, report, attendance sheet)"), required=False
    )

    class Meta:
        model = Activity
        fields = [*ACTIVITY_FIELDS, "organisers", "partner_institutions", "funder_institutions"]
        formfield_callback = https_urls
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "publication_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "funders": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, proposer: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        members = active_institutions().order_by("name")
        for name in PICKERS:
            self.fields[name].queryset = members
        if proposer is not None and not self.instance.pk and not self.is_bound:
            self.initial["organisers"] = list(
                members.filter(
                    representatives__user=proposer, representatives__end_date__isnull=True
                ).values_list("pk", flat=True)
            )
        self._members = members
        self.fields["planned_activity"].queryset = PlannedActivity.objects.select_related(
            "objective__plan"
        ).order_by("-due_date")
        existing = (
            {p.sector: p for p in self.instance.participants.all()} if self.instance.pk else {}
        )
        for sector in Sector:
            current = existing.get(sector.value)
            self.fields[f"count_{sector.value}"] = forms.IntegerField(
                label=sector.label,
                min_value=0,
                max_value=MAX_PARTICIPANTS,
                required=False,
                initial=current.total if current else None,
            )
            self.fields[f"women_{sector.value}"] = forms.IntegerField(
                label=_("women"),
                min_value=0,
                max_value=MAX_PARTICIPANTS,
                required=False,
                initial=current.women if current else None,
            )
            self.fields[f"men_{sector.value}"] = forms.IntegerField(
                label=_("men"),
                min_value=0,
                max_value=MAX_PARTICIPANTS,
                required=False,
                initial=current.men if current else None,
            )

    def clean(self):
        data = super().clean()
        for sector in Sector:
            total = data.get(f"count_{sector.value}") or 0
            women, men = data.get(f"women_{sector.value}"), data.get(f"men_{sector.value}")
            if (women or 0) + (men or 0) > total:
                self.add_error(
                    f"count_{sector.value}",
                    _("Women and men add up to more than the participants."),
                )
        return data

    def pickers(self) -> dict[str, list[tuple[str, list]]]:
        """For each list of institutions, its checkboxes by pillar (observers without one
        last): three lists of some thirty institutions each, drawn side by side and filtered as
        one types (``static/js/picker.js``), rather than ninety checkboxes one under another."""
        pillar_of = dict(self._members.values_list("pk", "pillar"))
        labels = {**dict(Pillar.choices), "": _("Other institutions")}
        result = {}
        for name in PICKERS:
            groups: dict[str, list] = {key: [] for key in labels}
            for option in self[name].subwidgets:
                value = option.data["value"]
                groups[pillar_of.get(getattr(value, "value", value), "")].append(option)
            result[name] = [(labels[key], items) for key, items in groups.items() if items]
        return result

    @property
    def counts(self) -> list[Count]:
        return [
            Count(
                s.value,
                self.cleaned_data.get(f"count_{s.value}") or 0,
                self.cleaned_data.get(f"women_{s.value}"),
                self.cleaned_data.get(f"men_{s.value}"),
            )
            for s in Sector
        ]

    @property
    def sector_rows(self):
        return [
            (s, self[f"count_{s.value}"], self[f"women_{s.value}"], self[f"men_{s.value}"])
            for s in Sector
        ]


class OutreachForm(forms.ModelForm):
    class Meta:
        model = OutreachEntry
        fields = [
            "date",
            "target_name",
            "target_kind",
            "target_institution",
            "guest",
            "by_institution",
            "method",
            "outcome",
        ]
        formfield_callback = https_urls
        widgets = {"date": DATE, "outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = Institution.objects.order_by("name")
        self.fields["target_institution"].queryset = institutions
        self.fields["by_institution"].queryset = institutions
        self.fields["guest"].queryset = Guest.objects.order_by("name")


class PeriodForm(forms.Form):
    start = forms.IntegerField(label=_("From"), min_value=1990, max_value=2100, required=False)
    end = forms.IntegerField(label=_("To"), min_value=1990, max_value=2100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class AnnualReportForm(forms.Form):
    """The year of the annual report: from 2000 (the Voluntary Principles) to this year."""

    year = forms.IntegerField(
        label=_("Year"),
        max_value=9999,
        error_messages={
            "required": _("Choose the year of the report."),
            "invalid": _("Enter the year as a number, e.g. 2025."),
            "max_value": _("Enter the year as a number, e.g. 2025."),
        },
    )

    def clean_year(self):
        from activities.annual import FIRST_YEAR

        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            raise forms.ValidationError(
                _("Choose a year from %(first)s to %(last)s."),
                params={"first": FIRST_YEAR, "last": this_year},
            )
        return year


class ImportUploadForm(forms.Form):
    """The spreadsheet to import; its content is judged by ``vpswg.uploads.validate_spreadsheet``
    (through ``activities.importing.upload``), its size first by the browser
    (``static/js/uploads.js``)."""

    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        error_messages={"required": _("Choose the spreadsheet to import.")},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv",
                "data-max-bytes": str(MAX_SPREADSHEET_BYTES),
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(rows)s rows and %(size)s. The first row holds the column headers of the template."
        ) % {"rows": figure(importing.MAX_ROWS), "size": filesizeformat(MAX_SPREADSHEET_BYTES)}
        self.fields["file"].widget.attrs["data-max-message"] = str(
            MESSAGES["too_large_spreadsheet"]
        ) % {
            "size": "%(size)s",
            "limit": filesizeformat(MAX_SPREADSHEET_BYTES),
        }


class ImportRowForm(forms.Form):
    """One row of the preview, as typed (every cell is text: the checks are the import's own,
    ``importing.check``, so that the row shows the same errors the import would meet)."""

    def __init__(self, *args, cells: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for column in importing.COLUMNS:
            value = cells.get(column.key, "")
            if column.key == "kind":
                field = forms.CharField(
                    label=column.label,
                    required=False,
                    max_length=importing.MAX_CELL,
                    widget=forms.TextInput(attrs={"list": "import-kinds"}),
                )
            elif column.key in {"organisers", "description"}:
                field = forms.CharField(
                    label=column.label,
                    required=False,
                    max_length=importing.MAX_CELL,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("Names or short names, separated by semicolons.")
                    if column.key == "organisers"
                    else "",
                )
            else:
                field = forms.CharField(
                    label=column.label, required=False, max_length=importing.MAX_CELL
                )
            field.initial = value
            self.fields[column.key] = field

    @property
    def main_fields(self):
        return [self[c.key] for c in importing.COLUMNS[:8]]

    @property
    def sector_rows(self):
        return [
            (s, self[f"{s.value}_total"], self[f"{s.value}_women"], self[f"{s.value}_men"])
            for s in Sector
        ]
