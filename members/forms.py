"""Membership forms. None carries the working group: views take it from the URL."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import duplicates
from members.models import (
    AnnualReport,
    Application,
    ApplicationVote,
    GroupContribution,
    HandOverVote,
    Institution,
    Representative,
    StandingDecision,
    StandingProposal,
    StandingVote,
    TermsOfReference,
    TermsVote,
)
from members.services.applications import APPLICANT_FIELDS, NOMINATION_FIELDS
from members.services.terms import clean_rules, rule_fields
from vpswg.forms import https_urls
from vpswg.models.tenancy import GOVERNED_FIELDS
from vpswg.uploads import DocumentField


class PillarRuleMixin:
    """A member institution belongs to a pillar; only an observer may have none."""

    def clean(self):
        data = super().clean()
        if data.get("participation") == Institution.Participation.MEMBER and not data.get("pillar"):
            self.add_error("pillar", _("A member institution belongs to one of the three pillars."))
        return data


class DuplicateMixin:
    """Warns when the institution seems to be in the group already (``members.duplicates``);
    the applicant confirms that it is a different one to send anyway."""

    def _add_duplicate_field(self) -> None:
        self.fields["different_institution"] = forms.BooleanField(
            label=_("It is a different institution: send the application anyway."),
            required=False,
            widget=forms.HiddenInput,
        )

    #: Whether the warning names the institution found. Not on the public form: anyone could
    #: learn, name by name, who is (or was) in the group, which only members may see.
    names_the_match = True

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("different_institution"):
            existing = duplicates.find(
                data["name"], data.get("short_name") or "", active_only=not self.names_the_match
            )
            if existing is not None and self.names_the_match:
                self.add_error(
                    "name",
                    _(
                        "“%(name)s” is already in the group. If your institution is the same, "
                        "ask its representatives or the Secretariat; if it is a different one, "
                        "tick the box below and send again."
                    )
                    % {"name": existing.name},
                )
            elif existing is not None:
                self.add_error(
                    "name",
                    _(
                        "An institution with a similar name already takes part in the group. "
                        "If it is yours, ask the Secretariat; if yours is a different one, tick "
                        "the box below and send again."
                    ),
                )
            if existing is not None:
                self.fields["different_institution"].widget = forms.CheckboxInput()
        return data


class ApplicationForm(DuplicateMixin, PillarRuleMixin, forms.ModelForm):
    names_the_match = False  # the public form (see DuplicateMixin)
    letter = DocumentField(label=_("Application letter"))
    #: A field people do not see (hidden by the style sheet, skipped by the keyboard and by
    #: screen readers) and programs filling every field do: an application with it filled in
    #: is taken for a robot's (``members.apply_views.apply``).
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Application
        fields = [*APPLICANT_FIELDS]
        formfield_callback = https_urls
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "proposed_by": forms.TextInput(
                attrs={"placeholder": _("e.g. the civil society pillar of the group")}
            ),
        }

    def __init__(self, *args, letter_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_duplicate_field()
        self.fields["letter"].required = letter_required
        for name in ("attests_institutional", "attests_topics", "attests_standing"):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = _(
                "This criterion must be met to take part in the group."
            )
        self.fields["contact_language"].choices = [
            ("", _("Same as the group")),
            *list(settings.LANGUAGES),
        ]

    def clean(self):
        data = super().clean()
        if not data.get("vps_member") and not (data.get("proposed_by") or "").strip():
            self.add_error(
                "proposed_by",
                _(
                    "Criterion a): if the institution is not a member of the Voluntary Principles "
                    "Initiative, say who in its pillar proposes it."
                ),
            )
        return data


class NominationForm(DuplicateMixin, PillarRuleMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = [*NOMINATION_FIELDS]
        formfield_callback = https_urls
        widgets = {"nomination_reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_duplicate_field()
        self.fields["nomination_reason"].required = True
        self.fields["contact_language"].choices = [
            ("", _("Same as the group")),
            *list(settings.LANGUAGES),
        ]


class StatusLookupForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=24)
    email = forms.EmailField(label=_("Contact e-mail given in the application"))


class ScreenForm(forms.Form):
    complete = forms.TypedChoiceField(
        label=_("The application is"),
        choices=[
            ("yes", _("complete: send it to the Coordination Group")),
            ("no", _("incomplete: ask the applicant for what is missing")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What is missing (sent to the applicant)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("complete") is False and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what is missing: the applicant receives this note."))
        return data


class VoteForm(forms.Form):
    vote = forms.ChoiceField(
        label=_("Your seat's vote"), choices=ApplicationVote.Vote.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (seen by the Secretariat and the Coordination Group)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        help_text=_(
            "Sent with the decision. For a decline, the reason the Coordination Group chooses to give."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AliasesField(forms.CharField):
    """Other names, one per line (used to find the institution's names in minutes)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        seen, names = set(), []
        for line in text.splitlines():
            name = " ".join(line.split())
            if name and name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
        return names


class InstitutionForm(PillarRuleMixin, forms.ModelForm):
    aliases = AliasesField(
        label=_("Other names"),
        required=False,
        help_text=_("One per line: acronyms, former names, how people refer to it."),
    )

    class Meta:
        model = Institution
        formfield_callback = https_urls
        fields = [
            "name",
            "short_name",
            "aliases",
            "pillar",
            "kind",
            "participation",
            "vps_member",
            "website",
            "public_profile",
        ]
        widgets = {"public_profile": forms.Textarea(attrs={"rows": 4})}


class RepresentativeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Representative.Kind.choices)
    job_title = forms.CharField(label=_("Position"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language for e-mails"),
        choices=[("", _("Same as the group")), *settings.LANGUAGES],
        required=False,
    )


class StandingForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in StandingDecision.Decision.choices if c[0] != "admission"],
        help_text=_(
            "A warning or a withdrawal is recorded at once. A suspension, an expulsion or a "
            "reinstatement is proposed: the Coordination Group's seats vote on it."
        ),
    )
    criterion = forms.ChoiceField(
        label=_("Criterion not met"),
        choices=[("", "—"), *StandingProposal.Criterion.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason (the institution is told)"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "standing-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("decision") in {"suspension", "expulsion", "reinstatement"} and not data.get(
            "criterion"
        ):
            self.add_error(
                "criterion", _("Say which criterion is not met (or why it is met again).")
            )
        return data


class StandingVoteForm(forms.Form):
    vote = forms.ChoiceField(
        label=_("Your seat's vote"), choices=StandingVote.Vote.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (for the other seats)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "standing-vote-%s")
        super().__init__(*args, **kwargs)


class AnnualReportForm(forms.ModelForm):
    file = DocumentField(label=_("Attachment (optional)"), required=False)

    class Meta:
        model = AnnualReport
        fields = ["year", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Year reported on"),
            choices=[(y, y) for y in range(this_year, this_year - 4, -1)],
            coerce=int,
            initial=this_year - 1,
        )


class HandOverTargetForm(forms.Form):
    """First step of a hand-over: which member institution takes the Secretariat (its people
    are then offered in the second step)."""

    to = forms.ModelChoiceField(
        label=_("Institution that takes over the Secretariat"), queryset=Institution.objects.none()
    )

    def __init__(self, *args, institutions=None, **kwargs):
        kwargs.setdefault("auto_id", "handover-%s")
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = institutions


class HandOverForm(forms.Form):
    """Second step: the date and who of the incoming institution will hold the Secretariat."""

    effective_on = forms.DateField(
        label=_("Date of the hand-over"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("On this date the roles move. Until then both see the hand-over checklist."),
    )
    incoming = forms.MultipleChoiceField(
        label=_("Who will hold the Secretariat"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They must set up a second factor before they reach anything."),
    )
    reason = forms.CharField(
        label=_("Why, and what was agreed (for the seats)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, people=(), **kwargs):
        kwargs.setdefault("auto_id", "handover-%s")
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in people}
        self.fields["incoming"].choices = [
            (pk, u.get_full_name() or u.email) for pk, u in self.people.items()
        ]

    def clean_incoming(self):
        return [self.people[pk] for pk in self.cleaned_data["incoming"]]


class HandOverVoteForm(forms.Form):
    vote = forms.ChoiceField(
        label=_("Your seat's vote"), choices=HandOverVote.Vote.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (for the other seats)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "handover-vote-%s")
        super().__init__(*args, **kwargs)


class SecretariatTermForm(forms.Form):
    """For a group whose Secretariat began before vpswg: which institution holds it, since."""

    institution = forms.ModelChoiceField(
        label=_("Institution that holds the Secretariat"), queryset=Institution.objects.none()
    )
    started_on = forms.DateField(
        label=_("Since"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, institutions=None, **kwargs):
        kwargs.setdefault("auto_id", "term-%s")
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions

    def clean_started_on(self):
        started = self.cleaned_data["started_on"]
        if started > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return started


class ContributionForm(forms.Form):
    """One institution's contribution in a year (the service checks what goes with what)."""

    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupContribution.Kind.choices)
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("For money; for something in kind, its value if known."),
    )
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("Three letters, e.g. PEN, USD or EUR."),
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    description = forms.CharField(
        label=_("What"),
        required=False,
        max_length=300,
        help_text=_("What was given in kind, e.g. the venue of the March plenary."),
    )

    def __init__(self, *args, institutions=None, **kwargs):
        kwargs.setdefault("auto_id", "contribution-%s")
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["year"].widget.attrs.update({"max": timezone.localdate().year + 1})


class TermsForm(forms.ModelForm):
    """A draft of the terms of reference: its texts, and the governed settings it sets, with
    the settings' own fields and validation (``members.services.terms.clean_rules``)."""

    class Meta:
        model = TermsOfReference
        fields = ["objectives", "criteria", "working_rules", "management", "compliance"]
        fields += ["change_note"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("objectives", "criteria", "working_rules", "management", "compliance")
        } | {"change_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in rule_fields().items():
            self.fields[name] = field
            if name in self.instance.rules:
                self.initial.setdefault(name, self.instance.rules[name])
        self.fields["objectives"].required = True

    def clean(self):
        data = super().clean()
        if all(name in data for name in GOVERNED_FIELDS):  # each parsed: now bound and crossed
            try:
                data["rules"] = clean_rules({name: data[name] for name in GOVERNED_FIELDS})
            except forms.ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    self.add_error(name, errors)
        return data


class TermsVoteForm(forms.Form):
    vote = forms.ChoiceField(
        label=_("Your seat's vote"), choices=TermsVote.Vote.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (for the Secretariat and the other seats)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "terms-vote-%s")
        super().__init__(*args, **kwargs)
