"""Shared fixtures. The suite runs against real services: PostgreSQL, Redis (cache, sessions,
broker), a Celery worker process, an SMTP server on loopback and Debian's Chromium."""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    from django.conf import settings

    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL does not point to PostgreSQL")
    if not settings.REDIS_URL or not settings.CACHE_URL:
        problems.append("REDIS_URL and CACHE_URL are not set")
    if settings.DJANGO_ENV != "test":
        problems.append("DJANGO_ENV is not 'test'")
    if problems:
        pytest.exit(
            "The test suite runs against real PostgreSQL and Redis: run it with `make test` "
            f"(or set the environment the Makefile sets). Problem: {'; '.join(problems)}.",
            returncode=2,
        )


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """Worker processes and live-server threads may leave sessions on the test database;
    end them so that it can be dropped at the end of the run."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached sessions live in Redis, cached permissions in the
    process: each test starts clean."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["local"].clear()
    yield


@pytest.fixture
def local_cache(settings):
    """The per-process cache as production has it (the suite runs with a dummy one, so that
    query counts are those of a first request)."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    caches["local"].clear()
    yield
    caches["local"].clear()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded documents of a test go to its own directory, never the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


# --- Groups and people ------------------------------------------------------------------------


@pytest.fixture
def group(db):
    from tests.factories import make_group

    return make_group("alpha", name="Alpha Working Group", country="Alphaland")


@pytest.fixture
def other_group(db):
    """A second tenant with data of its own: the outsider's home in every isolation test."""
    from tests.factories import make_group, make_institution

    other = make_group("beta", name="Beta Working Group", country="Betaland")
    make_institution(other, name="Beta Mining Corporation")
    return other


@pytest.fixture
def outsider(other_group):
    """Holds every role in the other group and none in ``group``."""
    from tests.factories import make_secretariat

    return make_secretariat(other_group, full_name="Charlie Outsider")


# --- SMTP on loopback ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ReceivedMail:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class SMTPRecorder:
    """An aiosmtpd handler that keeps what it accepted and refuses addresses on request."""

    received: list[ReceivedMail] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Seconds each message takes to accept (to slow a worker down enough to kill it midway).
    delay: float = 0.0
    #: Hold the reply to the message of this rank (1-based) once it is kept, until ``release``
    #: is set: the moment a crash leaves a message accepted by the server, but not known to
    #: the sender as accepted. ``held`` is set when it is reached.
    hold_at: int = 0
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable (refused by the test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
            hold = len(self.received) == self.hold_at
        if hold:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        return "250 Message accepted"

    def to(self, address: str) -> list[ReceivedMail]:
        return [m for m in self.received if address.lower() in (r.lower() for r in m.recipients)]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return self.received
            time.sleep(0.05)
        raise AssertionError(f"expected {count} e-mails, received {len(self.received)}")


@dataclass
class SMTPServer:
    host: str
    port: int
    recorder: SMTPRecorder

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's mail goes to it instead of locmem."""
    from aiosmtpd.controller import Controller

    recorder = SMTPRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield SMTPServer("127.0.0.1", port, recorder)
    finally:
        controller.stop()


# --- A real Celery worker process ------------------------------------------------------------


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    queue: str
    log_path: Path
    env: dict

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as a crash would."""
        import signal

        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def pool(self) -> list[int]:
        """The process ids of the worker's pool (its children)."""
        pid = self.process.pid
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        f"/{s['NAME']}"
    )


def start_worker(
    tmp_path: Path, smtp: SMTPServer, queue: str, concurrency: int = 1
) -> WorkerProcess:
    from django.conf import settings

    log_path = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_URL": settings.CACHE_URL,
        "EMAIL_URL": smtp.url,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "NOTIFICATION_BACKOFF_SECONDS": "1",
        # The test's uploads (``_private_media``): a task reads the files the test wrote.
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # Its database sessions, told apart from the others of the run (libpq's variable).
        "PGAPPNAME": f"celery-{queue}",
    }
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "vpswg",
            "worker",
            "-Q",
            queue,
            "-c",
            str(concurrency),
            "-l",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a test can kill the pool with it
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited:\n{log_path.read_text()}")
        if " ready." in log_path.read_text(errors="replace"):
            return WorkerProcess(process, queue, log_path, env)
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the Celery worker did not start:\n{log_path.read_text()}")


@pytest.fixture
def eager_tasks():
    """Tasks run in-process, as in the embedded default (for tests about services, not workers)."""
    from vpswg.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture
def celery_queue(settings):
    """A queue of this test's own, so that nothing from another test reaches its worker."""
    from vpswg.celery import app

    queue = f"test-{uuid.uuid4().hex[:10]}"
    previous = (app.conf.task_default_queue, app.conf.task_always_eager)
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_default_queue, app.conf.task_always_eager = previous
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)


@pytest.fixture
def celery_worker(transactional_db, smtp_server, celery_queue, tmp_path):
    worker = start_worker(tmp_path, smtp_server, celery_queue)
    try:
        yield worker
    finally:
        worker.stop()


# --- Real browser: Playwright driving Debian's Chromium ----------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
