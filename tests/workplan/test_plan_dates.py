"""Planned activities fall within their plan's dates (issue 15: a 2029 activity was accepted in
a 2026-2027 plan), and a plan's dates cannot be narrowed past its activities."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import (
    make_objective,
    make_plan,
    make_planned_activity,
    make_secretariat,
    sign_in,
)
from vpswg.scoping import group_scope
from workplan.models import PlannedActivity

pytestmark = pytest.mark.django_db

MESSAGE = "The plan runs from 2026-01-01 to 2027-12-31: choose a date within it"


@pytest.fixture
def objective(group):
    plan = make_plan(group, start=date(2026, 1, 1), end=date(2027, 12, 31))
    return make_objective(plan)


def post_activity(client, group, objective, **dates):
    url = reverse(
        "workplan:activity_add",
        kwargs={"wg": group.slug, "pk": objective.plan_id, "objective": objective.pk},
    )
    return client.post(
        url,
        {"title": "Curso", "kind": "capacity_building", "status": "planned", **dates},
    )


@pytest.mark.parametrize(
    ("dates", "refused"),
    [
        ({"start_date": "2029-03-01", "due_date": "2029-06-30"}, {"start_date", "due_date"}),
        ({"start_date": "2027-10-01", "due_date": "2028-01-15"}, {"due_date"}),
        ({"start_date": "2025-12-31"}, {"start_date"}),
        ({"start_date": "2026-01-01", "due_date": "2027-12-31"}, set()),
        ({}, set()),
    ],
    ids=["2029", "due-after", "start-before", "the-whole-plan", "no-dates"],
)
def test_a_planned_activity_falls_within_its_plan(client, group, objective, dates, refused):
    sign_in(client, make_secretariat(group))
    response = post_activity(client, group, objective, **dates)
    if not refused:
        assert response.status_code == 302
        with group_scope(group):
            assert PlannedActivity.objects.filter(title="Curso").count() == 1
        return
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == refused
    assert all(MESSAGE in " ".join(errors[name]) for name in refused)
    assert MESSAGE in response.content.decode()
    with group_scope(group):
        assert not PlannedActivity.objects.exists()


def test_a_plan_is_not_narrowed_past_its_activities(client, group, objective):
    make_planned_activity(objective, title="Taller final", due_date=date(2027, 11, 30))
    sign_in(client, make_secretariat(group))
    url = reverse("workplan:edit", kwargs={"wg": group.slug, "pk": objective.plan_id})
    data = {"title": "Plan 2026", "start_date": "2026-01-01", "end_date": "2027-06-30"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Planned activities would fall outside the plan's new dates (Taller final): "
        "change their dates first."
    ]
    assert "outside the plan&#x27;s new dates (Taller final)" in response.content.decode()
    with group_scope(group):
        objective.plan.refresh_from_db()
        assert objective.plan.end_date == date(2027, 12, 31)
    assert client.post(url, {**data, "end_date": "2027-11-30"}).status_code == 302
