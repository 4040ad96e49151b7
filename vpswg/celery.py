"""The Celery application: Redis broker, JSON only, late acks, tenant-scoped tasks.

Tasks take ids, never model instances. ``TenantTask`` takes the working group's id as its
first argument and runs the body inside that group's scope, so a task can only touch the
rows of the group it was queued for. Enqueue with ``delay_on_commit`` (or from an
``on_commit`` hook) so that a task never runs before, or without, the change that caused it.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.contrib.django.task import DjangoTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vpswg.settings")

app = Celery("vpswg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class TenantTask(DjangoTask):
    """Runs its body inside the scope of the working group whose id is the first argument."""

    abstract = True

    def __call__(self, working_group_id: int, *args, **kwargs):
        from vpswg.scoping import group_scope

        with group_scope(int(working_group_id)):
            return super().__call__(working_group_id, *args, **kwargs)
