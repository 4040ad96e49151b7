"""Membership by application or nomination (seed step 4), one function per transition.

    nominate ........................ -> nominated   (a member proposes; the institution is asked)
    submit_application .............. -> unconfirmed (the public form: the address is asked)
    confirm_address    unconfirmed    -> submitted   (the applicant followed the e-mailed link)
    complete_by_applicant  nominated | incomplete -> submitted
    screen (Secretariat)   submitted -> screened | incomplete
    vote (a Coordination seat)          screened -> screened   (one vote per seat, changeable)
    decide (Coordination)  screened  -> accepted | declined   (the group's rule over the votes)

Each transition locks the row, refuses an illegal move with a message, writes the audit log,
and queues its notices in the same transaction (sent after commit). The applicant has no
account: they hold a secret link (only its hash is stored) and the reference number.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    Application,
    ApplicationVote,
    Institution,
    Representative,
    StandingDecision,
)
from members.services.institutions import add_representative
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.roles import Role
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.invitations import get_or_invite_user, invitation_path, needs_password
from vpswg.services.notifications import Recipient
from vpswg.uploads import display_name, random_name

Status = Application.Status
Vote = ApplicationVote.Vote
Rule = WorkingGroup.ApplicationRule

#: Fields an applicant (or a nominating member) fills in; the rest is the workflow's.
APPLICANT_FIELDS = (
    "name",
    "short_name",
    "website",
    "pillar",
    "kind",
    "participation",
    "description",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_position",
    "contact_language",
    "vps_member",
    "proposed_by",
    "attests_institutional",
    "attests_topics",
    "attests_standing",
)
NOMINATION_FIELDS = (
    "name",
    "short_name",
    "website",
    "pillar",
    "kind",
    "participation",
    "contact_name",
    "contact_email",
    "contact_language",
    "nomination_reason",
)


class TransitionError(ValidationError):
    """An illegal move: the message says why, for the person who tried."""


# --- Reading -----------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_by_token(token: str) -> Application | None:
    """The application behind an applicant's secret link (in the active group's scope)."""
    if not token or len(token) > 100:
        return None
    return Application.objects.filter(token_hash=_hash(token)).first()


def find_by_reference(reference: str, email: str) -> Application | None:
    """The application with this reference *and* contact address, so a reference alone tells
    a stranger nothing."""
    return Application.objects.filter(
        reference__iexact=reference.strip(), contact_email__iexact=email.strip()
    ).first()


def seats() -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(role=Role.COORDINATION)
        .select_related("user")
        .order_by("pillar")
    )


@dataclass(frozen=True)
class Tally:
    approve: int
    decline: int
    abstain: int
    pillar_approved: bool
    seats: int

    @property
    def cast(self) -> int:
        return self.approve + self.decline

    @property
    def voted(self) -> int:
        return self.cast + self.abstain

    @property
    def can_decide(self) -> bool:
        """Everyone has voted, or a majority of the seats has (the rest cannot be waited for)."""
        return self.seats > 0 and (self.voted == self.seats or self.voted * 2 > self.seats)


def tally(application: Application, votes: list[ApplicationVote], seat_count: int) -> Tally:
    return Tally(
        approve=sum(v.vote == Vote.APPROVE for v in votes),
        decline=sum(v.vote == Vote.DECLINE for v in votes),
        abstain=sum(v.vote == Vote.ABSTAIN for v in votes),
        pillar_approved=any(
            v.vote == Vote.APPROVE and v.pillar == application.pillar for v in votes
        ),
        seats=seat_count,
    )


def outcome(rule: str, application: Application, t: Tally) -> bool:
    """Whether the group's rule accepts the application on these votes (abstentions aside)."""
    if t.cast == 0:
        return False
    if rule == Rule.UNANIMITY:
        return t.decline == 0
    majority = t.approve > t.decline
    if rule == Rule.MAJORITY:
        return majority
    # The default: a majority, and the applicant's own pillar agrees (none for observers).
    return majority and (not application.pillar or t.pillar_approved)


# --- Transitions -------------------------------------------------------------------------------


def _new_reference(group: WorkingGroup) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    code = "".join(secrets.choice(alphabet) for _ in range(6))
    return f"{group.slug[:3].upper()}-{timezone.now():%Y}-{code}"


def _status_path(group: WorkingGroup, token: str) -> str:
    return reverse("apply:applicant", kwargs={"wg": group.slug, "token": token})


def _store_letter(application: Application, letter: UploadedFile) -> None:
    document_type = letter.document_type  # set by vpswg.uploads.DocumentField
    if application.letter:
        application.letter.delete(save=False)
    application.letter.save(
        random_name(f"letters/{application.working_group_id}", document_type), letter, save=False
    )
    application.letter_name = display_name(letter.name)
    application.letter_type = document_type.content_type
    application.letter_size = letter.size


def _check_attestations(application: Application) -> None:
    missing = []
    if not (application.vps_member or application.proposed_by.strip()):
        missing.append("a")
    if not application.attests_institutional:
        missing.append("b")
    if not application.attests_topics:
        missing.append("c")
    if not application.attests_standing:
        missing.append("d")
    if missing:
        raise ValidationError(
            _("Every participation criterion must be met to apply; missing: %(criteria)s.")
            % {"criteria": ", ".join(missing)}
        )


def _notify_secretariat(application: Application, kind: str) -> None:
    group = application.working_group
    users = [
        r.user for r in RoleAssignment.objects.filter(role=Role.SECRETARIAT).select_related("user")
    ]
    notifications.notify(
        working_group=group,
        recipients=users,
        kind=kind,
        key=f"{application.pk}:{application.status}:{timezone.now():%Y%m%d%H%M%S%f}",
        context={"application": application},
        link=reverse("members:application", kwargs={"wg": group.slug, "pk": application.pk}),
    )


def _notify_applicant(application: Application, kind: str, token: str | None, **context) -> None:
    group = application.working_group
    notifications.notify(
        working_group=group,
        recipients=[
            Recipient(email=application.contact_email, language=application.contact_language)
        ],
        kind=kind,
        key=f"{application.pk}:{application.status}:{timezone.now():%Y%m%d%H%M%S%f}",
        context={"application": application, **context},
        link=_status_path(group, token) if token else "",
        in_app=False,
    )


def _create(group: WorkingGroup, fields: dict, **extra) -> tuple[Application, str]:
    token = secrets.token_urlsafe(32)
    for _attempt in range(5):
        application = Application(
            working_group=group,
            reference=_new_reference(group),
            token_hash=_hash(token),
            **fields,
            **extra,
        )
        try:
            with transaction.atomic():
                application.save()
            return application, token
        except IntegrityError:  # a reference already taken: draw again
            continue
    raise RuntimeError("could not draw a free application reference")


#: How long an applicant has to confirm the contact address before the application, and its
#: letter, are deleted.
CONFIRM_HOURS = 48


@transaction.atomic
def submit_application(
    *, working_group: WorkingGroup, data: dict, letter: UploadedFile
) -> tuple[Application, str]:
    """The public form. Returns the application and the applicant's secret link token.

    The form is anonymous, so whoever fills it in may type anyone's address: the application
    waits, unconfirmed, until the applicant follows the link sent to that address. That one
    e-mail holds nothing the form's author wrote (no name, no institution: only the group's
    name and the link), so the form cannot be used to send someone else a message; nothing
    reaches the Secretariat, and nothing more is sent to the address, before the address is
    confirmed (``confirm_address``). Unconfirmed applications are deleted with their letter
    after ``CONFIRM_HOURS`` (``expire_unconfirmed``).
    """
    if not working_group.applications_open:
        raise TransitionError(_("This working group is not accepting applications at the moment."))
    fields = {
        k: data.get(k, Application._meta.get_field(k).get_default()) for k in APPLICANT_FIELDS
    }
    probe = Application(working_group=working_group, **fields)
    _check_attestations(probe)
    application, token = _create(
        working_group, fields, source=Application.Source.APPLICATION, status=Status.UNCONFIRMED
    )
    _store_letter(application, letter)
    application.save()
    notifications.notify(
        working_group=working_group,
        recipients=[
            Recipient(email=application.contact_email, language=application.contact_language)
        ],
        kind="application_confirm",
        key=f"{application.pk}:confirm",
        context={"hours": CONFIRM_HOURS},
        link=_status_path(working_group, token),
        in_app=False,
    )
    return application, token


@transaction.atomic
def confirm_address(*, application: Application, token: str) -> Application:
    """The applicant followed the link sent to the contact address: the application is
    submitted, acknowledged and sent to the Secretariat. Confirming twice changes nothing."""
    application = _locked(application)
    if application.status != Status.UNCONFIRMED:
        return application
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    record(
        working_group=application.working_group,
        actor=None,
        verb="application.submitted",
        obj=application,
        from_state=Status.UNCONFIRMED,
        to_state=Status.SUBMITTED,
    )
    _notify_applicant(application, "application_received", token)
    _notify_secretariat(application, "application_to_screen")
    return application


def submitted_today(group: WorkingGroup) -> int:
    """Applications from the public form made today (the group's day), confirmed or not."""
    start = timezone.localtime(timezone.now(), group.zone).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return Application.objects.filter(
        source=Application.Source.APPLICATION, created_at__gte=start
    ).count()


def tell_secretariat_of_cap(group: WorkingGroup, cap: int) -> None:
    """The form has taken its day's applications: the Secretariat is told, once a day (an
    attack, or a call for applications that needs a higher limit)."""
    users = [
        r.user for r in RoleAssignment.objects.filter(role=Role.SECRETARIAT).select_related("user")
    ]
    with transaction.atomic():
        notifications.notify(
            working_group=group,
            recipients=users,
            kind="application_cap_reached",
            key=f"{timezone.localdate(timezone.now(), group.zone):%Y-%m-%d}",
            context={"cap": cap},
            link=reverse("members:applications", kwargs={"wg": group.slug}),
        )


def expire_unconfirmed(group: WorkingGroup, now=None) -> int:
    """Delete the group's applications whose address was not confirmed in time, and their
    letters (inside the group's scope). Nobody in the group ever saw them."""
    now = now or timezone.now()
    stale = list(
        Application.objects.filter(
            status=Status.UNCONFIRMED, created_at__lt=now - timedelta(hours=CONFIRM_HOURS)
        )
    )
    for application in stale:
        with transaction.atomic():
            if application.letter:
                application.letter.delete(save=False)
            application.delete()
    if stale:
        record(
            working_group=group,
            actor=None,
            verb="application.unconfirmed_expired",
            data={"count": len(stale)},
        )
    return len(stale)


@transaction.atomic
def nominate(*, working_group: WorkingGroup, actor: User, data: dict) -> Application:
    """A member proposes an institution; its contact is invited to confirm with a letter."""
    fields = {
        k: data.get(k, Application._meta.get_field(k).get_default()) for k in NOMINATION_FIELDS
    }
    nominating = (
        Representative.objects.filter(
            user=actor, end_date__isnull=True, institution__standing=Institution.Standing.ACTIVE
        )
        .select_related("institution")
        .first()
    )
    application, token = _create(
        working_group,
        fields,
        source=Application.Source.NOMINATION,
        status=Status.NOMINATED,
        nominated_by=actor,
        nominating_institution=nominating.institution if nominating else None,
        proposed_by=nominating.institution.name if nominating else "",
    )
    record(
        working_group=working_group,
        actor=actor,
        verb="application.nominated",
        obj=application,
        to_state=Status.NOMINATED,
    )
    _notify_applicant(application, "nomination_invitation", token)
    _notify_secretariat(application, "nomination_made")
    return application


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def complete_by_applicant(
    *, application: Application, token: str, data: dict, letter: UploadedFile | None
) -> Application:
    """The institution confirms a nomination, or completes what screening found missing."""
    application = _locked(application)
    if application.status not in {Status.NOMINATED, Status.INCOMPLETE}:
        raise TransitionError(_("This application cannot be changed any more."))
    previous = application.status
    for key in APPLICANT_FIELDS:
        if key in data:
            setattr(application, key, data[key])
    _check_attestations(application)
    if letter is not None:
        _store_letter(application, letter)
    if not application.letter:
        raise ValidationError(_("Attach the application letter (PDF or DOCX)."))
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.full_clean(exclude=["letter", "token_hash", "reference"])
    application.save()
    record(
        working_group=application.working_group,
        actor=None,
        verb="application.submitted",
        obj=application,
        from_state=previous,
        to_state=Status.SUBMITTED,
    )
    _notify_applicant(application, "application_received", token)
    _notify_secretariat(application, "application_to_screen")
    return application


@transaction.atomic
def screen(*, application: Application, actor: User, complete: bool, note: str = "") -> Application:
    """The Secretariat checks the file: complete goes to the Coordination Group, incomplete goes
    back to the applicant with what is missing."""
    application = _locked(application)
    if application.status != Status.SUBMITTED:
        raise TransitionError(_("Only a submitted application can be screened."))
    if not complete and not note.strip():
        raise ValidationError(_("Say what is missing: the applicant receives this note."))
    group = application.working_group
    application.status = Status.SCREENED if complete else Status.INCOMPLETE
    application.screening_note = "" if complete else note.strip()
    application.screened_at = timezone.now()
    application.save(update_fields=["status", "screening_note", "screened_at"])
    record(
        working_group=group,
        actor=actor,
        verb="application.screened",
        obj=application,
        from_state=Status.SUBMITTED,
        to_state=application.status,
    )
    if complete:
        notifications.notify(
            working_group=group,
            recipients=[seat.user for seat in seats()],
            kind="application_to_vote",
            key=f"{application.pk}:screened:{application.screened_at:%Y%m%d%H%M%S%f}",
            context={"application": application},
            link=reverse("members:application", kwargs={"wg": group.slug, "pk": application.pk}),
        )
    else:
        # A new secret link: the old one may have been forwarded with the acknowledgement.
        token = secrets.token_urlsafe(32)
        application.token_hash = _hash(token)
        application.save(update_fields=["token_hash"])
        _notify_applicant(
            application, "application_incomplete", token, note=application.screening_note
        )
    return application


@transaction.atomic
def vote(
    *, application: Application, actor: User, choice: str, comment: str = ""
) -> ApplicationVote:
    """A Coordination seat votes (or changes its vote) on a screened application."""
    application = _locked(application)
    if application.status != Status.SCREENED:
        raise TransitionError(
            _("Votes are taken only on a screened application that is not decided.")
        )
    seat = RoleAssignment.objects.filter(user=actor, role=Role.COORDINATION).first()
    if seat is None:
        raise TransitionError(_("Only a Coordination Group seat votes on applications."))
    if choice not in Vote.values:
        raise ValidationError(_("Choose approve, decline or abstain."))
    existing = ApplicationVote.objects.filter(application=application, voter=actor).first()
    previous = existing.vote if existing else ""
    if existing:
        existing.vote, existing.comment, existing.pillar = choice, comment.strip(), seat.pillar
        existing.save(update_fields=["vote", "comment", "pillar", "updated_at"])
        ballot = existing
    else:
        ballot = ApplicationVote.objects.create(
            working_group=application.working_group,
            application=application,
            voter=actor,
            pillar=seat.pillar,
            vote=choice,
            comment=comment.strip(),
        )
    record(
        working_group=application.working_group,
        actor=actor,
        verb="application.voted",
        obj=application,
        from_state=previous,
        to_state=choice,
        data={"seat": seat.pillar},
    )
    return ballot


@transaction.atomic
def decide(*, application: Application, actor: User, message: str = "") -> Application:
    """Record the Coordination Group's decision; the outcome is the group's rule over the votes.

    Acceptance creates the institution (admitted, with its standing history started) and makes
    the contact its primary representative, with a link to set a password; a decline tells the
    applicant, with the message the Coordination Group chose to give.
    """
    application = _locked(application)
    if application.status in {Status.ACCEPTED, Status.DECLINED}:
        raise TransitionError(_("This application has already been decided."))
    if application.status != Status.SCREENED:
        raise TransitionError(
            _("An application is decided only after the Secretariat has screened it.")
        )
    if not RoleAssignment.objects.filter(user=actor, role=Role.COORDINATION).exists():
        raise TransitionError(_("Only a Coordination Group seat records the decision."))
    group = application.working_group
    votes = list(application.votes.all())
    t = tally(application, votes, len(seats()))
    if not t.can_decide:
        raise TransitionError(
            _("Wait for the votes: %(voted)s of %(seats)s seats have voted; a majority must.")
            % {"voted": t.voted, "seats": t.seats}
        )
    accepted = outcome(group.application_rule, application, t)
    application.status = Status.ACCEPTED if accepted else Status.DECLINED
    application.decided_at = timezone.now()
    application.decision_message = message.strip()
    context = {"tally": t}
    if accepted:
        _admit(application, actor, context)
    application.save()
    record(
        working_group=group,
        actor=actor,
        verb="application.decided",
        obj=application,
        from_state=Status.SCREENED,
        to_state=application.status,
        data={
            "approve": t.approve,
            "decline": t.decline,
            "abstain": t.abstain,
            "rule": group.application_rule,
        },
    )
    _notify_applicant(
        application,
        "application_accepted" if accepted else "application_declined",
        None,
        **context,
    )
    _notify_secretariat(application, "application_decided")
    return application


def _admit(application: Application, actor: User, context: dict) -> None:
    group = application.working_group
    if Institution.objects.filter(name__iexact=application.name).exists():
        raise TransitionError(
            _("An institution named “%(name)s” is already in the group.")
            % {"name": application.name}
        )
    institution = Institution.objects.create(
        working_group=group,
        name=application.name,
        short_name=application.short_name,
        pillar=application.pillar,
        kind=application.kind,
        participation=application.participation,
        vps_member=application.vps_member,
        public_profile=application.description,
        website=application.website,
    )
    StandingDecision.objects.create(
        working_group=group,
        institution=institution,
        decision=StandingDecision.Decision.ADMISSION,
        from_standing=Institution.Standing.ACTIVE,
        to_standing=Institution.Standing.ACTIVE,
        reason=_("Application %(reference)s accepted by the Coordination Group.")
        % {"reference": application.reference},
        decided_by=actor,
    )
    record(
        working_group=group,
        actor=actor,
        verb="institution.created",
        obj=institution,
        to_state=institution.participation,
        data={"application": application.pk},
    )
    user, _created = get_or_invite_user(
        email=application.contact_email,
        full_name=application.contact_name,
        language=application.contact_language,
    )
    add_representative(
        institution=institution,
        user=user,
        job_title=application.contact_position,
        actor=actor,
        notify=False,
    )
    application.institution = institution
    context["account_link"] = notifications.absolute_url(
        invitation_path(user)
        if needs_password(user)
        else reverse("group:home", kwargs={"wg": group.slug})
    )
    context["needs_password"] = needs_password(user)
