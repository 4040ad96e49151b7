"""What every step on the minutes shares: their states, the errors a step refuses with, the
minutes' address."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.models import (
    Minutes,
)

Status = Minutes.Status
EDITABLE = {Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.CIRCULATED}


class MinutesError(ValidationError):
    """A step on the minutes that is not possible now; the message says why."""


class EditConflict(Exception):
    """Someone saved this text since it was loaded. Carries what is there now, and who saved
    it: another person, or the same one in another tab or window (``by_self``)."""

    def __init__(self, current, by=None, actor=None):
        super().__init__("edit conflict")
        self.current = current
        self.by = by
        self.by_self = by is not None and actor is not None and by.pk == actor.pk


class RevisionMissing(MinutesError):
    """An edit of an existing text that does not say which revision it was made on: it cannot
    be told apart from one made on a text someone has changed since, so it is refused."""

    def __init__(self):
        super().__init__(
            _(
                "This change does not say which version of the text it was made on, so it could "
                "overwrite someone else's: reload the page and make it again."
            )
        )


class LeaksRemain(MinutesError):
    def __init__(self, findings):
        super().__init__(
            ngettext(
                "The minutes still name participants in %(count)s place: resolve it before submitting.",
                "The minutes still name participants in %(count)s places: resolve each before submitting.",
                len(findings),
            )
            % {"count": len(findings)}
        )
        self.findings = findings


def minutes_path(minutes: Minutes) -> str:
    return reverse(
        "meetings:minutes", kwargs={"wg": minutes.working_group.slug, "pk": minutes.meeting_id}
    )
