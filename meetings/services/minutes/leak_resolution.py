"""Resolving what the leak detection found (``meetings.services.leaks``): words marked as the
subject of the discussion, or replaced with neutral ones."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import (
    ActionItem,
    Contribution,
    Decision,
    LeakResolution,
    Minutes,
    MinutesSection,
)
from meetings.services import leaks, wording
from meetings.services.minutes.common import MinutesError
from meetings.services.minutes.drafting import _reopen, _update
from vpswg.forms import posted_id
from vpswg.models import User
from vpswg.services.audit import record

TARGETS = {
    "minutes": (Minutes, "summary"),
    "section": (MinutesSection, None),
    "contribution": (Contribution, "text"),
    "decision": (Decision, "text"),
    "action": (ActionItem, "what"),
}


def _target(minutes: Minutes, target: str):
    kind, pk, field = ([*target.split(":"), "", "", ""])[:3]
    model, _default = TARGETS.get(kind, (None, None))
    if model is None or posted_id(pk) is None:
        raise MinutesError(_("Unknown text."))
    obj = model.objects.filter(pk=pk).first()
    if obj is None or _minutes_id(obj) != minutes.pk:
        raise MinutesError(_("Unknown text."))
    if field not in {"summary", "title", "main_points", "text", "what"}:
        raise MinutesError(_("Unknown text."))
    return model, obj, field


def _minutes_id(obj) -> int:
    if isinstance(obj, Minutes):
        return obj.pk
    if isinstance(obj, MinutesSection):
        return obj.minutes_id
    return obj.section.minutes_id


@transaction.atomic
def mark_subject(*, minutes: Minutes, actor: User, target: str, term: str) -> LeakResolution:
    """Record that the words refer to the subject under discussion, not to a participant."""
    _target(minutes, target)
    resolution, _created = LeakResolution.objects.get_or_create(
        working_group=minutes.working_group,
        minutes=minutes,
        target=target,
        term=leaks.fold(term)[:200],
        defaults={"decided_by": actor},
    )
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb="minutes.leak_marked_subject",
        obj=minutes,
        data={"target": target},
    )
    return resolution


@transaction.atomic
def replace_words(
    *,
    minutes: Minutes,
    actor: User,
    target: str,
    term: str,
    replacement: str,
    at: int | None = None,
) -> None:
    """Replace the words (any case, any accents) with neutral ones, fitted into each sentence
    (``meetings.services.wording``): at ``at`` only, the occurrence the editor showed with
    its preview, or everywhere in the text."""
    if not replacement.strip():
        raise MinutesError(_("Give the neutral words to use instead, e.g. “a participant”."))
    if not term.strip():
        # Empty words are found everywhere: the loop below would never end.
        raise MinutesError(_("Choose the words to replace."))
    model, obj, field = _target(minutes, target)
    # Read under lock: an autosave of the same text landing between this read and the write
    # would otherwise make the replacement fail as an edit conflict (the autosave then
    # waits, and meets the conflict itself, which its page knows how to show).
    obj = model.objects.select_for_update().get(pk=obj.pk)
    text = getattr(obj, field)
    occurrences = _occurrences(text, target, term)
    if at is not None:
        occurrences = [hit for hit in occurrences if hit.start == at]
        if not occurrences:
            raise MinutesError(
                _("The text has changed since the page was shown: look at the names again.")
            )
    language = minutes.working_group.default_language
    end = len(text)
    # From the end, so that the positions of the earlier ones still hold.
    for hit in reversed(occurrences):
        fitted = wording.fit(text, hit, replacement, language)
        if fitted.end > end:
            continue  # it would overlap the one replaced after it
        text, end = fitted.apply(text), fitted.start
    _reopen(minutes, actor)
    _update(model, obj, obj.revision, actor, **{field: text})
    record(
        working_group=minutes.working_group,
        actor=actor,
        verb="minutes.leak_replaced",
        obj=minutes,
        data={"target": target},
    )


def _occurrences(text: str, target: str, term: str) -> list[leaks.Hit]:
    """The hits of the words in the text; words that are no longer the roster's (or never
    were) are still found, as whole words."""
    needle = leaks.fold(" ".join(term.split()))
    hits = [
        hit
        for hit in leaks.scan_text(text, target, leaks.roster_matcher())
        if leaks.fold(" ".join(hit.matched.split())) == needle
    ]
    if hits:
        return hits
    pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
    return [
        leaks.Hit(target, m.start(), m.end(), text[m.start() : m.end()], "", "")
        for m in pattern.finditer(leaks.fold(text))
    ]
