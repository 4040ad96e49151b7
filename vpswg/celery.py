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
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vpswg.settings")

app = Celery("vpswg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


#: Task name -> the setting naming its queue when queues are separated by kind
#: (docs/scaling.md); an empty setting leaves the task on the default queue.
QUEUE_SETTINGS = {
    "vpswg.deliver_notifications": "VPSWG_QUEUE_MAIL",
    "activities.annual_report": "VPSWG_QUEUE_REPORTS",
}


@task_prerun.connect
@task_postrun.connect
def close_old_connections(sender=None, **kwargs) -> None:
    """Before and after each task, close the database connections a request would close.

    Celery's Django fixup closes every connection around every task unless
    ``CELERY_DB_REUSE_MAX`` is set (settings: it is), so each task paid a new PostgreSQL
    session, its authentication and its cold catalogue caches (a convening is 220 tasks).
    Instead, as for a request, a connection is closed when it is older than
    ``CONN_MAX_AGE`` or broken, and checked before its next use (``CONN_HEALTH_CHECKS``).
    A task run in-process (eager) shares the caller's connection and is left alone.
    """
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()


def enqueue(task, *args, on_unreachable=None) -> bool:
    """Queue ``task`` with ``args``; when the broker cannot be reached, log it and fall back.

    Called from ``on_commit`` hooks: the change is already saved, so raising here would answer
    500 for a change that was made (the person would make it again). ``on_unreachable`` is
    what to do instead (run the task in this process, or mark its job failed so the person can
    ask again); without it the failure is only logged, for work a sweep picks up. Returns
    whether the task was queued.
    """
    import logging

    from kombu.exceptions import OperationalError

    try:
        task.delay(*args)
    except OperationalError as exc:
        logging.getLogger("vpswg.tasks").warning(
            "%s: broker unreachable (%s); %s",
            task.name,
            exc,
            "falling back" if on_unreachable else "left to the sweep",
        )
        if on_unreachable is not None:
            on_unreachable()
        return False
    return True


def route(name, args, kwargs, options, task=None, **kw):
    """Celery router (``task_routes``): mail and long reports to their own queues if set.

    Separate queues let e-mail keep flowing while a worker renders a long annual report, and
    let each kind get workers of its own.
    """
    from django.conf import settings

    setting = QUEUE_SETTINGS.get(name)
    queue = getattr(settings, setting, "") if setting else ""
    return {"queue": queue} if queue else None


class TenantTask(DjangoTask):
    """Runs its body inside the scope of the working group whose id is the first argument."""

    abstract = True

    def __call__(self, working_group_id: int, *args, **kwargs):
        from vpswg.scoping import group_scope

        with group_scope(int(working_group_id)):
            return super().__call__(working_group_id, *args, **kwargs)
