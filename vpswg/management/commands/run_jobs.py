"""Run the scheduled jobs (``CELERY_BEAT_SCHEDULE``) without Celery beat.

In production, Celery beat queues them for the workers. The embedded demo (``make run``: no
Redis, tasks in the process) has no beat, so nothing scheduled would ever happen: convening
reminders, review reminders, the outbox's retries, retention. ``make jobs`` runs this beside
``make run``, each job when its period has passed; ``--once`` runs each job one time.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def _period(schedule) -> float:
    """Seconds between runs: a number, a timedelta, or a Celery schedule's ``run_every``."""
    if isinstance(schedule, int | float):
        return float(schedule)
    if hasattr(schedule, "total_seconds"):
        return schedule.total_seconds()
    run_every = getattr(schedule, "run_every", None)
    if run_every is not None:
        return run_every.total_seconds()
    raise CommandError(f"Cannot run the schedule {schedule!r} without beat.")


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs (CELERY_BEAT_SCHEDULE) in this process, each when its period "
        "has passed, for a deployment without Celery beat such as the demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and stop.")
        parser.add_argument(
            "--tick",
            type=float,
            default=30.0,
            help="Seconds between checks of what is due (default 30).",
        )

    def handle(self, *args, once: bool, tick: float, **options):
        from vpswg.celery import app

        app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery)
        jobs = {
            name: (entry["task"], _period(entry["schedule"]))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        unknown = sorted(task for task, _ in jobs.values() if task not in app.tasks)
        if unknown:
            raise CommandError(f"Unknown tasks in CELERY_BEAT_SCHEDULE: {', '.join(unknown)}")
        due = dict.fromkeys(jobs, 0.0)
        while True:
            now = time.monotonic()
            for name, (task, period) in jobs.items():
                if now < due[name]:
                    continue
                due[name] = now + period
                try:
                    result = app.tasks[task].apply().get(propagate=True)
                except Exception as exc:  # noqa: BLE001 (one failing job must not stop the rest)
                    self.stderr.write(f"{name}: failed ({exc.__class__.__name__}: {exc})")
                else:
                    if options["verbosity"] >= 1:
                        self.stdout.write(f"{name}: {result}")
            if once:
                return
            time.sleep(tick)
