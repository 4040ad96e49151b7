"""Meetings: planning, convening with calendar invitations, answers, attendance, topics,
guest speakers, and what a member may see."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, DiscussionTopic, Invitation, Meeting
from meetings.queries import meetings_cache
from meetings.services import agreements, participation, topics
from meetings.services import meetings as service
from meetings.services.meetings import MeetingError
from members.services.institutions import decide_standing
from tests.factories import (
    cold_process,
    make_agenda_item,
    make_coordination,
    make_guest,
    make_meeting,
    make_member,
    make_observer,
    make_representative,
    make_secretariat,
    make_topic,
    make_user,
    sign_in,
)
from vpswg.models import Notification
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


def url(group, name, **kw):
    return reverse(f"meetings:{name}", kwargs={"wg": group.slug, **kw})


def calendar_of(notification) -> icalendar.Event:
    (attachment,) = notification.attachments
    cal = icalendar.Calendar.from_ical(attachment["content"])
    return cal, cal.walk("VEVENT")[0]


def test_convening_invites_members_and_observers_but_not_the_suspended(
    group, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    member = make_representative(group)
    observer = make_observer(group)
    suspended = make_representative(group)
    seat = make_coordination(group)
    with group_scope(group):
        decide_standing(
            institution=suspended.institution, actor=seat, decision="suspension", reason="x"
        )
    meeting = make_meeting(group, "planned")
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        service.convene(meeting=meeting, actor=seat)
        invited = set(
            Invitation.objects.filter(meeting=meeting).values_list("institution_id", flat=True)
        )
    assert member.institution_id in invited
    assert suspended.institution_id not in invited
    mails = smtp_server.recorder.received
    recipients = {r for m in mails for r in m.recipients}
    assert member.user.email in recipients and observer.email in recipients
    assert suspended.user.email not in recipients
    for mail in mails:
        assert len(mail.recipients) == 1
        others = recipients - set(mail.recipients)
        assert not any(o in mail.message.as_string() for o in others)  # nobody else named
        (part,) = [
            p for p in mail.message.iter_attachments() if p.get_content_type() == "text/calendar"
        ]
        event = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
        assert str(event["UID"]) == f"{meeting.uid}@vpswg"
        assert str(event["ATTENDEE"]) == f"mailto:{mail.recipients[0]}"


def test_the_calendar_invitation(group):
    group.timezone = "America/Lima"
    group.save()
    rep = make_representative(group)
    meeting = make_meeting(group, "convened", title="Plenaria de diciembre")
    with group_scope(group):
        notice = Notification.objects.get(kind="meeting_convened", recipient=rep.user)
    cal, event = calendar_of(notice)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{meeting.uid}@vpswg" and int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].params["TZID"] == "America/Lima"
    assert event.decoded("DTSTART") == meeting.start
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=120)
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == [f"mailto:{rep.user.email}"]
    assert cal.walk("VTIMEZONE")
    assert meeting.start.astimezone(group.zone).strftime("%H:%M") in notice.body


@pytest.mark.parametrize("cancel", [False, True])
def test_calendars_made_once_per_language_equal_those_made_for_each_person(group, cancel):
    from meetings.services.ics import meeting_ics, meeting_ics_factory

    meeting = make_meeting(group, "convened", title="Plenaria sobre la ley de seguridad privada")
    url = "https://vpswg.example.org/g/meetings/1/"
    make = meeting_ics_factory(meeting, url=url, cancel=cancel)
    stamp = re.compile(r"DTSTAMP:[^\r]*\r\n")
    for email in ["ana@example.org", "a.very.long.address.for.folding." * 3 + "x@example.org"]:
        for language in ("es", "en"):
            one = meeting_ics(
                meeting, recipient_email=email, url=url, cancel=cancel, language=language
            )
            assert stamp.sub("", make(email, language)) == stamp.sub("", one)
    assert "ana@example.org" not in make("ben@example.org", "es")


def test_a_change_after_convening_sends_an_update_with_the_same_uid(group):
    rep = make_representative(group)
    meeting = make_meeting(group, "convened")
    secretariat = make_secretariat(group)
    with group_scope(group):
        service.update_meeting(meeting=meeting, actor=secretariat, venue="Cusco")
        update = Notification.objects.get(kind="meeting_updated", recipient=rep.user)
        service.update_meeting(
            meeting=meeting, actor=secretariat, start=meeting.start + timedelta(hours=2)
        )
        second = (
            Notification.objects.filter(kind="meeting_updated", recipient=rep.user)
            .order_by("-id")
            .first()
        )
    _, event = calendar_of(update)
    assert str(event["UID"]) == f"{meeting.uid}@vpswg" and int(event["SEQUENCE"]) == 1
    assert str(event["LOCATION"]) == "Cusco"
    assert int(calendar_of(second)[1]["SEQUENCE"]) == 2


def test_changes_before_convening_send_nothing(group):
    make_representative(group)
    meeting = make_meeting(group, "planned")
    with group_scope(group):
        service.update_meeting(meeting=meeting, actor=make_secretariat(group), venue="Arequipa")
        assert not Notification.objects.filter(kind__startswith="meeting_").exists()
        assert Meeting.objects.get(pk=meeting.pk).sequence == 0


def test_cancellation_tells_everyone_with_a_calendar_cancel(group):
    rep = make_representative(group)
    meeting = make_meeting(group, "convened")
    item = make_agenda_item(meeting)
    topic = make_topic(group)
    with group_scope(group):
        topics.schedule(topic=topic, meeting=meeting, actor=make_secretariat(group))
        service.cancel(meeting=meeting, actor=make_secretariat(group), reason="Road blockades.")
        notice = Notification.objects.get(kind="meeting_cancelled", recipient=rep.user)
        topic.refresh_from_db()
    cal, event = calendar_of(notice)
    assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"{meeting.uid}@vpswg" and int(event["SEQUENCE"]) == 1
    assert "Road blockades." in notice.body
    assert topic.status == "proposed" and item.pk


def test_illegal_meeting_steps_are_refused(group):
    meeting = make_meeting(group, "held")
    with group_scope(group):
        with pytest.raises(MeetingError):
            service.convene(meeting=meeting)
        with pytest.raises(MeetingError):
            service.cancel(meeting=meeting, actor=make_secretariat(group), reason="x")
        with pytest.raises(MeetingError):
            service.update_meeting(meeting=meeting, actor=make_secretariat(group), venue="x")
    planned = make_meeting(group, "planned")
    with group_scope(group), pytest.raises(MeetingError):
        Meeting.objects.filter(pk=planned.pk).update(start=timezone.now() - timedelta(days=1))
        service.convene(meeting=planned)


def test_a_coordination_meeting_goes_to_the_seats_only(group):
    seat = make_coordination(group, "companies")
    with group_scope(group):
        seat_institution = seat.representations.first().institution
    colleague = make_representative(group, institution=seat_institution)
    member = make_member(group)
    make_meeting(group, "convened", kind="coordination")
    with group_scope(group):
        told = set(
            Notification.objects.filter(kind="meeting_convened").values_list("recipient", flat=True)
        )
    assert told == {seat.pk}
    assert colleague.user_id not in told and member.pk not in told


def test_planning_prefills_what_the_last_meeting_agreed(group):
    guest = make_guest(group, name="Dra. Elena Ruiz")
    held = make_meeting(group, "held")
    secretariat = make_secretariat(group)
    with group_scope(group):
        participation.record_next(
            meeting=held,
            actor=secretariat,
            topics="Private security law\nICoC",
            venue="Cusco",
            guests=[guest],
        )
        new = service.plan_meeting(
            working_group=group,
            actor=secretariat,
            kind="plenary",
            title="Next",
            start=timezone.now() + timedelta(days=60),
        )
        # The topics and the guest are offered on its page (services.agreements), not added.
        assert not new.agenda_items.exists()
        offered = agreements.suggestions_for(new)
    assert new.venue == "Cusco" and new.duration_minutes == 120
    assert offered.topics == ["Private security law", "ICoC"] and offered.guests == [guest]


def test_member_answers_with_htmx_and_without(client, group):
    rep = make_representative(group)
    colleague = make_representative(group, institution=rep.institution)
    meeting = make_meeting(group, "convened")
    sign_in(client, rep.user)
    response = client.post(
        url(group, "answer", pk=meeting.pk),
        {"answer": "yes", "attendees": [rep.user.pk, colleague.user.pk], "note": "Two of us."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="answer"' in body and "<html" not in body
    with group_scope(group):
        invitation = Invitation.objects.get(meeting=meeting, institution=rep.institution)
        assert invitation.answer == "yes" and invitation.attendees.count() == 2
    response = client.post(url(group, "answer", pk=meeting.pk), {"answer": "no"})
    assert response.status_code == 302
    with group_scope(group):
        invitation.refresh_from_db()
        assert invitation.answer == "no" and invitation.attendees.count() == 0


def test_an_invalid_answer_keeps_the_form(client, group):
    rep = make_representative(group)
    meeting = make_meeting(group, "convened")
    sign_in(client, rep.user)
    response = client.post(
        url(group, "answer", pk=meeting.pk), {"answer": "perhaps"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_only_a_representative_of_an_invited_institution_answers(group):
    rep = make_representative(group)
    meeting = make_meeting(group, "convened")
    other = make_representative(group)  # joined after the convening: invited at once
    with group_scope(group):
        invitation = Invitation.objects.get(meeting=meeting, institution=rep.institution)
        with pytest.raises(MeetingError):  # not for another institution
            participation.answer(invitation=invitation, actor=other.user, answer="yes")
        assert participation.invitation_for(meeting, other.user).institution == other.institution
        outsider = make_user()
        assert participation.invitation_for(meeting, outsider) is None
        with pytest.raises(MeetingError):
            participation.answer(invitation=invitation, actor=outsider, answer="yes")


def test_attendance_makes_the_meeting_held_and_topics_discussed(client, group):
    reps = [make_representative(group) for _ in range(3)]
    meeting = make_meeting(group, "convened")
    topic = make_topic(group)
    secretariat = make_secretariat(group)
    with group_scope(group):
        topics.schedule(topic=topic, meeting=meeting, actor=secretariat)
        with pytest.raises(MeetingError):  # not started yet
            participation.record_attendance(
                meeting=meeting, actor=secretariat, present=[reps[0].user]
            )
        Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(hours=3))
    sign_in(client, secretariat)
    response = client.post(
        url(group, "attendance", pk=meeting.pk),
        {"present": [reps[0].user.pk, reps[1].user.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="attendance"' in response.content.decode()
    with group_scope(group):
        meeting.refresh_from_db()
        topic.refresh_from_db()
        assert meeting.status == "held"
        assert set(Attendance.objects.filter(meeting=meeting).values_list("user", flat=True)) == {
            reps[0].user_id,
            reps[1].user_id,
        }
        assert topic.status == DiscussionTopic.Status.DISCUSSED
    # A member sees counts by pillar, never names.
    client.logout()
    sign_in(client, reps[2].user)
    body = client.get(url(group, "detail", pk=meeting.pk)).content.decode()
    assert reps[0].user.full_name not in body and reps[1].user.full_name not in body
    assert "Attendance by pillar" in body


def test_agenda_reordering_with_htmx(client, group):
    meeting = make_meeting(group, "planned")
    first = make_agenda_item(meeting, topic="First")
    second = make_agenda_item(meeting, topic="Second")
    sign_in(client, make_secretariat(group))
    response = client.post(
        url(group, "agenda_move", pk=meeting.pk, item=second.pk),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.index("Second") < body.index("First")
    assert 'id="agenda"' in body and "<html" not in body
    with group_scope(group):
        assert list(meeting.agenda_items.values_list("topic", flat=True)) == ["Second", "First"]
    assert first.pk


def test_a_guest_speaker_sees_the_logistics_of_that_meeting_only(client, group, other_group):
    guest = make_guest(group, name="Dr. Pablo Quispe", email="pablo@ombudsman.example")
    meeting = make_meeting(group, "planned")
    other_meeting = make_meeting(group, "convened")
    make_agenda_item(meeting, topic="The ombudsman report", guests=[guest])
    with group_scope(group):
        guest.refresh_from_db()
        (invite,) = Notification.objects.filter(kind="guest_invited")
    assert invite.recipient == guest.user and "/invitation/" in invite.body
    with group_scope(group):
        service.convene(meeting=meeting)
    path = invite.body.split("/invitation/", 1)[1].split()[0]
    response = client.post(
        "/invitation/" + path,
        {"new_password1": "guest-pass-2026!", "new_password2": "guest-pass-2026!"},
    )
    # Signed in at once, and taken to the meeting.
    assert response.status_code == 302 and response["Location"] == url(
        group, "detail", pk=meeting.pk
    )
    page = client.get(url(group, "detail", pk=meeting.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "The ombudsman report" in body and "Invitations" not in body
    assert client.get(url(group, "calendar", pk=meeting.pk)).status_code == 200
    assert client.get(url(group, "detail", pk=other_meeting.pk)).status_code == 404
    assert client.get(url(group, "list")).status_code == 404
    assert client.get(reverse("members:directory", kwargs={"wg": group.slug})).status_code == 404


def test_topics_proposed_interest_and_scheduled(client, group):
    member = make_member(group)
    meeting = make_meeting(group, "planned")
    sign_in(client, member)
    client.post(url(group, "topics"), {"title": "Consulta previa", "description": "Seed step 8."})
    with group_scope(group):
        topic = DiscussionTopic.objects.get(title="Consulta previa")
    response = client.post(url(group, "topic_interest", pk=topic.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "0 interested" in response.content.decode()
    response = client.post(url(group, "topic_interest", pk=topic.pk), HTTP_HX_REQUEST="true")
    assert "1 interested" in response.content.decode()
    client.logout()
    sign_in(client, make_coordination(group))
    client.post(url(group, "topic_schedule", pk=topic.pk), {"meeting": meeting.pk})
    with group_scope(group):
        topic.refresh_from_db()
        assert topic.status == "scheduled" and topic.agenda_item.meeting == meeting


def count(client, path) -> int:
    cold_process()  # the count of a first request: the per-process cache empty
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_meetings_list_query_count_is_the_same_for_2_and_40_meetings(client, group):
    sign_in(client, make_secretariat(group))
    for status in ("convened", "held"):
        make_meeting(group, status)
    few = count(client, url(group, "list"))
    for i in range(19):
        make_meeting(group, "convened", days=30 + i)
        make_meeting(group, "held", days=-i - 1)
    assert count(client, url(group, "list")) == few


def test_the_kept_meetings_list_follows_meetings_answers_roles_and_time(client, group, other_group):
    """The listing is rendered once per role, filters, page and language and kept until a
    meeting or an answer changes, or the next meeting starts."""
    rep = make_representative(group)
    make_meeting(group, "held", title="Plenary of March")
    convened = make_meeting(group, "convened", title="Plenary of June")
    make_meeting(group, "planned", title="Draft plenary")
    make_meeting(other_group, "convened", title="Beta plenary")
    # A member admitted after the convening: invited at once (two institutions in June).
    sign_in(client, make_member(group))
    cold = count(client, url(group, "list"))
    assert count(client, url(group, "list")) < cold  # kept: the rows are not read again
    body = client.get(url(group, "list")).content.decode()
    assert "Plenary of June" in body and "Plenary of March" in body
    assert "Draft plenary" not in body and "Plan a meeting" not in body
    assert "Beta plenary" not in body
    # An answer changes the row's count on the next view.
    assert "0 of 2 institutions attending" in body
    with group_scope(group):
        invitation = Invitation.objects.get(meeting=convened, institution=rep.institution)
        participation.answer(invitation=invitation, actor=rep.user, answer="yes")
    assert "1 of 2 institutions attending" in client.get(url(group, "list")).content.decode()
    # A new meeting, convened.
    make_meeting(group, "convened", title="Plenary of September")
    assert "Plenary of September" in client.get(url(group, "list")).content.decode()
    # Time alone: the listing is kept no longer than until its next meeting starts.
    soon = make_meeting(group, "convened", days=3 / 1440, title="Starting soon")
    body = client.get(url(group, "list")).content.decode()
    assert body.index("Starting soon") < body.index("Past and cancelled")
    key = cache.make_and_validate_key(meetings_cache.key(group.pk, "members", "", "", "", "en"))
    kept_for = cache._cache.get_client(key).ttl(key)
    assert 0 < kept_for <= (soon.start - timezone.now()).total_seconds() + 1 < 600
    # Another role's listing, with the same filters: the Secretariat's, drafts included.
    client.logout()
    sign_in(client, make_secretariat(group))
    body = client.get(url(group, "list")).content.decode()
    assert "Draft plenary" in body and "Plan a meeting" in body
    # Another language.
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert "Próximas" in client.get(url(group, "list")).content.decode()
    # The other group.
    client.logout()
    sign_in(client, make_member(other_group))
    assert client.get(url(group, "list")).status_code == 404
    theirs = client.get(url(other_group, "list")).content.decode()
    assert "Beta plenary" in theirs and "Plenary of June" not in theirs


def test_what_members_see_of_a_meeting_is_kept_until_it_changes(client, group, other_group):
    rep = make_representative(group)
    speaker = make_member(group)
    meeting = make_meeting(group, "convened", title="Plenary of June")
    make_agenda_item(meeting, topic="Use of force", speakers=[speaker])
    page = url(group, "detail", pk=meeting.pk)
    sign_in(client, make_member(group))
    cold = count(client, page)
    assert count(client, page) < cold  # the agenda and the counts are not read again
    assert "Use of force" in client.get(page).content.decode()
    make_agenda_item(meeting, topic="Community grievances")
    assert "Community grievances" in client.get(page).content.decode()
    speaker.full_name = "Rosa Quispe Mamani"
    speaker.save()
    assert "Rosa Quispe Mamani" in client.get(page).content.decode()
    with group_scope(group):
        invitation = Invitation.objects.get(meeting=meeting, institution=rep.institution)
        participation.answer(invitation=invitation, actor=rep.user, answer="yes")
        yes = client.get(page).context["page"].answers["yes"]
    assert yes == 1
    # The Secretariat's page is its own (with the invitations), not the members' kept one.
    client.logout()
    sign_in(client, make_secretariat(group))
    assert client.get(page).context["page"].invitations
    client.logout()
    sign_in(client, make_member(other_group))
    assert client.get(page).status_code == 404


def test_the_meetings_list_pages_keep_the_filter(client, group):
    for i in range(25):
        make_meeting(group, "held", days=-i - 1, kind="coordination")
    sign_in(client, make_secretariat(group))
    body = client.get(url(group, "list") + "?kind=coordination").content.decode()
    assert 'href="?kind=coordination&amp;page=2"' in body
    second = client.get(url(group, "list") + "?kind=coordination&page=2").content.decode()
    assert "Page 2 of 2" in second


def test_meetings_list_and_dashboard_link_each_meeting_to_its_page(client, group):
    sign_in(client, make_secretariat(group))
    upcoming, past = make_meeting(group, "convened"), make_meeting(group, "held")
    listing = client.get(url(group, "list")).content.decode()
    dashboard = client.get(f"/{group.slug}/").content.decode()
    for meeting in (upcoming, past):
        assert f'href="{url(group, "detail", pk=meeting.pk)}"' in listing
    assert f'href="{url(group, "detail", pk=upcoming.pk)}"' in dashboard


def test_meeting_page_query_count_is_the_same_for_2_and_40_invitees(client, group):
    secretariat = make_secretariat(group)
    for _ in range(1):
        make_representative(group)

    def page_queries(n_reps):
        meeting = make_meeting(group, "convened")
        make_agenda_item(meeting, guests=[make_guest(group)])
        with group_scope(group):
            for inv in Invitation.objects.filter(meeting=meeting):
                reps = list(inv.institution.representatives.all())
                participation.answer(
                    invitation=inv,
                    actor=reps[0].user,
                    answer="yes",
                    attendees=[r.user for r in reps],
                )
        return count(client, url(group, "detail", pk=meeting.pk))

    sign_in(client, secretariat)
    few = page_queries(2)
    for _ in range(38):
        make_representative(group)
    assert page_queries(40) == few
