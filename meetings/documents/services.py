"""Adding documents and their versions, changing and removing them.

Every upload has passed ``vpswg.uploads`` (``DocumentField``) before it reaches here; the file
is stored under a random name and its text is read in the background for search
(``meetings.documents.extraction``). The search index follows every write (``meetings.search``,
through the models' signals).
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from meetings.access import is_closed
from meetings.documents.pack import forget_packs
from meetings.models import AgendaItem, Document, DocumentVersion, Meeting
from vpswg.models import User, WorkingGroup
from vpswg.services.audit import record
from vpswg.uploads import display_name, random_name


def check_placement(
    *, audience: str, meeting: Meeting | None, agenda_item: AgendaItem | None
) -> None:
    """A document of a closed meeting cannot be public; an agenda item is of its meeting."""
    if agenda_item is not None and (meeting is None or agenda_item.meeting_id != meeting.pk):
        raise ValidationError(_("The agenda item is not one of this meeting's."))
    if meeting is not None and is_closed(meeting) and audience == Document.Audience.PUBLIC:
        raise ValidationError(
            _("A Coordination Group meeting is closed: its documents cannot be public.")
        )


def _store(document: Document, actor: User, upload, note: str) -> DocumentVersion:
    number = (document.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    version = DocumentVersion(
        working_group_id=document.working_group_id,
        document=document,
        number=number,
        file_name=display_name(upload.name),
        file_type=upload.document_type.content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        note=note.strip()[:300],
        uploaded_by=actor,
    )
    version.file.save(
        random_name(f"documents/{document.working_group_id}", upload.document_type),
        upload,
        save=False,
    )
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    forget_packs(document.meeting_id)
    _read_later(document.working_group_id, version.pk)
    return version


def _read_later(group_id: int, version_id: int) -> None:
    from meetings.tasks import extract_document_text
    from vpswg.celery import enqueue

    # The text is read after the commit, by a worker; with the broker down, here (it is
    # bounded: ``extraction``), so that the document is searchable all the same.
    transaction.on_commit(
        lambda: enqueue(
            extract_document_text,
            group_id,
            version_id,
            on_unreachable=lambda: extract_document_text.apply(args=(group_id, version_id)),
        )
    )


@transaction.atomic
def add_document(
    *,
    working_group: WorkingGroup,
    actor: User,
    upload,
    title: str,
    kind: str,
    language: str,
    date: date,
    audience: str,
    description: str = "",
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    note: str = "",
) -> Document:
    check_placement(audience=audience, meeting=meeting, agenda_item=agenda_item)
    document = Document.objects.create(
        working_group=working_group,
        title=title.strip(),
        kind=kind,
        language=language,
        date=date,
        audience=audience,
        description=description.strip(),
        meeting=meeting,
        agenda_item=agenda_item,
        created_by=actor,
    )
    _store(document, actor, upload, note)
    record(
        working_group=working_group,
        actor=actor,
        verb="document.added",
        obj=document,
        data={"audience": audience, "kind": kind},
    )
    return document


@transaction.atomic
def add_version(*, document: Document, actor: User, upload, note: str = "") -> DocumentVersion:
    """A new upload of the same document: it becomes the one read; the earlier are kept."""
    document = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    version = _store(document, actor, upload, note)
    record(
        working_group=document.working_group,
        actor=actor,
        verb="document.version_added",
        obj=document,
        data={"version": version.number},
    )
    return version


@transaction.atomic
def change_document(*, document: Document, actor: User, **fields) -> Document:
    """Title, kind, language, date, audience, description, meeting and agenda item."""
    check_placement(
        audience=fields.get("audience", document.audience),
        meeting=fields.get("meeting", document.meeting),
        agenda_item=fields.get("agenda_item", document.agenda_item),
    )
    before = document.audience
    forget_packs(document.meeting_id)
    for name, value in fields.items():
        setattr(document, name, value.strip() if isinstance(value, str) else value)
    document.save()
    forget_packs(document.meeting_id)  # and of the meeting it moved to
    record(
        working_group=document.working_group,
        actor=actor,
        verb="document.changed",
        obj=document,
        data={"audience": document.audience} if document.audience != before else None,
    )
    return document


@transaction.atomic
def remove_document(*, document: Document, actor: User) -> None:
    """Removed with every version and its files (after the commit: a rollback keeps them)."""
    files = [v.file.name for v in document.versions.all() if v.file]
    storage = DocumentVersion._meta.get_field("file").storage
    Document.objects.filter(pk=document.pk).update(current_version=None)
    forget_packs(document.meeting_id)
    record(
        working_group=document.working_group,
        actor=actor,
        verb="document.removed",
        obj=document,
        data={"versions": len(files)},
    )
    document.versions.all().delete()
    document.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
