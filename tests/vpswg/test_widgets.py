"""The Python-rendered select of the filter bars writes what Django's template writes."""

import re

from django import forms

from vpswg.forms import FilterSelect

CHOICES = [("", "All kinds"), ("plenary", "Plenary"), ('x"<y>', "Tom & <Jerry>"), (2015, 2015)]


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_filter_select_matches_django_select_with_selection_attrs_and_escaping():
    for value in ("", "plenary", 'x"<y>', 2015, None):
        ours = FilterSelect(attrs={"class": "small"}, choices=CHOICES).render(
            "kind", value, {"id": "id_kind"}
        )
        django = forms.Select(attrs={"class": "small"}, choices=CHOICES).render(
            "kind", value, {"id": "id_kind"}
        )
        assert ours == _squeeze(django)
    assert "Tom &amp; &lt;Jerry&gt;" in ours and "<Jerry>" not in ours
    assert 'value="x&quot;&lt;y&gt;"' in ours
