"""A working group's home: its public page, or the dashboard of someone who holds a role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meetings.access import Reader
from meetings.documents.access import public_documents
from meetings.queries import meeting_list
from members.queries import composition
from members.services import institutions as institution_service
from members.services import secretariat as secretariat_service
from members.services import terms as terms_service
from portal import guide
from vpswg.permissions import public


@public
@require_GET
def group_home(request: HttpRequest) -> HttpResponse:
    """The group's public page; for someone who holds a role there, their dashboard."""
    group = request.working_group
    context = {"composition": composition(group)}
    if request.wg_roles:
        # Its history names member institutions: the dashboard's, never the public page's,
        # which gives the composition only as counts.
        context["terms"] = secretariat_service.terms()
        upcoming, _past = meeting_list(Reader.of(request))
        context["next_meetings"] = list(upcoming[:3])
        handover = secretariat_service.active_handover()
        if handover is not None:
            incoming = secretariat_service.incoming_ids(handover)
            involved = "secretariat" in request.wg_roles or request.user.pk in incoming
            # Before the seats have decided, a hand-over is not yet the members' business.
            seat = "coordination" in request.wg_roles
            if involved or seat or handover.status == handover.Status.SCHEDULED:
                context["handover"] = handover
                context["handover_involved"] = involved
        if "manage_group" in request.wg_perms and guide.wanted(group):
            found = guide.steps(group)
            if guide.shown(group, found):
                context["guide"] = found
                context["guide_done"] = sum(step.done for step in found)
        return render(request, "portal/dashboard.html", context)
    notice = institution_service.standing_notice(request.user)
    if notice is not None:
        # A representative of a suspended, expelled or withdrawn institution: told why, and
        # what to do, rather than offered to apply.
        representative, decision = notice
        return render(
            request,
            "members/standing_notice.html",
            {"institution": representative.institution, "decision": decision},
        )
    # The participation criteria as the group adopted them, beside how to apply.
    context["adopted_terms"] = terms_service.current()
    context["public_documents"] = list(
        public_documents().select_related("current_version").order_by("-date", "-pk")[:20]
    )
    return render(request, "portal/group_public.html", context)
