"""The meeting pack: one PDF of a meeting for one reader, made in the background.

A cover (the meeting, its agenda, and where each document starts), then the meeting's PDF
documents that this reader may read, in the agenda's order (those of no item last), with page
numbers over the whole pack and the reader's watermark on every page, like the minutes. The
cover is drawn with WeasyPrint (``vpswg.pdf``); the documents are joined and stamped with
``pypdf``. Word documents cannot be joined: the cover lists them, to be downloaded.

The reader's access is decided again when the pack is made (``meetings.access`` and
``meetings.documents.access``): a document whose audience changed since the request is left
out, and a meeting no longer visible makes no pack.
"""

from __future__ import annotations

import io
import logging
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.access import Reader, meeting_access
from meetings.documents.access import audiences
from meetings.models import Document, Meeting, PackJob
from vpswg import pdf
from vpswg.models import User, WorkingGroup
from vpswg.services.audit import record

logger = logging.getLogger(__name__)

#: A job still waiting or running after this long was lost (a worker killed).
STALE_AFTER = timedelta(minutes=15)
#: Packs are made for one person at one time: kept this long, then deleted.
KEEP = timedelta(days=1)
A4 = (595.28, 841.89)


def meeting_documents(reader: Reader, meeting: Meeting) -> list[Document]:
    """The documents of a meeting the reader sees (the caller has checked that with
    ``meeting_access``) that their audience lets them read, in the agenda's order: one
    query."""
    documents = list(
        Document.objects.filter(
            meeting=meeting,
            current_version__isnull=False,
            audience__in=[str(a) for a in audiences(reader)],
        )
        .select_related("current_version", "agenda_item")
        .defer("current_version__text")  # read for search, not for a list or a pack
        .order_by("agenda_item__position", "agenda_item_id", "date", "pk")
    )
    # Those of no agenda item (background for the whole meeting) after the items'.
    return sorted(documents, key=lambda d: d.agenda_item is None)


@transaction.atomic
def request_pack(*, meeting: Meeting, actor: User) -> tuple[PackJob, bool]:
    """Start this reader's pack of ``meeting`` once: a pack of theirs still being made is
    returned instead of a new one (a held-down button makes one)."""
    from meetings.tasks import meeting_pack
    from vpswg.celery import enqueue

    User.objects.select_for_update().filter(pk=actor.pk).first()
    pending = (
        PackJob.objects.filter(
            meeting=meeting,
            requested_by=actor,
            status__in=[PackJob.Status.QUEUED, PackJob.Status.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending, False
    job = PackJob.objects.create(
        working_group_id=meeting.working_group_id, meeting=meeting, requested_by=actor
    )
    record(
        working_group=meeting.working_group,
        actor=actor,
        verb="document.pack_requested",
        obj=meeting,
    )
    group_id, job_id = meeting.working_group_id, job.pk
    transaction.on_commit(
        lambda: enqueue(
            meeting_pack,
            group_id,
            job_id,
            on_unreachable=lambda: PackJob.objects.filter(
                pk=job_id, status=PackJob.Status.QUEUED
            ).update(status=PackJob.Status.FAILED, error="BrokerUnavailable"),
        )
    )
    return job, True


def still_readable(job: PackJob, reader: Reader) -> bool:
    """Whether the pack may still be handed to its reader: made less than ``KEEP`` ago, and
    every document in it still one they may read, in the version put in it (a document made
    "Secretariat only", removed or replaced since is not served from an old pack)."""
    if job.status != PackJob.Status.DONE or not job.file:
        return False
    if job.finished_at is None or job.finished_at < timezone.now() - KEEP:
        return False
    current = {
        d.current_version_id for d in meeting_documents(reader, job.meeting) if d.current_version_id
    }
    return set(job.contents) <= current


def is_lost(job: PackJob) -> bool:
    """A job waiting or running for longer than a pack takes: its worker was stopped."""
    return job.status in {PackJob.Status.QUEUED, PackJob.Status.RUNNING} and (
        job.created_at < timezone.now() - STALE_AFTER
    )


def forget_packs(meeting_id: int | None) -> None:
    """Delete a meeting's packs with their files (after the commit): a document of it was
    changed, replaced or removed, so that what they hold may no longer be what its readers may
    read."""
    if meeting_id is None:
        return
    jobs = list(PackJob.objects.filter(meeting_id=meeting_id))
    names = [job.file.name for job in jobs if job.file]
    storage = PackJob._meta.get_field("file").storage
    PackJob.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _progress(job: PackJob, value: int, status: str = PackJob.Status.RUNNING) -> None:
    PackJob.objects.filter(pk=job.pk).update(progress=value, status=status)


def build(job: PackJob) -> str:
    """Make the pack; progress is saved step by step. Returns the job's final status."""
    group = WorkingGroup.objects.get(pk=job.working_group_id)
    meeting = job.meeting
    try:
        _progress(job, 5)
        reader = Reader.for_user(job.requested_by, group)
        access = meeting_access(reader, meeting)
        if not access or access.guest:
            raise PermissionError("the reader no longer sees the meeting")
        with translation.override(group.default_language), timezone.override(group.zone):
            data, contents = _assemble(job, group, meeting, reader)
        job.file.save(f"packs/{group.pk}/{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
        PackJob.objects.filter(pk=job.pk).update(
            file=job.file.name,
            contents=contents,
            progress=100,
            status=PackJob.Status.DONE,
            finished_at=timezone.now(),
        )
        _forget_old(job)
        return PackJob.Status.DONE
    except Exception as exc:
        logger.exception("meeting pack %s failed", job.pk)
        PackJob.objects.filter(pk=job.pk).update(
            status=PackJob.Status.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        return PackJob.Status.FAILED


def _assemble(job, group, meeting, reader) -> tuple[bytes, list[int]]:
    from pypdf import PdfReader, PdfWriter

    documents = meeting_documents(reader, meeting)
    parts, others = [], []
    for document in documents:
        version = document.current_version
        if not version.is_pdf:
            others.append(document)
            continue
        try:
            with version.file.open("rb") as handle:
                parsed = PdfReader(io.BytesIO(handle.read()))
            parts.append((document, parsed, len(parsed.pages)))
        except Exception:  # noqa: BLE001 (one unreadable file does not stop the pack)
            logger.warning("meeting pack %s: document %s unreadable", job.pk, document.pk)
            others.append(document)
    _progress(job, 20)
    agenda = list(meeting.agenda_items.order_by("position", "pk"))
    # The cover says where each document starts: drawn once to learn its own length, and
    # again if the numbers made it longer.
    cover_pages = 1
    for _attempt in range(3):
        starts, page = [], cover_pages + 1
        for document, _parsed, count in parts:
            starts.append((document, page, count))
            page += count
        cover = pdf.render(
            render_to_string(
                "meetings/documents/pack_cover.html",
                {
                    "group": group,
                    "meeting": meeting,
                    "agenda": agenda,
                    "starts": starts,
                    "others": others,
                    "LANGUAGE_CODE": group.default_language,
                },
            ),
            stylesheets=("css/pack-pdf.css",),
        )
        length = len(PdfReader(io.BytesIO(cover)).pages)
        if length == cover_pages:
            break
        cover_pages = length
    _progress(job, 40)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)))
    included = []
    for index, (document, parsed, count) in enumerate(parts, start=1):
        before = len(writer.pages)
        try:
            writer.append(parsed)
        except Exception:  # noqa: BLE001 (one odd file does not stop the pack)
            logger.warning("meeting pack %s: document %s not joined", job.pk, document.pk)
            while len(writer.pages) > before:
                writer.remove_page(len(writer.pages) - 1)
            continue
        if len(writer.pages) - before == count:
            included.append(document)
        _progress(job, 40 + int(40 * index / max(len(parts), 1)))
    total = len(writer.pages)
    stamp = PdfReader(io.BytesIO(_stamps(group, meeting, job.requested_by, total)))
    for number, target in enumerate(writer.pages):
        _stamp(target, stamp.pages[number])
    writer.add_metadata({"/Title": meeting.title, "/Author": group.name, "/Creator": "vpswg"})
    out = io.BytesIO()
    writer.write(out)
    _progress(job, 95)
    return out.getvalue(), [d.current_version_id for d in included]


def _stamps(group, meeting, user: User, total: int) -> bytes:
    """One transparent A4 page per page of the pack: the watermark naming the reader and the
    time, the group, the notice and "n / N"."""
    watermark = _("%(name)s · %(email)s · %(time)s") % {
        "name": user.get_full_name(),
        "email": user.email,
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z"),
    }
    html = render_to_string(
        "meetings/documents/pack_stamp.html",
        {
            "group": group,
            "meeting": meeting,
            "watermark": watermark,
            "pages": range(total),
            "LANGUAGE_CODE": group.default_language,
        },
    )
    return pdf.render(html, stylesheets=("css/pack-stamp.css",))


def _stamp(target, stamp_page) -> None:
    """Lay the stamp over a page of any size (scaled to fit, centred)."""
    from pypdf import Transformation

    box = target.mediabox
    width, height = float(box.width), float(box.height)
    scale = min(width / A4[0], height / A4[1])
    dx = float(box.left) + (width - A4[0] * scale) / 2
    dy = float(box.bottom) + (height - A4[1] * scale) / 2
    target.merge_transformed_page(
        stamp_page, Transformation().scale(scale, scale).translate(dx, dy)
    )


def _forget_old(job: PackJob) -> None:
    """The reader's earlier packs of this meeting, and anyone's older than ``KEEP``: deleted
    with their files (a pack names one person and a time: it is not kept)."""
    old = PackJob.objects.filter(finished_at__lt=timezone.now() - KEEP) | PackJob.objects.filter(
        meeting_id=job.meeting_id, requested_by_id=job.requested_by_id
    ).exclude(pk=job.pk).exclude(status__in=[PackJob.Status.QUEUED, PackJob.Status.RUNNING])
    for stale in old:
        if stale.file:
            stale.file.delete(save=False)
        stale.delete()
