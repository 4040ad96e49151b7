"""The public form: an application waits, unconfirmed, until the applicant confirms the
contact address; the limits that keep the form from being a relay; unconfirmed ones expire."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    Application,
)
from members.services.applications.common import (
    APPLICANT_FIELDS,
    Status,
    TransitionError,
    _check_attestations,
    _create,
    _locked,
    _notify_applicant,
    _notify_secretariat,
    _status_path,
    _store_letter,
)
from vpswg.models import WorkingGroup
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.notifications import Recipient
from vpswg.services.roles import secretariat_users
from vpswg.services.transitions import transition

#: How long an applicant has to confirm the contact address before the application, and its
#: letter, are deleted.
CONFIRM_HOURS = 48


@transaction.atomic
def submit_application(
    *, working_group: WorkingGroup, data: dict, letter: UploadedFile
) -> tuple[Application, str]:
    """The public form. Returns the application and the applicant's secret link token.

    The form is anonymous, so whoever fills it in may type anyone's address: the application
    waits, unconfirmed, until the applicant follows the link sent to that address. That one
    e-mail holds nothing the form's author wrote (no name, no institution: only the group's
    name and the link), so the form cannot be used to send someone else a message; nothing
    reaches the Secretariat, and nothing more is sent to the address, before the address is
    confirmed (``confirm_address``). Unconfirmed applications are deleted with their letter
    after ``CONFIRM_HOURS`` (``expire_unconfirmed``).
    """
    if not working_group.applications_open:
        raise TransitionError(_("This working group is not accepting applications at the moment."))
    fields = {
        k: data.get(k, Application._meta.get_field(k).get_default()) for k in APPLICANT_FIELDS
    }
    probe = Application(working_group=working_group, **fields)
    _check_attestations(probe)
    application, token = _create(
        working_group, fields, source=Application.Source.APPLICATION, status=Status.UNCONFIRMED
    )
    _store_letter(application, letter)
    application.save()
    notifications.notify(
        working_group=working_group,
        recipients=[
            Recipient(email=application.contact_email, language=application.contact_language)
        ],
        kind="application_confirm",
        key=f"{application.pk}:confirm",
        context={"hours": CONFIRM_HOURS},
        link=_status_path(working_group, token),
        in_app=False,
    )
    return application, token


@transaction.atomic
def confirm_address(*, application: Application, token: str) -> Application:
    """The applicant followed the link sent to the contact address: the application is
    submitted, acknowledged and sent to the Secretariat. Confirming twice changes nothing."""
    application = _locked(application)
    if application.status != Status.UNCONFIRMED:
        return application
    transition(
        application,
        to=Status.SUBMITTED,
        verb="application.submitted",
        actor=None,
        also={"submitted_at": timezone.now()},
    )
    _notify_applicant(application, "application_received", token)
    _notify_secretariat(application, "application_to_screen")
    return application


def submitted_today(group: WorkingGroup) -> int:
    """Applications from the public form made today (the group's day), confirmed or not."""
    start = timezone.localtime(timezone.now(), group.zone).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return Application.objects.filter(
        source=Application.Source.APPLICATION, created_at__gte=start
    ).count()


def tell_secretariat_of_cap(group: WorkingGroup, cap: int) -> None:
    """The form has taken its day's applications: the Secretariat is told, once a day (an
    attack, or a call for applications that needs a higher limit)."""
    with transaction.atomic():
        notifications.notify(
            working_group=group,
            recipients=secretariat_users(),
            kind="application_cap_reached",
            key=f"{timezone.localdate(timezone.now(), group.zone):%Y-%m-%d}",
            context={"cap": cap},
            link=reverse("members:applications", kwargs={"wg": group.slug}),
        )


def expire_unconfirmed(group: WorkingGroup, now=None) -> int:
    """Delete the group's applications whose address was not confirmed in time, and their
    letters (inside the group's scope). Nobody in the group ever saw them."""
    now = now or timezone.now()
    stale = list(
        Application.objects.filter(
            status=Status.UNCONFIRMED, created_at__lt=now - timedelta(hours=CONFIRM_HOURS)
        )
    )
    for application in stale:
        with transaction.atomic():
            if application.letter:
                application.letter.delete(save=False)
            application.delete()
    if stale:
        record(
            working_group=group,
            actor=None,
            verb="application.unconfirmed_expired",
            data={"count": len(stale)},
        )
    return len(stale)
