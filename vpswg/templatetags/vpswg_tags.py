"""Template tags of the layout: form fields by name, figures, and the server-drawn charts."""

from django import template

from vpswg import charts, figures

register = template.Library()


@register.filter
def fields_named(form, names: str):
    """The bound fields of ``form`` named in the space-separated ``names``, in that order."""
    return [form[name] for name in names.split() if name in form.fields]


@register.filter
def figure(value) -> str:
    """A count as the reader writes it (``vpswg.figures``). Years are not figures: they are
    written as they are."""
    return figures.figure(value)


@register.simple_tag
def stacked_chart(chart, title):
    """A chart of ``vpswg.charts.stacked_columns`` as SVG (with its legend)."""
    return charts.stacked_svg(chart, title)


@register.simple_tag
def horizontal_chart(chart, title):
    """A chart of ``vpswg.charts.horizontal`` as SVG."""
    return charts.horizontal_svg(chart, title)
