"""Two web nodes (gunicorn, production settings) sharing a PostgreSQL primary and Redis, with a
streaming replica of the primary for reports: the topology of docs/scaling.md, on loopback.

The primary and its replica are a cluster made for the test (``bench.pgcluster``: ``initdb``
and ``pg_basebackup``), not the suite's database: the test pauses the replica's replay, which
the machine's shared cluster has no replica to do. Built once per module (about 30 s: the
migrations, the data, collectstatic) and removed afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests

from bench import pgcluster
from bench.coherence import PROXY_HEADERS, World
from vpswg.crypto import generate_entry

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE = "vpswg_nodes"
#: The replica may be this far behind for a report shown on a page (the test waits it out).
MAX_LAG = 8


@dataclass
class Nodes:
    a: str
    b: str
    world: World
    primary: pgcluster.Instance
    replica: pgcluster.Instance
    env: dict[str, str]


def _redis_dbs() -> tuple[str, str]:
    """Two Redis databases beside the suite's own (REDIS_URL / CACHE_URL): the nodes' broker
    and cache, flushed before and after."""
    base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    return f"{base}/12", f"{base}/13"


def _smtp():
    """A real SMTP server on loopback for what the nodes send (their tasks run in-process)."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=pgcluster.free_port())
    controller.start()
    return controller


def _start_node(env: dict[str, str], log: Path, processes: list[subprocess.Popen]) -> str:
    """A node, added to ``processes`` at once, so that it is stopped whatever happens next."""
    port = pgcluster.free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "vpswg.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--no-control-socket",  # two servers on one machine would share its path
            "--error-logfile=-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    processes.append(process)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        if process.poll() is not None:
            raise RuntimeError(f"a node stopped at start:\n{log.read_text()[-3000:]}")
        try:
            # The first request loads the application: slow on a busy machine.
            if requests.get(url + "/healthz/", headers=PROXY_HEADERS, timeout=60).ok:
                return url
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"a node did not answer /healthz/:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def nodes():
    folder = Path(tempfile.mkdtemp(prefix="vpswg-nodes-"))
    broker, cache = _redis_dbs()
    for url in (broker, cache):
        redis.Redis.from_url(url).flushdb()
    smtp = _smtp()
    processes: list[subprocess.Popen] = []
    primary = replica = None
    try:
        primary = pgcluster.make_primary(folder)
        primary.create_database(DATABASE)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "EMAIL_URL", "DJANGO_ENV"}
        }
        env.update(
            DJANGO_ENV="production",
            DJANGO_SETTINGS_MODULE="vpswg.settings",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            SITE_URL="https://127.0.0.1",
            DATABASE_URL=primary.url(DATABASE),
            REDIS_URL=broker,
            CACHE_URL=cache,
            CELERY_TASK_ALWAYS_EAGER="true",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            STATIC_ROOT=str(folder / "static"),
            MEDIA_ROOT=str(folder / "media"),
            LOG_LEVEL="ERROR",
            PYTHONPATH=str(ROOT),
            VPSWG_ATTRIBUTION_KEYS=generate_entry(),
            VPSWG_MFA_KEYS=generate_entry(),
        )
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        seeded = subprocess.run(
            [sys.executable, "-m", "tests.multinode.seed"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        world = World.from_json(json.loads(seeded.stdout.strip().splitlines()[-1]))
        replica = pgcluster.make_replica(primary, folder)
        env.update(
            DATABASE_REPLICA_URL=replica.url(DATABASE), DATABASE_REPLICA_MAX_LAG=str(MAX_LAG)
        )
        urls = [_start_node(env, folder / f"node-{n}.log", processes) for n in ("a", "b")]
        yield Nodes(urls[0], urls[1], world, primary, replica, env)
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        for instance in (replica, primary):
            if instance is not None:
                instance.remove()
        smtp.stop()
        for url in (broker, cache):
            redis.Redis.from_url(url).flushdb()
        shutil.rmtree(folder, ignore_errors=True)
