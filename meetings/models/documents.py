"""The group's documents: the library (scoping study, work plans, draft laws discussed,
reports) and what is attached to a meeting or an agenda item (a guest's presentation, a
background paper), each with its versions and the audience chosen at upload.

A document is a title with an audience; its file is its current ``DocumentVersion``: a new
upload of the same document is a new version, and the earlier ones are kept. The audience is
enforced by ``meetings.documents.access`` on every channel (pages, search, the meeting pack).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import AgendaItem, Meeting
from vpswg.scoping import TenantModel
from vpswg.uploads import as_given


class Document(TenantModel):
    class Kind(models.TextChoices):
        PRESENTATION = "presentation", _("Presentation")
        BACKGROUND = "background", _("Background paper")
        DRAFT_TEXT = "draft_text", _("Draft law or text")
        STUDY = "study", _("Study")
        WORK_PLAN = "work_plan", _("Work plan")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Public (shown on the group's public page)")
        MEMBERS = "members", _("Members and observers")
        COORDINATION = "coordination", _("Coordination Group seats only")
        SECRETARIAT = "secretariat", _("Secretariat only")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    date = models.DateField(_("date"))
    audience = models.CharField(_("who may read it"), max_length=20, choices=Audience.choices)
    description = models.TextField(_("description"), blank=True)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    #: The version read; the earlier ones are kept.
    current_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["working_group", "-date"], name="document_wg_date"),
            models.Index(fields=["working_group", "meeting"], name="document_wg_meeting"),
        ]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(TenantModel):
    """One upload of a document: the file (checked by ``vpswg.uploads``) and its text, read in
    the background for search (``meetings.documents.extraction``)."""

    class Text(models.TextChoices):
        PENDING = "pending", _("Being read for search")
        DONE = "done", _("Searchable")
        EMPTY = "empty", _("No text found (a scan?)")
        FAILED = "failed", _("Could not be read for search")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=as_given)
    file_name = models.CharField(max_length=200)
    file_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    text = models.TextField(blank=True)
    text_status = models.CharField(max_length=10, choices=Text.choices, default=Text.PENDING)
    pages = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once")
        ]
        indexes = [
            models.Index(fields=["working_group", "document"], name="docversion_wg_document")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def is_pdf(self) -> bool:
        return self.file_type == "application/pdf"


class PackJob(TenantModel):
    """A meeting pack (cover, agenda, the meeting's PDFs) made in the background for one
    reader, watermarked for them; the meeting page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=as_given, blank=True)
    #: The documents put in it (their versions' ids), so that a change since is noticed.
    contents = models.JSONField(default=list)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["working_group", "meeting", "requested_by"], name="pack_wg_user")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} ({self.status})"
