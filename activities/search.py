"""What the activities app puts in the search index (``vpswg.search``): confirmed activities
for everyone who sees the register (a proposal only for the Secretariat, as on the register),
and the outreach log for those who see it (the Secretariat and the seats)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse

from activities.models import Activity, OutreachEntry
from members.models import Institution
from vpswg import search
from vpswg.models import SearchEntry
from vpswg.roles import Action
from vpswg.search import Row


def build_activity(ids: list[int]) -> dict[int, tuple[int, list[Row]]]:
    activities = list(
        Activity.objects.select_related("working_group")
        .filter(pk__in=ids)
        .exclude(status=Activity.Status.DECLINED)
    )
    organisers = defaultdict(list)
    for activity_id, name in Activity.organisers.through.objects.filter(
        activity__in=activities
    ).values_list("activity_id", "institution__name"):
        organisers[activity_id].append(name)
    built = {}
    for activity in activities:
        group = activity.working_group
        confirmed = activity.status == Activity.Status.CONFIRMED
        built[activity.pk] = (
            group.pk,
            [
                Row(
                    kind=SearchEntry.Kind.ACTIVITY,
                    title=activity.title,
                    body="\n".join(
                        [
                            activity.description,
                            activity.place,
                            activity.region,
                            activity.partners,
                            *organisers[activity.pk],
                        ]
                    ),
                    url=reverse("activities:detail", kwargs={"wg": group.slug, "pk": activity.pk}),
                    requires=(
                        Action.VIEW_ACTIVITIES if confirmed else Action.MANAGE_ACTIVITIES
                    ).value,
                    date=activity.start_date,
                    language=group.default_language,
                )
            ],
        )
    return built


def build_outreach(ids: list[int]) -> dict[int, tuple[int, list[Row]]]:
    entries = OutreachEntry.objects.select_related(
        "working_group", "by_institution", "guest"
    ).filter(pk__in=ids)
    built = {}
    for entry in entries:
        group = entry.working_group
        by = entry.by_institution.name if entry.by_institution else ""
        built[entry.pk] = (
            group.pk,
            [
                Row(
                    kind=SearchEntry.Kind.OUTREACH,
                    title=entry.target_name,
                    body="\n".join([entry.outcome, by, entry.guest.name if entry.guest else ""]),
                    url=reverse("activities:outreach", kwargs={"wg": group.slug})
                    + f"#outreach-{entry.pk}",
                    requires=Action.VIEW_OUTREACH.value,
                    date=entry.date,
                    language=group.default_language,
                )
            ],
        )
    return built


def _on_activity(sender, instance, **kwargs) -> None:
    search.refresh("activity", instance.pk)


def _on_organisers(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, Activity):
        search.refresh("activity", instance.pk)


def _on_outreach(sender, instance, **kwargs) -> None:
    search.refresh("outreach", instance.pk)


def _on_institution(sender, instance: Institution, **kwargs) -> None:
    """An institution renamed: the activities it organised and the outreach it made."""
    search.refresh_many(
        "activity", Activity.objects.filter(organisers=instance).values_list("pk", flat=True)
    )
    search.refresh_many(
        "outreach",
        OutreachEntry.objects.filter(by_institution=instance).values_list("pk", flat=True),
    )


def connect() -> None:
    search.register(
        "activity", build_activity, lambda: Activity.objects.values_list("pk", flat=True)
    )
    search.register(
        "outreach", build_outreach, lambda: OutreachEntry.objects.values_list("pk", flat=True)
    )
    for model, receiver in [(Activity, _on_activity), (OutreachEntry, _on_outreach)]:
        post_save.connect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    m2m_changed.connect(
        _on_organisers, sender=Activity.organisers.through, dispatch_uid="search-organisers"
    )
    post_save.connect(_on_institution, sender=Institution, dispatch_uid="search-institution-a")
