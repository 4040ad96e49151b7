"""Retire the cached report figures when the data behind them changes (``reports.data_changed``).

Saves and deletes through the ORM, the admin site included, arrive here; the services that write
in bulk (participant counts, attendance) call ``data_changed`` themselves, as ``bulk_create``
sends no signal.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from activities import reports
from activities.models import Activity, ParticipantCount
from meetings.models import Attendance, Meeting
from members.models import Institution

#: What the figures are drawn from: the register and its counts, plenaries and who attended
#: them, and the institutions' pillars.
SOURCES = (Activity, ParticipantCount, Meeting, Attendance, Institution)


def _changed(sender, instance, **kwargs) -> None:
    reports.data_changed(instance.working_group_id)


def connect() -> None:
    for model in SOURCES:
        post_save.connect(_changed, sender=model, dispatch_uid=f"reports-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reports-{model.__name__}-delete")
