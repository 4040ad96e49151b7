"""Field errors are tied to their fields for screen readers (WCAG 1.3.1, 3.3.1)."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class Answer(forms.Form):
    name = forms.CharField(help_text="As on the letter.")
    answer = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, help_text="One."
    )
    criteria = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )


def inputs(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)


def test_every_invalid_input_names_its_error_and_help():
    form = Answer(data={"name": ""})
    html = render_to_string("vpswg/includes/form_fields.html", {"form": form})
    for name, described in (
        ("name", "id_name_helptext id_name_error"),
        ("answer", "id_answer_helptext id_answer_error"),
        ("criteria", "id_criteria_error"),
    ):
        found = inputs(html, name)
        assert found, name
        for tag in found:
            assert f'aria-describedby="{described}"' in tag, tag
            assert 'aria-invalid="true"' in tag, tag
        # One element holds the field's errors, with the id the inputs name.
        assert html.count(f'id="id_{name}_error"') == 1
    # The summary (vpswg/includes/error_summary.html) links to each field, a group's first input.
    summary = render_to_string("vpswg/includes/error_summary.html", {"form": form})
    for target in ("id_name", "id_answer_0", "id_criteria_0"):
        assert f'href="#{target}"' in summary
        assert f'id="{target}"' in html
    assert re.search(
        r'<div class="error" id="id_answer_error"><p>This field is required.</p>', html
    )


def test_a_valid_radio_group_names_only_its_help():
    form = Answer(data={"name": "x", "answer": "yes", "criteria": ["a"]})
    assert form.is_valid()
    html = render_to_string("vpswg/includes/form_fields.html", {"form": form})
    for tag in inputs(html, "answer"):
        assert 'aria-describedby="id_answer_helptext"' in tag
        assert "aria-invalid" not in tag
    assert "_error" not in html
