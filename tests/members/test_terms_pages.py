"""The terms of reference's pages, the seats' appointment, the founding guide on the dashboard,
and the adopted criteria on the public and the application pages (issue 20)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.services import terms as adoption
from members.models import TermsOfReference
from members.services import terms as service
from portal import guide
from tests.factories import (
    make_coordination,
    make_institution,
    make_meeting,
    make_member,
    make_representative,
    make_secretariat,
    make_topic,
)
from vpswg.models import RoleAssignment
from vpswg.roles import Pillar, Role
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db
PILLARS = (Pillar.COMPANIES, Pillar.GOVERNMENT, Pillar.CIVIL_SOCIETY)


def url(group, name, **kw):
    return reverse(f"group:{name}", kwargs={"wg": group.slug, **kw})


@pytest.fixture
def world(group):
    return {
        "group": group,
        "secretariat": make_secretariat(group),
        "seats": {p: make_coordination(group, p) for p in PILLARS},
        "member": make_member(group),
    }


def adopted(world, criteria="CANARY-ADOPTED-CRITERION", **rules) -> TermsOfReference:
    group, secretariat = world["group"], world["secretariat"]
    with group_scope(group):
        terms = service.start_draft(working_group=group, actor=secretariat)
        service.save_draft(
            terms=terms,
            actor=secretariat,
            texts={"objectives": "Dialogue on security and human rights.", "criteria": criteria},
            rules={**terms.rules, **rules},
        )
        service.submit(terms=terms, actor=secretariat)
        for seat in world["seats"].values():
            service.vote(terms=terms, actor=seat, choice="approve")
        return adoption.adopt(terms=terms, meeting=make_meeting(group, "held"), actor=secretariat)


def proposal(world, text="CANARY-DRAFT-OBJECTIVE") -> TermsOfReference:
    group, secretariat = world["group"], world["secretariat"]
    with group_scope(group):
        terms = service.start_draft(working_group=group, actor=secretariat)
        service.save_draft(
            terms=terms, actor=secretariat, texts={"objectives": text}, rules=terms.rules
        )
        return service.submit(terms=terms, actor=secretariat)


def test_members_read_the_version_in_force_but_not_a_proposal(client, world, other_group):
    first = adopted(world)
    draft = proposal(world)
    client.force_login(world["member"])
    page = client.get(url(world["group"], "terms")).content.decode()
    assert "CANARY-ADOPTED-CRITERION" in page and "In force since" in page
    assert "CANARY-DRAFT-OBJECTIVE" not in page and "New version" not in page
    assert client.get(url(world["group"], "terms_version", number=draft.number)).status_code == 404
    assert client.get(url(world["group"], "terms_pdf", number=draft.number)).status_code == 404
    pdf = client.get(url(world["group"], "terms_pdf", number=first.number))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # A seat reads the proposal and votes on it; the member may not vote.
    response = client.post(
        url(world["group"], "terms_vote", number=draft.number), {"vote": "approve"}
    )
    assert response.status_code == 403
    client.force_login(world["seats"][Pillar.GOVERNMENT])
    assert (
        "CANARY-DRAFT-OBJECTIVE"
        in client.get(url(world["group"], "terms_version", number=draft.number)).content.decode()
    )
    client.post(url(world["group"], "terms_vote", number=draft.number), {"vote": "decline"})
    with group_scope(world["group"]):
        assert [v.vote for v in draft.votes.all()] == ["decline"]
    # Someone of another group: 404 on every page, even for a version that exists there.
    outsider = make_secretariat(other_group)
    client.force_login(outsider)
    for name, kw in (
        ("terms", {}),
        ("terms_version", {"number": first.number}),
        ("terms_pdf", {"number": first.number}),
    ):
        assert client.get(url(world["group"], name, **kw)).status_code == 404
    assert client.post(url(world["group"], "terms_new")).status_code == 404
    with group_scope(world["group"]):
        assert TermsOfReference.objects.count() == 2


def test_the_secretariat_drafts_through_the_page_and_bad_input_loses_nothing(client, world):
    group = world["group"]
    client.force_login(world["secretariat"])
    response = client.post(url(group, "terms_new"))
    with group_scope(group):
        terms = TermsOfReference.objects.get()
    assert response.url == url(group, "terms_edit", number=terms.number)
    form = client.get(response.url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("annual_report_required", None)
    data |= {"objectives": "Our long-term objectives.", "meeting_cadence_months": "13"}
    refused = client.post(response.url, data)
    assert refused.status_code == 200
    assert "meeting_cadence_months" in refused.context["form"].errors
    assert "Our long-term objectives." in refused.content.decode()
    terms.refresh_from_db()
    assert terms.objectives == ""
    client.post(response.url, {**data, "meeting_cadence_months": "2", "submit": "1"})
    terms.refresh_from_db()
    assert terms.status == "review" and terms.rules["meeting_cadence_months"] == 2
    assert terms.rules["annual_report_required"] is False  # the box was left unticked
    group.refresh_from_db()
    assert group.meeting_cadence_months == 3  # not until adopted


def test_adoption_through_the_page_records_the_plenary(client, world):
    group = world["group"]
    terms = proposal(world)
    plenary = make_meeting(group, "held", title="Constituent plenary")
    client.force_login(world["secretariat"])
    page = client.get(url(group, "terms_version", number=terms.number)).content.decode()
    assert "Wait for the votes" in page and "adopt-form" not in page
    refused = client.post(url(group, "terms_adopt", number=terms.number), {"meeting": plenary.pk})
    assert refused.status_code == 302
    terms.refresh_from_db()
    assert terms.status == "review"
    with group_scope(group):
        for seat in world["seats"].values():
            service.vote(terms=terms, actor=seat, choice="approve")
    page = client.get(url(group, "terms_version", number=terms.number)).content.decode()
    assert "adopt-form" in page and "Constituent plenary" in page
    client.post(url(group, "terms_adopt", number=terms.number), {"meeting": "x" * 5000})
    client.post(url(group, "terms_adopt", number=terms.number), {"meeting": plenary.pk})
    terms.refresh_from_db()
    assert terms.status == "adopted" and terms.adopted_at_meeting_id == plenary.pk


def test_the_public_and_the_application_pages_show_the_adopted_criteria(client, world):
    proposal_text = "CANARY-PROPOSED-CRITERION"
    adopted(world)
    group, secretariat = world["group"], world["secretariat"]
    with group_scope(group):
        terms = service.start_draft(working_group=group, actor=secretariat)
        service.save_draft(
            terms=terms,
            actor=secretariat,
            texts={"objectives": "x", "criteria": proposal_text},
            rules=terms.rules,
        )
    for page in (
        reverse("group:home", kwargs={"wg": group.slug}),
        reverse("apply:form", kwargs={"wg": group.slug}),
    ):
        body = client.get(page).content.decode()
        assert "CANARY-ADOPTED-CRITERION" in body and "As adopted by the plenary" in body
        assert proposal_text not in body
        assert "be highly regarded among their peers" in body


def test_the_secretariat_records_the_seats(client, world, other_group):
    group = world["group"]
    institution = make_institution(group, name="Ministry of Mines", pillar=Pillar.GOVERNMENT)
    rep = make_representative(group, institution=institution)
    theirs = make_representative(other_group)
    # The Secretariat's own person, a representative too, is offered no seat, and refused one.
    own = make_representative(
        group, user=world["secretariat"], institution=make_institution(group, name="Socios")
    )
    client.force_login(world["secretariat"])
    page = client.get(url(group, "secretariat")).content.decode()
    assert "Ministry of Mines" in page and 'id="appoint-seat"' in page
    assert "· Socios</option>" not in page and "· Ministry of Mines</option>" in page
    client.post(url(group, "seat_appoint"), {"representative": own.pk})
    client.post(url(group, "seat_appoint"), {"representative": theirs.pk})
    client.post(url(group, "seat_appoint"), {"representative": rep.pk})
    with group_scope(group):
        seat = RoleAssignment.objects.get(user=rep.user, role=Role.COORDINATION)
        assert seat.pillar == Pillar.GOVERNMENT
        assert not RoleAssignment.objects.filter(user=theirs.user).exists()
        assert not RoleAssignment.objects.filter(
            user=world["secretariat"], role=Role.COORDINATION
        ).exists()
    client.post(url(group, "seat_end"), {"user": rep.user.pk})
    with group_scope(group):
        assert not RoleAssignment.objects.filter(user=rep.user, role=Role.COORDINATION).exists()
    client.force_login(world["member"])
    assert client.post(url(group, "seat_appoint"), {"representative": rep.pk}).status_code == 403


def test_the_guide_reads_the_groups_data_in_a_constant_number_of_queries(client, world):
    group = world["group"]
    home = reverse("group:home", kwargs={"wg": group.slug})
    client.force_login(world["secretariat"])
    body = client.get(home).content.decode()
    assert "Founding the group: the ten steps" in body
    with group_scope(group):
        before = {s.number: s.done for s in guide.steps(group)}
    assert before[1] is True  # a Secretariat and a seat per pillar (the fixture)
    assert not before[5] and not before[8] and not before[10]
    with CaptureQueriesContext(connection) as few:
        client.get(home)
    adopted(world)
    with group_scope(group):
        for n in range(3):
            make_institution(group, name=f"State body {n}", kind="national_government")
        topic = make_topic(group)
    from meetings.models import DiscussionTopic

    with group_scope(group):
        DiscussionTopic.objects.filter(pk=topic.pk).update(status="discussed")
        after = {s.number: s.done for s in guide.steps(group)}
    assert after[4] and after[5] and after[8] and after[10]
    with CaptureQueriesContext(connection) as many:
        client.get(home)
    assert len(many) == len(few)
    # Not a member's business; gone when the Secretariat turns it off.
    client.force_login(world["member"])
    assert "Founding the group" not in client.get(home).content.decode()
    group.founding_guide = "never"
    group.save(update_fields=["founding_guide"])
    client.force_login(world["secretariat"])
    assert "Founding the group" not in client.get(home).content.decode()


def test_the_guide_leaves_for_good_once_every_step_is_met(client, world):
    """Every step met from the group's data: the dashboard no longer shows the guide, and the
    setting says why; "Always" brings it back."""
    from datetime import date

    from activities.models import OutreachEntry
    from members.services import secretariat as secretariat_service
    from tests.factories import make_activity, make_agenda_item, make_plan
    from vpswg.models import WorkingGroup

    group, secretariat = world["group"], world["secretariat"]
    home = reverse("group:home", kwargs={"wg": group.slug})
    for pillar in PILLARS:
        make_institution(group, pillar=pillar)
    state = make_institution(group, pillar=Pillar.GOVERNMENT, kind="national_government")
    plenary = make_meeting(group, "convened", days=3)
    make_agenda_item(plenary, "Institutional presentations", format="presentation")
    adopted(world)  # its own plenary; the one above is held below
    make_activity(group, kind="study", title="Scoping study")
    plan = make_plan(group, start=date(2026, 1, 1), end=date(2026, 12, 31))
    topic = make_topic(group)
    with group_scope(group):
        from meetings.models import DiscussionTopic, Meeting
        from workplan.models import WorkPlan

        Meeting.objects.filter(pk=plenary.pk).update(
            status="held", start=plenary.start.replace(year=2025)
        )
        WorkPlan.objects.filter(pk=plan.pk).update(status="adopted")
        DiscussionTopic.objects.filter(pk=topic.pk).update(status="discussed")
        OutreachEntry.objects.create(
            working_group=group,
            date=date(2026, 5, 1),
            target_name="Ministry of the Interior",
            target_kind="ministry",
            created_by=secretariat,
        )
        secretariat_service.record_term(
            working_group=group, institution=state, started_on=date(2026, 1, 1), actor=secretariat
        )
        assert all(step.done for step in guide.steps(group))
    client.force_login(secretariat)
    assert "Founding the group" not in client.get(home).content.decode()
    assert WorkingGroup.objects.get(pk=group.pk).founding_guide == "met"
    WorkingGroup.objects.filter(pk=group.pk).update(founding_guide="always")
    assert "Founding the group" in client.get(home).content.decode()
