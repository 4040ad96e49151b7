"""Minutes: editing without lost work, leak detection, the three renderings, the approval
workflow, adoption, the access log."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Attendance, Contribution, Minutes, MinutesAccess, MinutesVersion
from meetings.services import leaks, redaction
from meetings.services import minutes as service
from meetings.services.minutes import EditConflict, LeaksRemain, MinutesError
from tests.factories import (
    add_contribution,
    circulate_minutes,
    cold_process,
    make_adopting_plenary,
    make_coordination,
    make_guest,
    make_institution,
    make_meeting,
    make_meeting_in_session,
    make_member,
    make_minutes,
    make_representative,
    make_secretariat,
    make_user,
    sign_in,
)
from vpswg.models import AuditEntry, Notification
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(group):
    return make_meeting_in_session(
        group, ("Private security companies", "Use of force"), title="Plenary on security"
    )


@pytest.fixture
def seats(group):
    return {p: make_coordination(group, p) for p in ("companies", "government", "civil_society")}


def test_minutes_start_with_a_section_per_agenda_item(group, held):
    minutes = make_minutes(held)
    with group_scope(group):
        assert list(minutes.sections.values_list("title", flat=True)) == [
            "Private security companies",
            "Use of force",
        ]
        assert service.start_minutes(meeting=held, actor=make_user()).pk == minutes.pk
    future = make_meeting(group, "convened", days=10)
    with group_scope(group), pytest.raises(MinutesError):
        service.start_minutes(meeting=future, actor=make_user())


def test_a_second_save_from_an_old_page_is_a_conflict_and_overwrites_nothing(group, held):
    minutes = make_minutes(held)
    c = add_contribution(minutes, "First text.")
    alice, bob = make_secretariat(group), make_secretariat(group)
    with group_scope(group):
        section = c.section
        service.save_contribution(
            section=section, actor=alice, text="Alice's text.", contribution=c, revision=c.revision
        )
        with pytest.raises(EditConflict) as conflict:
            service.save_contribution(
                section=section, actor=bob, text="Bob's text.", contribution=c, revision=c.revision
            )
        assert conflict.value.current.text == "Alice's text."
        assert Contribution.objects.get(pk=c.pk).text == "Alice's text."


def test_conflict_over_http_shows_both_texts(client, group, held):
    minutes = make_minutes(held)
    c = add_contribution(minutes, "Original.")
    secretariat = make_secretariat(group)
    sign_in(client, secretariat)
    url = reverse("meetings:minutes_edit", kwargs={"wg": group.slug, "pk": held.pk})
    data = {
        "part": "contribution",
        "id": c.pk,
        "revision": c.revision,
        "text": "One.",
        "speaker": "",
    }
    first = client.post(url, data, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and f'value="{c.revision + 1}"' in first.content.decode()
    second = client.post(url, {**data, "text": "Two."}, HTTP_HX_REQUEST="true")
    assert second.status_code == 409
    body = second.content.decode()
    assert "One." in body and "Two." in body and "Nothing was overwritten" in body
    assert second["HX-Retarget"] == f"#conflict-contribution-{c.pk}"
    with group_scope(group):
        assert Contribution.objects.get(pk=c.pk).text == "One."


# --- Leak detection ------------------------------------------------------------------------------


@pytest.fixture
def roster(group):
    rep = make_representative(
        group,
        institution=make_institution(
            group, name="Minera Huascarán", short_name="MH", aliases=["La Huascarán"]
        ),
    )
    rep.user.full_name = "Rosa Quispe Huamán"
    rep.user.save()
    ser = make_institution(
        group,
        name="Servicios Educativos Rurales",
        short_name="SER",
        pillar="civil_society",
        kind="ngo_academic",
    )
    guest = make_guest(group, name="Dr. Pablo Ccori Mamani")
    return rep, ser, guest


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Según ROSA QUISPE HUAMAN la situación es grave.", ["ROSA QUISPE HUAMAN"]),
        ("La señora Huamán dijo que sí.", ["Huamán"]),
        ("Como dijo Quispe Huamán, hay que actuar.", ["Quispe Huamán"]),
        ("Rosa Quispe llegó tarde.", ["Rosa Quispe"]),
        ("minera huascaran informó", ["minera huascaran"]),
        ("La Huascarán presentó su protocolo.", ["La Huascarán"]),
        ("MH presentó su protocolo.", ["MH"]),
        ("El SER trabaja en Cusco.", ["SER"]),
        ("Esto debe ser revisado.", []),  # the verb, not the acronym
        ("El doctor Ccori explicó.", ["Ccori"]),
        (
            "Escribir a rosa@minera.example o llamar al +51 1 555 0100.",
            ["rosa@minera.example", "+51 1 555 0100"],
        ),
        ("Un participante expresó su preocupación.", []),
    ],
)
def test_the_roster_is_found_in_any_case_and_without_accents(group, held, roster, text, found):
    with group_scope(group):
        hits = leaks.scan_text(text, "contribution:1:text", leaks.roster_terms())
    assert [h.matched for h in hits] == found


def test_submission_is_refused_while_a_hit_is_unresolved(group, held, roster, seats):
    rep, _ser, _guest = roster
    minutes = make_minutes(held)
    c = add_contribution(
        minutes, "Rosa Quispe Huamán described the protocol of Minera Huascarán.", speaker=rep
    )
    secretariat = make_secretariat(group)
    with group_scope(group):
        with pytest.raises(LeaksRemain) as refused:
            service.submit(minutes=minutes, actor=secretariat)
        assert len(refused.value.findings) == 2
        service.replace_words(
            minutes=minutes,
            actor=secretariat,
            target=f"contribution:{c.pk}:text",
            term="rosa quispe huaman",
            replacement="A participant",
        )
        service.mark_subject(
            minutes=minutes,
            actor=secretariat,
            target=f"contribution:{c.pk}:text",
            term="Minera Huascarán",
        )
        assert leaks.scan(minutes) == []
        assert (
            Contribution.objects.get(pk=c.pk).text
            == "A participant described the protocol of Minera Huascarán."
        )
        version = service.submit(minutes=minutes, actor=secretariat)
        assert version.number == 1
        decided = AuditEntry.objects.filter(verb="minutes.leak_marked_subject", actor=secretariat)
        assert decided.exists()


# --- Renderings --------------------------------------------------------------------------------


@pytest.fixture
def attributed_minutes(group, held, roster):
    rep, ser, guest = roster
    minutes = make_minutes(held)
    add_contribution(minutes, "Companies should publish their security agreements.", speaker=rep)
    add_contribution(minutes, "The law must cover private security.", speaker=guest)
    add_contribution(minutes, "A general remark.")
    with group_scope(group):
        Attendance.objects.create(
            working_group=group, meeting=held, user=rep.user, institution=rep.institution
        )
        section = minutes.sections.first()
        service.save_decision(section=section, actor=make_user(), text="Draft a guidance note.")
        service.save_action_item(
            section=section, actor=make_user(), what="Circulate the draft law.", institution=ser
        )
    return minutes


def test_the_attributed_record_names_speakers(group, attributed_minutes):
    with group_scope(group):
        content = redaction.attributed(attributed_minutes)
    speakers = [c["speaker"] for c in content["sections"][0]["contributions"]]
    assert (
        speakers[0]["name"] == "Rosa Quispe Huamán"
        and speakers[0]["institution"] == "Minera Huascarán"
    )
    assert speakers[1]["type"] == "guest" and speakers[2] is None
    assert content["attendance"]["people"][0]["name"] == "Rosa Quispe Huamán"


def test_the_members_version_has_no_speaker_and_counts_attendance_by_pillar(
    group, attributed_minutes
):
    with group_scope(group), CaptureQueriesContext(connection) as ctx:
        content = redaction.members(attributed_minutes)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    # Neither the sealed speakers nor the minutes' data key are even read.
    assert "speaker_sealed" not in sql and "minuteskey" not in sql
    flat = str(content)
    for secret in ("Rosa", "Quispe", "Huamán", "Huascarán", "Ccori", "speaker"):
        assert secret not in flat
    assert next(c["text"] for c in content["sections"][0]["contributions"]).startswith(
        "Companies should"
    )
    by_pillar = {row["pillar"]: row for row in content["attendance"]["by_pillar"]}
    assert by_pillar["companies"] == {"pillar": "companies", "institutions": 1, "people": 1}
    assert "institutions" not in content["attendance"]
    assert (
        content["sections"][0]["action_items"][0]["institution"] == "Servicios Educativos Rurales"
    )


def test_the_group_may_list_the_institutions_present_apart_from_statements(
    group, attributed_minutes
):
    group.minutes_list_institutions = True
    group.save()
    with group_scope(group):
        attributed_minutes.refresh_from_db()
        content = redaction.members(attributed_minutes)
    assert content["attendance"]["institutions"] == ["Minera Huascarán"]
    assert "Minera" not in str(content["sections"])


def test_the_dissemination_version_has_topics_points_and_decisions_only(group, attributed_minutes):
    with group_scope(group):
        section = attributed_minutes.sections.first()
        service.save_section(
            section=section,
            actor=make_user(),
            title=section.title,
            main_points="Security agreements should be public.",
            revision=section.revision,
        )
        content = redaction.dissemination(attributed_minutes)
    assert set(content) == {"schema", "rendering", "meeting", "sections"}
    assert set(content["sections"][0]) == {"title", "main_points", "decisions"}
    assert content["sections"][0]["decisions"] == ["Draft a guidance note."]
    assert "Companies should" not in str(content)


# --- Workflow ------------------------------------------------------------------------------------


def approve_all(group, minutes, seats):
    with group_scope(group):
        for seat in seats.values():
            service.review(minutes=minutes, actor=seat, decision="approve")


def test_submit_approve_circulate_adopt(
    group, held, seats, eager_tasks, django_capture_on_commit_callbacks
):
    member = make_representative(group)
    minutes = make_minutes(held)
    add_contribution(minutes, "A contribution.")
    secretariat = make_secretariat(group)
    with group_scope(group):
        version = service.submit(minutes=minutes, actor=secretariat)
        assert version.content_hash == redaction.content_hash(version.attributed)
        told = set(
            Notification.objects.filter(kind="minutes_submitted").values_list(
                "recipient", flat=True
            )
        )
    assert told == {s.pk for s in seats.values()}
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        service.review(minutes=minutes, actor=seats["companies"], decision="approve")
        service.review(minutes=minutes, actor=seats["government"], decision="approve")
        assert Minutes.objects.get(pk=minutes.pk).status == "submitted"  # one pillar is missing
        outcome = service.review(
            minutes=minutes, actor=seats["civil_society"], decision="approve", comment="Fine."
        )
        assert outcome.approved
    with group_scope(group):
        minutes.refresh_from_db()
        assert minutes.status == "circulated" and minutes.circulated_version == version
        (notice,) = Notification.objects.filter(kind="minutes_circulated", recipient=member.user)
        assert "A contribution." not in notice.body and "/minutes/" in notice.body
        next_plenary = make_adopting_plenary(minutes)
        service.adopt(minutes=minutes, actor=secretariat, meeting=next_plenary)
        minutes.refresh_from_db()
        assert minutes.status == "adopted" and minutes.adopted_at_meeting == next_plenary
        adoption = AuditEntry.objects.get(verb="minutes.adopted")
    assert adoption.data["hash"] == version.content_hash and adoption.data["version"] == 1


def test_a_return_goes_back_to_the_secretariat_with_the_comment(group, held, seats):
    minutes = make_minutes(held)
    add_contribution(minutes, "A contribution.")
    secretariat = make_secretariat(group, language="es")
    with group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
        with pytest.raises(MinutesError):
            service.review(
                minutes=minutes, actor=seats["government"], decision="return", comment=""
            )
        service.review(
            minutes=minutes, actor=seats["government"], decision="return", comment="Too detailed."
        )
        minutes.refresh_from_db()
        assert minutes.status == "draft" and minutes.returned_comment == "Too detailed."
        assert minutes.current_version.status == "returned"
        (notice,) = Notification.objects.filter(kind="minutes_returned")
    assert notice.recipient == secretariat
    # The seat returned it from an English page; the Secretariat reads Spanish, all of it.
    assert "pilar de Gobierno" in notice.body and "Government" not in notice.body


def test_an_edit_after_submission_or_approval_makes_a_new_version(group, held, seats):
    minutes = make_minutes(held)
    c = add_contribution(minutes, "Version one.")
    secretariat = make_secretariat(group)
    with group_scope(group):
        v1 = service.submit(minutes=minutes, actor=secretariat)
        service.review(minutes=minutes, actor=seats["companies"], decision="approve")
        service.save_contribution(
            section=c.section,
            actor=secretariat,
            text="Version two.",
            contribution=c,
            revision=c.revision,
        )
        minutes.refresh_from_db()
        assert minutes.status == "draft"
        assert MinutesVersion.objects.get(pk=v1.pk).status == "superseded"
        v2 = service.submit(minutes=minutes, actor=secretariat)
        assert v2.number == 2 and v2.content_hash != v1.content_hash
        for seat in seats.values():
            service.review(minutes=minutes, actor=seat, decision="approve")
        minutes.refresh_from_db()
        assert minutes.status == "approved" and minutes.current_version == v2
        assert (
            MinutesVersion.objects.get(pk=v1.pk).attributed["sections"][0]["contributions"][0][
                "text"
            ]
            == "Version one."
        )
        c.refresh_from_db()
        service.save_contribution(
            section=c.section,
            actor=secretariat,
            text="Version three.",
            contribution=c,
            revision=c.revision,
        )
        minutes.refresh_from_db()
        # Approved but not circulated: withdrawn with the edit, so members never open it.
        assert (
            minutes.status == "draft"
            and MinutesVersion.objects.get(pk=v2.pk).status == "superseded"
        )


def test_illegal_transitions_are_refused(group, held, seats):
    minutes = make_minutes(held)
    add_contribution(minutes, "Text.")
    secretariat = make_secretariat(group)
    with group_scope(group):
        with pytest.raises(MinutesError):
            service.review(minutes=minutes, actor=seats["companies"], decision="approve")
        with pytest.raises(MinutesError):
            service.adopt(minutes=minutes, actor=secretariat, meeting=held)
        service.submit(minutes=minutes, actor=secretariat)
        with pytest.raises(MinutesError):
            service.submit(minutes=minutes, actor=secretariat)
        with pytest.raises(MinutesError):
            service.review(minutes=minutes, actor=secretariat, decision="approve")
        service.review(minutes=minutes, actor=seats["companies"], decision="approve")
        with pytest.raises(MinutesError, match="already reviewed"):
            service.review(minutes=minutes, actor=seats["companies"], decision="approve")


@pytest.mark.django_db(transaction=True)
def test_two_seats_approving_at_the_same_moment(group, eager_tasks):
    seats = {p: make_coordination(group, p) for p in ("companies", "government")}
    member = make_representative(group)
    meeting = make_meeting(group, "held", days=-1)
    minutes = make_minutes(meeting)
    with group_scope(group):
        service.add_section(minutes=minutes, actor=make_user(), title="Business")
    add_contribution(minutes, "Text.")
    with group_scope(group):
        service.submit(minutes=minutes, actor=make_secretariat(group))
    barrier = threading.Barrier(2)
    errors = []

    def approve(seat):
        try:
            with group_scope(group):
                barrier.wait()
                service.review(minutes=minutes, actor=seat, decision="approve")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(s,)) for s in seats.values()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with group_scope(group):
        minutes.refresh_from_db()
        assert minutes.status == "circulated"
        assert minutes.current_version.reviews.count() == 2
        assert AuditEntry.objects.filter(verb="minutes.circulated").count() == 1
        assert (
            Notification.objects.filter(kind="minutes_circulated", recipient=member.user).count()
            == 1
        )


def test_reviewers_are_reminded_and_the_secretariat_told_when_overdue(group, held, seats):
    from datetime import timedelta

    minutes = make_minutes(held)
    add_contribution(minutes, "Text.")
    secretariat = make_secretariat(group)
    with group_scope(group):
        version = service.submit(minutes=minutes, actor=secretariat)
        service.review(minutes=minutes, actor=seats["companies"], decision="approve")
        start = version.created_at
        assert service.review_reminders(group, start + timedelta(days=6)) == 0
        assert service.review_reminders(group, start + timedelta(days=7)) == 2
        assert service.review_reminders(group, start + timedelta(days=8)) == 0
        assert service.review_reminders(group, start + timedelta(days=14)) == 1  # the Secretariat
        reminded = set(
            Notification.objects.filter(kind="minutes_review_reminder").values_list(
                "recipient", flat=True
            )
        )
    assert reminded == {seats["government"].pk, seats["civil_society"].pk}


# --- Who reads what ------------------------------------------------------------------------------


def _submit(minutes, secretariat) -> None:
    """Resolve every name the scanner finds as the subject of the discussion, and submit."""
    with group_scope(minutes.working_group):
        for f in leaks.scan(minutes):
            service.mark_subject(
                minutes=minutes, actor=secretariat, target=f.hit.target, term=f.hit.matched
            )
        service.submit(minutes=minutes, actor=secretariat)


def test_each_reader_gets_their_rendering_and_the_attributed_reads_are_logged(
    client, group, attributed_minutes, seats, eager_tasks, django_capture_on_commit_callbacks
):
    secretariat = make_secretariat(group)
    member = make_representative(group)
    url = reverse(
        "meetings:minutes", kwargs={"wg": group.slug, "pk": attributed_minutes.meeting_id}
    )
    sign_in(client, secretariat)
    assert "Rosa Quispe Huamán" in client.get(url).content.decode()  # the editor
    _submit(attributed_minutes, secretariat)
    client.logout()
    sign_in(client, seats["companies"])
    body = client.get(url).content.decode()
    assert "Rosa Quispe Huamán" in body  # the group lets the Coordination Group see attribution
    client.post(
        reverse(
            "meetings:minutes_review",
            kwargs={"wg": group.slug, "pk": attributed_minutes.meeting_id},
        ),
        {"decision": "approve"},
    )
    client.logout()
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        for p in ("government", "civil_society"):
            service.review(minutes=attributed_minutes, actor=seats[p], decision="approve")
    sign_in(client, member.user)
    body = client.get(url).content.decode()
    assert "Companies should publish" in body and "A participant" in body
    assert "Rosa Quispe Huamán" not in body and "Minera Huascarán" not in body
    with group_scope(group):
        kinds = list(MinutesAccess.objects.values_list("user", "kind"))
    # The Secretariat writing its record is logged apart from reading; a seat reviewing with
    # attribution read it; the member read the members' version (logged too, issue 14).
    assert (secretariat.pk, "edited") in kinds and (secretariat.pk, "attributed") not in kinds
    assert (seats["companies"].pk, "attributed") in kinds
    assert (member.user_id, "members") in kinds


def test_kept_renderings_never_cross_readers_languages_or_groups(
    client,
    group,
    other_group,
    attributed_minutes,
    seats,
    local_cache,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    """A frozen version's HTML is kept per process, by version, rendering and language: the
    Secretariat's attributed reading never reaches a member, even with both kept."""
    secretariat = make_secretariat(group)
    member = make_representative(group)
    url = reverse(
        "meetings:minutes", kwargs={"wg": group.slug, "pk": attributed_minutes.meeting_id}
    )
    _submit(attributed_minutes, secretariat)
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        for p in ("companies", "government", "civil_society"):  # approved, then circulated
            service.review(minutes=attributed_minutes, actor=seats[p], decision="approve")

    def read() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    sign_in(client, secretariat)
    client.get(reverse("group:home", kwargs={"wg": group.slug}))  # the permissions, kept too
    attributed, cold = read()
    again, warm = read()
    assert "Rosa Quispe Huamán" in attributed and "Rosa Quispe Huamán" in again
    # Neither the version's rendering nor the versions, their reviews and the plenaries that
    # may adopt them are read again...
    assert warm == cold - 4
    # ...until one of those changes: a plenary convened later may now adopt them.
    make_meeting(group, "convened", title="Plenary of December")
    assert "Plenary of December" in read()[0]
    client.logout()
    sign_in(client, member.user)
    for _ in range(2):  # drawn, then kept: neither carries a speaker
        body, _queries = read()
        assert "Companies should publish" in body and "A participant" in body
        assert "Rosa Quispe Huamán" not in body and "Minera Huascarán" not in body
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish, _queries = read()
    assert "Un participante" in spanish and "Rosa Quispe Huamán" not in spanish
    client.logout()
    sign_in(client, make_member(other_group))
    assert client.get(url).status_code == 404


def test_the_members_page_is_kept_for_every_member_and_every_reading_is_logged(
    client, group, held, local_cache
):
    """The members' page is drawn once and kept for every member (the meeting, its minutes
    and versions not read again), every reading still logged; a change to the group's minutes
    is read on the very next request."""
    secretariat = make_secretariat(group)
    minutes = make_minutes(held)
    add_contribution(minutes, "The first text.")
    circulate_minutes(minutes, secretariat)
    first, second = make_representative(group), make_representative(group)
    url = reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": held.pk})

    def read(user) -> tuple[str, list[str]]:
        client.force_login(user)
        client.get(reverse("group:home", kwargs={"wg": group.slug}))  # the permissions kept
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), [q["sql"] for q in ctx.captured_queries]

    def reads_the_minutes(queries) -> bool:
        return any('"meetings_minutes' in sql and "INSERT" not in sql for sql in queries)

    drawn, queries = read(first.user)
    assert "The first text." in drawn and reads_the_minutes(queries)
    kept, queries = read(second.user)
    assert kept.count("The first text.") == 1 and not reads_the_minutes(queries)
    assert read(first.user)[0].count("The first text.") == 1
    with group_scope(group):
        assert {
            (row.user_id, row.count) for row in MinutesAccess.objects.filter(minutes=minutes)
        } == {(first.user_id, 2), (second.user_id, 1)}
        # Edited (a draft again), then circulated as version 2.
        contribution = Contribution.objects.get(section__minutes=minutes)
        service.save_contribution(
            section=contribution.section,
            actor=secretariat,
            text="The second text.",
            speaker=service.KEEP,
            contribution=contribution,
            revision=contribution.revision,
        )
    circulate_minutes(minutes, secretariat)
    body, queries = read(second.user)
    assert "The second text." in body and "The first text." not in body
    assert "Version 2" in body and reads_the_minutes(queries)


def test_members_are_told_the_minutes_are_not_there_yet_until_they_are(
    client, group, held, local_cache
):
    member = make_representative(group)
    client.force_login(member.user)
    url = reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": held.pk})
    for _ in range(2):  # drawn, then kept: no minutes yet
        assert "The minutes are not available yet" in client.get(url).content.decode()
    minutes = make_minutes(held)
    add_contribution(minutes, "What was said.")
    for _ in range(2):  # begun, a draft: still nothing for members
        assert "The minutes are not available yet" in client.get(url).content.decode()
    circulate_minutes(minutes, make_secretariat(group))
    assert "What was said." in client.get(url).content.decode()


def test_coordination_without_attribution_reviews_the_members_version(
    client, group, attributed_minutes, seats
):
    group.coordination_sees_attribution = False
    group.save()
    secretariat = make_secretariat(group)
    _submit(attributed_minutes, secretariat)
    sign_in(client, seats["government"])
    body = client.get(
        reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": attributed_minutes.meeting_id})
    ).content.decode()
    assert "Companies should publish" in body and "Rosa Quispe Huamán" not in body


def _queries(client, url) -> int:
    cold_process()  # the count of a first request: the per-process cache empty
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_editor_and_reader_query_counts_do_not_grow_with_the_record(
    client, group, held, seats, eager_tasks, django_capture_on_commit_callbacks
):
    minutes = make_minutes(held)
    secretariat = make_secretariat(group)
    reader = make_representative(group)
    url = reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": held.pk})

    def grow(n):
        for i in range(n):
            add_contribution(minutes, f"Contribution {i}.", speaker=make_representative(group))
            with group_scope(group):
                section = minutes.sections.first()
                service.save_decision(section=section, actor=secretariat, text=f"Decision {i}.")
                service.save_action_item(section=section, actor=secretariat, what=f"Action {i}.")

    grow(1)
    sign_in(client, secretariat)
    few = _queries(client, url)
    grow(25)
    assert _queries(client, url) == few
    client.logout()
    with django_capture_on_commit_callbacks(execute=True), group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
        for seat in seats.values():
            service.review(minutes=minutes, actor=seat, decision="approve")
    sign_in(client, reader.user)
    assert _queries(client, url) <= 15


def test_saving_what_is_there_already_does_not_reopen_submitted_minutes(group, held, seats):
    """The editor's autosave on leaving a field can arrive after "Submit" with the same
    text: the version just submitted stays under review."""
    minutes = make_minutes(held)
    c = add_contribution(minutes, "What was said.")
    secretariat = make_secretariat(group)
    with group_scope(group):
        c.refresh_from_db()
        v1 = service.submit(minutes=minutes, actor=secretariat)
        service.save_contribution(
            section=c.section,
            actor=secretariat,
            text="What was said.",
            speaker=service.KEEP,
            contribution=c,
            revision=c.revision,
        )
        service.save_summary(
            minutes=minutes, actor=secretariat, summary=minutes.summary, revision=minutes.revision
        )
        minutes.refresh_from_db()
        assert minutes.status == "submitted"
        assert MinutesVersion.objects.get(pk=v1.pk).status == "submitted"
        # A real change still reopens them.
        c.refresh_from_db()
        service.save_contribution(
            section=c.section,
            actor=secretariat,
            text="What was said, amended.",
            speaker=service.KEEP,
            contribution=c,
            revision=c.revision,
        )
        minutes.refresh_from_db()
        assert minutes.status == "draft"
