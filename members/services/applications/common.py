"""What every step of an application shares: the fields an applicant fills in, the refusal,
reading an application by its secret link or reference, the tally of the seats' votes and
the group's rule over it, storing the letter and telling the applicant and the Secretariat."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    Application,
    ApplicationVote,
)
from vpswg.models import WorkingGroup
from vpswg.services import notifications
from vpswg.services.notifications import Recipient
from vpswg.services.roles import seats, secretariat_users
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


def seat_tally(subject, votes) -> Tally:
    """The tally of a question before the seats as they are now (a hand-over, the terms of
    reference): a seat ended while the question is open takes its vote with it, and the seats
    counted are the current ones, so changing the seats cannot steer the count."""
    current = seats()
    holders = {s.user_id for s in current}
    return tally(subject, [v for v in votes if v.voter_id in holders], len(current))


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
    notifications.notify(
        working_group=group,
        recipients=secretariat_users(),
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


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)
