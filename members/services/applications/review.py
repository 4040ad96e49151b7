"""Screening by the Secretariat, the seats' votes, the Coordination Group's decision, and the
admission of an accepted institution."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members import duplicates
from members.models import (
    Application,
    ApplicationVote,
    Institution,
    StandingDecision,
)
from members.services.applications.common import (
    Status,
    TransitionError,
    Vote,
    _hash,
    _locked,
    _notify_applicant,
    _notify_secretariat,
    outcome,
    tally,
)
from members.services.institutions import add_representative
from members.signals import standing_changed
from vpswg.models import User
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.invitations import get_or_invite_user, invitation_path, needs_password
from vpswg.services.roles import seat_of, seats
from vpswg.services.transitions import transition


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
    transition(
        application,
        to=Status.SCREENED if complete else Status.INCOMPLETE,
        verb="application.screened",
        actor=actor,
        also={"screening_note": "" if complete else note.strip(), "screened_at": timezone.now()},
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
    seat = seat_of(actor)
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
    if seat_of(actor) is None:
        raise TransitionError(_("Only a Coordination Group seat records the decision."))
    group = application.working_group
    votes = list(application.votes.all())
    t = tally(application, votes, len(seats()))
    if not t.can_decide:
        raise TransitionError(
            ngettext(
                "Wait for the votes: %(voted)s of %(seats)s seats has voted; a majority must.",
                "Wait for the votes: %(voted)s of %(seats)s seats have voted; a majority must.",
                t.voted,
            )
            % {"voted": t.voted, "seats": t.seats}
        )
    accepted = outcome(group.application_rule, application, t)
    context = {"tally": t}
    if accepted:
        _admit(application, actor, context)
    transition(
        application,
        to=Status.ACCEPTED if accepted else Status.DECLINED,
        verb="application.decided",
        actor=actor,
        also={
            "decided_at": timezone.now(),
            "decision_message": message.strip(),
            "institution": application.institution,
        },
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
    existing = duplicates.same_name(application.name)
    if existing is not None:
        raise TransitionError(
            _("An institution named “%(name)s” is already in the group.") % {"name": existing.name}
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
    standing_changed.send(sender=Institution, institution=institution)
    context["account_link"] = notifications.absolute_url(
        invitation_path(user, group=group)
        if needs_password(user)
        else reverse("group:home", kwargs={"wg": group.slug})
    )
    context["needs_password"] = needs_password(user)
