"""Two gunicorn nodes behind HAProxy, with a streaming read replica: ``make bench`` with
``--only cluster`` (issue 17, part 2).

What a deployment that outgrows one machine runs, all on loopback:

- a PostgreSQL primary of the harness's own (``bench.pgcluster``: ``initdb`` on a free port),
  loaded with the largest dataset (``pg_dump -Fc`` of a copy of ``vpswg_bench_s10``, then
  ``pg_restore -j2``) and kept in ``var/bench/cluster/pg/`` between runs while the dataset's
  mark (``bench.run.fingerprint()``, groups, years) is the same; each run works on a copy of
  it (``CREATE DATABASE ... TEMPLATE``), so the writes of one run never reach the next;
- a streaming replica of it, made with ``pg_basebackup`` at each run
  (``DATABASE_REPLICA_URL``: the reports read from it, ``vpswg.db``);
- a Redis of its own (sessions, cache, broker), so that its CPU is this run's alone;
- two gunicorn nodes on two ports, production settings, each as ``bench.run`` starts one;
- HAProxy from Debian's package (installed with apt-get when missing), in the foreground
  under the harness, configured in ``var/bench/cluster/haproxy.cfg``: round robin over the
  nodes, health checks on ``/healthz/``, ``X-Forwarded-Proto`` and ``X-Forwarded-For`` set
  as the TLS-terminating proxy sets them (TLS itself is left out: every topology, one node
  included, has a TLS proxy in front in production, so it is not a cost of the second node).

The machine's shared cluster (port 5432) is never the primary: its ``pg_hba.conf`` allows no
replication and must not be changed, and the drills restart their primary.

It measures the same pages (and, when ``bench.mixed.run_mixed`` is on main, the mixed
scenario) on one node direct, one node behind HAProxy and two nodes behind HAProxy (two
workers each, then one each), the baseline page in each, with the CPU seconds of every
process: HAProxy, gunicorn, the primary, the replica, Redis and the load generator. Before
that, a correctness pass: a write through node A is seen on the very next read through node B.
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import http.client
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import pgcluster
from bench import run as bench

FOLDER = bench.WORK / "cluster"
#: The pristine dataset in the harness's primary, and each run's copy of it.
PRISTINE, DATABASE = "vpswg_s10", "vpswg_cluster"
GROUP = "scale-0001"
HOST = "127.0.0.1"
#: Pages measured on every topology (names of bench.steps.prepare's pages): the baseline,
#: what members open, and a report (drawn from the replica).
PAGES = ["baseline", "group dashboard", "meeting page", "members' minutes", "directory", "reports"]
#: A page read from the replica on every request (the report figures are kept, and drawn
#: from the primary: vpswg.db.primary).
REPLICA_PAGES = [("state participation", "secretariat", f"/{GROUP}/reports/state/")]
#: A load: given the base URL ("http://127.0.0.1:PORT") and a label, drives it for a while
#: and returns at least rps, p50_ms, p99_ms and errors.
LoadFn = Callable[[str, str], dict]
#: Compressed lightly (the dump is read once, right away); restored by two jobs (2 cores).
PG_DUMP, PG_RESTORE = ["pg_dump", "-Fc", "-Z1"], ["pg_restore", "-j2"]


@dataclass(frozen=True)
class Topology:
    label: str
    nodes: int
    workers: int
    balancer: bool


TOPOLOGIES = [
    Topology("one node, direct", 1, 2, False),
    Topology("one node behind HAProxy", 1, 2, True),
    Topology("two nodes behind HAProxy", 2, 2, True),
    Topology("two nodes behind HAProxy", 2, 1, True),
    Topology("one node, direct", 1, 1, False),
]


def say(message: str) -> None:
    bench.say(f"cluster: {message}")


# --- Installing -------------------------------------------------------------------------------


def ensure_haproxy() -> str:
    """HAProxy from Debian's package, as bench.run.ensure_wrk installs wrk. The package's
    service is never started here (the harness runs its own HAProxy in the foreground)."""
    if not shutil.which("haproxy"):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            say("installing haproxy")
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "haproxy"],
                check=True,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
        else:
            raise SystemExit(
                "haproxy is missing: install it (e.g. 'sudo apt-get install haproxy') and run "
                "make bench again."
            )
    out = subprocess.run(["haproxy", "-v"], capture_output=True, text=True).stdout
    return out.split("\n", 1)[0].replace("HAProxy version ", "").split(" ")[0]


# --- CPU --------------------------------------------------------------------------------------


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and all its descendants, those that ended included (a parent's
    cutime/cstime hold its reaped children's): PostgreSQL's backends and gunicorn's workers."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    own = sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")
    return own + sum(tree_cpu(child) for child in bench.children(pid))


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine (/proc/stat): what our processes did not use of
    it was used by others (the machine is shared), which makes a run noisy."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    """This process and its reaped children (wrk, Locust's workers): the load generator."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


# --- The processes ----------------------------------------------------------------------------


class Balanced(bench.Server):
    """HAProxy's frontend: the client sends no X-Forwarded-Proto, the balancer sets it."""

    @staticmethod
    def headers(cookie: str = "") -> dict[str, str]:
        headers = {"Host": HOST}
        if cookie:
            headers["Cookie"] = cookie
        return headers


@dataclass
class Cluster:
    """What one run starts: the instances, Redis, a pair of nodes per worker count (all up at
    once, so that the topologies are measured in turn, page by page: a slow spell of the
    shared machine then falls on all of them alike) and the balancer."""

    primary: pgcluster.Instance
    replica: pgcluster.Instance
    redis: subprocess.Popen
    redis_port: int
    #: workers per node -> [node a, node b]
    pairs: dict[int, list[bench.Server]] = field(default_factory=dict)
    haproxy: subprocess.Popen | None = None
    #: "one2": node a of the two-worker pair alone; "two2": both; the same for each count
    frontends: dict[str, Balanced] = field(default_factory=dict)

    @property
    def nodes(self) -> list[bench.Server]:
        """The pair of the most workers (as production runs a node): the correctness pass's."""
        return self.pairs[max(self.pairs)]

    def env(self) -> dict[str, str]:
        env = bench.app_env(DATABASE)
        env.update(
            DATABASE_URL=self.primary.url(DATABASE),
            DATABASE_REPLICA_URL=self.replica.url(DATABASE),
            REDIS_URL=f"redis://{HOST}:{self.redis_port}/{bench.REDIS_DB}",
            CACHE_URL=f"redis://{HOST}:{self.redis_port}/{bench.CACHE_DB}",
            # HAProxy appends the client to X-Forwarded-For (docker-compose.yml says 1 for
            # its TLS proxy): rate limits count the client, not the balancer.
            TRUSTED_PROXY_COUNT="1",
        )
        return env

    def cpu(self) -> dict[str, float]:
        return {
            "haproxy": tree_cpu(self.haproxy.pid) if self.haproxy else 0.0,
            "gunicorn": sum(
                tree_cpu(node.process.pid) for pair in self.pairs.values() for node in pair
            ),
            "primary": tree_cpu(self.primary.pid() or 0),
            "replica": tree_cpu(self.replica.pid() or 0),
            "redis": tree_cpu(self.redis.pid),
            "load generator": own_cpu(),
            "machine": machine_cpu(),
        }

    def start_nodes(self, worker_counts: list[int]) -> None:
        env = self.env()
        for workers in worker_counts:
            pair = self.pairs[workers] = []  # filled as they start: stop() stops each
            for name in "ab":
                log = FOLDER / f"node-{name}{workers}.log"
                pair.append(bench.start_gunicorn(DATABASE, log, env=env, workers=workers))
        self.start_haproxy()

    def target(self, topology: Topology) -> bench.Server:
        if not topology.balancer:
            return self.pairs[topology.workers][0]
        return self.frontends[f"{'one' if topology.nodes == 1 else 'two'}{topology.workers}"]

    def start_haproxy(self) -> None:
        ports = {f"{kind}{w}": bench.free_port() for w in self.pairs for kind in ("one", "two")}
        nodes = {w: [n.port for n in pair] for w, pair in self.pairs.items()}
        config = FOLDER / "haproxy.cfg"
        config.write_text(haproxy_config(ports, nodes, FOLDER))
        subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], check=True)
        log = FOLDER / "haproxy.log"
        self.haproxy = subprocess.Popen(
            ["haproxy", "-db", "-f", str(config)], stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        self.frontends = {name: Balanced(self.haproxy, port) for name, port in ports.items()}
        deadline, states = time.monotonic() + 30, {}
        while True:  # every node seen healthy by the balancer's own checks
            if self.haproxy.poll() is not None:
                raise SystemExit(f"haproxy stopped at start: see {log}")
            with contextlib.suppress(OSError):
                states = {
                    (s["pxname"], s["svname"]): s["status"]
                    for s in haproxy_stats()
                    if s["pxname"].startswith("two") and s["svname"] in {"a", "b"}
                }
                if len(states) == 2 * len(self.pairs) and set(states.values()) == {"UP"}:
                    return
            if time.monotonic() > deadline:
                raise SystemExit(f"haproxy does not see every node healthy: {states}")
            time.sleep(0.2)

    def stop(self) -> None:
        """Everything this run started, each part even when stopping another failed (a node
        left running would outlive the run)."""
        parts: list[Callable[[], object]] = []
        if self.haproxy is not None:
            parts.append(functools.partial(bench.stop, self.haproxy))
        parts += [
            functools.partial(bench.stop, node.process)
            for pair in self.pairs.values()
            for node in pair
        ]
        parts += [
            functools.partial(bench.stop, self.redis),
            self.replica.remove,
            # The run's copy; the next run drops it before its own all the same.
            functools.partial(self.primary.query, f'DROP DATABASE IF EXISTS "{DATABASE}"'),
            self.primary.stop,
        ]
        for part in parts:
            try:
                part()
            except Exception as error:  # noqa: BLE001 - stop the others all the same
                say(f"while stopping: {error!r}")


def haproxy_config(ports: dict[str, int], nodes: dict[int, list[int]], folder: Path) -> str:
    """Per worker count ``w``, two frontends: ``one<w>`` over node a alone (the balancer's
    own overhead), ``two<w>`` round robin over a and b. Checks as docker-compose's web health
    check makes them: an allowed Host and X-Forwarded-Proto, or production answers 400 or a
    redirect."""
    check = (
        "    option httpchk\n"
        "    http-check send meth GET uri /healthz/ ver HTTP/1.1"
        f" hdr Host {HOST} hdr X-Forwarded-Proto https\n"
        "    http-check expect status 200\n"
    )
    text = (
        "# Written by bench/cluster.py at each run (see docs/scaling.md).\n"
        "global\n"
        "    maxconn 4096\n"
        f"    stats socket {folder}/haproxy.sock mode 600 level admin\n"
        "\n"
        "defaults\n"
        "    mode http\n"
        "    option forwardfor\n"
        "    timeout connect 5s\n"
        "    timeout client 60s\n"
        "    timeout server 60s\n"
        "    timeout queue 60s\n"
    )
    for name, port in ports.items():
        text += (
            f"\nfrontend {name}\n"
            f"    bind {HOST}:{port}\n"
            "    # What the TLS-terminating proxy says: the request came over HTTPS.\n"
            "    http-request set-header X-Forwarded-Proto https\n"
            f"    default_backend {name}\n"
        )
    for workers, (a, b) in nodes.items():
        text += (
            f"\nbackend one{workers}\n"
            "    balance roundrobin\n"
            f"    server a {HOST}:{a} track two{workers}/a\n"
            f"\nbackend two{workers}\n"
            "    balance roundrobin\n"
            + check
            + f"    server a {HOST}:{a} check inter 2s fall 2 rise 1\n"
            + f"    server b {HOST}:{b} check inter 2s fall 2 rise 1\n"
        )
    return text


def haproxy_stats() -> list[dict[str, str]]:
    """``show stat`` on the admin socket: each server's state and how many requests it took."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(5)
        sock.connect(str(FOLDER / "haproxy.sock"))
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    lines = data.decode().strip().splitlines()
    header = lines[0].lstrip("# ").split(",")
    return [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]


def start_redis() -> tuple[subprocess.Popen, int]:
    port = bench.free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=(FOLDER / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    import redis

    for _ in range(100):
        try:
            if redis.Redis(host=HOST, port=port).ping():
                return process, port
        except redis.ConnectionError:
            time.sleep(0.1)
    raise SystemExit(f"redis-server did not start: see {FOLDER / 'redis.log'}")


# --- The dataset ------------------------------------------------------------------------------


def _mark_in(instance: pgcluster.Instance, dbname: str) -> str | None:
    try:
        return instance.query("SELECT mark FROM bench_dataset", dbname=dbname)[0][0]
    except Exception:  # noqa: BLE001 - no such database or table: not loaded
        return None


def _reuse_primary(folder: Path) -> pgcluster.Instance | None:
    """The primary of an earlier run, started on a free port, or None."""
    data = folder / "primary"
    if not (data / "PG_VERSION").exists():
        return None
    instance = pgcluster.Instance(data, pgcluster.free_port())
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {instance.port}\n")
    try:
        instance.stop("immediate")  # a run that was killed may have left it running
        instance.start()
    except subprocess.CalledProcessError:
        return None
    return instance


def ensure_primary(source: str) -> tuple[pgcluster.Instance, dict]:
    """The harness's primary holding ``source`` (a dataset of the shared cluster) as PRISTINE:
    kept from an earlier run when its mark is the same, loaded anew otherwise."""
    folder = FOLDER / "pg"
    wanted = bench._dataset_mark(source)
    primary = _reuse_primary(folder)
    if primary is not None and wanted and _mark_in(primary, PRISTINE) == wanted:
        say(f"the primary on {primary.port} already holds {source} ({wanted})")
        return primary, {"loaded": False}
    if primary is not None:
        primary.remove()
    primary = pgcluster.make_primary(folder)
    # A copy of the dataset is dumped, not the dataset: bench.run copies the datasets with
    # CREATE DATABASE ... TEMPLATE, which ends every session on them (pg_dump's too).
    scratch = "vpswg_bench_dump"
    dump = FOLDER / "dataset.dump"
    say(f"dumping {source} for the primary on {primary.port}")
    began = time.monotonic()
    bench._create(scratch, template=source)
    try:
        subprocess.run(
            [*PG_DUMP, "-h", HOST, "-p", "5432", "-U", "vpswg", "-f", str(dump), scratch],
            check=True,
            env={**os.environ, "PGPASSWORD": bench.PG["password"]},
        )
    finally:
        bench._drop(scratch)
    dumped = time.monotonic()
    primary.create_database(PRISTINE)
    restore = subprocess.run(
        [
            *PG_RESTORE,
            "-h",
            HOST,
            "-p",
            str(primary.port),
            "-U",
            pgcluster.ROLE,
            "-d",
            PRISTINE,
            dump,
        ],
        capture_output=True,
        text=True,
    )
    if restore.returncode:
        raise SystemExit(f"pg_restore into the cluster's primary failed:\n{restore.stderr[-3000:]}")
    primary.query("ANALYZE", dbname=PRISTINE)
    restored = time.monotonic()
    size = dump.stat().st_size
    dump.unlink()
    return primary, {
        "loaded": True,
        "dump_s": round(dumped - began, 1),
        "restore_s": round(restored - dumped, 1),
        "dump_mb": round(size / 2**20),
    }


def start_cluster(source: str) -> tuple[Cluster, dict]:
    FOLDER.mkdir(parents=True, exist_ok=True)
    primary, setup = ensure_primary(source)
    began = time.monotonic()
    primary.query(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    primary.query(f'CREATE DATABASE "{DATABASE}" TEMPLATE "{PRISTINE}" OWNER {pgcluster.ROLE}')
    setup["copy_s"] = round(time.monotonic() - began, 1)
    began = time.monotonic()
    replica = pgcluster.make_replica(primary, FOLDER / "pg")
    setup["basebackup_s"] = round(time.monotonic() - began, 1)
    setup["database_mb"] = round(
        primary.query("SELECT pg_database_size(%s)", [DATABASE])[0][0] / 2**20
    )
    setup["postgres"] = primary.query("SHOW server_version")[0][0]
    redis_process, redis_port = start_redis()
    return Cluster(primary, replica, redis_process, redis_port), setup


# --- Steps and requests -----------------------------------------------------------------------


def step(env: dict[str, str], name: str, *arguments: str, retried: bool = False) -> dict:
    """bench.steps ``name`` against the cluster's databases and Redis."""
    import json

    done = subprocess.run(
        [bench.PYTHON, "-m", "bench.steps", name, *arguments],
        cwd=bench.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode and "second factor" in done.stderr and not retried:
        # The code was read in one 30-second window and checked in the next: once more.
        time.sleep(1)
        return step(env, name, *arguments, retried=True)
    if done.returncode:
        raise RuntimeError(f"bench.steps {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def fetch(
    port: int,
    path: str,
    *,
    cookie: str = "",
    proxied: bool = True,
    method: str = "GET",
    form: dict[str, list[str]] | None = None,
) -> Reply:
    """One request as a browser behind the TLS proxy sends it: ``proxied`` adds the proxy's
    X-Forwarded-Proto (to a node reached directly); HAProxy's frontends add their own."""
    headers = {"Host": HOST}
    if proxied:
        headers["X-Forwarded-Proto"] = "https"
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://{HOST}"
        headers["Referer"] = f"https://{HOST}{path}"
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def _with_cookies(cookie: str, reply: Reply) -> str:
    """The Cookie header after a response's Set-Cookie headers (the CSRF cookie)."""
    jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
    for name, value in reply.headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


class _Form(html.parser.HTMLParser):
    """The fields of the page's POST forms, as a browser would submit them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None or (not a.get("name") and tag != "option"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self._form.setdefault(a["name"], []).append(a.get("value") or default)
        elif tag == "select":
            self._select = a["name"]
            self._form.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in a:
            self._form[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form[self._textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._form is not None and self._textarea:  # a browser drops the first newline
                value = self._form[self._textarea][0]
                self._form[self._textarea][0] = value.removeprefix("\r").removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea][0] += data


def form_fields(page: str, field: str) -> dict[str, list[str]]:
    parser = _Form()
    parser.feed(page)
    return next(f for f in parser.forms if field in f and "csrfmiddlewaretoken" in f)


# --- The correctness pass ---------------------------------------------------------------------


def _rename(port: int, cookie: str, institution: int, name: str) -> None:
    """Rename an institution through the Secretariat's edit form on one node."""
    path = f"/{GROUP}/members/{institution}/edit/"
    page = fetch(port, path, cookie=cookie)
    if page.status != 200:
        raise SystemExit(f"the institution's form answered {page.status}")
    fields = form_fields(page.text, "name")
    fields["name"] = [name]
    saved = fetch(
        port, path, cookie=_with_cookies(cookie, page), method="POST", form=fields
    )  # the form's own CSRF token and cookie, the browser's Origin
    if saved.status != 302:
        (FOLDER / "rename.html").write_bytes(saved.body)
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>\s*([^<]+)', saved.text)
        raise SystemExit(
            f"renaming the institution answered {saved.status} ({errors}; fields sent: "
            f"{sorted(fields)}): see {FOLDER / 'rename.html'}"
        )


def minimal_coherence(cluster: Cluster, session: dict) -> dict:
    """A write through node A is seen on the very next read through node B, and back: the
    directory (a kept rendering, in Redis) is read as a member through node B, an institution
    renamed by the Secretariat through node A, the directory read again through node B."""
    a, b = cluster.nodes
    member, secretariat = session["cookies"]["member"], session["cookies"]["secretariat"]
    directory = f"/{GROUP}/members/"
    checks: list[dict] = []

    def read(node: bench.Server) -> Reply:
        reply = fetch(node.port, directory, cookie=member)
        if reply.status != 200:
            raise SystemExit(f"the directory answered {reply.status} on {node.port}")
        return reply

    first = read(b)
    kept = read(b)  # served from the kept rendering
    institution = int(re.search(rf"/{GROUP}/members/(\d+)/", first.text).group(1))
    edit = fetch(a.port, f"/{GROUP}/members/{institution}/edit/", cookie=secretariat)
    original = form_fields(edit.text, "name")["name"][0]
    renamed = f"{original} renamed"
    for writer, reader, name, gone in ((a, b, renamed, None), (b, a, original, renamed)):
        _rename(writer.port, secretariat, institution, name)
        seen = read(reader)
        shown = name in seen.text and (gone is None or gone not in seen.text)
        checks.append(
            {
                "write": f"node {'ab'[cluster.nodes.index(writer)]}",
                "read": f"node {'ab'[cluster.nodes.index(reader)]}",
                "page": "directory",
                "seen": shown,
                # The read after the write drew the page again (more queries than kept).
                "queries_kept": int(kept.header("X-Bench-Queries")),
                "queries_after_write": int(seen.header("X-Bench-Queries")),
            }
        )
    # The balancer, not the client, says the request came over HTTPS: a node reached without
    # the header redirects to https://, the same request through HAProxy is served.
    direct = fetch(a.port, "/_bench/baseline/", cookie=member, proxied=False)
    through = fetch(
        cluster.frontends[f"two{max(cluster.pairs)}"].port,
        "/_bench/baseline/",
        cookie=member,
        proxied=False,
    )
    checks.append(
        {
            "page": "baseline without X-Forwarded-Proto",
            "direct": direct.status,
            "through HAProxy": through.status,
            "seen": direct.status == 301 and through.status == 200,
        }
    )
    return {
        "module": "bench.cluster (minimal pass)",
        "checks": checks,
        "passed": all(c["seen"] for c in checks),
    }


def coherence(
    node_a_url: str,
    node_b_url: str,
    *,
    cluster: Cluster,
    session: dict,
    world: dict | None = None,
) -> dict:
    """The correctness pass: with ``world`` (the data the suite's two-node test acts on,
    seeded into the run's database), the shared module bench.coherence, every kept rendering
    written through node A and read through node B; then, and alone without it, this module's
    pass on S10's own data (the directory both ways, and the balancer's X-Forwarded-Proto)."""
    minimal = minimal_coherence(cluster, session)
    if world is None:
        return minimal
    from bench import coherence as module

    outcomes = module.run(node_a_url, node_b_url, module.World.from_json(world))
    checks = [
        {"page": o.name, "write": "node a", "read": "node b", "seen": o.ok, "problems": o.problems}
        for o in outcomes
    ]
    return {
        "module": "bench.coherence on the two-node test's data, then bench.cluster's on S10",
        "checks": checks + minimal["checks"],
        "passed": all(o.ok for o in outcomes) and minimal["passed"],
    }


def seed_world(env: dict[str, str], *, retried: bool = False) -> dict:
    """The two-node test's data (``tests.multinode.seed``: two fresh groups beside S10's),
    written into the run's database, with its people's sessions in the cluster's Redis."""
    import json

    done = subprocess.run(
        [bench.PYTHON, "-m", "tests.multinode.seed"],
        cwd=bench.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode and "second factor" in done.stderr and not retried:
        time.sleep(1)  # a TOTP code read in one 30-second window and checked in the next
        return seed_world(env, retried=True)
    if done.returncode:
        raise RuntimeError(f"tests.multinode.seed failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Loads ------------------------------------------------------------------------------------


def wrk_page(path: str, cookie: str, *, seconds: int, connections: int, proxied: bool) -> LoadFn:
    """bench.run's wrk run of one page, as a load."""

    def load(base_url: str, label: str) -> dict:
        port = int(base_url.rsplit(":", 1)[1])
        server = bench.Server(None, port) if proxied else Balanced(None, port)
        result = bench.wrk(server, path, cookie, seconds, connections)
        return vars(result)

    return load


def mixed_loads(
    env: dict[str, str], users_file: Path, *, concurrency: int, seconds: int
) -> dict[str, LoadFn]:
    """The mixed scenario and its baseline with the same generator (bench.mixed: Locust
    replaying many people's sessions), once that module is on main; none before. The people
    are signed in against the cluster's own Redis (``bench.steps mixed_prepare``)."""
    try:
        from bench import mixed  # the mixed-traffic scenario (issue 17, part 1)
    except ImportError:
        return {}
    mixed.ensure_locust()
    step(env, "mixed_prepare", str(users_file))

    def bound(function) -> LoadFn:
        def load(base_url: str, label: str) -> dict:
            return function(
                base_url, users_file, concurrency=concurrency, seconds=seconds, label=label
            )

        return load

    return {"mixed": bound(mixed.run_mixed), "baseline (same generator)": bound(mixed.run_baseline)}


def measure(cluster: Cluster, base_url: str, label: str, load: LoadFn, topology: Topology) -> dict:
    """One load, with the CPU seconds every process spent during it and the requests each
    node of the topology took (HAProxy's counters)."""
    before_cpu, before_nodes = cluster.cpu(), _served()
    began = time.monotonic()
    result = load(base_url, label)
    elapsed = time.monotonic() - began
    after_cpu, after_nodes = cluster.cpu(), _served()
    result = dict(result)
    result["seconds"] = round(elapsed, 1)
    result["cpu"] = {k: round(after_cpu[k] - before_cpu[k], 2) for k in after_cpu}
    result["per_node"] = {
        node: after_nodes.get(f"{node}{topology.workers}", 0)
        - before_nodes.get(f"{node}{topology.workers}", 0)
        for node in "ab"
    }
    return result


def _served() -> dict[str, int]:
    """Requests each node took ("a2": node a of the two-worker pair), over both backends."""
    served: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for s in haproxy_stats():
            if s["svname"] in {"a", "b"}:
                key = s["svname"] + s["pxname"][3:]
                served[key] = served.get(key, 0) + int(s["stot"] or 0)
    return served


def _warm(cluster: Cluster, session: dict) -> dict[str, int]:
    """Each user's permissions read in every worker of every node, each page drawn and its
    query count read (as bench.run does before its runs); returns the counts as served."""
    home = next(path for name, _, path in session["pages"] if name == "group dashboard")
    for workers, pair in cluster.pairs.items():
        for node in pair:
            for cookie in session["cookies"].values():
                for _ in range(3):
                    threads = [
                        threading.Thread(
                            target=fetch, args=(node.port, home), kwargs={"cookie": cookie}
                        )
                        for _ in range(2 * workers)
                    ]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
    counts: dict[str, int] = {}
    for name, role, path in _pages(session):
        cookie = session["cookies"][role]
        seen = []
        for pair in cluster.pairs.values():
            for node in pair:
                for _ in range(3):
                    status, headers, body = node.request(path, cookie)
                    bench.check_page(name, role, status, headers, body, session["member_name"])
                    seen.append(int(headers["X-Bench-Queries"]))
        for frontend in cluster.frontends.values():
            status, headers, body = frontend.request(path, cookie)
            bench.check_page(name, role, status, headers, body, session["member_name"])
        counts[name] = min(seen)
    return counts


def _pages(session: dict) -> list[tuple[str, str, str]]:
    return [p for p in session["pages"] if p[0] in PAGES] + REPLICA_PAGES


def measure_pages(cluster: Cluster, session: dict, counts: dict[str, int], args) -> list[dict]:
    """Each page on each topology, in turn (page by page, topology by topology, run by run),
    after a warm-up of each; the median of the runs per topology and page."""
    runs: dict[tuple[Topology, str], list[dict]] = {}
    for number in range(args.runs):
        for name, role, path in _pages(session):
            cookie = session["cookies"][role]
            for topology in TOPOLOGIES:
                target = cluster.target(topology)
                base_url = f"http://{HOST}:{target.port}"
                options = {"connections": args.connections, "proxied": not topology.balancer}
                if number == 0:
                    load = wrk_page(path, cookie, seconds=args.warmup, **options)
                    measure(cluster, base_url, "warm-up", load, topology)
                load = wrk_page(path, cookie, seconds=args.duration, **options)
                run = measure(cluster, base_url, name, load, topology)
                runs.setdefault((topology, name), []).append(run)
                say(
                    f"run {number + 1} {name:<20} {_label(topology):<50} {run['rps']:7.1f} req/s"
                    f"  p99 {run['p99_ms']:7.1f} ms  errors {run['errors']}"
                )
    rows = []
    for topology in TOPOLOGIES:
        for name, _, _ in _pages(session):
            row = _row(topology, name, runs[(topology, name)])
            row["queries"] = counts[name]
            rows.append(row)
    return rows


def _row(topology: Topology, name: str, runs: list[dict]) -> dict:
    """The median of the runs; CPU and requests per node summed over them."""
    return {
        "topology": topology.label,
        "nodes": topology.nodes,
        "workers": topology.workers,
        "balancer": topology.balancer,
        "page": name,
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "seconds": round(sum(r["seconds"] for r in runs), 1),
        "cpu": {k: round(sum(r["cpu"][k] for r in runs), 2) for k in runs[0]["cpu"]},
        "per_node": {k: sum(r["per_node"].get(k, 0) for r in runs) for k in runs[0]["per_node"]},
        "runs": runs,
    }


def _label(topology: Topology) -> str:
    per = "worker" if topology.workers == 1 else "workers"
    return f"{topology.label}, {topology.workers} {per} per node"


def _replica_reads(instance: pgcluster.Instance) -> int:
    return instance.query(
        "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", [DATABASE]
    )[0][0]


def run(source: str, args) -> dict:
    """The whole two-node run on ``source`` (the largest dataset); its figures as a dict."""
    haproxy_version = ensure_haproxy()
    bench.ensure_wrk()
    # Stopped from outside (kill), it still stops what it started: the finally block below.
    previous = signal.signal(signal.SIGTERM, _interrupted)
    try:
        return _run(source, args, haproxy_version)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupted(signum, frame) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def _run(source: str, args, haproxy_version: str) -> dict:
    say(f"starting the primary, the replica and Redis ({source})")
    cluster, setup = start_cluster(source)
    setup["haproxy"] = haproxy_version
    result: dict = {"setup": setup, "pages": [], "mixed": [], "cores": os.cpu_count()}
    try:
        env = cluster.env()
        session = step(env, "prepare")
        replica_before = _replica_reads(cluster.replica)
        try:
            loads = mixed_loads(
                env, FOLDER / "users.json", concurrency=args.connections, seconds=args.duration
            )
        except RuntimeError as error:  # the pages and the coherence pass are measured all the same
            say(f"the mixed scenario could not be prepared: {error}")
            result["mixed_error"] = str(error).splitlines()[0]
            loads = {}
        cluster.start_nodes(sorted({t.workers for t in TOPOLOGIES}, reverse=True))
        say(f"nodes of {', '.join(map(str, cluster.pairs))} worker(s), HAProxy in front")
        counts = _warm(cluster, session)
        a, b = (f"http://{HOST}:{n.port}" for n in cluster.nodes)
        world = seed_world(env)
        result["coherence"] = coherence(a, b, cluster=cluster, session=session, world=world)
        say(f"correctness: {result['coherence']}")
        result["pages"] = measure_pages(cluster, session, counts, args)
        for topology in TOPOLOGIES:
            target = cluster.target(topology)
            for name, load in loads.items():
                try:
                    row = measure(
                        cluster, f"http://{HOST}:{target.port}", _label(topology), load, topology
                    )
                except RuntimeError as error:
                    say(f"{_label(topology)} {name} failed: {error}")
                    result["mixed_error"] = str(error).splitlines()[0]
                    continue
                result["mixed"].append(
                    {"topology": topology.label, "workers": topology.workers, "load": name, **row}
                )
                say(f"{_label(topology)} {name}: {row.get('rps', 0):.1f} req/s")
        result["replica"] = {
            "transactions": _replica_reads(cluster.replica) - replica_before,
            "lag_bytes": pgcluster.replay_lag_bytes(cluster.primary, cluster.replica),
        }
    finally:
        cluster.stop()
    return result


# --- Report ---------------------------------------------------------------------------------

#: The processes whose CPU is counted, in the report's order ("machine" is everything).
CPU = ["haproxy", "gunicorn", "primary", "replica", "redis", "load generator"]


def _others(cpu: dict[str, float]) -> float:
    """CPU the machine spent on processes not of this run (other sessions: noise)."""
    return max(0.0, cpu.get("machine", 0.0) - sum(cpu[k] for k in CPU))


def _topologies(pages: list[dict]) -> list[tuple[str, int]]:
    return list(dict.fromkeys((r["topology"], r["workers"]) for r in pages))


def summary(result: dict) -> list[dict]:
    """Per topology: req/s against one node direct (geometric mean over the pages), p99 the
    same way, and the CPU milliseconds each process spent per request served."""
    pages = result["pages"]
    reference = {
        r["page"]: r for r in pages if r["topology"] == "one node, direct" and r["workers"] == 2
    }
    rows = []
    for topology, workers in _topologies(pages):
        mine = [r for r in pages if r["topology"] == topology and r["workers"] == workers]
        requests = sum(r["rps"] * r["seconds"] for r in mine) or 1
        cpu = {k: sum(r["cpu"].get(k, 0.0) for r in mine) for k in [*CPU, "machine"]}
        rows.append(
            {
                "topology": topology,
                "workers": workers,
                "rps_ratio": statistics.geometric_mean(
                    r["rps"] / reference[r["page"]]["rps"] for r in mine
                ),
                "p99_ratio": statistics.geometric_mean(
                    r["p99_ms"] / reference[r["page"]]["p99_ms"] for r in mine
                ),
                "errors": sum(r["errors"] for r in mine),
                "cpu_ms_per_request": {k: 1000 * cpu[k] / requests for k in CPU},
                "others_share": _others(cpu) / (cpu["machine"] or 1),
                "seconds": sum(r["seconds"] for r in mine),
            }
        )
    return rows


def report_lines(result: dict) -> list[str]:
    """The results' section: a summary per topology, then each page against one node direct
    (two workers), with the CPU of every process."""
    setup = result["setup"]
    pages = result["pages"]
    reference = {
        r["page"]: r for r in pages if r["topology"] == "one node, direct" and r["workers"] == 2
    }
    lines = [
        "",
        "## Two nodes and a replica",
        "",
        f"HAProxy {setup['haproxy']} (round robin, health checks on /healthz/, X-Forwarded-Proto "
        f"and X-Forwarded-For set as the TLS proxy sets them) in front of gunicorn nodes on "
        f"loopback (production settings, {result['cores']} cores shared by everything); "
        f"PostgreSQL {setup['postgres']} primary of the harness's own (initdb) and a streaming "
        f"replica (the state-participation page, the CSV and the annual report read it); a "
        f"Redis of its own for sessions and cache, empty at the start. Database "
        f"{setup['database_mb']} MB"
        + (
            f", loaded by pg_dump -Fc ({setup['dump_s']} s, {setup['dump_mb']} MB) and "
            f"pg_restore -j2 ({setup['restore_s']} s)"
            if setup.get("loaded")
            else ", kept from an earlier run (same dataset mark)"
        )
        + f"; copied for this run in {setup['copy_s']} s; replica made by pg_basebackup in "
        f"{setup['basebackup_s']} s. wrk, the same pages and connections as the pages above.",
        "",
        "| Topology | Workers per node | req/s vs one node | p99 vs one node | Errors "
        "| CPU ms per request: haproxy | gunicorn | primary | replica | redis | load generator "
        "| Machine CPU used by others |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in summary(result):
        ms = row["cpu_ms_per_request"]
        lines.append(
            f"| {row['topology']} | {row['workers']} | {row['rps_ratio']:.0%} | "
            f"{row['p99_ratio']:.0%} | {row['errors']} | "
            + " | ".join(f"{ms[k]:.1f}" for k in CPU)
            + f" | {row['others_share']:.0%} |"
        )
    lines += [
        "",
        "req/s and p99 against one node reached directly with two workers: the geometric mean "
        "over the pages below. CPU per request: each process's CPU seconds over the measured "
        "runs divided by the requests served. Machine CPU used by others: what other sessions "
        "on this shared machine used during the runs (the figures are as noisy as that is large).",
        "",
        "| Topology | Workers per node | Page | req/s | vs one node | % of baseline | p50 ms "
        "| p99 ms | Queries | Errors | Requests a / b |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in pages:
        baseline = next(
            r
            for r in pages
            if r["page"] == "baseline"
            and r["topology"] == row["topology"]
            and r["workers"] == row["workers"]
        )
        ref = reference[row["page"]]
        split = " / ".join(str(row["per_node"].get(k, 0)) for k in "ab") if row["balancer"] else "—"
        lines.append(
            f"| {row['topology']} | {row['workers']} | {row['page']} | {row['rps']:.0f} | "
            f"{row['rps'] / ref['rps']:.0%} | {row['rps'] / baseline['rps']:.0%} | "
            f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row.get('queries', '')} | "
            f"{row['errors']} | {split} |"
        )
    for row in result.get("mixed") or []:
        lines.append(
            f"| {row['topology']} | {row['workers']} | {row['load']} | {row.get('rps', 0):.0f} | | | "
            f"{row.get('p50_ms', 0):.1f} | {row.get('p99_ms', 0):.1f} | | {row.get('errors', 0)} | "
            f"{' / '.join(str(row['per_node'].get(k, 0)) for k in 'ab')} |"
        )
    ratios = []
    for row in result.get("mixed") or []:
        if row["load"] != "mixed":
            continue
        base = next(
            (
                r
                for r in result["mixed"]
                if r["load"] != "mixed"
                and r["topology"] == row["topology"]
                and r["workers"] == row["workers"]
            ),
            None,
        )
        if base and base.get("rps"):
            ratios.append(
                f"{row['topology']}, {row['workers']} per node: {row['rps'] / base['rps']:.0%}"
            )
    if ratios:
        lines += [
            "",
            "The mix against the baseline of the same generator: " + "; ".join(ratios) + ".",
        ]
    if result.get("mixed_error"):
        lines += ["", f"The mixed scenario through the nodes failed: {result['mixed_error']}."]
    checks = result.get("coherence") or {}
    replica = result.get("replica") or {}
    lines += [
        "",
        f"Correctness ({checks.get('module', '—')}): "
        + ("passed" if checks.get("passed") else "**failed**")
        + "; "
        + "; ".join(_check_text(c) for c in checks.get("checks", []))
        + ".",
        "",
        f"Replica: {replica.get('transactions', 0)} transactions answered during the run, "
        f"{replica.get('lag_bytes', 0)} bytes of WAL behind the primary at its end.",
    ]
    return lines


def _check_text(check: dict) -> str:
    if "write" in check:
        queries = (
            f" ({check['queries_kept']} queries kept, {check['queries_after_write']} drawn again)"
            if "queries_kept" in check
            else ""
        )
        problems = f" ({', '.join(check['problems'])})" if check.get("problems") else ""
        return (
            f"{check['page']}: written through {check['write']}, "
            f"{'seen' if check['seen'] else 'NOT seen'} on the next read through "
            f"{check['read']}{queries}{problems}"
        )
    return f"{check['page']}: {check['direct']} direct, {check['through HAProxy']} through HAProxy"
