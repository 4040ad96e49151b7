"""A member nominates an institution; the institution (or an incomplete applicant) completes
the application through its secret link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    Application,
    Institution,
    Representative,
)
from members.services.applications.common import (
    APPLICANT_FIELDS,
    NOMINATION_FIELDS,
    Status,
    TransitionError,
    _check_attestations,
    _create,
    _locked,
    _notify_applicant,
    _notify_secretariat,
    _store_letter,
)
from vpswg.models import User, WorkingGroup
from vpswg.services.audit import record
from vpswg.services.transitions import transition


@transaction.atomic
def nominate(*, working_group: WorkingGroup, actor: User, data: dict) -> Application:
    """A member proposes an institution; its contact is invited to confirm with a letter."""
    fields = {
        k: data.get(k, Application._meta.get_field(k).get_default()) for k in NOMINATION_FIELDS
    }
    nominating = (
        Representative.objects.filter(
            user=actor, end_date__isnull=True, institution__standing=Institution.Standing.ACTIVE
        )
        .select_related("institution")
        .first()
    )
    application, token = _create(
        working_group,
        fields,
        source=Application.Source.NOMINATION,
        status=Status.NOMINATED,
        nominated_by=actor,
        nominating_institution=nominating.institution if nominating else None,
        proposed_by=nominating.institution.name if nominating else "",
    )
    record(
        working_group=working_group,
        actor=actor,
        verb="application.nominated",
        obj=application,
        to_state=Status.NOMINATED,
    )
    _notify_applicant(application, "nomination_invitation", token)
    _notify_secretariat(application, "nomination_made")
    return application


@transaction.atomic
def complete_by_applicant(
    *, application: Application, token: str, data: dict, letter: UploadedFile | None
) -> Application:
    """The institution confirms a nomination, or completes what screening found missing."""
    application = _locked(application)
    if application.status not in {Status.NOMINATED, Status.INCOMPLETE}:
        raise TransitionError(_("This application cannot be changed any more."))
    for key in APPLICANT_FIELDS:
        if key in data:
            setattr(application, key, data[key])
    _check_attestations(application)
    if letter is not None:
        _store_letter(application, letter)
    if not application.letter:
        raise ValidationError(_("Attach the application letter (PDF or DOCX)."))
    application.full_clean(exclude=["letter", "token_hash", "reference", "status"])
    changed = [*(k for k in APPLICANT_FIELDS if k in data), "submitted_at"]
    if letter is not None:
        changed += ["letter", "letter_name", "letter_type", "letter_size"]
    transition(
        application,
        to=Status.SUBMITTED,
        verb="application.submitted",
        actor=None,
        also={
            **{k: getattr(application, k) for k in changed if k != "submitted_at"},
            "submitted_at": timezone.now(),
        },
    )
    _notify_applicant(application, "application_received", token)
    _notify_secretariat(application, "application_to_screen")
    return application
