"""Institutions by pillar and the people who represent them (seed steps 4 and 6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vpswg.roles import Pillar
from vpswg.scoping import TenantModel


class Institution(TenantModel):
    """A member or observer institution. People take part only on its behalf (criterion b)."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        NATIONAL_GOVERNMENT = "national_government", _("National government body")
        FOREIGN_GOVERNMENT = "foreign_government", _("Embassy or foreign government")
        NGO_ACADEMIC = "ngo_academic", _("NGO or academic institution")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
        OTHER = "other", _("Other")

    class Participation(models.TextChoices):
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    class Standing(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPELLED = "expelled", _("Expelled")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    aliases = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_("Other names and acronyms by which the institution is known."),
    )
    pillar = models.CharField(
        _("pillar"),
        max_length=20,
        choices=Pillar.choices,
        blank=True,
        help_text=_("Observers may have none."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    participation = models.CharField(
        _("participation"), max_length=10, choices=Participation.choices, default="member"
    )
    standing = models.CharField(
        _("standing"), max_length=10, choices=Standing.choices, default="active"
    )
    standing_since = models.DateField(_("standing since"), default=timezone.localdate)
    vps_member = models.BooleanField(
        _("member of the Voluntary Principles Initiative"), default=False
    )
    public_profile = models.TextField(_("public profile"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "name"], name="institution_unique_name"
            ),
            models.CheckConstraint(
                condition=~models.Q(participation="member", pillar=""),
                name="institution_member_has_pillar",
            ),
        ]
        indexes = [
            models.Index(
                fields=["working_group", "participation", "standing", "pillar"],
                name="institution_wg_composition",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Representative(TenantModel):
    """A user acting for one institution, from ``start_date`` until ``end_date`` (if any).

    Ending a representation revokes the role it gave (``members.services``); the row stays, so
    past attendance and records keep their author.
    """

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        ALTERNATE = "alternate", _("Alternate")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="representatives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="representations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default="primary")
    job_title = models.CharField(_("position"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["institution__name", "kind", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="representative_dates_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["working_group", "user"], name="representative_wg_user"),
            models.Index(fields=["working_group", "institution"], name="representative_wg_inst"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.institution})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class StandingDecision(TenantModel):
    """A decision on an institution's standing, with its date and reason: the history of
    ``Institution.standing``. A warning leaves the standing as it was but is kept too."""

    class Decision(models.TextChoices):
        ADMISSION = "admission", _("Admission")
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension")
        EXPULSION = "expulsion", _("Expulsion")
        REINSTATEMENT = "reinstatement", _("Reinstatement")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="standing_decisions"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    from_standing = models.CharField(max_length=10, choices=Institution.Standing.choices)
    to_standing = models.CharField(max_length=10, choices=Institution.Standing.choices)
    reason = models.TextField(_("reason"))
    effective_date = models.DateField(_("date"), default=timezone.localdate)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("standing decision")
        verbose_name_plural = _("standing decisions")
        ordering = ["-effective_date", "-id"]
        indexes = [
            models.Index(fields=["working_group", "institution"], name="standing_wg_inst"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.institution}"


class StandingProposal(TenantModel):
    """A suspension, expulsion or reinstatement proposed by the Secretariat or a seat, decided
    by the Coordination Group's seats under the group's decision rule (as an application is),
    and confirmed: only then does it take effect (``members.services.standing``)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the Coordination Group")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Not adopted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Criterion(models.TextChoices):
        ANNUAL_REPORT = "annual_report", _("The annual report was not submitted")
        ATTENDANCE = "attendance", _("Plenaries were missed")
        COMMITMENTS = "commitments", _("The commitments to the Voluntary Principles were not kept")
        CONDUCT = "conduct", _("The group's rules (Chatham House) were broken")
        REMEDIED = "remedied", _("What led to the decision has been put right")
        OTHER = "other", _("Another reason (in the text)")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="standing_proposals"
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=StandingDecision.Decision.choices
    )
    criterion = models.CharField(_("criterion not met"), max_length=20, choices=Criterion.choices)
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    standing_decision = models.OneToOneField(
        StandingDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("standing proposal")
        verbose_name_plural = _("standing proposals")
        constraints = [
            # One question at a time per institution: two open proposals could both pass.
            models.UniqueConstraint(
                fields=["institution"],
                condition=models.Q(status="open"),
                name="standing_proposal_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["working_group", "status"], name="standing_prop_wg_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.institution}"

    @property
    def pillar(self) -> str:
        """The pillar whose seat must agree under the default rule: the institution's."""
        return self.institution.pillar


class StandingVote(TenantModel):
    """One Coordination seat's vote on one standing proposal."""

    class Vote(models.TextChoices):
        APPROVE = "approve", _("Approve")
        DECLINE = "decline", _("Decline")
        ABSTAIN = "abstain", _("Abstain")

    proposal = models.ForeignKey(StandingProposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pillar = models.CharField(_("seat"), max_length=20, choices=Pillar.choices)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote on a standing proposal")
        verbose_name_plural = _("votes on standing proposals")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="standing_vote_once"),
        ]
        indexes = [
            models.Index(fields=["working_group", "proposal"], name="standing_vote_wg_prop"),
        ]


def _document_upload_to(instance, filename: str) -> str:
    # ``filename`` is already the random name chosen by the service (vpswg.uploads.random_name).
    return filename


class Application(TenantModel):
    """An institution's application for membership, or a member's nomination of one.

    Moves only through ``members.services.applications``:
    unconfirmed | nominated -> submitted -> (incomplete -> submitted)* -> screened
    -> accepted | declined. An application from the public form is unconfirmed until the
    applicant follows the link e-mailed to the contact address; unconfirmed ones are seen by
    nobody in the group and are deleted, with their letter, after a while.
    """

    class Source(models.TextChoices):
        APPLICATION = "application", _("Application")
        NOMINATION = "nomination", _("Nomination by a member")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the applicant to confirm the e-mail address")
        NOMINATED = "nominated", _("Nominated, awaiting the institution's letter")
        SUBMITTED = "submitted", _("Submitted, awaiting screening")
        INCOMPLETE = "incomplete", _("Incomplete, awaiting the applicant")
        SCREENED = "screened", _("Complete, before the Coordination Group")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.APPLICATION)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)

    # The institution
    name = models.CharField(_("name of the institution"), max_length=200)
    short_name = models.CharField(_("short name or acronym"), max_length=60, blank=True)
    website = models.URLField(_("website"), blank=True)
    pillar = models.CharField(
        _("pillar"),
        max_length=20,
        choices=Pillar.choices,
        blank=True,
        help_text=_("Leave empty only to apply as an observer without a pillar."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Institution.Kind.choices)
    participation = models.CharField(
        _("applies as"),
        max_length=10,
        choices=Institution.Participation.choices,
        default=Institution.Participation.MEMBER,
    )
    description = models.TextField(
        _("the institution's work"),
        blank=True,
        help_text=_("Its work on security, human rights and extractive industries."),
    )

    # The contact person, who becomes the institution's representative on acceptance
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    contact_position = models.CharField(_("position"), max_length=200, blank=True)
    contact_language = models.CharField(
        _("language for e-mails"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    # The letter (PDF or DOCX), stored under a random name
    letter = models.FileField(_("application letter"), upload_to=_document_upload_to, blank=True)
    letter_name = models.CharField(max_length=200, blank=True)
    letter_type = models.CharField(max_length=100, blank=True)
    letter_size = models.PositiveIntegerField(default=0)

    # The participation criteria of seed step 4, attested by the applicant
    vps_member = models.BooleanField(
        _("a) The institution is a member of the Voluntary Principles Initiative"), default=False
    )
    proposed_by = models.CharField(
        _("a) …or it is proposed by its pillar: by whom"), max_length=300, blank=True
    )
    attests_institutional = models.BooleanField(
        _("b) It will take part in its institutional, not individual, capacity"), default=False
    )
    attests_topics = models.BooleanField(
        _("c) It works on security, human rights and extractive industries"), default=False
    )
    attests_standing = models.BooleanField(
        _("d) It is highly regarded among its peers and within its sector"), default=False
    )

    # A nomination
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nominating_institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    nomination_reason = models.TextField(_("why the group should invite it"), blank=True)

    # The review
    screening_note = models.TextField(_("what is missing"), blank=True)
    decision_message = models.TextField(_("message to the applicant"), blank=True)
    institution = models.OneToOneField(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["working_group", "status", "-created_at"], name="application_wg_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status not in {self.Status.ACCEPTED, self.Status.DECLINED}


class ApplicationVote(TenantModel):
    """One Coordination seat's vote on one application, with its comment."""

    class Vote(models.TextChoices):
        APPROVE = "approve", _("Approve")
        DECLINE = "decline", _("Decline")
        ABSTAIN = "abstain", _("Abstain")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pillar = models.CharField(_("seat"), max_length=20, choices=Pillar.choices)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["application", "voter"], name="vote_once_per_seat"),
        ]
        indexes = [
            models.Index(fields=["working_group", "application"], name="vote_wg_application"),
        ]

    def __str__(self) -> str:
        return f"{self.get_vote_display()} ({self.get_pillar_display()})"


class AnnualReport(TenantModel):
    """An institution's yearly report on its security and human rights efforts."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("year reported on"))
    text = models.TextField(_("report"))
    file = models.FileField(_("attachment"), upload_to=_document_upload_to, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="report_once_a_year"),
        ]
        indexes = [
            models.Index(fields=["working_group", "year"], name="report_wg_year"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.year}"


class HandOver(TenantModel):
    """The Secretariat passing from one member institution to another on a date (seed step 6c:
    "the Secretariat should rotate between Group participants").

    Proposed by the Secretariat, with the people of the incoming institution who will hold it;
    voted on by the Coordination Group's seats and decided under the group's decision rule, as
    an application is; on ``effective_on`` the roles move (``members.services.secretariat``).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the Coordination Group")
        SCHEDULED = "scheduled", _("Agreed, to take effect on its date")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Not agreed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    from_institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="handovers_received"
    )
    effective_on = models.DateField(_("date of the hand-over"))
    incoming = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("who will hold the Secretariat")
    )
    reason = models.TextField(_("why, and what was agreed"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Secretariat hand-over")
        verbose_name_plural = _("Secretariat hand-overs")
        ordering = ["-effective_on", "-id"]
        constraints = [
            # One hand-over at a time: two agreed ones could both move the roles.
            models.UniqueConstraint(
                fields=["working_group"],
                condition=models.Q(status__in=["open", "scheduled"]),
                name="handover_one_active",
            ),
        ]
        indexes = [
            models.Index(fields=["working_group", "status"], name="handover_wg_status"),
        ]

    def __str__(self) -> str:
        return f"{self.from_institution or '—'} → {self.to_institution} ({self.effective_on})"

    @property
    def pillar(self) -> str:
        """The pillar whose seat must agree under the default rule: the incoming one's."""
        return self.to_institution.pillar

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.SCHEDULED}


class HandOverVote(TenantModel):
    """One Coordination seat's vote on one hand-over."""

    class Vote(models.TextChoices):
        APPROVE = "approve", _("Approve")
        DECLINE = "decline", _("Decline")
        ABSTAIN = "abstain", _("Abstain")

    handover = models.ForeignKey(HandOver, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pillar = models.CharField(_("seat"), max_length=20, choices=Pillar.choices)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote on a hand-over")
        verbose_name_plural = _("votes on hand-overs")
        constraints = [
            models.UniqueConstraint(fields=["handover", "voter"], name="handover_vote_once"),
        ]
        indexes = [
            models.Index(fields=["working_group", "handover"], name="handover_vote_wg"),
        ]


class SecretariatTerm(TenantModel):
    """A member institution's time holding the Secretariat: the group's history ("Socios Perú
    2010–2026, …"). The open term (no ``ended_on``) is the current one."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="secretariat_terms"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    #: The hand-over that began the term (none for a group's first Secretariat).
    handover = models.OneToOneField(
        HandOver, null=True, blank=True, on_delete=models.SET_NULL, related_name="term"
    )

    class Meta:
        verbose_name = _("Secretariat term")
        verbose_name_plural = _("Secretariat terms")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group"],
                condition=models.Q(ended_on__isnull=True),
                name="secretariat_one_current_term",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="secretariat_term_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.started_on:%Y}–{self.ended_on or ''}"


class GroupContribution(TenantModel):
    """What a member institution gives to the running of the group in a year (seed step 6c:
    "greater autonomy and sustainability if a self-funding mechanism could be established"):
    an amount of money, or something in kind (a venue, catering, interpretation, staff time).
    Recorded by the Secretariat (``members.services.contributions``)."""

    class Kind(models.TextChoices):
        FINANCIAL = "financial", _("Financial")
        VENUE = "venue", _("Venue")
        CATERING = "catering", _("Catering")
        INTERPRETATION = "interpretation", _("Interpretation")
        STAFF_TIME = "staff_time", _("Staff time")
        OTHER = "other", _("Other, in kind")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="contributions_made"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    description = models.CharField(_("what"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contribution to the group's running")
        verbose_name_plural = _("contributions to the group's running")
        ordering = ["-year", "institution__name", "id"]
        constraints = [
            # Money has an amount and a currency; an amount always has its currency.
            models.CheckConstraint(
                condition=~models.Q(kind="financial")
                | (models.Q(amount__gt=0) & ~models.Q(currency="")),
                name="contribution_financial_has_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | ~models.Q(currency=""),
                name="contribution_amount_has_currency",
            ),
        ]
        indexes = [
            models.Index(fields=["working_group", "year"], name="contribution_wg_year"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.year}: {self.get_kind_display()}"


class TermsOfReference(TenantModel):
    """One version of a group's terms of reference (seed steps 2, 4, 5 and 6): its objectives,
    participation criteria, working rules, management levels, decision rules and compliance
    requirements, in the group's words, with the settings they set (``rules``).

    Moves only through ``members.services.terms`` and ``meetings.services.terms``:
    draft -> review (the seats vote under the group's decision rule) -> adopted at a plenary
    that has taken place, when the previous adopted version becomes superseded; a draft or a
    version under review may be withdrawn, and one under review returned to a draft (its votes
    set aside). Until a version is adopted the one before it, and its settings, apply.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("terms of reference", "Draft")
        REVIEW = "review", _("Before the Coordination Group")
        ADOPTED = "adopted", pgettext_lazy("terms of reference", "In force")
        SUPERSEDED = "superseded", pgettext_lazy("terms of reference", "Superseded")
        WITHDRAWN = "withdrawn", pgettext_lazy("terms of reference", "Withdrawn")

    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    objectives = models.TextField(
        _("objectives"),
        blank=True,
        help_text=_("What the group sets out to achieve, in the long term."),
    )
    criteria = models.TextField(
        _("further participation criteria"),
        blank=True,
        help_text=_(
            "Beyond criteria a) to d), which every version keeps: for instance, how the group "
            "hears communities not represented by an organisation."
        ),
    )
    working_rules = models.TextField(
        _("further working rules"),
        blank=True,
        help_text=_(
            "How topics, guests and the venue of the next meeting are agreed, how the venue "
            "rotates, and any other rule of the meetings."
        ),
    )
    management = models.TextField(
        _("management levels and the Secretariat's role"),
        blank=True,
        help_text=_(
            "What the plenary, the Coordination Group and the Secretariat each do, and how the "
            "Secretariat is funded and rotates."
        ),
    )
    compliance = models.TextField(
        _("further compliance requirements"),
        blank=True,
        help_text=_("What follows when a member does not meet the requirements."),
    )
    #: The governed settings (``GOVERNED_FIELDS``) this version sets, as they will be applied.
    rules = models.JSONField(default=dict)
    change_note = models.TextField(
        _("what changes, and why"),
        blank=True,
        help_text=_("Read by the seats and the plenary beside the text."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    adopted_at_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adopted at"),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("terms of reference")
        verbose_name_plural = _("terms of reference")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "number"], name="terms_unique_number"),
            # One version in force, and one proposal at a time: two could both be adopted.
            models.UniqueConstraint(
                fields=["working_group"],
                condition=models.Q(status="adopted"),
                name="terms_one_in_force",
            ),
            models.UniqueConstraint(
                fields=["working_group"],
                condition=models.Q(status__in=["draft", "review"]),
                name="terms_one_proposal",
            ),
        ]
        indexes = [models.Index(fields=["working_group", "status"], name="terms_wg_status")]

    def __str__(self) -> str:
        return str(_("Terms of reference, version %(number)s") % {"number": self.number})

    @property
    def pillar(self) -> str:
        """No pillar must agree in particular: the terms are everyone's (``outcome``)."""
        return ""

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.REVIEW}


class TermsVote(TenantModel):
    """One Coordination seat's vote on a version of the terms under review."""

    class Vote(models.TextChoices):
        APPROVE = "approve", _("Approve")
        DECLINE = "decline", _("Decline")
        ABSTAIN = "abstain", _("Abstain")

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pillar = models.CharField(_("seat"), max_length=20, choices=Pillar.choices)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote on the terms of reference")
        verbose_name_plural = _("votes on the terms of reference")
        constraints = [
            models.UniqueConstraint(fields=["terms", "voter"], name="terms_vote_once"),
        ]
        indexes = [models.Index(fields=["working_group", "terms"], name="terms_vote_wg")]
