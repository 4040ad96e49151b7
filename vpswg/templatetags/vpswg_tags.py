"""Template tags of the layout: form fields by name, figures, and the server-drawn charts."""

from django import template
from django.utils import formats

from vpswg import charts

register = template.Library()


@register.filter
def fields_named(form, names: str):
    """The bound fields of ``form`` named in the space-separated ``names``, in that order."""
    return [form[name] for name in names.split() if name in form.fields]


@register.filter
def figure(value) -> str:
    """A count as the reader writes it, thousands grouped ("2,213" in English, "2.213" in
    Spanish), and "–" when it is not known (``None``): an unknown is not a zero. Years are
    not figures: they are written as they are."""
    if value is None or value == "":
        return "–"
    return formats.number_format(value, force_grouping=True)


@register.simple_tag
def stacked_chart(chart, title):
    """A chart of ``vpswg.charts.stacked_columns`` as SVG (with its legend)."""
    return charts.stacked_svg(chart, title)


@register.simple_tag
def horizontal_chart(chart, title):
    """A chart of ``vpswg.charts.horizontal`` as SVG."""
    return charts.horizontal_svg(chart, title)
