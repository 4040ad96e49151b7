"""Suspension, expulsion and reinstatement decided like an application: proposed (by the
Secretariat or a seat, with the reason and the criterion not met), voted on by the Coordination
Group's seats, decided under the group's decision rule (``applications.common.outcome``) and
confirmed; only then do they take effect (``institutions.decide_standing``).

Before, any one seat or the Secretariat changed a member's standing alone, with one click.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import Institution, StandingProposal, StandingVote
from members.services.applications.common import Rule, Tally, outcome, tally
from members.services.institutions import DECISIONS, VOTED, decide_standing
from vpswg.models import User
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.roles import seat_of, seats, secretariat_users
from vpswg.services.transitions import transition

Status = StandingProposal.Status


class StandingError(ValidationError):
    """A step on a standing proposal that is not possible now; the message says why."""


def _link(proposal: StandingProposal) -> str:
    group = proposal.working_group
    return reverse("members:institution", kwargs={"wg": group.slug, "pk": proposal.institution_id})


def open_proposal(institution: Institution) -> StandingProposal | None:
    return (
        StandingProposal.objects.filter(institution=institution, status=Status.OPEN)
        .select_related("proposed_by")
        .first()
    )


@transaction.atomic
def propose(
    *, institution: Institution, actor: User, decision: str, reason: str, criterion: str
) -> StandingProposal:
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if decision not in VOTED:
        raise StandingError(_("Only a suspension, an expulsion or a reinstatement is proposed."))
    if not reason.strip():
        raise StandingError(_("Give the reason for the decision: the institution is told."))
    if criterion not in StandingProposal.Criterion.values:
        raise StandingError(_("Say which criterion is not met."))
    _target, allowed_from = DECISIONS[decision]
    if institution.standing not in allowed_from:
        raise StandingError(
            _("This cannot be proposed for an institution whose standing is %(standing)s.")
            % {"standing": institution.get_standing_display().lower()}
        )
    if not seats():
        raise StandingError(_("The group has no Coordination Group seat to decide it."))
    try:
        with transaction.atomic():
            proposal = StandingProposal.objects.create(
                working_group=institution.working_group,
                institution=institution,
                decision=decision,
                criterion=criterion,
                reason=reason.strip(),
                proposed_by=actor,
            )
    except IntegrityError:
        raise StandingError(
            _("A proposal on this institution is already before the Coordination Group.")
        ) from None
    record(
        working_group=institution.working_group,
        actor=actor,
        verb="standing.proposed",
        obj=institution,
        to_state=decision,
        data={"proposal": proposal.pk, "criterion": criterion},
    )
    notifications.notify(
        working_group=institution.working_group,
        recipients=[s.user for s in seats() if s.user_id != actor.pk],
        kind="standing_proposed",
        key=f"{proposal.pk}",
        context={"institution": institution.name, "decision": decision, "reason": proposal.reason},
        link=_link(proposal),
    )
    return proposal


def _locked(proposal: StandingProposal) -> StandingProposal:
    proposal = StandingProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Status.OPEN:
        raise StandingError(_("This proposal has been decided or withdrawn."))
    return proposal


@transaction.atomic
def vote(
    *, proposal: StandingProposal, actor: User, choice: str, comment: str = ""
) -> StandingVote:
    proposal = _locked(proposal)
    seat = seat_of(actor)
    if seat is None:
        raise StandingError(_("Only a Coordination Group seat votes on a member's standing."))
    if actor.pk in _conflicted(proposal):
        raise StandingError(_("A seat does not vote on the standing of its own institution."))
    if choice not in StandingVote.Vote.values:
        raise StandingError(_("Choose approve, decline or abstain."))
    ballot, _created = StandingVote.objects.update_or_create(
        proposal=proposal,
        voter=actor,
        defaults={
            "working_group": proposal.working_group,
            "pillar": seat.pillar,
            "vote": choice,
            "comment": comment.strip(),
        },
    )
    record(
        working_group=proposal.working_group,
        actor=actor,
        verb="standing.voted",
        obj=proposal.institution,
        to_state=choice,
        data={"proposal": proposal.pk, "seat": seat.pillar},
    )
    return ballot


def _conflicted(proposal: StandingProposal) -> set[int]:
    """Seat holders who represent the institution concerned: they do not vote on it."""
    return set(
        proposal.institution.representatives.filter(end_date__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def eligible_seats(proposal: StandingProposal) -> list:
    conflicted = _conflicted(proposal)
    return [s for s in seats() if s.user_id not in conflicted]


def count(proposal: StandingProposal) -> Tally:
    return tally(proposal, list(proposal.votes.all()), len(eligible_seats(proposal)))


def _rule(group) -> str:
    """The group's decision rule, without the applications' pillar clause: that clause lets
    the applicant's own pillar agree to an admission; here it would let the institution's own
    pillar keep it from being suspended, however the others voted. Unanimity stays unanimity."""
    rule = group.application_rule
    return rule if rule == Rule.UNANIMITY else Rule.MAJORITY


@transaction.atomic
def decide(*, proposal: StandingProposal, actor: User, confirmed: bool) -> StandingProposal:
    """A seat records the outcome, once a majority of seats has voted, and confirms it."""
    proposal = _locked(proposal)
    if seat_of(actor) is None:
        raise StandingError(_("Only a Coordination Group seat records the decision."))
    if not confirmed:
        raise StandingError(_("Confirm the decision: it takes effect at once."))
    t = count(proposal)
    if not t.can_decide:
        raise StandingError(
            ngettext(
                "Wait for the votes: %(voted)s of %(seats)s seats has voted; a majority must.",
                "Wait for the votes: %(voted)s of %(seats)s seats have voted; a majority must.",
                t.voted,
            )
            % {"voted": t.voted, "seats": t.seats}
        )
    group = proposal.working_group
    adopted = outcome(_rule(group), proposal, t)
    entry = None
    if adopted:
        entry = decide_standing(
            institution=proposal.institution,
            actor=actor,
            decision=proposal.decision,
            reason=proposal.reason,
            body="coordination",
        )
    transition(
        proposal,
        to=Status.ADOPTED if adopted else Status.REJECTED,
        verb="standing.decided",
        actor=actor,
        also={"decided_by": actor, "decided_at": timezone.now(), "standing_decision": entry},
        data={"approve": t.approve, "decline": t.decline, "abstain": t.abstain},
        audited_obj=proposal.institution,
    )
    notifications.notify(
        working_group=group,
        recipients=[proposal.proposed_by, *secretariat_users()],
        kind="standing_proposal_decided",
        key=f"{proposal.pk}",
        context={
            "institution": proposal.institution.name,
            "decision": proposal.decision,
            "adopted": adopted,
            "tally": t,
        },
        link=_link(proposal),
    )
    return proposal


@transaction.atomic
def withdraw(*, proposal: StandingProposal, actor: User) -> StandingProposal:
    proposal = _locked(proposal)
    if actor.pk != proposal.proposed_by_id and actor not in secretariat_users():
        raise StandingError(_("Only whoever proposed it, or the Secretariat, withdraws it."))
    transition(
        proposal,
        to=Status.WITHDRAWN,
        verb="standing.proposal_withdrawn",
        actor=actor,
        audited_obj=proposal.institution,
    )
    return proposal
