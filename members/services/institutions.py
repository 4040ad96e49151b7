"""Institutions and the representatives who act for them.

A representative's role in the group (member or observer) follows from their institution's
participation and standing; ending the representation, or a suspension, expulsion or
withdrawal of the institution, revokes it, effective on the person's next request.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Institution, Representative, StandingDecision
from members.signals import representative_added, standing_changed
from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.roles import Role
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.invitations import get_or_invite_user, invitation_path, needs_password
from vpswg.services.roles import grant_role, revoke_role
from vpswg.services.transitions import transition

Standing = Institution.Standing
Decision = StandingDecision.Decision

#: What each decision does to the standing, and from which standings it may be taken.
DECISIONS: dict[str, tuple[str | None, frozenset[str]]] = {
    Decision.WARNING: (None, frozenset({Standing.ACTIVE})),
    Decision.SUSPENSION: (Standing.SUSPENDED, frozenset({Standing.ACTIVE})),
    Decision.EXPULSION: (Standing.EXPELLED, frozenset({Standing.ACTIVE, Standing.SUSPENDED})),
    Decision.WITHDRAWAL: (Standing.WITHDRAWN, frozenset({Standing.ACTIVE, Standing.SUSPENDED})),
    Decision.REINSTATEMENT: (
        Standing.ACTIVE,
        frozenset({Standing.SUSPENDED, Standing.EXPELLED, Standing.WITHDRAWN}),
    ),
}


def role_for(institution: Institution) -> Role:
    if institution.participation == Institution.Participation.OBSERVER:
        return Role.OBSERVER
    return Role.MEMBER


def current_representatives(institution: Institution):
    return Representative.objects.filter(institution=institution, end_date__isnull=True)


@transaction.atomic
def create_institution(
    *, working_group: WorkingGroup, actor: User | None = None, **fields
) -> Institution:
    institution = Institution(working_group=working_group, **fields)
    institution.full_clean()
    institution.save()
    record(
        working_group=working_group,
        actor=actor,
        verb="institution.created",
        obj=institution,
        to_state=institution.participation,
    )
    standing_changed.send(sender=Institution, institution=institution)
    return institution


@transaction.atomic
def update_institution(*, institution: Institution, actor: User, **fields) -> Institution:
    """Change the profile (names, aliases, kind, pillar); standing changes go by decision."""
    changed = sorted(k for k, v in fields.items() if getattr(institution, k) != v)
    role_before = role_for(institution)
    for key, value in fields.items():
        setattr(institution, key, value)
    institution.full_clean()
    institution.save()
    record(
        working_group=institution.working_group,
        actor=actor,
        verb="institution.changed",
        obj=institution,
        data={"fields": changed},
    )
    if role_for(institution) != role_before and institution.standing == Standing.ACTIVE:
        for rep in current_representatives(institution).select_related("user"):
            _sync_role(institution.working_group, rep.user, actor)
    return institution


@transaction.atomic
def add_representative(
    *,
    institution: Institution,
    user: User,
    kind: str = Representative.Kind.PRIMARY,
    job_title: str = "",
    start_date: date | None = None,
    actor: User | None = None,
    notify: bool = True,
) -> Representative:
    """Link a user to an institution and give them the role its participation implies."""
    group = institution.working_group
    if current_representatives(institution).filter(user=user).exists():
        raise ValidationError(_("This person already represents the institution."))
    representative = Representative.objects.create(
        working_group=group,
        institution=institution,
        user=user,
        kind=kind,
        job_title=job_title,
        start_date=start_date or timezone.localdate(),
    )
    record(
        working_group=group,
        actor=actor,
        verb="representative.added",
        obj=representative,
        data={"institution": institution.pk, "user": user.pk, "kind": kind},
    )
    if institution.standing == Standing.ACTIVE:
        grant_role(
            working_group=group, user=user, role=role_for(institution), actor=actor, notify=notify
        )
        representative_added.send(sender=Representative, representative=representative)
    return representative


@transaction.atomic
def invite_representative(
    *,
    institution: Institution,
    email: str,
    full_name: str,
    kind: str = Representative.Kind.PRIMARY,
    job_title: str = "",
    language: str = "",
    actor: User | None,
) -> Representative:
    """Add a representative by e-mail; a new account gets an invitation to set its password."""
    user, _created = get_or_invite_user(email=email, full_name=full_name, language=language)
    representative = add_representative(
        institution=institution,
        user=user,
        kind=kind,
        job_title=job_title,
        actor=actor,
        notify=False,
    )
    send_welcome(representative=representative)
    return representative


def send_welcome(*, representative: Representative, context: dict | None = None) -> None:
    """Tell a new representative; with a link to set a password when the account has none."""
    group = representative.working_group
    user = representative.user
    link = (
        invitation_path(user, group=group)
        if needs_password(user)
        else reverse("group:home", kwargs={"wg": group.slug})
    )
    notifications.notify(
        working_group=group,
        recipients=[user],
        kind="representative_welcome",
        key=f"{representative.pk}",
        context={
            "institution": representative.institution.name,
            "needs_password": needs_password(user),
            **(context or {}),
        },
        link=link,
        in_app=not needs_password(user),
    )


def _sync_role(group: WorkingGroup, user: User, actor: User | None) -> None:
    """Make the user's member/observer roles match their current representations."""
    current = (
        Representative.objects.filter(
            user=user, end_date__isnull=True, institution__standing=Standing.ACTIVE
        )
        .values_list("institution__participation", flat=True)
        .distinct()
    )
    wanted = {
        Role.OBSERVER if p == Institution.Participation.OBSERVER else Role.MEMBER for p in current
    }
    held = set(
        RoleAssignment.objects.filter(user=user, role__in=[Role.MEMBER, Role.OBSERVER]).values_list(
            "role", flat=True
        )
    )
    for role in wanted - held:
        grant_role(working_group=group, user=user, role=role, actor=actor, notify=False)
    for role in held - wanted:
        revoke_role(working_group=group, user=user, role=role, actor=actor)


@transaction.atomic
def end_representation(
    *, representative: Representative, actor: User | None = None
) -> Representative:
    """End a representation today; the role goes unless another current one still gives it."""
    if representative.end_date is not None:
        raise ValidationError(_("This representation has already ended."))
    group = representative.working_group
    representative.end_date = timezone.localdate()
    representative.full_clean()
    representative.save(update_fields=["end_date"])
    record(
        working_group=group,
        actor=actor,
        verb="representative.ended",
        obj=representative,
        data={"institution": representative.institution_id, "user": representative.user_id},
    )
    _sync_role(group, representative.user, actor)
    return representative


#: Decisions the Coordination Group's seats vote on (``members.services.standing``); a warning
#: and a withdrawal (the institution's own wish) are recorded by whoever records them.
VOTED = frozenset({Decision.SUSPENSION, Decision.EXPULSION, Decision.REINSTATEMENT})


@transaction.atomic
def decide_standing(
    *,
    institution: Institution,
    actor: User,
    decision: str,
    reason: str,
    body: str = "secretariat",
) -> StandingDecision:
    """Record a decision on an institution's standing; its representatives' access follows and
    they are told, with the reason and which body decided (``body``: "secretariat" or
    "coordination"). Suspension, expulsion and reinstatement come here only from an adopted
    proposal (``standing.decide``)."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the decision: the institution is told."))
    target, allowed_from = DECISIONS[decision]
    if institution.standing not in allowed_from:
        raise ValidationError(
            _("A %(decision)s cannot be decided for an institution whose standing is %(standing)s.")
            % {
                "decision": Decision(decision).label.lower(),
                "standing": institution.get_standing_display().lower(),
            }
        )
    previous = institution.standing
    new = target or previous
    today = timezone.localdate()
    entry = StandingDecision.objects.create(
        working_group=institution.working_group,
        institution=institution,
        decision=decision,
        from_standing=previous,
        to_standing=new,
        reason=reason.strip(),
        effective_date=today,
        decided_by=actor,
    )
    transition(
        institution,
        field="standing",
        to=new,
        verb=f"standing.{decision}",
        actor=actor,
        also={"standing_since": today} if new != previous else None,
    )
    representatives = list(current_representatives(institution).select_related("user"))
    for rep in representatives:
        _sync_role(institution.working_group, rep.user, actor)
    if new != previous:
        standing_changed.send(sender=Institution, institution=institution)
    notifications.notify(
        working_group=institution.working_group,
        recipients=[rep.user for rep in representatives],
        kind="standing_decision",
        key=f"{entry.pk}",
        context={
            "institution": institution.name,
            "decision": decision,
            "reason": entry.reason,
            "standing": new,
            "body": body,
        },
        link=reverse("group:home", kwargs={"wg": institution.working_group.slug}),
    )
    return entry


def standing_notice(user: User) -> tuple[Representative, StandingDecision | None] | None:
    """For a person whose institution is not (or no longer) an active participant of the
    current group: their representation and the decision that explains it. They hold no role
    (``_sync_role``), so every page of the group is closed to them; this is what they are told
    instead, and a suspended institution may still submit the report that puts it right."""
    if not user.is_authenticated:
        return None
    rep = (
        Representative.objects.filter(user=user, end_date__isnull=True)
        .exclude(institution__standing=Standing.ACTIVE)
        .select_related("institution")
        .order_by("pk")
        .first()
    )
    if rep is None:
        return None
    decision = (
        StandingDecision.objects.filter(institution=rep.institution)
        .exclude(decision=Decision.WARNING)
        .order_by("-effective_date", "-id")
        .first()
    )
    return rep, decision
