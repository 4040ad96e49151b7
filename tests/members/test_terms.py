"""The terms of reference (issue 20): drafted by the Secretariat, reviewed by the seats under the
group's rule, adopted at a plenary that has taken place and recorded in its minutes; the
governed settings change then and not before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Decision, Minutes
from meetings.services import terms as adoption
from meetings.services.convening import cadence_period, run
from members.models import TermsOfReference, TermsVote
from members.services import terms as service
from tests.factories import make_coordination, make_meeting, make_member, make_secretariat
from vpswg.models import AuditEntry, Notification, WorkingGroup
from vpswg.roles import Pillar
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db
Status = TermsOfReference.Status


@pytest.fixture
def people(group):
    return {
        "secretariat": make_secretariat(group),
        "companies": make_coordination(group, Pillar.COMPANIES),
        "government": make_coordination(group, Pillar.GOVERNMENT),
        "civil_society": make_coordination(group, Pillar.CIVIL_SOCIETY),
        "member": make_member(group),
    }


def draft(group, people, **rules) -> TermsOfReference:
    with group_scope(group):
        terms = service.start_draft(working_group=group, actor=people["secretariat"])
        return service.save_draft(
            terms=terms,
            actor=people["secretariat"],
            texts={"objectives": "Improve security and human rights practice."},
            rules={**terms.rules, **rules},
        )


def agreed(group, people, **rules) -> TermsOfReference:
    terms = draft(group, people, **rules)
    with group_scope(group):
        service.submit(terms=terms, actor=people["secretariat"])
        for pillar in ("companies", "government", "civil_society"):
            service.vote(terms=terms, actor=people[pillar], choice="approve")
        terms.refresh_from_db()
    return terms


def test_a_new_version_starts_from_the_groups_settings_and_then_from_the_version_in_force(
    group, people
):
    with group_scope(group):
        first = service.start_draft(working_group=group, actor=people["secretariat"])
        assert first.number == 1 and first.rules == service.rules_of(group)
        with pytest.raises(ValidationError, match="already being drafted"):
            service.start_draft(working_group=group, actor=people["secretariat"])
        service.withdraw(terms=first, actor=people["secretariat"])
    terms = agreed(group, people, notice_period_days=30)
    with group_scope(group):
        adoption.adopt(
            terms=terms, meeting=make_meeting(group, "held"), actor=people["secretariat"]
        )
        second = service.start_draft(working_group=group, actor=people["secretariat"])
    assert second.number == 3
    assert second.rules["notice_period_days"] == 30
    assert second.objectives == "Improve security and human rights practice."


def test_bad_settings_are_refused_with_the_settings_own_messages(group, people):
    with group_scope(group):
        terms = service.start_draft(working_group=group, actor=people["secretariat"])
        with pytest.raises(ValidationError) as refused:
            service.save_draft(
                terms=terms,
                actor=people["secretariat"],
                texts={"objectives": "x"},
                rules={**terms.rules, "meeting_cadence_months": 13, "attendance_required": 9},
            )
        assert set(refused.value.message_dict) == {"meeting_cadence_months"}
        with pytest.raises(ValidationError) as refused:
            service.save_draft(
                terms=terms,
                actor=people["secretariat"],
                texts={"objectives": "x"},
                rules={**terms.rules, "attendance_required": 5, "attendance_window": 4},
            )
        assert "cannot be met" in str(refused.value.message_dict["attendance_required"])
        terms.refresh_from_db()
    assert terms.rules["meeting_cadence_months"] == 3  # nothing of the refused saves kept


def test_only_seats_vote_and_the_groups_rule_decides(group, people):
    terms = draft(group, people)
    with group_scope(group):
        blank = service.save_draft(
            terms=terms, actor=people["secretariat"], texts={}, rules=terms.rules
        )
        with pytest.raises(ValidationError, match="before the seats review"):
            service.submit(terms=blank, actor=people["secretariat"])
        service.save_draft(
            terms=terms, actor=people["secretariat"], texts={"objectives": "x"}, rules=terms.rules
        )
        terms = service.submit(terms=terms, actor=people["secretariat"])
        assert Notification.objects.filter(kind="terms_review").count() == 3
        for outsider in (people["member"], people["secretariat"]):
            with pytest.raises(ValidationError, match="Only a Coordination Group seat"):
                service.vote(terms=terms, actor=outsider, choice="approve")
        service.vote(terms=terms, actor=people["companies"], choice="approve")
        assert "Wait for the votes" in service.refusal(terms)
        service.vote(terms=terms, actor=people["government"], choice="decline")
        service.vote(terms=terms, actor=people["civil_society"], choice="decline")
        assert "have not agreed" in service.refusal(terms)
        service.vote(terms=terms, actor=people["civil_society"], choice="approve")  # changed
        assert service.refusal(terms) == ""
        assert TermsVote.objects.filter(terms=terms).count() == 3


def test_returning_to_a_draft_sets_the_votes_aside(group, people):
    terms = agreed(group, people)
    with group_scope(group):
        service.return_to_draft(terms=terms, actor=people["secretariat"])
        terms.refresh_from_db()
        assert terms.status == Status.DRAFT and not terms.votes.exists()
        terms = service.submit(terms=terms, actor=people["secretariat"])
        assert "Wait for the votes" in service.refusal(terms)


def test_adopted_at_a_held_plenary_recorded_in_its_minutes(group, people):
    group.default_language = "es"
    group.save(update_fields=["default_language"])
    terms = agreed(group, people, application_rule="unanimity", attribution_retention_days=30)
    upcoming = make_meeting(group, "convened", days=10)
    coordination = make_meeting(group, "held", kind="coordination")
    plenary = make_meeting(group, "held")
    with group_scope(group):
        for meeting in (upcoming, coordination):
            with pytest.raises(ValidationError, match="plenary that has taken place"):
                adoption.adopt(terms=terms, meeting=meeting, actor=people["secretariat"])
        assert WorkingGroup.objects.get(pk=group.pk).application_rule == "majority_with_pillar"
        adoption.adopt(terms=terms, meeting=plenary, actor=people["secretariat"])
        terms.refresh_from_db()
        assert terms.status == Status.ADOPTED and terms.adopted_at_meeting == plenary
        minutes = Minutes.objects.get(meeting=plenary)
        (decision,) = Decision.objects.filter(section__minutes=minutes)
        assert decision.text.startswith("La plenaria adoptó la versión 1")
        assert AuditEntry.objects.filter(verb="terms.adopted").exists()
        assert Notification.objects.filter(
            kind="terms_adopted", recipient=people["member"]
        ).exists()
    group.refresh_from_db()
    assert (group.application_rule, group.attribution_retention_days) == ("unanimity", 30)
    # The next version supersedes it; a plenary whose minutes are adopted adopts nothing.
    with group_scope(group):
        Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.ADOPTED)
    second = agreed(group, people)
    with group_scope(group):
        # Under the adopted rule now: unanimity, so one decline is enough to refuse.
        service.vote(terms=second, actor=people["government"], choice="decline")
        assert "have not agreed" in service.refusal(second)
        service.vote(terms=second, actor=people["government"], choice="approve")
        with pytest.raises(ValidationError, match="still a draft"):
            adoption.adopt(terms=second, meeting=plenary, actor=people["secretariat"])
        adoption.adopt(
            terms=second, meeting=make_meeting(group, "held"), actor=people["secretariat"]
        )
        terms.refresh_from_db()
        assert terms.status == Status.SUPERSEDED and terms.superseded_on == timezone.localdate()
        assert [t.number for t in service.history()] == [2, 1]


def test_the_convening_follows_a_new_cadence_only_once_adopted(group, people):
    """Issue 20's "done when": the cadence changed through a new version of the terms; the
    daily convening job reads the old one until a plenary adopts the new."""
    moment = datetime(2027, 2, 10, 12, tzinfo=UTC)
    terms = agreed(group, people, meeting_cadence_months=1)
    with group_scope(group):
        # A plenary held in January: the quarter January-March is covered, a month is not.
        january = make_meeting(group, "held")
        january.start = datetime(2027, 1, 20, 12, tzinfo=UTC)
        january.save(update_fields=["start"])
        fresh = WorkingGroup.objects.get(pk=group.pk)
        assert cadence_period(fresh, moment).start.month == 1  # the quarter
        assert run(fresh, now=moment).plan_reminder is False
        adoption.adopt(
            terms=terms, meeting=make_meeting(group, "held"), actor=people["secretariat"]
        )
        fresh = WorkingGroup.objects.get(pk=group.pk)
        assert fresh.meeting_cadence_months == 1
        period = cadence_period(fresh, moment)
        assert (period.start.month, period.end.month) == (2, 3)
        assert run(fresh, now=moment).plan_reminder is True  # February has no plenary


def test_the_statements_say_what_the_settings_do(group, people):
    terms = draft(group, people, attendance_required=0, annual_report_required=False)
    with group_scope(group):
        said = service.statements(terms)
    assert "The plenary meets at least once every 3 months." in said["working_rules"]
    assert "No attendance is required of member institutions." in said["compliance"]
    assert "No annual report is required of members." in said["compliance"]
    assert any("at least one seat of the applicant's pillar" in s for s in said["decision_rules"])


def test_a_seat_ended_during_the_review_takes_its_vote_with_it(group, people):
    """The Secretariat may not steer the count by changing the seats: a seat that declined and
    is ended no longer counts, and the seats counted are the current ones."""
    from members.services import secretariat

    terms = draft(group, people)
    with group_scope(group):
        terms = service.submit(terms=terms, actor=people["secretariat"])
        service.vote(terms=terms, actor=people["companies"], choice="approve")
        service.vote(terms=terms, actor=people["government"], choice="decline")
        assert service.count(terms).decline == 1
        secretariat.end_seat(
            working_group=group, actor=people["secretariat"], user=people["government"]
        )
        t = service.count(terms)
        assert (t.approve, t.decline, t.seats) == (1, 0, 2)
        # The other seats were told who left the Coordination Group.
        assert Notification.objects.filter(
            kind="seat_changed", recipient=people["civil_society"]
        ).exists()


def test_someone_holding_the_secretariat_and_a_seat_does_not_vote(group, people):
    from vpswg.services.roles import grant_role

    terms = draft(group, people)
    with group_scope(group):
        grant_role(
            working_group=group,
            user=people["secretariat"],
            role="coordination",
            pillar=Pillar.CIVIL_SOCIETY,
            notify=False,
        )
        terms = service.submit(terms=terms, actor=people["secretariat"])
        with pytest.raises(ValidationError, match="Only a Coordination Group seat"):
            service.vote(terms=terms, actor=people["secretariat"], choice="approve")


def test_the_settings_page_saved_after_an_adoption_does_not_undo_it(group, people):
    """A settings form opened before the plenary's adoption was recorded and saved after it
    writes only its own columns."""
    from vpswg.forms import GroupSettingsForm
    from vpswg.services.groups import update_settings

    stale = WorkingGroup.objects.get(pk=group.pk)
    form = GroupSettingsForm(
        {
            "name": "Renamed",
            "country": stale.country,
            "default_language": "en",
            "timezone": "UTC",
            "report_reminder_days": 30,
            "founding_guide": "until_done",
        },
        instance=stale,
    )
    terms = agreed(group, people, meeting_cadence_months=6)
    with group_scope(group):
        adoption.adopt(
            terms=terms, meeting=make_meeting(group, "held"), actor=people["secretariat"]
        )
    assert form.is_valid(), form.errors
    update_settings(group=stale, actor=people["secretariat"], form=form)
    group.refresh_from_db()
    assert (group.name, group.meeting_cadence_months) == ("Renamed", 6)


def test_minutes_already_before_the_seats_are_not_reopened_by_an_adoption(group, people):
    from tests.factories import make_minutes

    terms = agreed(group, people)
    plenary = make_meeting(group, "held")
    minutes = make_minutes(plenary, actor=people["secretariat"])
    with group_scope(group):
        Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.SUBMITTED)
        assert plenary not in adoption.adopting_meetings()
        with pytest.raises(ValidationError, match="still a draft"):
            adoption.adopt(terms=terms, meeting=plenary, actor=people["secretariat"])
        assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.SUBMITTED
