"""Work plan forms; institution and meeting choices are the URL's group's (the scope)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from members.models import Institution
from members.queries import active_institutions
from vpswg.forms import https_urls
from workplan.models import Objective, PlannedActivity, WorkPlan
from workplan.services import check_period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    class Meta:
        model = WorkPlan
        fields = ["title", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date"):
            try:
                check_period(data["start_date"], data["end_date"])
            except ValidationError as exc:
                self.add_error(None, exc)  # {"end_date": ...}: shown on the field
        return data


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class PlannedActivityForm(forms.ModelForm):
    supporting_institutions = forms.ModelMultipleChoiceField(
        label=_("Supporting institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PlannedActivity
        fields = [
            "title",
            "kind",
            "description",
            "lead_institution",
            "supporting_institutions",
            "start_date",
            "due_date",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE,
            "due_date": DATE,
        }
        formfield_callback = https_urls

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = active_institutions().order_by("name")
        self.fields["lead_institution"].queryset = active
        self.fields["supporting_institutions"].queryset = active


class AdoptForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Adopted at the plenary"), queryset=Meeting.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            kind=Meeting.Kind.PLENARY, status__in=[Meeting.Status.CONVENED, Meeting.Status.HELD]
        ).order_by("-start")


class CloseForm(forms.Form):
    review = forms.CharField(label=_("Review"), widget=forms.Textarea(attrs={"rows": 4}))


class FromActionForm(forms.Form):
    objective = forms.ModelChoiceField(
        label=_("Under the objective"), queryset=Objective.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = (
            Objective.objects.exclude(plan__status=WorkPlan.Status.CLOSED)
            .select_related("plan")
            .order_by("-plan__start_date", "position")
        )
        self.fields["objective"].label_from_instance = lambda o: f"{o.plan.title} — {o.title}"
