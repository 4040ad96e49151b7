"""What the meetings app puts in the search index (``vpswg.search``), and for whom.

* ``minutes``: the members' rendering of the circulated version, one row per statement and per
  section (``VIEW_MINUTES``: no speaker is in it), and the working record for the Secretariat
  (``EDIT_MINUTES``): its statements' text alone, since who said what stays sealed
  (``meetings.services.attribution``); the search page opens the speakers of the statements
  it shows, for the Secretariat only (``speaker_labels``).
* ``meeting``: a meeting and its agenda items; a planned meeting only for the Secretariat and
  the seats (``SEATS``), as the meetings list.
* ``topic``: the discussion topics proposed (not the withdrawn).
* ``document``: a document's title, description and text, for its audience
  (``meetings.documents.access.requires``).

A closed meeting's rows carry the meeting (``closed_meeting_id``): the Secretariat, the seats
and the people given that meeting find them, nobody else (``meetings.access``).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from meetings.access import is_closed, is_draft
from meetings.documents.access import requires as document_requires
from meetings.models import (
    ActionItem,
    AgendaItem,
    Contribution,
    Decision,
    DiscussionTopic,
    Document,
    DocumentVersion,
    Meeting,
    Minutes,
    MinutesKey,
    MinutesSection,
    MinutesVersion,
)
from members.models import Institution
from vpswg import search
from vpswg.models import SearchEntry
from vpswg.models.search import SEATS
from vpswg.roles import Action
from vpswg.search import Row

Kind = SearchEntry.Kind


def meeting_requires(meeting: Meeting) -> tuple[str, int | None]:
    """What reading a meeting's rows needs: the meetings list's rule (a planned meeting is the
    Secretariat's and the seats'), and the meeting itself if it is closed."""
    requires = SEATS if is_draft(meeting) else Action.VIEW_MEETINGS.value
    return requires, (meeting.pk if is_closed(meeting) else None)


def _day(meeting: Meeting):
    return timezone.localdate(meeting.start, meeting.working_group.zone)


# --- minutes -----------------------------------------------------------------------------------


def build_minutes(ids: list[int]) -> dict[int, tuple[int, list[Row]]]:
    """The rows of these minutes: seven queries, whatever their number."""
    minutes_list = list(
        Minutes.objects.select_related("meeting", "working_group").filter(pk__in=ids)
    )
    if not minutes_list:
        return {}
    sections = defaultdict(list)
    section_ids = []
    for pk, minutes_id, title, main_points in MinutesSection.objects.filter(
        minutes_id__in=[m.pk for m in minutes_list]
    ).values_list("pk", "minutes_id", "title", "main_points"):
        sections[minutes_id].append((pk, title, main_points))
        section_ids.append(pk)
    said = defaultdict(list)
    for pk, section_id, text in (
        Contribution.objects.filter(section_id__in=section_ids)
        .order_by("position", "pk")
        .values_list("pk", "section_id", "text")
    ):
        said[section_id].append((pk, text))
    extra = defaultdict(list)
    for section_id, text in Decision.objects.filter(section_id__in=section_ids).values_list(
        "section_id", "text"
    ):
        extra[section_id].append(text)
    for section_id, what, institution in ActionItem.objects.filter(
        section_id__in=section_ids
    ).values_list("section_id", "what", "institution__name"):
        extra[section_id].append(f"{what} ({institution})" if institution else what)
    circulated = dict(
        MinutesVersion.objects.filter(
            pk__in=[m.circulated_version_id for m in minutes_list if m.circulated_version_id]
        ).values_list("pk", "members")
    )
    built = {}
    for minutes in minutes_list:
        meeting, group = minutes.meeting, minutes.working_group
        meeting.working_group = group
        _requires, closed = meeting_requires(meeting)
        url = reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": meeting.pk})
        common = {
            "kind": Kind.MINUTES,
            "date": _day(meeting),
            "closed_meeting_id": closed,
            "language": group.default_language,
        }
        rows = _working_record(minutes, meeting, sections[minutes.pk], said, extra, url, common)
        if minutes.circulated_version_id in circulated:
            rows += _rendering_rows(
                circulated[minutes.circulated_version_id], meeting.title, url, common
            )
        built[minutes.pk] = (group.pk, rows)
    return built


def _working_record(minutes, meeting, sections, said, extra, url: str, common: dict) -> list[Row]:
    """The Secretariat's rows: the record as it stands, statements without their speaker."""
    secretariat = {**common, "requires": Action.EDIT_MINUTES.value, "rendering": "attributed"}
    rows = []
    if minutes.summary:
        rows.append(
            Row(title=meeting.title, body=minutes.summary, url=url, part="summary", **secretariat)
        )
    for pk, title, main_points in sections:
        heading = f"{meeting.title}: {title}"
        rows.append(
            Row(
                title=heading,
                body="\n".join([main_points, *extra[pk]]),
                url=f"{url}#part-s{pk}",
                part=f"s{pk}",
                **secretariat,
            )
        )
        for contribution_id, text in said[pk]:
            rows.append(
                Row(
                    title=heading,
                    body=text,
                    url=f"{url}#part-c{contribution_id}",
                    part=f"c{contribution_id}",
                    **secretariat,
                )
            )
    return rows


def _rendering_rows(content: dict, meeting_title: str, url: str, common: dict) -> list[Row]:
    """The members' rows, from the members' rendering as frozen and circulated: nothing in it
    names who spoke."""
    members = {**common, "requires": Action.VIEW_MINUTES.value, "rendering": "members"}
    rows = []
    if content.get("summary"):
        rows.append(
            Row(title=meeting_title, body=content["summary"], url=url, part="summary", **members)
        )
    for position, section in enumerate(content.get("sections", []), start=1):
        key = section.get("key") or f"p{position}"
        heading = f"{meeting_title}: {section.get('title', '')}"
        actions = [
            f"{a['what']} ({a['institution']})" if a.get("institution") else a.get("what", "")
            for a in section.get("action_items", [])
        ]
        rows.append(
            Row(
                title=heading,
                body="\n".join(
                    [section.get("main_points", ""), *section.get("decisions", []), *actions]
                ),
                url=f"{url}#part-{key}" if section.get("key") else url,
                part=key,
                **members,
            )
        )
        for index, said in enumerate(section.get("contributions", []), start=1):
            part = said.get("key") or f"{key}-{index}"
            rows.append(
                Row(
                    title=heading,
                    body=said.get("text", ""),
                    url=f"{url}#part-{said['key']}" if said.get("key") else url,
                    part=part,
                    **members,
                )
            )
    return rows


def speaker_labels(contribution_ids: list[int]) -> dict[int, str]:
    """Who said each of these statements ("Name, Institution"), for the Secretariat's results:
    a constant number of queries, whatever the page holds (the keys of all their minutes at
    once). A statement whose speaker cannot be read (attribution destroyed) is left out."""
    from meetings.services import attribution, redaction

    if not contribution_ids:
        return {}
    rows = list(
        Contribution.objects.filter(pk__in=contribution_ids).values_list(
            "pk", "speaker_sealed", "section__minutes_id"
        )
    )
    keys = {
        row["minutes_id"]: row
        for row in MinutesKey.objects.filter(
            minutes_id__in={minutes_id for _pk, _s, minutes_id in rows}
        ).values("minutes_id", "wrapped", "destroyed_at")
    }
    refs = {}
    for pk, sealed, minutes_id in rows:
        opened = attribution.open_key_row(minutes_id, keys.get(minutes_id))
        refs[pk] = attribution.open_speaker(opened, pk, sealed)
    names = redaction._speaker_names(refs.values())
    labels = {}
    for pk, ref in refs.items():
        speaker = redaction._speaker(ref, names)
        # A destroyed or unreadable attribution reads as nobody (no name, no error).
        if speaker and speaker.get("type") in {"representative", "guest"}:
            labels[pk] = ", ".join(x for x in (speaker["name"], speaker["institution"]) if x)
    return labels


# --- meetings, agenda items, topics ------------------------------------------------------------


def build_meeting(ids: list[int]) -> dict[int, tuple[int, list[Row]]]:
    """Meetings and their agenda items (with the guests who speak at them): three queries."""
    meetings = list(Meeting.objects.select_related("working_group").filter(pk__in=ids))
    guests = defaultdict(list)
    for item_id, name, organisation in AgendaItem.guests.through.objects.filter(
        agendaitem__meeting__in=meetings
    ).values_list("agendaitem_id", "guest__name", "guest__organisation"):
        guests[item_id].append(f"{name} ({organisation})" if organisation else name)
    items = defaultdict(list)
    for pk, meeting_id, topic, description in AgendaItem.objects.filter(
        meeting__in=meetings
    ).values_list("pk", "meeting_id", "topic", "description"):
        items[meeting_id].append((pk, topic, description))
    built = {}
    for meeting in meetings:
        group = meeting.working_group
        requires, closed = meeting_requires(meeting)
        url = reverse("meetings:detail", kwargs={"wg": group.slug, "pk": meeting.pk})
        common = {
            "kind": Kind.AGENDA,
            "requires": requires,
            "closed_meeting_id": closed,
            "date": _day(meeting),
            "language": group.default_language,
        }
        rows = [Row(title=meeting.title, body=meeting.venue, url=url, **common)]
        for pk, topic, description in items[meeting.pk]:
            rows.append(
                Row(
                    title=topic,
                    body="\n".join([description, *guests[pk]]),
                    url=f"{url}#item-{pk}",
                    part=f"a{pk}",
                    **common,
                )
            )
        built[meeting.pk] = (group.pk, rows)
    return built


def build_topic(ids: list[int]) -> dict[int, tuple[int, list[Row]]]:
    topics = (
        DiscussionTopic.objects.select_related("working_group")
        .filter(pk__in=ids)
        .exclude(status=DiscussionTopic.Status.WITHDRAWN)
    )
    built = {}
    for topic in topics:
        group = topic.working_group
        url = reverse("meetings:topics", kwargs={"wg": group.slug})
        built[topic.pk] = (
            group.pk,
            [
                Row(
                    kind=Kind.TOPIC,
                    title=topic.title,
                    body=topic.description,
                    url=f"{url}#topic-{topic.pk}",
                    requires=Action.VIEW_MEETINGS.value,
                    date=timezone.localdate(topic.created_at, group.zone),
                    language=group.default_language,
                )
            ],
        )
    return built


# --- documents --------------------------------------------------------------------------------


def build_document(ids: list[int]) -> dict[int, tuple[int, list[Row]]]:
    documents = Document.objects.select_related(
        "working_group", "meeting", "agenda_item", "current_version"
    ).filter(pk__in=ids, current_version__isnull=False)
    built = {}
    for document in documents:
        group = document.working_group
        requires, closed = document_requires(document)
        version = document.current_version
        context = []
        if document.meeting is not None:
            context.append(document.meeting.title)
        if document.agenda_item is not None:
            context.append(document.agenda_item.topic)
        built[document.pk] = (
            group.pk,
            [
                Row(
                    kind=Kind.DOCUMENT,
                    title=document.title,
                    body="\n".join(
                        [*context, document.description, version.text, version.file_name]
                    ),
                    url=reverse("documents:detail", kwargs={"wg": group.slug, "pk": document.pk}),
                    requires=requires,
                    closed_meeting_id=closed,
                    date=document.date,
                    language=document.language,
                )
            ],
        )
    return built


# --- registration and signals -----------------------------------------------------------------


def _minutes_of_section(section_id) -> int | None:
    return MinutesSection.objects.filter(pk=section_id).values_list("minutes_id", flat=True).first()


def _on_meeting(sender, instance: Meeting, **kwargs) -> None:
    search.refresh("meeting", instance.pk)
    if kwargs.get("signal") is post_delete:
        return
    search.refresh_many(
        "minutes", Minutes.objects.filter(meeting_id=instance.pk).values_list("pk", flat=True)
    )
    search.refresh_many(
        "document", Document.objects.filter(meeting_id=instance.pk).values_list("pk", flat=True)
    )


def _on_agenda_item(sender, instance, **kwargs) -> None:
    search.refresh("meeting", instance.meeting_id)
    # Its documents' rows name it (renamed; or removed, which empties their item unseen).
    search.refresh_many(
        "document",
        Document.objects.filter(meeting_id=instance.meeting_id).values_list("pk", flat=True),
    )


def _on_agenda_guests(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, AgendaItem):
        search.refresh("meeting", instance.meeting_id)


def _on_minutes(sender, instance: Minutes, **kwargs) -> None:
    search.refresh("minutes", instance.pk)


def _on_section(sender, instance: MinutesSection, **kwargs) -> None:
    search.refresh("minutes", instance.minutes_id)


def _on_section_part(sender, instance, **kwargs) -> None:
    search.refresh("minutes", _minutes_of_section(instance.section_id))


def _on_topic(sender, instance, **kwargs) -> None:
    search.refresh("topic", instance.pk)


def _on_document(sender, instance, **kwargs) -> None:
    search.refresh("document", instance.pk)


def _on_document_version(sender, instance, **kwargs) -> None:
    search.refresh("document", instance.document_id)


def _on_institution(sender, instance: Institution, **kwargs) -> None:
    """An institution renamed: the action items of the working record that name it."""
    search.refresh_many(
        "minutes",
        ActionItem.objects.filter(institution_id=instance.pk)
        .values_list("section__minutes_id", flat=True)
        .distinct(),
    )


def connect() -> None:
    search.register("minutes", build_minutes, lambda: Minutes.objects.values_list("pk", flat=True))
    search.register("meeting", build_meeting, lambda: Meeting.objects.values_list("pk", flat=True))
    search.register(
        "topic", build_topic, lambda: DiscussionTopic.objects.values_list("pk", flat=True)
    )
    search.register(
        "document", build_document, lambda: Document.objects.values_list("pk", flat=True)
    )
    pairs = [
        (Meeting, _on_meeting),
        (AgendaItem, _on_agenda_item),
        (Minutes, _on_minutes),
        (MinutesSection, _on_section),
        (Contribution, _on_section_part),
        (Decision, _on_section_part),
        (ActionItem, _on_section_part),
        (DiscussionTopic, _on_topic),
        (Document, _on_document),
        (DocumentVersion, _on_document_version),
    ]
    for model, receiver in pairs:
        post_save.connect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    m2m_changed.connect(
        _on_agenda_guests, sender=AgendaItem.guests.through, dispatch_uid="search-agenda-guests"
    )
    post_save.connect(_on_institution, sender=Institution, dispatch_uid="search-institution-m")
