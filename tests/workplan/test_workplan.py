"""Work plans: at least a year, adoption by a plenary, closing review, pillar commitment,
action items of the minutes becoming planned activities."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.services import minutes as minutes_service
from tests.factories import (
    cold_process,
    make_institution,
    make_meeting,
    make_minutes,
    make_objective,
    make_plan,
    make_planned_activity,
    make_secretariat,
    make_user,
    sign_in,
)
from vpswg.scoping import group_scope
from workplan import services
from workplan.models import PlannedActivity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), True),
        (date(2026, 1, 1), date(2026, 12, 30), False),
        (date(2026, 3, 15), date(2027, 3, 14), True),
        (date(2024, 2, 29), date(2025, 2, 27), False),
        (date(2024, 2, 29), date(2025, 2, 28), True),
        (date(2026, 1, 1), date(2026, 6, 30), False),
    ],
)
def test_a_plan_covers_at_least_a_year(group, start, end, ok):
    if ok:
        make_plan(group, start=start, end=end)
    else:
        with pytest.raises(ValidationError) as refused:
            make_plan(group, start=start, end=end)
        assert "at least one year" in str(refused.value)


def test_the_form_refuses_a_short_plan_with_a_clear_message(client, group):
    sign_in(client, make_secretariat(group))
    response = client.post(
        reverse("workplan:new", kwargs={"wg": group.slug}),
        {"title": "Too short", "start_date": "2026-01-01", "end_date": "2026-06-30"},
    )
    assert response.status_code == 200
    assert "at least one year" in str(response.context["form"].errors["end_date"])
    assert response.context["form"]["title"].value() == "Too short"


def test_adopt_then_close_with_a_review(group):
    plan = make_plan(group)
    secretariat = make_secretariat(group)
    plenary = make_meeting(group, "held", days=-2)
    coordination_meeting = make_meeting(group, "held", days=-3, kind="coordination")
    with group_scope(group):
        with pytest.raises(ValidationError, match="no objective"):
            services.adopt(plan=plan, actor=secretariat, meeting=plenary)
        services.add_objective(plan=plan, actor=secretariat, title="Capacity")
        with pytest.raises(ValidationError, match="plenary"):
            services.adopt(plan=plan, actor=secretariat, meeting=coordination_meeting)
        with pytest.raises(ValidationError):
            services.close(plan=plan, actor=secretariat, review="Early.")
        services.adopt(plan=plan, actor=secretariat, meeting=plenary)
        assert plan.__class__.objects.get(pk=plan.pk).adopted_at_meeting == plenary
        with pytest.raises(ValidationError, match="review"):
            services.close(plan=plan, actor=secretariat, review="  ")
        services.close(plan=plan, actor=secretariat, review="Most done.")
        with pytest.raises(ValidationError, match="closed"):
            services.add_objective(plan=plan, actor=secretariat, title="Late")


def test_pillar_commitment_flags_a_pillar_without_tasks(group):
    plan = make_plan(group)
    objective = make_objective(plan)
    company = make_institution(group, name="Andes Copper")
    ministry = make_institution(
        group, name="Ministry of Mines", pillar="government", kind="national_government"
    )
    make_planned_activity(objective, lead_institution=company, supporting=[ministry])
    with group_scope(group):
        commitment = {c.pillar: c for c in services.pillar_commitment(plan)}
    assert commitment["companies"].institutions == ["Andes Copper"]
    assert commitment["government"].institutions == ["Ministry of Mines"]
    assert commitment["civil_society"].flagged and not commitment["companies"].flagged


def test_an_action_item_becomes_a_planned_activity_once(client, group):
    ngo = make_institution(
        group, name="Legal Defence Institute", pillar="civil_society", kind="ngo_academic"
    )
    minutes = make_minutes(make_meeting(group, "held", days=-1))
    with group_scope(group):
        section = minutes_service.add_section(
            minutes=minutes, actor=make_user(), title="Agreements"
        )
        item = minutes_service.save_action_item(
            section=section,
            actor=make_user(),
            what="Publish the police agreements",
            institution=ngo,
            due_date=date(2026, 12, 1),
        )
    objective = make_objective(make_plan(group))
    sign_in(client, make_secretariat(group))
    url = reverse("workplan:from_action", kwargs={"wg": group.slug, "pk": item.pk})
    assert client.post(url, {"objective": objective.pk}).status_code == 302
    with group_scope(group):
        planned = PlannedActivity.objects.get(source_action_item=item)
    assert (planned.title, planned.lead_institution, planned.due_date) == (
        "Publish the police agreements",
        ngo,
        date(2026, 12, 1),
    )
    again = client.post(url, {"objective": objective.pk})
    assert again.status_code == 200 and "already a planned activity" in again.content.decode()


def test_plan_page_query_count_does_not_grow(client, group):
    plan = make_plan(group)
    sign_in(client, make_secretariat(group))
    url = reverse("workplan:detail", kwargs={"wg": group.slug, "pk": plan.pk})

    def count():
        cold_process()  # the count of a first request: the per-process cache empty
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    objective = make_objective(plan)
    institutions = [make_institution(group) for _ in range(3)]
    make_planned_activity(objective, lead_institution=institutions[0], supporting=institutions[1:])
    few = count()
    for i in range(20):
        make_planned_activity(
            make_objective(plan, title=f"Objective {i}") if i % 5 == 0 else objective,
            lead_institution=institutions[i % 3],
            supporting=institutions,
        )
    assert count() == few
