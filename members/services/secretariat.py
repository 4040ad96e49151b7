"""The Secretariat passing from one member institution to another (seed step 6c).

Proposed by the Secretariat (the incoming institution, the date, the people of that institution
who will hold it), voted on by the Coordination Group's seats and decided under the group's
decision rule as an application is (``applications.common.outcome``, the incoming
institution's pillar standing for the applicant's), then carried out on its date by
``complete`` (the hourly job ``members.handovers``, or at once when the date has come).

What moves is the role, and with it everything the role gives: the outgoing people lose the
Secretariat on their next request (roles are read on every request), the incoming people must
enrol a second factor before they reach anything (``vpswg.middleware.MFARequiredMiddleware``),
and the custody of the attributed records follows, because it was never personal: a minutes'
data key is wrapped by the platform's key ring and opened for whoever holds the role, so
nothing is re-keyed and nobody hands over a key by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import HandOver, HandOverVote, Institution, Representative, SecretariatTerm
from members.services import institutions as institution_service
from members.services.applications.common import Tally, outcome, seat_tally
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.roles import Role
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.roles import (
    grant_role,
    revoke_role,
    role_holders,
    seat_of,
    seats,
    secretariat_users,
)
from vpswg.services.transitions import transition

Status = HandOver.Status


class HandOverError(ValidationError):
    """A step on a hand-over that is not possible now; the message says why."""


def _link(group: WorkingGroup) -> str:
    return reverse("group:secretariat", kwargs={"wg": group.slug})


def today(group: WorkingGroup) -> date:
    """The date in the group's own time zone: a hand-over "on 1 July" is Lima's 1 July."""
    return timezone.localtime(timezone.now(), group.zone).date()


# --- Reading (in the active group's scope) ----------------------------------------------------


def current_term() -> SecretariatTerm | None:
    return (
        SecretariatTerm.objects.filter(ended_on__isnull=True).select_related("institution").first()
    )


def terms() -> list[SecretariatTerm]:
    """The group's Secretariats, latest first."""
    return list(SecretariatTerm.objects.select_related("institution").order_by("-started_on"))


def active_handover() -> HandOver | None:
    """The hand-over before the seats or agreed and waiting for its date, if any."""
    return (
        HandOver.objects.filter(status__in=[Status.OPEN, Status.SCHEDULED])
        .select_related("from_institution", "to_institution", "proposed_by")
        .prefetch_related("incoming")
        .first()
    )


def incoming_ids(handover: HandOver | None) -> set[int]:
    return {u.pk for u in handover.incoming.all()} if handover else set()


def count(handover: HandOver) -> Tally:
    return seat_tally(handover, handover.votes.all())


def people_of(institution: Institution) -> list[User]:
    """Who may be named to hold the Secretariat for ``institution``: its current people."""
    return [
        r.user
        for r in institution_service.current_representatives(institution)
        .filter(start_date__lte=timezone.localdate(), user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    ]


# --- Steps -------------------------------------------------------------------------------------


@transaction.atomic
def propose(
    *,
    working_group: WorkingGroup,
    actor: User,
    to_institution: Institution,
    effective_on: date,
    incoming: Iterable[User],
    reason: str = "",
) -> HandOver:
    """The Secretariat proposes the hand-over; the seats are asked for their votes."""
    incoming = list(incoming)
    term = current_term()
    if to_institution.working_group_id != working_group.pk:
        raise HandOverError(_("Choose an institution of the group."))
    if (
        to_institution.participation != Institution.Participation.MEMBER
        or to_institution.standing != Institution.Standing.ACTIVE
    ):
        raise HandOverError(
            _("The Secretariat passes only to a member institution in good standing.")
        )
    if term is not None and term.institution_id == to_institution.pk:
        raise HandOverError(_("This institution holds the Secretariat already."))
    if effective_on < today(working_group):
        raise HandOverError(_("The date of the hand-over cannot be in the past."))
    if not incoming:
        raise HandOverError(
            _("Name at least one person of the incoming institution to hold the Secretariat.")
        )
    allowed = {u.pk for u in people_of(to_institution)}
    if any(u.pk not in allowed for u in incoming):
        raise HandOverError(
            _("Only current representatives of %(institution)s can hold its Secretariat.")
            % {"institution": to_institution.name}
        )
    if not seats():
        raise HandOverError(_("The group has no Coordination Group seat to decide it."))
    try:
        with transaction.atomic():
            handover = HandOver.objects.create(
                working_group=working_group,
                from_institution=term.institution if term else None,
                to_institution=to_institution,
                effective_on=effective_on,
                reason=reason.strip(),
                proposed_by=actor,
            )
    except IntegrityError:
        raise HandOverError(
            _("A hand-over of the Secretariat is already before the group.")
        ) from None
    handover.incoming.set(incoming)
    record(
        working_group=working_group,
        actor=actor,
        verb="secretariat.handover_proposed",
        obj=handover,
        to_state=Status.OPEN,
        data={
            "to": to_institution.pk,
            "from": term.institution_id if term else None,
            "on": effective_on.isoformat(),
            "incoming": sorted(u.pk for u in incoming),
        },
    )
    notifications.notify(
        working_group=working_group,
        recipients=_involved(handover, exclude=actor),
        kind="handover_proposed",
        key=str(handover.pk),
        context={
            "to_institution": to_institution.name,
            "from_institution": term.institution.name if term else "",
            "effective_on": effective_on,
        },
        link=_link(working_group),
    )
    return handover


def _involved(handover: HandOver, exclude: User | None = None) -> list[User]:
    """The seats, the Secretariat and the incoming people: who the hand-over concerns."""
    return _seat_watchers(exclude=exclude, also=handover.incoming.all())


def _locked(handover: HandOver, *states: str) -> HandOver:
    handover = (
        # The row alone is locked: the institutions are read beside it (one may be null).
        HandOver.objects.select_for_update(of=("self",))
        .select_related("to_institution", "from_institution")
        .get(pk=handover.pk)
    )
    if handover.status not in (states or (Status.OPEN,)):
        raise HandOverError(_("This hand-over has been decided, completed or withdrawn."))
    return handover


@transaction.atomic
def vote(*, handover: HandOver, actor: User, choice: str, comment: str = "") -> HandOverVote:
    handover = _locked(handover)
    seat = seat_of(actor)
    if seat is None:
        raise HandOverError(_("Only a Coordination Group seat votes on the hand-over."))
    if choice not in HandOverVote.Vote.values:
        raise HandOverError(_("Choose approve, decline or abstain."))
    ballot, _created = HandOverVote.objects.update_or_create(
        handover=handover,
        voter=actor,
        defaults={
            "working_group": handover.working_group,
            "pillar": seat.pillar,
            "vote": choice,
            "comment": comment.strip(),
        },
    )
    record(
        working_group=handover.working_group,
        actor=actor,
        verb="secretariat.handover_voted",
        obj=handover,
        to_state=choice,
        data={"seat": seat.pillar},
    )
    return ballot


@transaction.atomic
def decide(*, handover: HandOver, actor: User, confirmed: bool) -> HandOver:
    """A seat records the outcome once a majority of the seats has voted. Agreed, the
    hand-over waits for its date, or is carried out at once when the date has come."""
    handover = _locked(handover)
    if seat_of(actor) is None:
        raise HandOverError(_("Only a Coordination Group seat records the decision."))
    if not confirmed:
        raise HandOverError(_("Confirm the decision: on its date the Secretariat changes hands."))
    t = count(handover)
    if not t.can_decide:
        raise HandOverError(
            ngettext(
                "Wait for the votes: %(voted)s of %(seats)s seats has voted; a majority must.",
                "Wait for the votes: %(voted)s of %(seats)s seats have voted; a majority must.",
                t.voted,
            )
            % {"voted": t.voted, "seats": t.seats}
        )
    group = handover.working_group
    agreed = outcome(group.application_rule, handover, t)
    transition(
        handover,
        to=Status.SCHEDULED if agreed else Status.REJECTED,
        verb="secretariat.handover_decided",
        actor=actor,
        also={"decided_by": actor, "decided_at": timezone.now()},
        data={
            "approve": t.approve,
            "decline": t.decline,
            "abstain": t.abstain,
            "rule": group.application_rule,
        },
    )
    notifications.notify(
        working_group=group,
        recipients=[*_involved(handover), handover.proposed_by],
        kind="handover_decided",
        key=str(handover.pk),
        context={
            "to_institution": handover.to_institution.name,
            "effective_on": handover.effective_on,
            "agreed": agreed,
            "tally": t,
        },
        link=_link(group),
    )
    if agreed and handover.effective_on <= today(group):
        complete(handover=handover)
        handover.refresh_from_db()
    return handover


@transaction.atomic
def withdraw(*, handover: HandOver, actor: User) -> HandOver:
    """Whoever proposed it, or the Secretariat, withdraws it before its date."""
    handover = _locked(handover, Status.OPEN, Status.SCHEDULED)
    if actor.pk != handover.proposed_by_id and actor not in secretariat_users():
        raise HandOverError(_("Only whoever proposed it, or the Secretariat, withdraws it."))
    transition(handover, to=Status.WITHDRAWN, verb="secretariat.handover_withdrawn", actor=actor)
    return handover


@transaction.atomic
def complete(*, handover: HandOver) -> bool:
    """On the date: the roles move, the term changes, everyone in the group is told.

    The outgoing people are those holding the Secretariat now, whoever named them; someone
    named for the incoming institution who held it already keeps it. False if the hand-over
    is no longer agreed (withdrawn meanwhile, or completed by another run).
    """
    try:
        handover = _locked(handover, Status.SCHEDULED)
    except HandOverError:
        return False
    group = handover.working_group
    incoming = list(handover.incoming.filter(is_active=True))
    if not incoming:
        # Everyone named has left (accounts closed) since the decision: the Secretariat would
        # be left to nobody. It stays where it is; the Secretariat is told to propose again.
        transition(
            handover,
            to=Status.WITHDRAWN,
            verb="secretariat.handover_withdrawn",
            actor=None,
            data={"reason": "nobody to hold it"},
        )
        return False
    keep = {u.pk for u in incoming}
    outgoing = [
        a.user
        for a in RoleAssignment.objects.filter(role=Role.SECRETARIAT).select_related("user")
        if a.user_id not in keep
    ]
    # Told before the roles move: who was in the group at the hand-over, old Secretariat too.
    told = role_holders()
    for user in outgoing:
        revoke_role(working_group=group, user=user, role=Role.SECRETARIAT, actor=None)
    for user in incoming:
        grant_role(working_group=group, user=user, role=Role.SECRETARIAT, actor=None, notify=False)
    term = current_term()
    if term is not None:
        term.ended_on = max(handover.effective_on, term.started_on)
        term.save(update_fields=["ended_on"])
    SecretariatTerm.objects.create(
        working_group=group,
        institution=handover.to_institution,
        started_on=handover.effective_on,
        handover=handover,
    )
    transition(
        handover,
        to=Status.COMPLETED,
        verb="secretariat.handed_over",
        actor=None,
        also={"completed_at": timezone.now()},
        data={
            "from": handover.from_institution_id,
            "to": handover.to_institution_id,
            "outgoing": sorted(u.pk for u in outgoing),
            "incoming": sorted(keep),
        },
    )
    told_ids = {u.pk for u in told}
    notifications.notify(
        working_group=group,
        recipients=told + [u for u in incoming if u.pk not in told_ids],
        kind="secretariat_handed_over",
        key=str(handover.pk),
        context={
            "to_institution": handover.to_institution.name,
            "from_institution": handover.from_institution.name if handover.from_institution else "",
            "effective_on": handover.effective_on,
        },
        link=_link(group),
    )
    return True


def complete_due(working_group: WorkingGroup) -> int:
    """The agreed hand-overs whose date has come (the hourly job; in the group's scope)."""
    due = HandOver.objects.filter(status=Status.SCHEDULED, effective_on__lte=today(working_group))
    return sum(complete(handover=h) for h in due)


@transaction.atomic
def record_term(
    *, working_group: WorkingGroup, institution: Institution, started_on: date, actor: User | None
) -> SecretariatTerm:
    """Record which institution holds the Secretariat now, for a group whose history starts
    before vpswg (the demo, a group the operator creates for an existing Secretariat)."""
    if current_term() is not None:
        raise HandOverError(_("The current Secretariat is recorded already: hand it over instead."))
    term = SecretariatTerm.objects.create(
        working_group=working_group, institution=institution, started_on=started_on
    )
    record(
        working_group=working_group,
        actor=actor,
        verb="secretariat.term_recorded",
        obj=term,
        data={"institution": institution.pk, "from": started_on.isoformat()},
    )
    return term


# --- The Coordination Group's seats (seed step 6b) ---------------------------------------------


def seat_candidates() -> list[Representative]:
    """Who may hold a seat: a current representative of a member institution in good standing
    that has a pillar; the seat is that pillar's (one row per person and institution). Not
    who holds a seat already, nor who holds the Secretariat: the Secretariat proposes, the
    seats decide (``vpswg.roles``), and one person in both would vote on their own proposals."""
    return list(
        Representative.objects.exclude(
            user__in=RoleAssignment.objects.filter(
                role__in=[Role.SECRETARIAT, Role.COORDINATION]
            ).values("user_id")
        )
        .filter(
            end_date__isnull=True,
            user__is_active=True,
            institution__participation=Institution.Participation.MEMBER,
            institution__standing=Institution.Standing.ACTIVE,
        )
        .exclude(institution__pillar="")
        .select_related("user", "institution")
        .order_by("institution__pillar", "institution__name", "user__full_name", "pk")
    )


@transaction.atomic
def appoint_seat(
    *, working_group: WorkingGroup, actor: User, representative: Representative
) -> RoleAssignment:
    """Record the person the group chose for a pillar's seat (its plenary, or the pillar
    itself, decides; the Secretariat records it). They are told, and must enrol a second
    factor before they act; the seats and the Secretariat see it in the audit log."""
    user = representative.user
    if seat_of(user) is not None:
        raise HandOverError(_("This person holds a seat already."))
    if representative.pk not in {r.pk for r in seat_candidates()}:
        raise HandOverError(
            _(
                "A seat is held by a current representative of a member institution in good "
                "standing that belongs to a pillar."
            )
        )
    told = _seat_watchers(exclude=user)  # read before the grant
    seat = grant_role(
        working_group=working_group,
        user=user,
        role=Role.COORDINATION,
        pillar=representative.institution.pillar,
        actor=actor,
    )
    _tell_seat_change(working_group, told, seat.pillar, user, appointed=True, actor=actor)
    return seat


@transaction.atomic
def end_seat(*, working_group: WorkingGroup, actor: User, user: User) -> bool:
    """The person leaves the Coordination Group. A vote they cast on an open question (terms
    of reference, a hand-over) no longer counts: only current seats decide."""
    seat = seat_of(user)
    if seat is None or not revoke_role(
        working_group=working_group, user=user, role=Role.COORDINATION, actor=actor
    ):
        return False
    _tell_seat_change(
        working_group,
        _seat_watchers(exclude=actor),
        seat.pillar,
        user,
        appointed=False,
        actor=actor,
    )
    return True


def _seat_watchers(exclude: User | None = None, also: Iterable[User] = ()) -> list[User]:
    """The Secretariat and the seats (and ``also``), active, each once, by id: who a change
    in the Coordination Group concerns. A new seat reads the attributed records, so a seat
    recorded without them agreeing is seen."""
    people = {u.pk: u for u in [s.user for s in seats()] + secretariat_users() + list(also)}
    return [
        u for pk, u in sorted(people.items()) if u.is_active and (not exclude or pk != exclude.pk)
    ]


def _tell_seat_change(
    group: WorkingGroup, recipients: list[User], pillar: str, user: User, *, appointed: bool, actor
) -> None:
    notifications.notify(
        working_group=group,
        recipients=recipients,
        kind="seat_changed",
        key=f"{user.pk}:{pillar}:{int(appointed)}:{timezone.now():%Y%m%d%H%M%S%f}",
        context={
            "name": user.full_name or user.email,
            "pillar": pillar,
            "appointed": appointed,
            "by": actor.full_name or actor.email,
        },
        link=_link(group) + "#seats-card",
    )
