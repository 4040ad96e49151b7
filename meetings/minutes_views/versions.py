"""Any frozen version of the minutes opened, and any two compared side by side, in the
rendering the access policy gives the reader (``access.version_rendering``): the attributed one
for the Secretariat (and the seats, if the group so decided), the members' one for members,
and only of the versions approved for them. Each version read is logged like the other
readings."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meetings.access import MeetingAccess, version_rendering
from meetings.forms import CompareForm
from meetings.minutes_views.common import Kind, _meeting_and_minutes
from meetings.models import Minutes, MinutesReview, MinutesVersion
from meetings.services import attribution
from meetings.services import minutes as service
from vpswg.permissions import requires
from vpswg.roles import Action


def openable_versions(minutes: Minutes, access: MeetingAccess) -> list[MinutesVersion]:
    """The versions this reader may open, oldest first, without their renderings (one
    query): what the policy needs (number, status, approval) and what a list shows."""
    listed = list(
        minutes.versions.only(
            "pk", "minutes_id", "number", "status", "created_at", "approved_at", "content_hash"
        ).order_by("number")
    )
    circulated = next((v.number for v in listed if v.pk == minutes.circulated_version_id), None)
    shown = []
    for version in listed:
        version.rendering = version_rendering(access, version, circulated)
        if version.rendering:
            shown.append(version)
    return shown


def contents(
    minutes: Minutes, versions: list[MinutesVersion], rendering: str
) -> tuple[dict[int, dict], attribution.DataKey | None]:
    """The versions' contents in one rendering, read in one query (and the data key's, for
    the attributed one, opened once for all)."""
    rows = dict(
        MinutesVersion.objects.filter(pk__in=[v.pk for v in versions]).values_list("pk", rendering)
    )
    if rendering != "attributed":
        return rows, None
    opened = attribution.data_key(minutes)
    return {
        v.pk: attribution.open_version(rows[v.pk], opened=opened, number=v.number) for v in versions
    }, opened


def _log(request, minutes: Minutes, rendering: str, versions: list[MinutesVersion]) -> None:
    kind = Kind.ATTRIBUTED if rendering == "attributed" else Kind.MEMBERS
    for version in {v.number: v for v in versions}.values():
        service.log_access(
            minutes=minutes, user=request.user, kind=kind, version_number=version.number
        )


@requires(Action.VIEW_MINUTES)
@never_cache
@require_GET
def minutes_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting, minutes, access = _meeting_and_minutes(request, pk)
    listed = openable_versions(minutes, access)
    version = next((v for v in listed if v.number == number), None)
    if version is None:
        raise Http404
    rendering = version.rendering
    by_pk, opened = contents(minutes, [version], rendering)
    content, unplaced = by_pk[version.pk], []
    if access.comments:
        content, unplaced = service.annotate(
            content, service.comments(minutes, [version.pk], opened)
        )
    _log(request, minutes, rendering, [version])
    earlier = [v for v in listed if v.number < version.number]
    reviews = (
        list(MinutesReview.objects.filter(version=version).select_related("reviewer"))
        if access.comments
        else []
    )
    return render(
        request,
        "meetings/minutes/version.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "version": version,
            "rendering": rendering,
            "rendered": mark_safe(  # our template's output, every value in it escaped
                render_to_string(
                    "meetings/minutes/includes_rendering.html",
                    {"content": content, "rendering": rendering, "show_comments": access.comments},
                    request=request,
                )
            ),
            "unplaced_comments": unplaced,
            "reviews": reviews,
            "attribution": opened,
            "listed": listed,
            "previous": earlier[-1] if earlier else None,
            "following": next((v for v in listed if v.number > version.number), None),
        },
    )


def default_pair(
    listed: list[MinutesVersion], returned: set[int] | None = None
) -> tuple[MinutesVersion | None, MinutesVersion | None]:
    """What to compare when nothing is asked: the newest version against the one before it;
    for a seat (``returned``: the versions it returned), against the last one it returned,
    else the last one returned by any seat (what the Secretariat was asked to change)."""
    if not listed:
        return None, None
    new = listed[-1]
    earlier = [v for v in listed if v.number < new.number]
    if returned is not None:
        mine = [v for v in earlier if v.pk in returned]
        others = [v for v in earlier if v.status == MinutesVersion.Status.RETURNED]
        if mine or others:
            return (mine or others)[-1], new
    return (earlier[-1] if earlier else new), new


def returned_by(minutes: Minutes, user) -> set[int]:
    """The versions this seat returned (one query)."""
    return set(
        MinutesReview.objects.filter(
            version__minutes=minutes, reviewer=user, decision=MinutesReview.Decision.RETURN
        ).values_list("version_id", flat=True)
    )


@requires(Action.VIEW_MINUTES)
@never_cache
@require_GET
def minutes_compare(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, access = _meeting_and_minutes(request, pk)
    listed = openable_versions(minutes, access)
    by_number = {v.number: v for v in listed}
    numbers = list(by_number)
    if "old" in request.GET or "new" in request.GET:
        form = CompareForm(request.GET, numbers=numbers)
        if not form.is_valid():
            raise Http404
        old, new = sorted(
            (by_number[form.cleaned_data["old"]], by_number[form.cleaned_data["new"]]),
            key=lambda v: v.number,
        )
    else:
        seat = returned_by(minutes, request.user) if request.wg_seats else None
        old, new = default_pair(listed, returned=seat)
        if new is None:
            raise Http404
    form = CompareForm(initial={"old": old.number, "new": new.number}, numbers=numbers)
    rendering = new.rendering
    if old.rendering != rendering:  # never, as a reader has one rendering; kept strict
        raise Http404
    by_pk, opened = contents(minutes, [old, new], rendering)
    comparison = service.compare(by_pk[old.pk], by_pk[new.pk])
    unplaced = []
    if access.comments:
        unplaced = service.attach_comments(
            comparison, service.comments(minutes, [old.pk, new.pk], opened)
        )
    changes_only = request.GET.get("only") == "changes"
    if changes_only:
        comparison = service.only_changes(comparison)
    _log(request, minutes, rendering, [old, new])
    return render(
        request,
        "meetings/minutes/compare.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "old": old,
            "new": new,
            "same_version": old.pk == new.pk,
            "comparison": comparison,
            "rendering": rendering,
            "show_comments": access.comments,
            "unplaced_comments": unplaced,
            "attribution": opened,
            "listed": listed,
            "form": form,
            "only_changes": changes_only,
        },
    )
