"""Minutes under the Chatham House Rule (seed step 5).

The Secretariat edits one working record (sections, contributions, decisions, action items),
where each contribution may name its speaker. Submitting freezes the record into a
``MinutesVersion``: the attributed content, the members' projection and the dissemination
projection are computed there, once, by ``meetings.services.redaction``; readers of a redacted
version load only its redacted column, never the attributed one.

Who said what is never stored in clear: a contribution's speaker and a frozen version's
speakers and attendance list are sealed with the minutes' own data key (``MinutesKey``), itself
wrapped by a master key kept outside the database (``meetings.services.attribution``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import AgendaItem, Meeting
from vpswg.roles import Pillar
from vpswg.scoping import TenantModel


class Minutes(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the Coordination Group")
        APPROVED = "approved", _("Approved")
        CIRCULATED = "circulated", _("Circulated to the members")
        ADOPTED = "adopted", _("Adopted")

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("introduction"), blank=True)
    #: Bumped by every save of ``summary``: a save from an older page is a conflict.
    revision = models.PositiveIntegerField(default=1)
    #: Who saved the text last: a conflict says whether it was someone else or yourself.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The version under review (submitted) or the last approved one.
    current_version = models.ForeignKey(
        "MinutesVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The version members read: the last one circulated.
    circulated_version = models.ForeignKey(
        "MinutesVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_comment = models.TextField(blank=True)
    adopted_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="adopted_minutes"
    )
    #: When the adoption was recorded: the group's retention period of the attribution runs
    #: from here.
    adopted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        indexes = [models.Index(fields=["working_group", "status"], name="minutes_wg_status")]

    def __str__(self) -> str:
        return str(self.meeting)


class MinutesKey(TenantModel):
    """The data key of one minutes' attribution, wrapped by the master key ring
    (``VPSWG_ATTRIBUTION_KEYS``): the database alone never holds it in clear.

    Emptied, for good, when the group's retention period after adoption has passed: who said
    what then cannot be read again with any key, from this database or from a backup taken
    since. One key per minutes, so that one minutes' attribution is destroyed alone.
    """

    minutes = models.OneToOneField(Minutes, on_delete=models.PROTECT, related_name="data_key")
    wrapped = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["working_group", "minutes"], name="minuteskey_wg_minutes")]

    def __str__(self) -> str:
        return f"{self.minutes_id}: {'destroyed' if self.destroyed_at else 'key'}"


class MinutesSection(TenantModel):
    """The minutes of one agenda item (or of "other business")."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="sections")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("topic"), max_length=300)
    main_points = models.TextField(
        _("main points"),
        blank=True,
        help_text=_(
            "The topics and main points, without who said them: the version members may share outside the group."
        ),
    )
    revision = models.PositiveIntegerField(default=1)
    #: Who saved the text last: a conflict says whether it was someone else or yourself.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["working_group", "minutes"], name="section_wg_minutes")]

    def __str__(self) -> str:
        return self.title


class Contribution(TenantModel):
    """What someone said. The speaker is a representative (with the institution they spoke
    for), a guest, or nobody ("unattributed").

    The speaker is sealed in ``speaker_sealed`` (``meetings.services.attribution``): no column
    pairs the statement with a person, and every speaker's ciphertext has the same length, an
    unattributed statement's included. Empty once the attribution has been destroyed.
    """

    section = models.ForeignKey(
        MinutesSection, on_delete=models.CASCADE, related_name="contributions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    speaker_sealed = models.TextField(blank=True)
    text = models.TextField(_("what was said"))
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["working_group", "section"], name="contribution_wg_section")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Decision(TenantModel):
    section = models.ForeignKey(MinutesSection, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("decision"))
    revision = models.PositiveIntegerField(default=1)
    #: Who saved the text last: a conflict says whether it was someone else or yourself.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["working_group", "section"], name="decision_wg_section")]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(TenantModel):
    """Something to do: what, by which institution, by when. It may become a planned activity
    of the work plan."""

    section = models.ForeignKey(
        MinutesSection, on_delete=models.CASCADE, related_name="action_items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    what = models.TextField(_("what"))
    institution = models.ForeignKey(
        "members.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution responsible"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    #: Who saved the text last: a conflict says whether it was someone else or yourself.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["working_group", "section"], name="action_wg_section")]

    def __str__(self) -> str:
        return self.what[:60]


class LeakResolution(TenantModel):
    """The Secretariat's decision that a name found in the text refers to the subject of the
    discussion (e.g. a company's mine discussed), not to a participant. Kept with who decided."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="leak_resolutions")
    target = models.CharField(max_length=60)  # e.g. "contribution:12:text"
    term = models.CharField(max_length=200)  # the matched words, normalised
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["minutes", "target", "term"], name="leak_resolved_once")
        ]
        indexes = [models.Index(fields=["working_group", "minutes"], name="leak_wg_minutes")]

    def __str__(self) -> str:
        return f"{self.target}: {self.term}"


class MinutesVersion(TenantModel):
    """A frozen record: the attributed content with its hash, and the two projections computed
    from it at freezing time.

    ``attributed`` holds the statements with each speaker, and the attendance list, sealed with
    the minutes' data key; ``content_hash`` is taken over that stored form, so it proves the
    version unchanged without being a way to guess who said what. ``took_part`` counts, by
    pillar, the institutions that spoke (the state participation report), with no names.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Under review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        SUPERSEDED = "superseded", _("Superseded")

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    attributed = models.JSONField()
    members = models.JSONField()
    dissemination = models.JSONField()
    took_part = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="version_number_once")
        ]
        indexes = [models.Index(fields=["working_group", "minutes"], name="version_wg_minutes")]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"


class MinutesReview(TenantModel):
    """One Coordination seat's approval or return of one version, with its comment."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        RETURN = "return", _("Return to the Secretariat")

    version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    pillar = models.CharField(max_length=20)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "reviewer"], name="review_once_per_seat")
        ]
        indexes = [models.Index(fields=["working_group", "version"], name="review_wg_version")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.pillar})"

    @property
    def pillar_label(self) -> str:
        """The seat's pillar in the reader's language (stored as its code)."""
        return str(Pillar(self.pillar).label) if self.pillar in Pillar.values else self.pillar


class MinutesComment(TenantModel):
    """A Coordination seat's comment on one section or one statement of the version it
    reviewed, made with its approval or return.

    The anchor is the part's key in the frozen versions (``redaction.section_key`` and
    ``contribution_key``): the same in the next version, so that the Secretariat finds the
    comment beside the statement it concerns in the editor and in any later version. The text
    may name people ("it was not the embassy that said this"): it is sealed with the minutes'
    data key like the attribution (``meetings.services.attribution``), read only by the
    Secretariat and the seats, and destroyed with the attribution. ``quote`` is the start of
    the part's text as the seat read it (the minutes' own text, in clear in every version), so
    that a comment on a statement since removed can still be understood.
    """

    class Anchor(models.TextChoices):
        SECTION = "section", _("Section")
        CONTRIBUTION = "contribution", _("Statement")

    version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="comments")
    review = models.ForeignKey(MinutesReview, on_delete=models.PROTECT, related_name="comments")
    anchor_kind = models.CharField(max_length=12, choices=Anchor.choices)
    anchor_key = models.CharField(max_length=24)
    quote = models.CharField(max_length=160, blank=True)
    #: The comment, sealed (``attribution.seal_comment``); empty once the key is destroyed.
    text_sealed = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "anchor_key"], name="comment_once_per_review_anchor"
            )
        ]
        indexes = [models.Index(fields=["working_group", "version"], name="comment_wg_version")]

    def __str__(self) -> str:
        return f"{self.version} {self.anchor_key}"


class MinutesAccess(TenantModel):
    """Who read the minutes, in which rendering and version, on which day, how many times:
    the Secretariat's access log. One row per reader, rendering, version and day (a reader
    who reloads a page is one reader, not forty rows)."""

    class Kind(models.TextChoices):
        ATTRIBUTED = "attributed", _("Read the attributed record")
        EDITED = "edited", _("Opened the attributed record to edit it")
        MEMBERS = "members", _("Read the members' version")
        DISSEMINATION = "dissemination", _("Read the dissemination version")
        PDF_ATTRIBUTED = "pdf_attributed", _("Downloaded the attributed PDF")
        PDF_MEMBERS = "pdf_members", _("Downloaded the members' PDF")
        PDF_DISSEMINATION = "pdf_dissemination", _("Downloaded the dissemination PDF")

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version_number = models.PositiveIntegerField(null=True, blank=True)
    #: The day (in the group's time zone), the first and the last reading that day, and how
    #: many there were.
    day = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)

    #: What is reading the minutes (not the Secretariat's own editing).
    READING = (
        Kind.ATTRIBUTED,
        Kind.MEMBERS,
        Kind.DISSEMINATION,
        Kind.PDF_ATTRIBUTED,
        Kind.PDF_MEMBERS,
        Kind.PDF_DISSEMINATION,
    )

    class Meta:
        ordering = ["-last_at", "-id"]
        indexes = [
            models.Index(fields=["working_group", "minutes", "-at"], name="access_wg_minutes")
        ]
        constraints = [
            models.UniqueConstraint(
                models.F("minutes"),
                models.F("user"),
                models.F("kind"),
                Coalesce(models.F("version_number"), models.Value(0)),
                models.F("day"),
                name="access_one_row_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"
