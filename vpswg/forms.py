"""Forms of the project package."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from vpswg.models import WorkingGroup
from vpswg.models.tenancy import GOVERNED_FIELDS

#: The largest value of a bigint column (ids, revisions).
BIGINT = 2**63 - 1


def posted_id(value: object) -> int | None:
    """An id or a revision as posted: ASCII digits that fit a bigint, else None (the caller
    decides what none means). ``"²".isdigit()`` is true, but "²" is no number to int() or the
    database; 5,000 digits are past int()'s limit."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    return int(value) if len(value) <= 19 and int(value) <= BIGINT else None


class PostedIdField(forms.Field):
    """A posted id or revision (``posted_id``); never an error of its own."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return posted_id(value)


def https_urls(db_field: models.Field, **kwargs) -> forms.Field | None:
    """ModelForm ``formfield_callback``: an address typed without a scheme is https; a choice
    of a tenant's rows starts empty (the form is defined outside any group's scope) and the
    form fills it, inside the request's scope, in ``__init__``."""
    from vpswg.scoping import TenantModel

    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if db_field.is_relation and issubclass(db_field.related_model, TenantModel):
        kwargs.setdefault("queryset", db_field.related_model.objects.none())
    return db_field.formfield(**kwargs)


class GroupSettingsForm(forms.ModelForm):
    """What the Secretariat may change about its group. The slug and listing are the
    operator's; the settings that govern how the group works and decides
    (``GOVERNED_FIELDS``) are its terms of reference's, changed only when a plenary adopts a
    version, so they are shown here, not edited."""

    class Meta:
        model = WorkingGroup
        fields = [
            "name",
            "country",
            "public_description",
            "default_language",
            "timezone",
            "applications_open",
            "report_reminder_days",
            "contributions_shown_to_members",
            "initiative_shares_meetings",
            "initiative_shares_activities",
            "initiative_shares_membership",
            "initiative_shares_minutes",
            "founding_guide",
        ]
        widgets = {"public_description": forms.Textarea(attrs={"rows": 5})}


def governed_values(group: WorkingGroup) -> list[tuple[str, str]]:
    """Each governed setting's label and value as the group runs on it, to be read beside
    the settings it may change."""
    rows = []
    for name in GOVERNED_FIELDS:
        field = WorkingGroup._meta.get_field(name)
        value = getattr(group, name)
        if field.choices:
            shown = str(getattr(group, f"get_{name}_display")())
        elif isinstance(value, bool):
            shown = str(_("Yes") if value else _("No"))
        elif name == "annual_report_due":
            month, day = (int(part) for part in value.split("-"))
            shown = formats.date_format(date(2000, month, day), "MONTH_DAY_FORMAT")
        else:
            shown = str(value)
        rows.append((str(field.verbose_name), shown))
    return rows


class FilterSelect(forms.Select):
    """A ``<select>`` written in Python rather than through a template per option.

    For the filter bars of list pages, rendered on every view: Django's widget templates cost
    about a millisecond for a select of a dozen options, a tenth of such a page. The markup
    is the one Django's template produces (name, id, attributes, ``selected``)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(option["value"])}"'
            f"{' selected' if option['selected'] else ''}>{escape(option['label'])}</option>"
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        )
        return mark_safe(
            f'<select name="{escape(name)}"{flatatt(widget["attrs"])}>{options}</select>'
        )


class DescribedBoundField(forms.BoundField):
    """Django ties a field's help text and errors to its input with ``aria-describedby``, but
    not for the fields it expects in a ``<fieldset>`` (radio buttons, lists of checkboxes):
    vpswg's templates render those without one, so each input of the group carries the
    reference itself, or a screen reader announces the error nowhere near the choice."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        described_by = self.aria_describedby if self.use_fieldset else None
        if described_by and not attrs.get("aria-describedby"):
            attrs["aria-describedby"] = described_by
        return attrs


class FormRenderer(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER): Django's, with the bound field
    above for every form."""

    bound_field_class = DescribedBoundField
