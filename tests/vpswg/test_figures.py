"""Figures as the reader writes them: grouped in the page's language where a count is shown,
never in ids or years (USE_THOUSAND_SEPARATOR stays off)."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.factories import make_activity, make_secretariat, sign_in
from vpswg import charts
from vpswg.figures import figure

GROUPED = {"en": "12,345", "es": "12.345", "fr": "12\u202f345"}


def test_a_figure_is_grouped_in_each_language():
    for language, expected in GROUPED.items():
        with translation.override(language):
            assert figure(12345) == expected
            assert figure(999) == "999"
            assert figure(None) == "–"  # not known is not zero


def test_only_figures_are_grouped_not_ids_or_years():
    assert settings.USE_THOUSAND_SEPARATOR is False
    template = Template('{% load vpswg_tags %}<a href="/x/{{ pk }}/">{{ year }}</a> {{ n|figure }}')
    with translation.override("es"):
        html = template.render(Context({"pk": 12345, "year": 2026, "n": 12345}))
    assert html == '<a href="/x/12345/">2026</a> 12.345'


def test_chart_values_are_figures_and_coordinates_stay_svg():
    chart = charts.horizontal([("Police", 12345), ("Companies", 600)], width=500)
    with translation.override("es"):
        svg = charts.horizontal_svg(chart, "Participants")
    assert "<title>Police: 12.345</title>" in svg and ">12.345</text>" in svg
    assert "," not in svg.split("viewBox", 1)[1].split(">", 1)[0]  # "0 -2 500 …": no comma


@pytest.mark.django_db
def test_the_register_and_an_activity_show_grouped_counts(client, group, outsider):
    activity = make_activity(
        group,
        title="Curso regional",
        start_date=date(2025, 5, 5),
        counts=[("ngos", 1234, None, None)],
    )
    sign_in(client, make_secretariat(group))
    register = reverse("activities:list", kwargs={"wg": group.slug})
    page = reverse("activities:detail", kwargs={"wg": group.slug, "pk": activity.pk})
    for language, grouped in {"en": "1,234", "es": "1.234", "fr": "1\u202f234"}.items():
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        listing = client.get(register).content.decode()
        assert f'<td class="num">{grouped}</td>' in listing, language
        assert f'href="{register}{activity.pk}/"' in listing  # the id as it is
        detail = client.get(page).content.decode()
        assert f'<td class="num">{grouped}</td>' in detail, language
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "<h2>1,234 participants</h2>" in client.get(page).content.decode()
    client.logout()
    sign_in(client, outsider)
    assert client.get(register).status_code == 404
    assert client.get(page).status_code == 404
