"""The mixed-traffic scenario of ``make bench`` (issue 17): hundreds of people of a hundred
groups, each signed in with their own session, doing what people do, while Secretariats write.

How it is built:

1. A copy of the largest dataset (it writes), the broker's and the cache's Redis databases
   emptied, then ``bench.steps mixed_prepare``: six people per group (its Secretariat, a
   Coordination seat, an observer, three members: 600 at S10), half of them reading in
   Spanish, each signed in for real (password, and TOTP for the Secretariat and the seats);
   each group's next plenary convened so that members have an invitation to answer. What the
   sign-ins and the convening left in the cache besides the sessions is removed: every kept
   rendering starts empty, and a fresh gunicorn starts with empty per-process caches.
2. Locust (``bench/locustfile.py``, in its own virtualenv ``var/bench/locust-venv``, made on
   first use from the pinned ``bench/locust-requirements.txt``) replays the visits: the
   dashboard, the meetings list with a random filter and page, a meeting, its minutes, now
   and then the PDF and the language switch; 5 % of visits answer an invitation, 2 % are a
   Secretariat's write (minutes autosave, an activity, an agenda item), CSRF token, proxy
   headers and ``Origin`` as a browser behind the proxy sends them.
3. The harness's baseline page with the same generator, the same number of requests in
   flight, on the same server, right after; then (``--mixed-paced-seconds``) every person at
   once with think time between pages.

The concurrency model. The page targets compare a page's requests/s with the baseline's at the
same number of requests in flight (wrk's 8 connections in the single-page runs). So the mix is
a closed loop of N Locust users (8 by default) with no think time: each keeps one request in
flight, and at every visit it takes the next of the 600 people, so that every session is used
in turn and the caches see every group, filter, page and language rather than one URL. Its
requests/s is what the server does for this mix when it is never idle, comparable with the
baseline measured the same way; its latencies are those of a server kept busy by N users.
The paced phase answers the other question, what people feel at a realistic pace: 600 Locust
users, one per person, 30 to 60 s between pages, the time it takes to read one (about 13
requests/s offered, well under what the server does even on a busy 2-core machine: with 5 to
15 s, 60 requests/s, a shared machine was saturated and showed only its queue), whose
latencies are those of a server that is not saturated.

``prepare`` makes the people's file on a database, ``run_mixed`` (and ``run_baseline``) is the
load generator's side only, what the cluster harness calls through its load balancer; the
CPU of the server's processes is measured by the caller (``CPUMeter``), who knows which
processes serve.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import subprocess
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from bench import run

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"
REQUIREMENTS = HERE / "locust-requirements.txt"
COPY = "vpswg_bench_mixed"

TARGETS = {"baseline_share": 0.6, "p99_ms": 250}
#: Who the scenario's writes are: what a visit is for, not a page one reads.
WRITES = {
    "RSVP answer",
    "minutes autosave",
    "activity recorded",
    "agenda item added",
    "language switch",
}


def locust_venv() -> Path:
    return run.WORK / "locust-venv"


def ensure_locust() -> Path:
    """The ``locust`` command of the harness's own virtualenv, made (again) when the pinned
    requirements change: the project's ``.venv`` is left as it is."""
    venv = locust_venv()
    marker = venv / ".requirements-sha256"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    command = venv / "bin" / "locust"
    if command.exists() and marker.exists() and marker.read_text() == digest:
        return command
    run.say(f"installing the load generator (Locust) into {venv.relative_to(run.ROOT)}")
    subprocess.run([run.PYTHON, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
        check=True,
    )
    marker.write_text(digest)
    return command


# --- CPU --------------------------------------------------------------------------------------


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent not idle (all cores), from /proc/stat."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    """Every PostgreSQL process of the machine (the shared cluster serves other runs too)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def database_backends(database: str) -> list[int]:
    """The PostgreSQL backends connected to ``database``: the ones serving this run."""
    connection = run._pg()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return pids


def redis_pid(port: int = 6379) -> list[int]:
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    pid = int(client.info("server")["process_id"])
    client.close()
    return [pid]


def process_tree(pid: int) -> list[int]:
    return [pid, *run.children(pid)]


class CPUMeter:
    """CPU seconds (user + system) used by groups of processes between ``start`` and ``stop``,
    and by the whole machine. ``groups``: name -> a function returning the group's pids, asked
    at both ends (a process that starts meanwhile counts from zero; one that ends meanwhile is
    lost)."""

    def __init__(self, groups: dict[str, Callable[[], Iterable[int]]]) -> None:
        self.groups = groups
        self.before: dict[str, dict[int, float]] = {}
        self.machine = 0.0

    def start(self) -> None:
        self.before = {
            name: {pid: run.cpu_seconds(pid) for pid in pids()}
            for name, pids in self.groups.items()
        }
        self.machine = machine_busy_seconds()

    def stop(self) -> dict[str, float]:
        used = {}
        for name, pids in self.groups.items():
            before = self.before[name]
            now = set(pids()) | set(before)
            used[name] = round(
                sum(max(0.0, run.cpu_seconds(pid) - before.get(pid, 0.0)) for pid in now), 1
            )
        used["machine"] = round(machine_busy_seconds() - self.machine, 1)
        return used


# --- The load generator -----------------------------------------------------------------------


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def run_locust(
    base_url: str,
    users_file: Path,
    *,
    scenario: str,
    concurrency: int,
    seconds: int,
    label: str,
    think: tuple[float, float] | None = None,
    seed: int = 17,
) -> dict:
    """One headless Locust run of ``scenario`` ("mixed" or "baseline"); see ``run_mixed``."""
    command = ensure_locust()
    name = _slug(label)
    out = run.WORK / f"locust-{name}.json"
    out.unlink(missing_ok=True)
    env = {
        **os.environ,
        "MIXED_USERS_FILE": str(users_file),
        "MIXED_SCENARIO": scenario,
        "MIXED_OUT": str(out),
        "MIXED_SEED": str(seed),
    }
    env.pop("MIXED_THINK", None)
    if think:
        env["MIXED_THINK"] = f"{think[0]},{think[1]}"
    log = run.WORK / f"locust-{name}.log"
    process = subprocess.Popen(
        [
            str(command),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(concurrency),
            "--spawn-rate",
            str(concurrency),
            "--run-time",
            f"{seconds}s",
            "--host",
            base_url,
            "--csv",
            str(run.WORK / f"locust-{name}"),
            "--only-summary",
            "--exit-code-on-error",
            "0",
        ],
        cwd=run.ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    # Bounded: Locust stops itself after --run-time; a generator that hangs is killed.
    killer = threading.Timer(seconds + 120, process.kill)
    killer.start()
    try:
        _pid, status, usage = os.wait4(process.pid, 0)
    finally:
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode or not out.exists():
        raise RuntimeError(f"Locust ({label}) failed ({process.returncode}): see {log}")
    raw = json.loads(out.read_text())
    figures = summarize(raw["records"], raw["started"], seconds)
    figures.update(
        label=label,
        scenario=scenario,
        concurrency=concurrency,
        seconds=seconds,
        think=list(think) if think else None,
        people=len(json.loads(Path(users_file).read_text())["people"]),
        load_generator_cpu_s=round(usage.ru_utime + usage.ru_stime, 1),
    )
    return figures


def run_mixed(
    base_url: str,
    users_file: Path,
    *,
    concurrency: int,
    seconds: int,
    label: str,
    think: tuple[float, float] | None = None,
) -> dict:
    """Replay the mixed traffic against ``base_url`` and return its figures.

    ``base_url``: ``http://host:port`` of a server (or load balancer) that serves the
    database ``users_file`` was prepared on (``bench.steps mixed_prepare``), with the same
    ``SECRET_KEY`` and session store (the cookies are sessions in its Redis), reachable with
    ``Host: 127.0.0.1`` and ``X-Forwarded-Proto: https`` as from a TLS proxy, and the bench
    settings (``X-Bench-Queries`` and ``X-Bench-Cache`` headers; without them the query and
    cache figures are empty). ``concurrency``: Locust users, each with one request in flight;
    without ``think`` each takes the next person at every visit (a closed loop, comparable with
    ``run_baseline`` at the same concurrency), with ``think`` (min, max seconds between pages)
    Locust user i is person i. ``seconds``: how long Locust runs (it stops itself).

    Returns a JSON-able dict: ``rps`` (requests ended within the run, per second) and
    ``rps_second_half``, ``requests``, ``p50_ms``/``p95_ms``/``p99_ms``, ``errors`` (non-2xx
    other than the redirects a write must answer, socket errors, a form missing or refused)
    and ``error_kinds``, ``kinds`` (per kind of page: count, latencies, errors, queries
    min/median/max, the counts seen when its kept renderings were hits and when drawn),
    ``kept`` (per cache: lookups, hits, ratio, ratio in the second half), ``languages`` and
    ``load_generator_cpu_s`` (Locust's own CPU). It measures nothing of the server's
    processes: the caller wraps the call in a ``CPUMeter`` of the processes it runs.
    Raises ``RuntimeError`` when Locust fails.
    """
    return run_locust(
        base_url,
        users_file,
        scenario="mixed",
        concurrency=concurrency,
        seconds=seconds,
        label=label,
        think=think,
    )


def run_baseline(
    base_url: str, users_file: Path, *, concurrency: int, seconds: int, label: str
) -> dict:
    """The harness's baseline page (``/_bench/baseline/``) with the same generator, the next
    person's session at every request: the reference of ``run_mixed``'s requests/s."""
    return run_locust(
        base_url,
        users_file,
        scenario="baseline",
        concurrency=concurrency,
        seconds=seconds,
        label=label,
    )


# --- Figures ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least ``share`` of them at or below it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return round(ordered[int(rank) - 1], 1)


def _lookups(header: str) -> list[tuple[str, bool]]:
    return [
        (name, outcome == "hit")
        for name, _, outcome in (item.partition("=") for item in header.split(","))
        if outcome
    ]


#: What is kept per person, not per page: their permissions in the group (in each process),
#: and for the Secretariat and the seats that they have a second factor (in Redis).
PERSONAL = {"perms", "totp"}
#: A server process's first requests also fill its lazy caches (content types and the like):
#: the query counts are compared after them.
WARM = 50


def summarize(records: list[list], started: float | None, seconds: int) -> dict:
    """The figures of one run from its requests (see ``locustfile.RECORDS``)."""
    made = [r for r in records if r[3] != -1]  # -1: a visit that found no form (no request)
    started = started or min((r[1] for r in made), default=0.0)
    end, half = started + seconds, started + seconds / 2

    def ended(r) -> float:
        return r[1] + r[2] / 1000

    within = [r for r in made if ended(r) <= end]
    errors = [r for r in records if r[4]]
    kinds: dict[str, dict] = {}
    by_kind: dict[str, list] = defaultdict(list)
    for r in records:
        by_kind[r[0]].append(r)
    for kind, rows in sorted(by_kind.items(), key=lambda item: -len(item[1])):
        sent = [r for r in rows if r[3] != -1]
        times = [r[2] for r in sent]
        cpu = [r[11] for r in sent if r[11] >= 0]
        queries = [r[5] for r in sent if r[5] >= 0]
        # The counts as served after the processes' first requests, by what the request found
        # kept (its state), and by who asks for which meeting (the role and the subject).
        classes: dict[tuple[str, str], set[int]] = defaultdict(set)
        kept_hits = kept_all = 0
        for r in sent:
            lookups = _lookups(r[6])
            kept = [hit for name, hit in lookups if name not in PERSONAL]
            kept_all += len(kept)
            kept_hits += sum(kept)
            if r[5] < 0 or r[4] or r[10] < WARM:
                continue
            personal = [hit for name, hit in lookups if name in PERSONAL]
            state = "none" if not kept else ("hit" if all(kept) else "draw")
            misses = personal.count(False)
            if misses:
                state += "+person" + (f"×{misses}" if misses > 1 else "")
            classes[(state, f"{r[8]}/{r[9]}" if r[9] else r[8])].add(r[5])
        by_state: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for (state, who), counts in sorted(classes.items()):
            for count in sorted(counts):
                by_state[state][str(count)].append(who)
        kinds[kind] = {
            "requests": len(sent),
            "p50_ms": percentile(times, 0.50),
            "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99),
            "errors": sum(1 for r in rows if r[4]),
            "cpu_ms_median": round(statistics.median(cpu), 1) if cpu else None,
            "cpu_s": round(sum(cpu) / 1000, 2),
            "queries_min": min(queries, default=None),
            "queries_median": statistics.median(queries) if queries else None,
            "queries_max": max(queries, default=None),
            "queries_by_state": {state: dict(counts) for state, counts in by_state.items()},
            "varying": [
                f"{state} {who}: {sorted(counts)}"
                for (state, who), counts in sorted(classes.items())
                if len(counts) > 1
            ],
            "kept_hit_ratio": round(kept_hits / kept_all, 3) if kept_all else None,
            "write": kind in WRITES,
        }
    kept: dict[str, dict] = {}
    for r in made:
        for name, hit in _lookups(r[6]):
            entry = kept.setdefault(
                name, {"lookups": 0, "hits": 0, "late_lookups": 0, "late_hits": 0}
            )
            entry["lookups"] += 1
            entry["hits"] += hit
            if r[1] >= half:
                entry["late_lookups"] += 1
                entry["late_hits"] += hit
    for entry in kept.values():
        entry["ratio"] = round(entry["hits"] / entry["lookups"], 3)
        late = entry.pop("late_lookups")
        entry["ratio_second_half"] = round(entry.pop("late_hits") / late, 3) if late else None
    times = [r[2] for r in made]
    cpu = [r[11] for r in made if r[11] >= 0]
    return {
        "requests": len(made),
        "cpu_ms_per_request": round(sum(cpu) / len(cpu), 1) if cpu else None,
        "rps": round(len(within) / seconds, 1),
        "rps_second_half": round(sum(1 for r in within if ended(r) > half) / (seconds / 2), 1),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
        "errors": len(errors),
        "error_kinds": dict(Counter(f"{r[0]}: {r[4]}" for r in errors).most_common()),
        "kinds": kinds,
        "kept": dict(sorted(kept.items())),
        "languages": dict(Counter(r[7] or "?" for r in made).most_common()),
    }


# --- The scenario in make bench ---------------------------------------------------------------


def _empty_kept() -> int:
    """Remove what the preparation left in the cache but the sessions: the kept renderings'
    tokens (the convening changed them) and anything else; the number of keys removed."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=run.CACHE_DB)
    removed = 0
    for key in client.scan_iter(count=1000):
        if b"django.contrib.sessions" not in key:
            removed += client.delete(key)
    client.close()
    return removed


def _copy(template: str, name: str, patience: int = 900) -> None:
    """``name`` as a copy of ``template``, made when no one else is connected to it: other
    runs serve or copy the datasets too, and are waited for, not disconnected."""
    import psycopg2

    run._drop(name)
    deadline = time.monotonic() + patience
    said = False
    while True:
        connection = run._pg()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except psycopg2.errors.ObjectInUse:
            if time.monotonic() > deadline:
                raise
            if not said:
                run.say(f"waiting for the other sessions on {template} to end")
                said = True
            time.sleep(3)
        finally:
            connection.close()


def _flush(db: int) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=db)
    client.flushdb()
    client.close()


def prepare(database: str, users_file: Path) -> dict:
    """The people of the scenario, signed in on ``database`` (``bench.steps mixed_prepare``),
    written to ``users_file``; the broker's and the cache's Redis databases (``run.REDIS_DB``,
    ``run.CACHE_DB``) emptied before, and after it all but the sessions: the caller then starts
    fresh servers, whose kept renderings start empty."""
    _flush(run.REDIS_DB)
    _flush(run.CACHE_DB)
    began = time.monotonic()
    prepared = run.step(database, "mixed_prepare", 2525, str(users_file))
    prepared["seconds"] = round(time.monotonic() - began, 1)
    _flush(run.REDIS_DB)  # the convening's deliveries: no worker runs them here
    prepared["cache_keys_removed"] = _empty_kept()
    return prepared


def measure(template: str, args) -> dict:
    """The scenario on a copy of ``template``: prepared, then the mixed run, the baseline and
    the paced run on one fresh gunicorn, each with the CPU of the app, PostgreSQL, Redis and
    the load generator."""
    ensure_locust()
    run.say(f"copying {template} for the mixed traffic (it writes)")
    _copy(template, COPY)
    try:
        users_file = run.WORK / "mixed-users.json"
        prepared = prepare(COPY, users_file)
        run.say(
            f"mixed: {prepared['people']} people of {prepared['groups']} groups signed in "
            f"({prepared['sign_in_s']} s; convening {prepared['convene_s']} s)"
        )
        server = run.start_gunicorn(COPY, run.WORK / "gunicorn-mixed.log")
        try:
            base = f"http://127.0.0.1:{server.port}"
            meter = CPUMeter(
                {
                    "app": lambda: process_tree(server.process.pid),
                    "postgres_backends": lambda: database_backends(COPY),
                    "postgres_all": postgres_pids,
                    "redis": redis_pid,
                }
            )
            phases = [
                ("mixed", {"concurrency": args.mixed_concurrency, "seconds": args.mixed_seconds}),
                (
                    "baseline",
                    {"concurrency": args.mixed_concurrency, "seconds": args.mixed_baseline_seconds},
                ),
            ]
            if args.mixed_paced_seconds:
                think = tuple(float(n) for n in args.mixed_think.split(","))
                phases.append(
                    (
                        "paced",
                        {
                            "concurrency": prepared["people"],
                            "seconds": args.mixed_paced_seconds,
                            "think": think,
                        },
                    )
                )
            results: dict[str, dict] = {}
            for label, options in phases:
                meter.start()
                if label == "baseline":
                    figures = run_baseline(base, users_file, label=label, **options)
                else:
                    figures = run_mixed(base, users_file, label=label, **options)
                figures["cpu_s"] = {
                    **meter.stop(),
                    "load_generator": figures["load_generator_cpu_s"],
                }
                results[label] = figures
                run.say(
                    f"mixed/{label}: {figures['rps']} req/s, p50 {figures['p50_ms']} ms, "
                    f"p99 {figures['p99_ms']} ms, {figures['errors']} errors, "
                    f"CPU {figures['cpu_s']}"
                )
            workers = run.children(server.process.pid)
            memory = max((run.peak_rss_mb(pid) for pid in workers), default=0.0)
        finally:
            run.stop(server.process)
    finally:
        run._drop(COPY)
    return {
        "database": template,
        "prepared": prepared,
        **results,
        "gunicorn_worker_mb": round(memory, 1),
    }


# --- Report -----------------------------------------------------------------------------------


def _queries(kind: dict) -> str:
    if kind["queries_min"] is None:
        return "—"
    return f"{kind['queries_min']} / {kind['queries_median']:g} / {kind['queries_max']}"


def _states(kind: dict) -> str:
    """The query counts seen as served, by what the request found kept: ``hit`` (every kept
    rendering it looked up was there), ``draw`` (one was drawn), ``none`` (no kept rendering);
    ``+person``: the person's permissions (or second factor) were read too. Where the count is not
    the same for everyone, who saw which (role / which meeting)."""
    parts = []
    for state, counts in kind["queries_by_state"].items():
        if len(counts) == 1:
            parts.append(f"{state} {next(iter(counts))}")
        else:
            shown = ", ".join(f"{count} ({' '.join(who)})" for count, who in counts.items())
            parts.append(f"{state} {shown}")
    return "; ".join(parts) or "—"


def constant_queries(result: dict) -> dict[str, bool]:
    """Per kind of page read (not the writes, whose statements may depend on what they
    change): one query count for each state (``_states``), role and meeting?"""
    return {
        name: not kind["varying"] for name, kind in result["kinds"].items() if not kind["write"]
    }


def report_lines(result: dict, size: str = "S10") -> list[str]:
    mixed, baseline, paced = result["mixed"], result["baseline"], result.get("paced")
    prepared = result["prepared"]
    share = mixed["rps"] / baseline["rps"] if baseline["rps"] else 0.0
    constant = constant_queries(mixed)
    varying = [name for name, flag in constant.items() if not flag]
    writes_varying = [
        name for name, kind in mixed["kinds"].items() if kind["write"] and kind["varying"]
    ]
    roles = ", ".join(f"{n} {role}" for role, n in prepared["roles"].items())
    lines = [
        "",
        f"## Mixed traffic ({size})",
        "",
        f"{prepared['people']} people of {prepared['groups']} groups ({roles}), each signed in "
        f"for real with their own session (sign-ins {prepared['sign_in_s']} s), half reading "
        "in Spanish; caches empty and a fresh gunicorn at the start. A visit: dashboard, "
        "meetings list (random filter and page), a meeting, its minutes, sometimes the PDF or "
        "the language switch; 5 % of visits answer an invitation, 2 % are a Secretariat's "
        "write (minutes autosave, an activity, an agenda item). Load: Locust (FastHttpUser), "
        f"{mixed['concurrency']} users in flight without think time, each visit the next "
        "person's (a closed loop, as wrk's connections in the single-page runs), "
        f"{mixed['seconds']} s; the baseline page with the same generator and concurrency "
        f"right after ({baseline['seconds']} s)"
        + (
            f"; then every person at once, {paced['think'][0]:g}–{paced['think'][1]:g} s "
            f"between pages ({paced['seconds']} s)."
            if paced
            else "."
        ),
        "",
        "| Run | In flight | Requests | req/s | req/s, 2nd half | % of baseline | p50 ms | p95 ms | p99 ms | Errors | Server CPU ms / request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, figures in (("mixed", mixed), ("baseline", baseline), ("paced", paced)):
        if not figures:
            continue
        in_flight = (
            f"{figures['concurrency']} (think {figures['think'][0]:g}–{figures['think'][1]:g} s)"
            if figures.get("think")
            else str(figures["concurrency"])
        )
        ratio = f"{figures['rps'] / baseline['rps']:.0%}" if label == "mixed" else "—"
        lines.append(
            f"| {label} | {in_flight} | {figures['requests']:,} | {figures['rps']:.1f} | "
            f"{figures['rps_second_half']:.1f} | {ratio} | {figures['p50_ms']:.1f} | "
            f"{figures['p95_ms']:.1f} | {figures['p99_ms']:.1f} | {figures['errors']} | "
            f"{figures.get('cpu_ms_per_request') or '—'} |"
        )
    met = {
        f"req/s at least {TARGETS['baseline_share']:.0%} of the baseline's ({share:.0%})": share
        >= TARGETS["baseline_share"],
        f"p99 under {TARGETS['p99_ms']} ms ({mixed['p99_ms']:.0f} ms)": mixed["p99_ms"]
        < TARGETS["p99_ms"],
        f"0 errors ({mixed['errors']})": mixed["errors"] == 0,
        "every page's query count constant"
        + (f" (varies: {', '.join(varying)})" if varying else "")
        + (
            f"; of the writes, varies: {', '.join(writes_varying)}" if writes_varying else ""
        ): not varying,
    }
    cost = (
        baseline["cpu_ms_per_request"] / mixed["cpu_ms_per_request"]
        if mixed.get("cpu_ms_per_request") and baseline.get("cpu_ms_per_request")
        else None
    )
    lines += [
        "",
        "Server CPU per request: the CPU the request's thread spent in Django (`X-Bench-CPU`), "
        "which other work on the machine does not inflate"
        + (
            f"; by it, a request of the mix costs {1 / cost:.1f} times the baseline's, so the mix "
            f"would do about {cost:.0%} of the baseline's requests/s on a machine whose cores "
            "were the app's."
            if cost
            else "."
        ),
        "",
        "Targets: "
        + "; ".join(f"{what}: {'met' if flag else '**missed**'}" for what, flag in met.items())
        + ".",
        "",
        "| Kind | Requests | p50 ms | p95 ms | p99 ms | Errors | Server CPU ms (median) | Share of server CPU | Queries min / median / max | Queries as served, by what was kept | Kept hit ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    total_cpu = sum(kind.get("cpu_s", 0) for kind in mixed["kinds"].values()) or 1.0
    for name, kind in mixed["kinds"].items():
        ratio = f"{kind['kept_hit_ratio']:.0%}" if kind["kept_hit_ratio"] is not None else "—"
        lines.append(
            f"| {name} | {kind['requests']:,} | {kind['p50_ms']:.1f} | {kind['p95_ms']:.1f} | "
            f"{kind['p99_ms']:.1f} | {kind['errors']} | {kind.get('cpu_ms_median') or '—'} | "
            f"{kind.get('cpu_s', 0) / total_cpu:.0%} | {_queries(kind)} | {_states(kind)} | {ratio} |"
        )
    lines += [
        "",
        '"Queries as served": the counts seen when every kept rendering the request looked up '
        'was there ("hit"), when one was drawn ("draw"), or when it uses none ("none"); '
        '"+person": the person\'s permissions in the group were read in that worker too (their '
        "first request there, or five minutes after the last reading), or for the Secretariat "
        "and the seats that they have a second factor (kept five minutes in Redis), a query "
        "more each (×2: both); where the count is not "
        "everyone's, who saw which (role / which meeting: the group's next plenary, the one whose "
        "minutes are circulated, the draft's, or another held plenary or Coordination Group "
        "meeting). Counted after each server "
        f"process's first {WARM} requests, which also fill its lazy caches.",
        "",
    ]
    details = [
        f"{name}: {'; '.join(kind['varying'])}"
        for name, kind in mixed["kinds"].items()
        if kind["varying"]
    ]
    if details:
        lines += [
            "Counts that vary for the same role, meeting and state: " + " — ".join(details) + ".",
            "",
        ]
    lines += [
        "| Kept rendering | Lookups | Hits | Hit ratio | Hit ratio, 2nd half |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, entry in mixed["kept"].items():
        late = (
            f"{entry['ratio_second_half']:.0%}" if entry["ratio_second_half"] is not None else "—"
        )
        lines.append(
            f"| {name} | {entry['lookups']:,} | {entry['hits']:,} | {entry['ratio']:.0%} | {late} |"
        )
    lines += [
        "",
        "`rendered`: a frozen minutes version's HTML, kept in each process; `perms`: a "
        "person's permissions in a group, kept in each process; `totp`: that a Secretariat or "
        "seat has a second factor, kept in Redis; the others are "
        "`vpswg.groupcache` caches in Redis (`minutes`: in each process).",
        "",
        "| CPU seconds during the run | App (gunicorn) | PostgreSQL (this run's backends) | PostgreSQL (all processes) | Redis | Load generator | Machine (all) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, figures in (("mixed", mixed), ("baseline", baseline), ("paced", paced)):
        if not figures:
            continue
        cpu = figures["cpu_s"]
        lines.append(
            f"| {label} ({figures['seconds']} s) | {cpu['app']} | {cpu['postgres_backends']} | "
            f"{cpu['postgres_all']} | {cpu['redis']} | {cpu['load_generator']} | {cpu['machine']} |"
        )
    lines += [
        "",
        'PostgreSQL and Redis are the machine\'s shared ones: "all processes" and Redis include '
        "what other runs on the machine asked of them meanwhile; the machine's total includes "
        "everything else it ran.",
    ]
    if mixed["errors"]:
        lines += [
            "",
            "Errors of the mixed run: "
            + "; ".join(f"{what} ({n})" for what, n in mixed["error_kinds"].items())
            + ".",
        ]
    return lines
