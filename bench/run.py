"""``make bench``: vpswg at scale, measured the way it runs in production.

1. Builds the scale dataset (``seed_scale``) into its own PostgreSQL databases: S1 (10 groups)
   and S10 (100 groups). A dataset is kept between runs and rebuilt when the code that shapes
   it (the builders, the migrations) changes, or with ``--rebuild``.
2. For each size, serves the app under gunicorn (2 workers, production settings, Redis cache
   and sessions) and drives each page with wrk on loopback (8 connections, 15 s, three runs,
   median), as the role that uses it, beside a baseline view of the harness itself. The SQL
   query count of each page comes from the server's own ``X-Bench-Queries`` header.
   ``--pages NAME,...`` measures only those pages (and the baseline, always).
3. On a copy of S10: the members' minutes PDF of 20 pages against WeasyPrint alone, and the
   convening of every group's next plenary through the outbox, one Celery worker
   (concurrency 2) and a local SMTP server, counted message by message; then, on a fresh
   copy, the same with one of the worker's pool processes killed (SIGKILL) a third of the way
   through, which must still deliver every notice once (``--no-convening-kill`` skips it).
4. On another copy: the Secretariat's import of a 300-row spreadsheet with five bad rows
   through its pages (upload, preview, import), timed and its queries counted
   (``--only import`` runs this alone).
5. On a copy of S1: the operations drills (``bench.drills``, ``--only drills``): the documented
   backup restored into a PostgreSQL of the harness's own and verified, then PostgreSQL and
   Redis restarted under load, counting errors, acknowledged writes, sessions and notices.
6. On a PostgreSQL primary of its own loaded with the largest dataset, with a streaming
   replica: two gunicorn nodes behind HAProxy against one node, and a write through one node
   read through the other (``bench.cluster``; ``--only cluster`` runs this alone).
7. On another copy of S10: mixed traffic, 600 people of the 100 groups with their own
   sessions, reading and writing through Locust, beside the baseline with the same generator
   (``bench.mixed``; ``--only mixed`` runs this alone).
8. Writes the table to ``bench/results/<date>.md`` and prints it.

Nothing here is a test: the targets are reported, not asserted (the query-count tests are).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from vpswg.crypto import ring_from_file  # a module without Django's settings

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
PG = {"host": "127.0.0.1", "port": 5432, "user": "vpswg", "password": "vpswg"}
REDIS_DB, CACHE_DB = 10, 11
SECRET_KEY = secrets.token_urlsafe(50)
GROUPS_PER_SIZE = {"S1": 10, "S10": 100}
#: Pages of the harness itself (the reference, and the layout with nothing in it): measured
#: for comparison, not held to the targets.
HARNESS = {"baseline", "layout only"}

TARGETS = {
    "baseline_share": 0.5,
    "p99_ms": 150,
    "queries": 15,
    "s10_s1": 1.2,
    "pdf_overhead": 0.25,
    "pdf_s": 1.5,
    "notices_per_s": 150,
    "gunicorn_mb": 250,
    "celery_mb": 300,
    "import_s": 10,
}


def say(message: str) -> None:
    print(f"\033[1m[bench]\033[0m {message}", flush=True)


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg(dbname: str = "postgres"):
    import psycopg2

    connection = psycopg2.connect(dbname=dbname, **PG)
    connection.autocommit = True
    return connection


def _exists(name: str) -> bool:
    connection = _pg()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def _drop(name: str) -> None:
    connection = _pg()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()


def _create(name: str, template: str | None = None) -> None:
    _drop(name)
    connection = _pg()
    with connection.cursor() as cursor:
        if template:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [template],
            )
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def fingerprint() -> str:
    """What the dataset depends on: the builders and every migration."""
    digest = hashlib.sha256()
    files = [
        *sorted((ROOT / "demo" / "scale").glob("*.py")),
        ROOT / "demo" / "management" / "commands" / "seed_scale.py",
        # What the search index holds is built by these (``reindex_group`` at the end).
        ROOT / "vpswg" / "search" / "__init__.py",
        ROOT / "meetings" / "search.py",
        ROOT / "activities" / "search.py",
        *sorted(ROOT.glob("*/migrations/0*.py")),
    ]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _dataset_mark(name: str) -> str | None:
    if not _exists(name):
        return None
    connection = _pg(name)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_dataset')")
            if cursor.fetchone()[0] is None:
                return None
            cursor.execute("SELECT mark FROM bench_dataset")
            row = cursor.fetchone()
            return row[0] if row else None
    finally:
        connection.close()


def _set_mark(name: str, mark: str) -> None:
    connection = _pg(name)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_dataset (mark text)")
        cursor.execute("DELETE FROM bench_dataset")
        cursor.execute("INSERT INTO bench_dataset VALUES (%s)", [mark])
    connection.close()


def _table_sizes(name: str) -> dict[str, int]:
    connection = _pg(name)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY n_live_tup DESC"
        )
        rows = dict(cursor.fetchall())
        cursor.execute("SELECT pg_database_size(%s)", [name])
        rows["__bytes__"] = cursor.fetchone()[0]
    connection.close()
    return rows


# --- Processes --------------------------------------------------------------------------------


def app_env(database: str, email_port: int = 2525) -> dict[str, str]:
    """Production settings, as docker-compose gives them, on this machine's services."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "EMAIL_URL", "DJANGO_ENV"}
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=f"postgres://vpswg:vpswg@127.0.0.1:5432/{database}",
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        CACHE_URL=f"redis://127.0.0.1:6379/{CACHE_DB}",
        EMAIL_URL=f"smtp://127.0.0.1:{email_port}",
        STATIC_ROOT=str(WORK / "static"),
        MEDIA_ROOT=str(WORK / "private"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        # The datasets outlive a run: their keys are kept beside them, in var/bench/keys/.
        VPSWG_ATTRIBUTION_KEYS=ring_from_file(
            "VPSWG_ATTRIBUTION_KEYS", WORK / "keys" / "attribution.txt"
        ),
        VPSWG_MFA_KEYS=ring_from_file("VPSWG_MFA_KEYS", WORK / "keys" / "mfa.txt"),
    )
    return env


def manage(database: str, *args: str, quiet: bool = True) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=app_env(database),
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def step(database: str, name: str, email_port: int = 2525, *arguments: str) -> dict:
    """Run a Django-side step (bench.steps) and return the JSON it prints last."""
    done = subprocess.run(
        [PYTHON, "-m", "bench.steps", name, *arguments],
        cwd=ROOT,
        env=app_env(database, email_port),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"bench.steps {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process ever had."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def request(self, path: str, cookie: str = "") -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers=self.headers(cookie))
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), body

    @staticmethod
    def headers(cookie: str = "") -> dict[str, str]:
        # As the TLS-terminating proxy would send them (docker-compose.yml).
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = cookie
        return headers


def start_gunicorn(
    database: str, log: Path, *, env: dict[str, str] | None = None, workers: int = 2
) -> Server:
    """A node as production runs it; ``env`` and ``workers`` for the two-node run
    (bench.cluster), whose nodes use a PostgreSQL and a Redis of its own."""
    port = free_port()
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "vpswg.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--access-logfile=-",
            "--error-logfile=-",
            "--worker-tmp-dir=/dev/shm",
            # gunicorn 23+ opens a control socket at one fixed path per user: the two nodes of
            # the two-node run (and a run beside the test suite) would share it.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env or app_env(database),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    server = Server(process, port)
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start: see {log}")
        try:
            if server.request("/healthz/")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer /healthz/: see {log}")


# --- Load -------------------------------------------------------------------------------------


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(server: Server, path: str, cookie: str, seconds: int, connections: int) -> Load:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in server.headers(cookie).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{server.port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = sum(
        int(n)
        for n in re.findall(
            r"(?:Non-2xx or 3xx responses|errors: connect \d+, read \d+, write \d+, timeout): (\d+)",
            out,
        )
    )
    return Load(rps, p50, p99, errors)


@dataclass
class PageResult:
    name: str
    role: str
    path: str
    queries: int
    bytes: int
    runs: list[Load] = field(default_factory=list)
    #: The first request's count: the page drawn, not kept (and the user's permissions read).
    drawn_queries: int = 0

    @property
    def queries_shown(self) -> str:
        if self.drawn_queries > self.queries:
            return f"{self.queries} ({self.drawn_queries} drawn)"
        return str(self.queries)

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.runs)

    @property
    def p50(self) -> float:
        return statistics.median(r.p50_ms for r in self.runs)

    @property
    def p99(self) -> float:
        return statistics.median(r.p99_ms for r in self.runs)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)


def check_page(name: str, role: str, status: int, headers: dict, body: bytes, reader: str) -> None:
    """A page is measured only if it is the page: 200, not a sign-in form, and the members'
    minutes carry no speaker (the dataset's people are named 'Scale Person ...'; the reader's
    own name is in the page's menu)."""
    if status != 200:
        raise SystemExit(f"{name} ({role}) answered {status} {headers.get('Location', '')}")
    if b'name="password"' in body:
        raise SystemExit(f"{name} ({role}) shows a sign-in form: the session is not valid")
    names = set(re.findall(rb"Scale Person \d{4}-\d{2}", body)) - {reader.encode()}
    if name == "members' minutes" and names:
        raise SystemExit("the members' minutes carry a speaker's name")
    if name == "attributed minutes" and not names:
        raise SystemExit("the attributed minutes carry no speaker: wrong page measured")
    if name == "search" and names:
        raise SystemExit("the members' search results carry a speaker's name")
    if name.startswith("search") and b"<mark>" not in body:
        raise SystemExit(f"{name} found nothing: the index of the dataset is empty")


def flush_cache() -> None:
    """Each size starts with nothing kept: S10 copies S1's groups, ids included, and must not
    be served what S1 left in the cache."""
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=CACHE_DB).flushdb()


def selected_pages(pages: list, names: str | None) -> list:
    """The pages ``--pages`` names (all without it), the baseline always among them: every
    figure is a share of the baseline measured in the same run."""
    if not names:
        return pages
    wanted = {name.strip() for name in names.split(",")} | {"baseline"}
    unknown = wanted - {name for name, _, _ in pages}
    if unknown:
        raise SystemExit(
            f"--pages: no page {', '.join(sorted(unknown))} (pages: "
            + ", ".join(name for name, _, _ in pages)
            + ")"
        )
    return [page for page in pages if page[0] in wanted]


def measure_pages(size: str, database: str, args) -> tuple[list[PageResult], dict]:
    flush_cache()
    session = step(database, "prepare")
    log = WORK / f"gunicorn-{size}.log"
    server = start_gunicorn(database, log)
    results: list[PageResult] = []
    try:
        # Each user's permissions read and kept in both workers first, so that a page's first
        # request counts the page drawn, not also the user's first visit to that process.
        # Four at a time, so that both (sync) workers take some.
        home = next(path for name, _, path in session["pages"] if name == "group dashboard")
        for cookie in session["cookies"].values():
            for _ in range(3):
                threads = [
                    threading.Thread(target=server.request, args=(home, cookie)) for _ in range(4)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
        for name, role, path in selected_pages(session["pages"], args.pages):
            cookie = session["cookies"][role]
            # Warm this page's code paths and caches in both workers: the first request of a
            # user in a process also reads the permissions it then caches (one query more).
            counts = []
            for _ in range(6):
                status, headers, body = server.request(path, cookie)
                check_page(name, role, status, headers, body, session["member_name"])
                counts.append(int(headers["X-Bench-Queries"]))
            page = PageResult(name, role, path, min(counts), len(body), drawn_queries=counts[0])
            wrk(server, path, cookie, args.warmup, args.connections)
            for _ in range(args.runs):
                page.runs.append(wrk(server, path, cookie, args.duration, args.connections))
            results.append(page)
            say(
                f"{size} {name:<20} {page.rps:7.1f} req/s  p50 {page.p50:6.1f} ms  "
                f"p99 {page.p99:6.1f} ms  {page.queries} queries"
            )
        workers = children(server.process.pid)
        memory = {"gunicorn_worker_mb": max(peak_rss_mb(pid) for pid in workers)}
    finally:
        stop(server.process)
    return results, memory


# --- Mail -------------------------------------------------------------------------------------


class Mailbox:
    """A local SMTP server that keeps, per message, when it came, to whom, and whether it
    carries a calendar invitation (the convening notice)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[float, str, bool, str]] = []

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content
        match = re.search(rb"^Message-ID:\s*(\S+)", content, re.M | re.I)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append(
                    (
                        time.time(),
                        recipient.lower(),
                        b"text/calendar" in content,
                        match.group(1).decode() if match else "",
                    )
                )
        return "250 OK"

    def calendar_messages(self) -> list[tuple[float, str, bool, str]]:
        with self.lock:
            return [m for m in self.messages if m[2]]


def measure_convening(database: str, args, template: str | None = None) -> dict:
    """The convening on ``database``; then, on a fresh copy of ``template``, the same again
    with one of the worker's pool processes killed (SIGKILL) once a third of the notices
    have arrived, to count what the crash costs: every notice must still arrive once."""
    result = _convening_run(database, args)
    if template and args.convening_kill:
        crashed = f"{database}_kill"
        say(f"copying {template} for the convening with a worker killed")
        _create(crashed, template=template)
        try:
            result["killed"] = _convening_run(crashed, args, kill_at=1 / 3)
        finally:
            _drop(crashed)
    return result


class Backends:
    """CPU used by the PostgreSQL server processes of one database, sampled as the run goes
    (a session may end before the run does: its time is counted up to its last sighting)."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.connection = _pg()
        self.before = {pid: cpu_seconds(pid) for pid in self.pids()}
        self.seen: dict[int, float] = dict(self.before)

    def pids(self) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database])
            return [row[0] for row in cursor.fetchall()]

    def sample(self) -> None:
        for pid in self.pids():
            self.seen[pid] = max(self.seen.get(pid, 0.0), cpu_seconds(pid))

    def used(self) -> float:
        self.sample()
        self.connection.close()
        return sum(self.seen.values()) - sum(self.before.values())


def _convening_run(database: str, args, kill_at: float | None = None) -> dict:
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = app_env(database, port)
    subprocess.run(
        [PYTHON, "-m", "celery", "-A", "vpswg", "purge", "-f"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = WORK / ("celery-killed.log" if kill_at else "celery.log")
    worker = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "vpswg",
            "worker",
            "-c",
            "2",
            "-l",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "bench@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    killed: dict = {}
    try:
        for _ in range(120):
            if "ready." in log.read_text():
                break
            if worker.poll() is not None:
                raise SystemExit(f"the Celery worker stopped: see {log}")
            time.sleep(0.5)
        # CPU from here on: the worker's processes, the database's server processes, and
        # this process (which runs the SMTP server, and little else).
        pool = [worker.pid, *children(worker.pid)]
        worker_cpu = -sum(cpu_seconds(pid) for pid in pool)
        backends = Backends(database)
        cpu_before = time.process_time()
        started = step(database, "convene", port)
        expected = started["expected"]
        deadline = time.time() + args.convening_timeout
        last_count, quiet_since = -1, time.time()
        while time.time() < deadline:
            messages = mailbox.calendar_messages()
            count = len(messages)
            if kill_at and not killed and count >= expected * kill_at:
                # One pool process, as the kernel's OOM killer or a crash would take it; the
                # pool starts another, and the task it held goes back to the queue.
                victim = children(worker.pid)[0]
                worker_cpu += cpu_seconds(victim)
                os.kill(victim, signal.SIGKILL)
                killed = {"pid": victim, "after": count}
            if count != last_count:
                last_count, quiet_since = count, time.time()
            elif len({m[1] for m in messages}) >= expected and time.time() - quiet_since > 5:
                break  # all arrived, and nothing more for 5 s (a duplicate would show here)
            backends.sample()
            time.sleep(0.2)
        messages = mailbox.calendar_messages()
        smtp_cpu = time.process_time() - cpu_before
        pool = [worker.pid, *children(worker.pid)]
        worker_cpu += sum(cpu_seconds(pid) for pid in pool)
        database_cpu = backends.used()
        memory = max(peak_rss_mb(pid) for pid in pool)
    finally:
        stop(worker)
        controller.stop()
    per_recipient = Counter(m[1] for m in messages)
    ids_per_recipient = Counter(recipient for recipient, _ in {(m[1], m[3]) for m in messages})
    per_message_id = Counter(m[3] for m in messages)
    last = max((m[0] for m in messages), default=started["started"])
    elapsed = last - started["started"]
    received = len(messages)
    result = {
        "groups": started["groups"],
        "expected": expected,
        "received": received,
        "recipients": len(per_recipient),
        "duplicates": sum(n - 1 for n in per_recipient.values() if n > 1),
        # Two different notices to one person (not a copy of one sent again).
        "duplicate_notices": sum(n - 1 for n in ids_per_recipient.values() if n > 1),
        "distinct_message_ids": len(per_message_id),
        "seconds": round(elapsed, 2),
        "per_second": round(len(per_recipient) / elapsed, 1) if elapsed > 0 else 0.0,
        "celery_worker_mb": round(memory, 1),
        "worker_cpu_s": round(worker_cpu, 1),
        "database_cpu_s": round(database_cpu, 1),
        "smtp_server_cpu_s": round(smtp_cpu, 1),
    }
    if kill_at:
        result.update(
            killed_after=killed.get("after", 0),
            # Copies of a notice already received (a resend keeps its Message-ID).
            resent=sum(n - 1 for n in per_message_id.values() if n > 1),
            # The pool's processes at the end: the killed one was replaced if this is 2.
            pool_after=len([pid for pid in pool if pid not in (worker.pid, killed.get("pid"))]),
        )
    return result


# --- Datasets ---------------------------------------------------------------------------------


def ensure_dataset(
    size: str, groups: int, years: int, rebuild: bool, previous: tuple | None
) -> str:
    name = f"vpswg_bench_{size.lower()}"
    mark = f"{fingerprint()}:{groups}:{years}"
    if not rebuild and _dataset_mark(name) == mark:
        say(f"{size}: dataset {name} is up to date ({groups} groups)")
        return name
    began = time.monotonic()
    start = 1
    if previous and previous[1] < groups:
        # Grow the smaller dataset rather than build its groups again.
        say(f"{size}: copying {previous[0]} and adding {groups - previous[1]} groups")
        _create(name, template=previous[0])
        start = previous[1] + 1
    else:
        say(f"{size}: building {groups} groups into {name}")
        _create(name)
        manage(name, "migrate", "--noinput")
    manage(
        name,
        "seed_scale",
        f"--groups={groups - start + 1}",
        f"--start={start}",
        f"--years={years}",
    )
    connection = _pg(name)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    _set_mark(name, mark)
    say(f"{size}: built in {time.monotonic() - began:.0f} s")
    return name


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing wrk")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        return
    raise SystemExit(
        "wrk is missing: install it (e.g. 'sudo apt-get install wrk') and run make bench again."
    )


# --- Report -----------------------------------------------------------------------------------


def ok(flag: bool) -> str:
    return "yes" if flag else "**no**"


def report(
    pages: dict[str, list[PageResult]],
    memory: dict,
    pdf: dict | None,
    convening: dict | None,
    sizes: dict[str, tuple[str, int]],
    args,
    spreadsheet: dict | None = None,
    drills: dict | None = None,
    cluster: dict | None = None,
    mixed: dict | None = None,
) -> str:
    today = date.today().isoformat()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    lines = [
        f"# vpswg benchmark, {today}",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}."
        + (
            f" One core: 10^7 additions in a Python loop take {args.python_speed} s (compare "
            f"machines by it: the targets are ratios and times of this machine)."
            if getattr(args, "python_speed", None)
            else ""
        ),
        f"Server: gunicorn, 2 sync workers, `DJANGO_ENV=production`, PostgreSQL on loopback, "
        f"Redis for cache and sessions. Load: wrk, {args.connections} connections, "
        f"{args.duration} s per run after a {args.warmup} s warm-up, median of {args.runs} runs.",
        "",
    ]
    for size, (database, groups) in sizes.items():
        tables = _table_sizes(database)
        lines.append(
            f"{size}: {groups} groups, {args.years} years each; database "
            f"{tables['__bytes__'] / 2**20:.0f} MB; contributions {tables.get('meetings_contribution', 0):,}, "
            f"meetings {tables.get('meetings_meeting', 0):,}, invitations {tables.get('meetings_invitation', 0):,}, "
            f"notifications {tables.get('vpswg_notification', 0):,}, activities {tables.get('activities_activity', 0):,}."
        )
    if pages:
        lines += _pages_table(pages)
    if memory or convening:
        lines += [
            "",
            "## Memory",
            "",
            "| Process | Peak RSS (MB) | Target | Met |",
            "|---|---:|---:|:---:|",
        ]
    for size, values in memory.items():
        if "gunicorn_worker_mb" in values:
            mb = values["gunicorn_worker_mb"]
            lines.append(
                f"| gunicorn worker after the {size} page runs | {mb:.0f} | < {TARGETS['gunicorn_mb']} | {ok(mb < TARGETS['gunicorn_mb'])} |"
            )
    if convening:
        mb = convening["celery_worker_mb"]
        lines.append(
            f"| Celery worker (largest process) after the convening | {mb:.0f} | < {TARGETS['celery_mb']} | {ok(mb < TARGETS['celery_mb'])} |"
        )
    if pdf:
        lines += [
            "",
            "## Members' minutes PDF",
            "",
            "| Pages | Contributions | vpswg (view, warm median) | WeasyPrint alone, same HTML | Overhead | Met |",
            "|---:|---:|---:|---:|---:|:---:|",
            f"| {pdf['pages']} | {pdf['contributions']} | {pdf['ours_s']:.3f} s | {pdf['weasyprint_s']:.3f} s | "
            f"{pdf['overhead']:+.0%} | {ok(pdf['overhead'] <= TARGETS['pdf_overhead'] and pdf['ours_s'] < TARGETS['pdf_s'])} |",
        ]
        if "cpu_overhead" in pdf:
            lines += [
                "",
                "Both warm (WeasyPrint alone: the view's HTML, base URL and stylesheet, parsed "
                "once, and one font configuration), timed in turn after a garbage collection "
                "(bench.steps.pdf). CPU time of the process: vpswg "
                f"{pdf['ours_cpu_s']:.3f} s, WeasyPrint alone {pdf['weasyprint_cpu_s']:.3f} s "
                f"({pdf['cpu_overhead']:+.0%}).",
            ]
    if convening:
        lines += _convening_table(convening)
    if spreadsheet:
        lines += _import_table(spreadsheet)
    if mixed:
        from bench import mixed as scenario

        lines += scenario.report_lines(mixed, next(reversed(sizes), "S10"))
    if drills:
        from bench.drills import report_lines

        lines += report_lines(drills)
    if cluster:
        from bench.cluster import report_lines

        lines += report_lines(cluster)
    return "\n".join(lines) + "\n"


def _convening_table(c: dict) -> list[str]:
    def met(run: dict, speed: bool = True) -> str:
        # The run with a crash is held to exactly once, not to the speed.
        return ok(
            (run["per_second"] >= TARGETS["notices_per_s"] or not speed)
            and run["duplicates"] == 0
            and run["received"] == run["expected"]
            and run["recipients"] == run["expected"]
        )

    def row(name: str, run: dict, speed: bool = True) -> str:
        return (
            f"| {name} | {run['groups']} | {run['expected']} | {run['received']} | "
            f"{run['recipients']} | {run['duplicates']} | {run.get('duplicate_notices', '—')} | "
            f"{run['distinct_message_ids']} | {run['seconds']} | {run['per_second']} | {met(run, speed)} |"
        )

    def cpu(run: dict) -> str:
        per = 1000 / max(run["recipients"], 1)
        parts = [
            f"the worker's processes {run['worker_cpu_s']} s ({run['worker_cpu_s'] * per:.1f} ms a notice)"
        ]
        if "database_cpu_s" in run:
            parts.append(
                f"PostgreSQL {run['database_cpu_s']} s ({run['database_cpu_s'] * per:.1f} ms)"
            )
        parts.append(
            f"the local SMTP server {run['smtp_server_cpu_s']} s ({run['smtp_server_cpu_s'] * per:.1f} ms)"
        )
        return ", ".join(parts)

    lines = [
        "",
        "## Convening",
        "",
        "| Run | Groups | Notices expected | Received | Recipients | Duplicates | Two notices to one person | Distinct Message-IDs | Seconds | Notices/s | Met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
        row("as it runs", c),
    ]
    killed = c.get("killed")
    if killed:
        lines.append(row("a pool process killed", killed, speed=False))
    lines += [
        "",
        "From the daily job's start to the last notice at the SMTP server: the fan-out per "
        "group, each notice rendered in its recipient's language with its calendar file, "
        "written to the outbox, then delivered by one worker (concurrency 2); notices/s "
        f"counts recipients reached. CPU used during the run: {cpu(c)}, on {os.cpu_count()} "
        "cores.",
    ]
    if killed:
        lines += [
            "",
            f"A pool process killed: on a fresh copy of the dataset, one of the worker's two "
            f"pool processes was killed with SIGKILL once {killed['killed_after']} notices had "
            f"arrived; the pool started another ({killed['pool_after']} at the end) and the "
            f"task it held went back to the queue (late acknowledgement). Notices sent again: "
            f"{killed['resent']} (one sent again keeps its Message-ID). The outbox marks each notice "
            "sent as soon as the server accepts it, so a crash can re-send only the one "
            "message in flight (accepted by the server, not yet marked): at most one per "
            f"killed process. Held to exactly once, not to the speed. CPU used: {cpu(killed)}.",
        ]
    return lines


def _import_table(result: dict) -> list[str]:
    met = (
        result["total_s"] < TARGETS["import_s"]
        and result["errors_shown"] == result["bad_rows"]
        and result["imported"] == result["rows"] - result["bad_rows"]
    )
    return [
        "",
        "## Importing activities from a spreadsheet",
        "",
        "| Rows | Bad rows | Errors shown | Imported | Upload s (queries) | Preview s (queries) | Import s (queries) | Total s | Target | Met |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
        f"| {result['rows']} | {result['bad_rows']} | {result['errors_shown']} | {result['imported']} | "
        f"{result['upload_s']:.2f} ({result['upload_queries']}) | {result['preview_s']:.2f} ({result['preview_queries']}) | "
        f"{result['import_s']:.2f} ({result['import_queries']}) | {result['total_s']:.2f} | < {TARGETS['import_s']} | {ok(met)} |",
        "",
        f"An XLSX of {result['file_kb']} KB (date cells, one to three organisers a row by name or "
        "short name, two sectors), uploaded by the Secretariat of the first group through the "
        "pages on the production settings: the upload (validated, read and kept as a preview), "
        "the preview (every row checked), the import (checked again, written in bulk in one "
        "transaction). Wall-clock, in one process with the test client (no network).",
    ]


def _pages_table(pages: dict[str, list[PageResult]]) -> list[str]:
    lines = ["", "## Pages", ""]
    header = "| Page | Role |"
    rule = "|---|---|"
    for size in pages:
        header += f" {size} req/s | {size} % of baseline | {size} p50 ms | {size} p99 ms | {size} queries |"
        rule += "---:|---:|---:|---:|---:|"
    if len(pages) == 2:
        header += " S10/S1 p50 | S10/S1 p99 | Targets met |"
        rule += "---:|---:|:---:|"
    lines += [header, rule]
    sizes_list = list(pages)
    baselines = {size: next(p for p in pages[size] if p.name == "baseline") for size in pages}
    for index, first in enumerate(pages[sizes_list[0]]):
        row = f"| {first.name} | {first.role} |"
        missed: list[str] = []
        for size in sizes_list:
            page = pages[size][index]
            share = page.rps / baselines[size].rps
            row += (
                f" {page.rps:.0f} | {share:.0%} | {page.p50:.1f} | {page.p99:.1f} |"
                f" {page.queries_shown} |"
            )
            if page.name in HARNESS:
                continue
            if share < TARGETS["baseline_share"]:
                missed.append(f"req/s {size}")
            if page.p99 >= TARGETS["p99_ms"]:
                missed.append(f"p99 {size}")
            if max(page.queries, page.drawn_queries) > TARGETS["queries"]:
                missed.append(f"queries {size}")
            if page.errors:
                missed.append(f"errors {size}")
        if len(pages) == 2:
            small, big = pages[sizes_list[0]][index], pages[sizes_list[1]][index]
            r50, r99 = big.p50 / small.p50, big.p99 / small.p99
            if first.name not in HARNESS:
                if r50 > TARGETS["s10_s1"]:
                    missed.append("S10/S1")
                if small.queries != big.queries:
                    missed.append("same queries")
            verdict = (
                "—"
                if first.name in HARNESS
                else ("all" if not missed else "missed: " + ", ".join(missed))
            )
            row += f" {r50:.2f} | {r99:.2f} | {verdict} |"
        lines.append(row)
    lines += [
        "",
        f"Targets: at least {TARGETS['baseline_share']:.0%} of the baseline's requests/s, p99 under "
        f"{TARGETS['p99_ms']} ms, at most {TARGETS['queries']} queries and the same count at S1 and "
        f'S10, S10/S1 p50 within {TARGETS["s10_s1"]}x. "(N drawn)": the page is a kept '
        f"rendering (vpswg.groupcache), measured as served; its first request after the cache "
        f"was emptied drew it with N queries, the user's permissions possibly read with them in "
        f"that worker (+1): at most {TARGETS['queries']} applies to N, the same count at S1 "
        f"and S10 to the page as served (the tests hold the drawn counts constant as data "
        f"grows). Errors (non-2xx, socket) during the runs: "
        + ", ".join(f"{size} {sum(p.errors for p in pages[size])}" for size in pages)
        + ".",
    ]
    return lines


def python_speed() -> float:
    """Seconds for ten million additions in a Python loop, best of three: how fast one core of
    this machine runs Python, to compare runs made on different machines."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - began)
    return round(best, 2)


def rewrite_report(args) -> None:
    """The results table of an earlier run, from its raw figures."""
    raw = json.loads(args.report_from.read_text())
    args.python_speed = raw.get("python_speed_s")
    pages = {
        size: [
            PageResult(
                p["name"],
                p["role"],
                "",
                p["queries"],
                p["bytes"],
                runs=[Load(**r) for r in p["runs"]],
                drawn_queries=p.get("queries_drawn", p["queries"]),
            )
            for p in results
        ]
        for size, results in raw["pages"].items()
    }
    sizes = {}
    for item in args.sizes.split(","):
        size, groups = item.split("=")
        sizes[size] = (f"vpswg_bench_{size.lower()}", int(groups))
    text = report(
        pages,
        raw["memory"],
        raw["pdf"],
        raw["convening"],
        sizes,
        args,
        raw.get("import"),
        raw.get("drills"),
        raw.get("cluster"),
        raw.get("mixed"),
    )
    args.output.write_text(text)
    say(f"written to {args.output}")


def main() -> None:
    global REDIS_DB, CACHE_DB  # --redis-dbs: beside another run of the benchmark
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="S1=10,S10=100", help="name=groups,...")
    parser.add_argument("--years", type=int, default=12)
    parser.add_argument("--duration", type=int, default=15, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--only",
        choices=["pages", "pdf", "convening", "import", "mixed", "drills", "cluster"],
        action="append",
    )
    parser.add_argument("--mixed-seconds", type=int, default=60, help="the mixed run's length")
    parser.add_argument(
        "--mixed-concurrency", type=int, default=8, help="Locust users in flight (as wrk's)"
    )
    parser.add_argument("--mixed-baseline-seconds", type=int, default=30)
    parser.add_argument(
        "--mixed-paced-seconds",
        type=int,
        default=90,
        help="every person at once with think time (0: not run)",
    )
    parser.add_argument(
        "--mixed-think", default="30,60", help="min,max seconds between pages (paced run)"
    )
    parser.add_argument(
        "--pages",
        help="measure only these pages (names as in the table, comma-separated; the baseline "
        'is always measured), e.g. --pages "members\' minutes"',
    )
    parser.add_argument(
        "--redis-dbs",
        default=f"{REDIS_DB},{CACHE_DB}",
        help="the Redis databases of the broker and the cache (e.g. 6,7 beside another run)",
    )
    parser.add_argument("--convening-timeout", type=int, default=600)
    parser.add_argument(
        "--convening-kill",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="convene a second time with a worker's pool process killed midway",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the datasets again")
    parser.add_argument("--output", type=Path, default=RESULTS / f"{date.today().isoformat()}.md")
    parser.add_argument(
        "--report-from",
        type=Path,
        help="write the table again from a run's .json (with this version's targets), no run",
    )
    args = parser.parse_args()
    if args.report_from:
        rewrite_report(args)
        return
    only = set(args.only or ["pages", "pdf", "convening", "import", "mixed", "drills", "cluster"])
    REDIS_DB, CACHE_DB = (int(n) for n in args.redis_dbs.split(","))

    WORK.mkdir(parents=True, exist_ok=True)
    if "pages" in only:
        ensure_wrk()
    args.python_speed = python_speed()
    sizes: dict[str, tuple[str, int]] = {}
    previous = None
    for item in args.sizes.split(","):
        size, groups = item.split("=")
        database = ensure_dataset(size, int(groups), args.years, args.rebuild, previous)
        sizes[size] = (database, int(groups))
        previous = (database, int(groups))
    manage(next(iter(sizes.values()))[0], "collectstatic", "--noinput")

    pages: dict[str, list[PageResult]] = {}
    memory: dict[str, dict] = {}
    if "pages" in only:
        for size, (database, _) in sizes.items():
            pages[size], memory[size] = measure_pages(size, database, args)
    largest = previous[0]
    pdf = convening = None
    if only & {"pdf", "convening"}:
        # Named after the broker's Redis database, so that runs beside each other (each with
        # its own --redis-dbs) never drop each other's copy.
        scratch = f"vpswg_bench_scratch_{REDIS_DB}"
        say(f"copying {largest} for the PDF and the convening (they write)")
        _create(scratch, template=largest)
        try:
            if "pdf" in only:
                try:
                    pdf = step(scratch, "pdf")
                    say(f"PDF: {pdf}")
                except RuntimeError as error:  # the pages' results are kept all the same
                    say(str(error))
            if "convening" in only:
                convening = measure_convening(scratch, args, template=largest)
                say(f"convening: {convening}")
        finally:
            _drop(scratch)
    spreadsheet = None
    if "import" in only:
        scratch = f"vpswg_bench_import_{REDIS_DB}"
        say(f"copying {largest} for the import (it writes)")
        _create(scratch, template=largest)
        try:
            flush_cache()
            spreadsheet = step(scratch, "import")
            say(f"import: {spreadsheet}")
        except RuntimeError as error:
            say(str(error))
        finally:
            _drop(scratch)
    mixed = None
    if "mixed" in only:
        from bench import mixed as scenario

        try:
            mixed = scenario.measure(largest, args)
        except RuntimeError as error:
            say(str(error))
    drills = None
    if "drills" in only:
        from bench import drills as drill

        try:
            drills = drill.run(next(iter(sizes.values()))[0], (REDIS_DB, CACHE_DB))
        except RuntimeError as error:
            say(str(error))
    cluster = None
    if "cluster" in only:
        from bench import cluster as two_nodes

        try:
            cluster = two_nodes.run(largest, args)
        except (Exception, SystemExit) as error:  # noqa: BLE001 - the other results are kept
            import traceback

            traceback.print_exc()
            say(f"the two-node run failed: {error}")
    text = report(pages, memory, pdf, convening, sizes, args, spreadsheet, drills, cluster, mixed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    raw = {
        "pages": {
            size: [
                {
                    "name": p.name,
                    "role": p.role,
                    "queries": p.queries,
                    "queries_drawn": p.drawn_queries,
                    "bytes": p.bytes,
                    "runs": [vars(r) for r in p.runs],
                }
                for p in results
            ]
            for size, results in pages.items()
        },
        "memory": memory,
        "pdf": pdf,
        "convening": convening,
        "import": spreadsheet,
        "drills": drills,
        "cluster": cluster,
        "mixed": mixed,
        "python_speed_s": args.python_speed,
    }
    args.output.with_suffix(".json").write_text(json.dumps(raw, indent=1))
    print(text)
    say(
        f"written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
    )


if __name__ == "__main__":
    main()
