"""The plenary adopting a version of the terms of reference, recorded in its minutes.

Here rather than in ``members.services.terms`` because the adoption is a meeting's act: it
needs a plenary that has taken place, and its minutes (started if need be) gain a section and
the decision, in the group's language, so the record the plenary approves says it. The
version before becomes superseded and the group's governed settings take the adopted
values in the same transaction: convening, attendance, retention and the decision rules
follow the adopted text from this moment, and not a moment before.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.models import Meeting, Minutes
from meetings.services.minutes import drafting
from members.models import TermsOfReference
from members.services import secretariat
from members.services import terms as terms_service
from members.services.terms import TermsError
from vpswg.models import User
from vpswg.services.audit import record
from vpswg.services.roles import role_holders
from vpswg.services.transitions import transition

Status = TermsOfReference.Status
#: The meetings at which a plenary adopts: the regular ones and an extraordinary session.
PLENARY_KINDS = (Meeting.Kind.PLENARY, Meeting.Kind.EXTRAORDINARY)


def adopting_meetings():
    """The plenaries that have taken place whose minutes are still a draft (or not started):
    where a version may be adopted (latest first; in the active group's scope). Minutes
    already before the seats or circulated would be reopened by the new decision and their
    version withdrawn: the adoption is recorded before the minutes go out."""
    return (
        Meeting.objects.filter(
            kind__in=PLENARY_KINDS,
            status__in=[Meeting.Status.CONVENED, Meeting.Status.HELD],
            start__lte=timezone.now(),
        )
        .filter(Q(minutes__isnull=True) | Q(minutes__status=Minutes.Status.DRAFT))
        .order_by("-start")
    )


@transaction.atomic
def adopt(*, terms: TermsOfReference, meeting: Meeting, actor: User) -> TermsOfReference:
    """Record that ``meeting`` adopted ``terms``: the minutes say so, the version comes into
    force, the one before is superseded, the settings change and every member is told."""
    terms = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
    group = terms.working_group
    if reason := terms_service.refusal(terms):
        raise TermsError(reason)
    if (
        meeting.working_group_id != group.pk
        or not adopting_meetings().filter(pk=meeting.pk).exists()
    ):
        raise TermsError(
            _(
                "Choose a plenary that has taken place and whose minutes are still a draft: "
                "the terms are adopted there, and its minutes record it."
            )
        )
    minutes = drafting.start_minutes(meeting=meeting, actor=actor)
    with translation.override(group.default_language):
        title = _("Terms of reference")
        text = _("The plenary adopted version %(number)s of the group's terms of reference.") % {
            "number": terms.number
        }
    section = drafting.add_section(minutes=minutes, actor=actor, title=str(title))
    drafting.save_decision(section=section, actor=actor, text=str(text))
    today = secretariat.today(group)
    before = terms_service.current()
    if before is not None:
        transition(
            before,
            to=Status.SUPERSEDED,
            verb="terms.superseded",
            actor=actor,
            also={"superseded_on": today},
            data={"by": terms.number},
        )
    transition(
        terms,
        to=Status.ADOPTED,
        verb="terms.adopted",
        actor=actor,
        also={"adopted_at_meeting": meeting, "adopted_on": today},
        data={"meeting": meeting.pk},
    )
    changed = terms_service.apply_rules(group, terms.rules)
    if changed:
        record(
            working_group=group,
            actor=actor,
            verb="group.settings_changed",
            obj=group,
            data={"fields": changed, "terms": terms.number},
        )
    terms_service.notify_adopted(terms, role_holders())
    return terms
