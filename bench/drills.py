"""The operations drills of ``make bench`` (``--only drills``): the documented backup restored and
verified, then PostgreSQL and Redis restarted under load (docs/backup.md).

1. **Backup and restore.** On a copy of S1 with some uploads and second factors made through the
   services, the backup of docs/backup.md is taken, each part in a place of its own: the
   database (``pg_dump -Fc``), the uploaded files (a tar of ``MEDIA_ROOT`` and the
   ``uploads_manifest`` of their SHA-256) and the two key rings (one file each, apart from the
   rest). It is restored into a fresh database of a PostgreSQL of the harness's own
   (``bench.pgcluster``) and a fresh media folder, and ``manage.py verify_integrity`` checks it:
   once with the key rings from their backup, and once without them, as whoever holds only the
   database dump would try.
2. **Restarts under load.** The restored installation is served as in production (gunicorn, a
   Celery worker and beat, a Redis of the harness's own with its append-only file, a local SMTP
   server) while simulated people read pages and write (members propose topics, Secretariats add
   agenda items and move a convened meeting's venue, which notifies every invited person), each
   write carrying a marker and recording whether it was acknowledged. Mid-run PostgreSQL is
   stopped (fast) and started, then Redis is restarted from its append-only file, then Redis is
   restarted empty (its data lost: a new server or volume), after which people are asked to sign
   in again and do. Afterwards: the errors in each restart window and how long it lasted, every
   acknowledged write looked up in the database, what happened to the sessions, and each notice
   created during the run counted at the SMTP server.

Django-side steps run as ``python -m bench.drills <step>`` in the environment the orchestrator
gives them and print one JSON object last, as ``bench.steps`` does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

COPY = "vpswg_bench_drills"
RESTORED = "vpswg_restored"
#: Groups whose people take part in the load, and how many members of each.
LOAD_GROUPS = ("scale-0001", "scale-0002", "scale-0003", "scale-0004")
MEMBERS_PER_GROUP = 6
#: Groups whose Secretariat writes (one convened plenary each, whose venue it moves).
WRITING_GROUPS = ("scale-0001", "scale-0002")
#: Seconds of the load, and when each restart begins (from the start of the load).
TIMELINE = {"postgresql": 15.0, "redis": 40.0, "redis_empty": 65.0, "end": 100.0}
THREADS = 6
#: The sweep takes rows older than this (the drill shortens the default 120 s so that what a
#: lost broker message left behind goes out within the drill).
SWEEP_GRACE_SECONDS = 20
#: How long the outbox may take to drain after the load.
DRAIN_TIMEOUT = 300


# --- Django-side steps ------------------------------------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def _pdf_upload(name: str, title: str):
    """A real PDF (WeasyPrint's), through the upload checks as a form would pass it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from weasyprint import HTML

    from vpswg.uploads import validate_document

    body = HTML(string=f"<h1>{title}</h1><p>{'Evidence. ' * 200}</p>").write_pdf()
    upload = SimpleUploadedFile(name, body)
    upload.document_type = validate_document(upload)
    return upload


def _docx_upload(name: str, text: str):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from vpswg.uploads import validate_document

    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/word/document.xml" ContentType="{main}"/>'
            "</Types>",
        )
        archive.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    upload = SimpleUploadedFile(name, buffer.getvalue())
    upload.document_type = validate_document(upload)
    return upload


def seed() -> dict:
    """Uploads and second factors, made through the services (the scale dataset has none of its
    own): in each of three groups an activity's evidence (PDF), an institution's annual report
    (DOCX) and an application letter (PDF); a TOTP authenticator for each group's
    Secretariat."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from activities.models import Activity
    from activities.services import add_evidence
    from members.models import Representative
    from members.services.applications import submit_application
    from members.services.compliance import submit_annual_report
    from vpswg.models import RoleAssignment, WorkingGroup
    from vpswg.scoping import group_scope

    uploads = authenticators = 0
    for n, group in enumerate(WorkingGroup.objects.order_by("slug")):
        with group_scope(group):
            secretariat = RoleAssignment.objects.select_related("user").get(role="secretariat")
            # The page runs sign the Secretariat in with a second factor on the dataset itself
            # (bench.steps.prepare_clients): one made then is counted, not made twice.
            if not Authenticator.objects.filter(
                user=secretariat.user, type=Authenticator.Type.TOTP
            ).exists():
                TOTP.activate(secretariat.user, generate_totp_secret())
            authenticators += 1
            if n >= 3:
                continue
            activity = Activity.objects.order_by("pk").first()
            add_evidence(
                activity=activity,
                actor=secretariat.user,
                upload=_pdf_upload("attendance-list.pdf", f"Attendance, {group.slug}"),
            )
            rep = Representative.objects.select_related("institution", "user").order_by("pk")[0]
            submit_annual_report(
                institution=rep.institution,
                actor=rep.user,
                year=2025,
                text="Our year.",
                upload=_docx_upload("report-2025.docx", f"Report of {rep.institution_id}"),
            )
            submit_application(
                working_group=group,
                data={
                    "name": f"Minera Drill {n}",
                    "short_name": "",
                    "website": "",
                    "pillar": "companies",
                    "kind": "company",
                    "participation": "member",
                    "description": "Copper.",
                    "contact_name": "Valeria Torres",
                    "contact_email": f"valeria.{n}@minera-drill.example",
                    "contact_phone": "",
                    "contact_position": "",
                    "contact_language": "",
                    "vps_member": True,
                    "proposed_by": "",
                    "attests_institutional": True,
                    "attests_topics": True,
                    "attests_standing": True,
                },
                letter=_pdf_upload("letter.pdf", f"Letter to {group.slug}"),
            )
            uploads += 3
    return {"uploads": uploads, "authenticators": authenticators}


def prepare() -> dict:
    """The people of the load and what they read and write: members of four groups (password),
    the Secretariats of two (password and a fresh TOTP secret), whose next plenary is convened
    30 days ahead (every invited person is notified, through the outbox)."""
    from datetime import timedelta

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.utils import timezone

    from demo.management.commands.seed_scale import PASSWORD
    from meetings.models import Meeting, Minutes
    from meetings.services.meetings import convene
    from vpswg.models import Notification, RoleAssignment, WorkingGroup
    from vpswg.scoping import group_scope, scopes_disabled

    with scopes_disabled():
        floor = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    people, groups = [], {}
    for slug in LOAD_GROUPS:
        group = WorkingGroup.objects.get(slug=slug)
        with group_scope(group):
            circulated = list(
                Minutes.objects.filter(
                    status__in=["circulated", "adopted"], meeting__kind="plenary"
                )
                .order_by("-meeting__start")
                .values_list("meeting_id", flat=True)[:5]
            )
            # Members only: someone who also holds a seat or the Secretariat signs in with a
            # second factor, and is one of the writers below.
            privileged = RoleAssignment.objects.filter(
                role__in=["secretariat", "coordination"]
            ).values("user_id")
            members = (
                RoleAssignment.objects.filter(role="member")
                .exclude(user_id__in=privileged)
                .select_related("user")
                .order_by("user_id")[:MEMBERS_PER_GROUP]
            )
            for assignment in members:
                people.append(
                    {"email": assignment.user.email, "group": slug, "role": "member", "totp": ""}
                )
            entry = {"meetings": circulated}
            if slug in WRITING_GROUPS:
                secretariat = RoleAssignment.objects.select_related("user").get(role="secretariat")
                Authenticator.objects.filter(
                    user=secretariat.user, type=Authenticator.Type.TOTP
                ).delete()
                secret = generate_totp_secret()
                TOTP.activate(secretariat.user, secret)
                people.append(
                    {
                        "email": secretariat.user.email,
                        "group": slug,
                        "role": "secretariat",
                        "totp": secret,
                    }
                )
                meeting = Meeting.objects.filter(kind="plenary", status="planned").earliest("start")
                start = (timezone.now() + timedelta(days=30)).replace(
                    minute=0, second=0, microsecond=0
                )
                Meeting.objects.filter(pk=meeting.pk).update(start=start)
                meeting.refresh_from_db()
                convene(meeting=meeting, actor=secretariat.user)
                entry["convened"] = meeting.pk
                entry["form"] = {
                    "kind": meeting.kind,
                    "title": meeting.title,
                    "start": meeting.start.astimezone(group.zone).strftime("%Y-%m-%dT%H:%M"),
                    "duration_minutes": meeting.duration_minutes,
                    "format": meeting.format,
                    "online_link": meeting.online_link or "",
                }
            groups[slug] = entry
    return {"people": people, "password": PASSWORD, "groups": groups, "floor": floor}


def check() -> dict:
    """What the database holds of the run's writes (markers read from the file named by
    ``DRILL_MARKERS``) and of its notices (every row above the floor that has an address)."""
    from meetings.models import AgendaItem, DiscussionTopic
    from vpswg.models import Notification
    from vpswg.scoping import scopes_disabled
    from vpswg.services.notifications import message_id

    markers = json.loads(Path(os.environ["DRILL_MARKERS"]).read_text())
    with scopes_disabled():
        topics = set(
            DiscussionTopic.objects.filter(title__startswith="DRILL-").values_list(
                "title", flat=True
            )
        )
        items = set(
            AgendaItem.objects.filter(topic__startswith="DRILL-").values_list("topic", flat=True)
        )
        bodies = Notification.objects.filter(
            pk__gt=markers["floor"], kind="meeting_updated"
        ).values_list("body", flat=True)
        venues = {m for body in bodies for m in re.findall(r"DRILL-[0-9a-f-]+", body)}
        notices = [
            {"id": message_id(key), "email": email.lower(), "status": status, "kind": kind}
            for key, email, status, kind in Notification.objects.filter(pk__gt=markers["floor"])
            .exclude(email="")
            .values_list("key", "email", "status", "kind")
        ]
    found = {"topic": topics, "agenda item": items, "venue": venues}
    return {
        "found": {kind: sorted(values) for kind, values in found.items()},
        "notices": notices,
    }


STEPS = {"seed": seed, "prepare": prepare, "check": check}


# --- The harness: processes ---------------------------------------------------------------------


def _run_module():
    from bench import run

    return run


@dataclass
class Redis:
    """A redis-server of the drill's own, with its append-only file in ``folder``."""

    folder: Path
    port: int
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        log = (self.folder.parent / "redis.log").open("a")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                if self.client().ping():
                    return
            except Exception:  # noqa: BLE001 - still starting
                time.sleep(0.05)
        raise SystemExit(f"redis-server on {self.port} did not start: see {log.name}")

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def stop(self, *, keep: bool = True) -> None:
        """``keep``: SIGTERM, as ``docker stop`` sends it (Redis writes its append-only file
        out and exits); otherwise SIGKILL and the folder emptied (the data lost)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM if keep else signal.SIGKILL)
        self.process.wait(30)
        if not keep:
            shutil.rmtree(self.folder, ignore_errors=True)

    def restart(self, *, keep: bool = True) -> None:
        self.stop(keep=keep)
        self.start()


def drill_env(database_url: str, *, media: Path, redis: str, email_port: int, keys: dict) -> dict:
    """Production settings (``bench.run.app_env``) on the drill's own services."""
    env = _run_module().app_env("unused", email_port)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=f"{redis}/0",
        CACHE_URL=f"{redis}/1",
        MEDIA_ROOT=str(media),
        VPSWG_ATTRIBUTION_KEYS=keys["VPSWG_ATTRIBUTION_KEYS"],
        VPSWG_MFA_KEYS=keys["VPSWG_MFA_KEYS"],
        # One proxy in front, as docker-compose.yml has: each simulated person comes from an
        # address of their own (X-Forwarded-For), so that the sign-in limits count by person.
        TRUSTED_PROXY_COUNT="1",
        NOTIFICATION_SWEEP_GRACE_SECONDS=str(SWEEP_GRACE_SECONDS),
    )
    return env


def django_step(env: dict, name: str, **extra: str) -> dict:
    run = _run_module()
    done = subprocess.run(
        [run.PYTHON, "-m", "bench.drills", name],
        cwd=run.ROOT,
        env={**env, **extra},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"bench.drills {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    run = _run_module()
    return subprocess.run(
        [run.PYTHON, "manage.py", *args], cwd=run.ROOT, env=env, capture_output=True, text=True
    )


def start_celery(env: dict, log: Path, *command: str) -> subprocess.Popen:
    run = _run_module()
    return subprocess.Popen(
        [run.PYTHON, "-m", "celery", "-A", "vpswg", *command],
        cwd=run.ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def wait_for(log: Path, text: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text():
            return
        if process.poll() is not None:
            raise SystemExit(f"{process.args[3:6]} stopped: see {log}")
        time.sleep(0.3)
    raise SystemExit(f"'{text}' never appeared in {log}")


# --- 1. Backup and restore ------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    from bench import pgcluster

    return str(pgcluster.bindir() / name)


def take_backup(env: dict, media: Path, folder: Path) -> dict:
    """docs/backup.md, step by step: the dump, then the manifest, then the files; the keys in
    places of their own."""
    database, files = folder / "database", folder / "files"
    vaults = {
        "VPSWG_ATTRIBUTION_KEYS": folder / "vault-attribution",
        "VPSWG_MFA_KEYS": folder / "vault-mfa",
    }
    for place in (database, files, *vaults.values()):
        place.mkdir(parents=True, exist_ok=True)
    timings = {}
    began = time.monotonic()
    dump = database / "vpswg.dump"
    subprocess.run(
        [_pg_tool("pg_dump"), "-Fc", "-d", env["DATABASE_URL"], "-f", str(dump)], check=True
    )
    timings["dump_s"] = round(time.monotonic() - began, 2)
    began = time.monotonic()
    manifest = files / "uploads.sha256"
    done = manage(env, "uploads_manifest", "--output", str(manifest))
    if done.returncode:
        raise RuntimeError(f"uploads_manifest failed:\n{done.stderr[-2000:]}")
    archive = files / "media.tar.gz"
    subprocess.run(["tar", "-czf", str(archive), "-C", str(media), "."], check=True)
    timings["files_s"] = round(time.monotonic() - began, 2)
    for variable, place in vaults.items():
        path = place / f"{variable.lower()}.txt"
        path.write_text(env[variable] + "\n")
        path.chmod(0o600)
    return {
        "dump": dump,
        "manifest": manifest,
        "archive": archive,
        "vaults": vaults,
        "dump_mb": round(dump.stat().st_size / 2**20, 1),
        "files_kb": round(archive.stat().st_size / 1024, 1),
        "manifest_files": len(manifest.read_text().splitlines()),
        **timings,
    }


def restore(backup: dict, primary, media: Path) -> dict:
    """Into a fresh database of the harness's own PostgreSQL and a fresh media folder."""
    began = time.monotonic()
    primary.create_database(RESTORED)
    subprocess.run(
        [
            _pg_tool("pg_restore"),
            "--exit-on-error",
            "--no-owner",
            "--role=vpswg",
            "-d",
            primary.url(RESTORED),
            str(backup["dump"]),
        ],
        check=True,
    )
    primary.query("ANALYZE", dbname=RESTORED)
    database_s = time.monotonic() - began
    began = time.monotonic()
    if media.exists():
        shutil.rmtree(media)
    media.mkdir(parents=True)
    subprocess.run(["tar", "-xzf", str(backup["archive"]), "-C", str(media)], check=True)
    return {
        "restore_db_s": round(database_s, 2),
        "restore_files_s": round(time.monotonic() - began, 2),
    }


def read_vaults(backup: dict) -> dict:
    return {
        variable: (place / f"{variable.lower()}.txt").read_text().strip()
        for variable, place in backup["vaults"].items()
    }


def verify(env: dict, manifest: Path) -> tuple[dict, float]:
    began = time.monotonic()
    done = manage(env, "verify_integrity", "--manifest", str(manifest), "--json")
    elapsed = time.monotonic() - began
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError) as exc:
        raise RuntimeError(f"verify_integrity printed no report:\n{done.stderr[-3000:]}") from exc
    report["exit_code"] = done.returncode
    return report, elapsed


def _summary(report: dict) -> dict:
    counts = report["total"]["counts"]
    return {
        "exit_code": report["exit_code"],
        "groups": len([slug for slug in report["groups"] if slug]),
        "versions_verified": counts.get("minutes versions", 0),
        "data_keys_opened": counts.get("data keys", 0),
        "records_decrypted": counts.get("attributed records", 0),
        "uploads_verified": counts.get("uploads", 0),
        "uploads_checksummed": counts.get("uploads checksummed", 0),
        "second_factors_opened": counts.get("second factors", 0),
        "audit_entries_verified": counts.get("audit entries", 0),
        "failures": report["total"]["failures"],
    }


# --- 2. The load -----------------------------------------------------------------------------------


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as allauth's TOTP checks it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


CSRF_COOKIE = "__Host-vpswg_csrf"
SIGN_IN = "/accounts/login/"


@dataclass
class Hit:
    began: float
    ended: float
    person: int
    kind: str
    status: int  # 0: no answer (a socket error)
    signin: bool = False  # redirected to the sign-in page


@dataclass
class Person:
    index: int
    email: str
    group: str
    role: str
    totp: str
    cookies: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def address(self) -> str:
        return f"10.77.{self.index // 200}.{self.index % 200 + 1}"


class Load:
    """People reading and writing over plain HTTP, as browsers behind the TLS proxy would."""

    def __init__(self, port: int, people: list[Person], plan: dict, password: str) -> None:
        self.port, self.people, self.plan, self.password = port, people, plan, password
        self.hits: list[Hit] = []
        self.writes: list[dict] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.origin = time.monotonic()
        self.signins: Counter = Counter()

    def now(self) -> float:
        return time.monotonic() - self.origin

    def request(self, person: Person, method: str, path: str, form: dict | None = None):
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": person.address,
        }
        with person.lock:
            if person.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in person.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": person.cookies.get(CSRF_COOKIE, "")}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = "https://127.0.0.1"
            headers["Referer"] = f"https://127.0.0.1{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        with person.lock:
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie = SimpleCookie()
                    cookie.load(value)
                    for key, morsel in cookie.items():
                        if morsel.value and morsel["max-age"] != "0":
                            person.cookies[key] = morsel.value
                        else:
                            person.cookies.pop(key, None)
        return response.status, response.getheader("Location", ""), content

    def timed(self, person: Person, kind: str, method: str, path: str, form=None):
        began = self.now()
        try:
            status, location, content = self.request(person, method, path, form)
        except (OSError, http.client.HTTPException):
            status, location, content = 0, "", b""
        hit = Hit(began, self.now(), person.index, kind, status, SIGN_IN in location)
        with self.lock:
            self.hits.append(hit)
        return hit, location, content

    def sign_in(self, person: Person) -> bool:
        """Through allauth's pages: the password, then the TOTP code for a Secretariat."""
        with person.lock:
            person.cookies.clear()
        self.timed(person, "sign-in", "GET", SIGN_IN)
        hit, location, _ = self.timed(
            person, "sign-in", "POST", SIGN_IN, {"login": person.email, "password": self.password}
        )
        if hit.status != 302 or ("/2fa/" in location) != bool(person.totp):
            return False
        if person.totp:
            for _attempt in range(2):
                self.timed(person, "sign-in", "GET", location)
                hit, _, _ = self.timed(
                    person, "sign-in", "POST", location, {"code": totp(person.totp)}
                )
                if hit.status == 302:
                    break
                # A code already used in this 30 s period is refused: the next one.
                time.sleep(30 - time.time() % 30 + 0.5)
            else:
                return False
        self.signins[person.index] += 1
        return True

    def reads(self, person: Person) -> list[tuple[str, str]]:
        g = f"/{person.group}"
        meetings = self.plan["groups"][person.group]["meetings"]
        meeting = random.choice(meetings)
        pages = [
            ("dashboard", f"{g}/"),
            ("meetings list", f"{g}/meetings/?page={random.randint(1, 3)}"),
            ("meeting page", f"{g}/meetings/{meeting}/"),
            ("minutes", f"{g}/meetings/{meeting}/minutes/"),
            ("directory", f"{g}/members/"),
        ]
        return pages

    def write(self, person: Person, kind: str = "") -> dict:
        marker = f"DRILL-{secrets.token_hex(6)}"
        g = f"/{person.group}"
        if person.role == "member":
            kind, path = "topic", f"{g}/meetings/topics/"
            form = {"title": marker, "description": "Proposed during the drill."}
            done = path
        else:
            entry = self.plan["groups"][person.group]
            meeting = entry["convened"]
            done = f"{g}/meetings/{meeting}/"
            if kind == "agenda item" or (not kind and random.random() < 0.5):
                kind, path = "agenda item", f"{g}/meetings/{meeting}/agenda/add/"
                form = {"topic": marker, "description": "", "format": "dialogue"}
                form["duration_minutes"] = "20"
            else:
                kind, path = "venue", f"{g}/meetings/{meeting}/edit/"
                form = {**entry["form"], "venue": f"Sala {marker}"}
        hit, location, _ = self.timed(person, f"write: {kind}", "POST", path, form)
        record = {
            "marker": marker,
            "kind": kind,
            # Answered as done: the redirect to where a saved form goes (an invalid form
            # answers with itself, a lost session with the sign-in page: not acknowledged).
            "acknowledged": hit.status == 302 and location.split("#")[0] == done,
            "status": hit.status,
            "location": location,
            "signin": hit.signin,
            "at": round(hit.began, 3),
        }
        with self.lock:
            self.writes.append(record)
        return record

    def person_loop(self, queue: list[Person]) -> None:
        while not self.stopping.is_set():
            person = random.choice(queue)
            if random.random() < (0.15 if person.role == "secretariat" else 0.05):
                signed_out = self.write(person)["signin"]
            else:
                kind, path = random.choice(self.reads(person))
                hit, _, _ = self.timed(person, kind, "GET", path)
                signed_out = hit.signin
            if signed_out:
                # Asked to sign in again: a person does, and goes on.
                self.sign_in(person)

    def sessions_after(self, began: float, ended: float, until: float) -> dict:
        """What each person's first answer after a restart said of their session: still valid,
        or a redirect to the sign-in page (none: no request before ``until``). Counted from
        the first request answered after the restart that was not an error (errors are the
        window's), the group's home page left out: it is public, and says nothing of a
        session."""
        first: dict[int, Hit] = {}
        with self.lock:
            hits = sorted(self.hits, key=lambda h: h.ended)
        for hit in hits:
            if hit.kind in {"dashboard", "sign-in"} or hit.status == 0 or hit.status >= 500:
                continue
            # Answered once Redis was back; sent after the restart began, or sent just before
            # and sent to sign in (its session was read after): what that person met.
            if (hit.began >= began or hit.signin) and ended <= hit.ended < until:
                first.setdefault(hit.person, hit)
        outcome: Counter = Counter()
        for person in self.people:
            hit = first.get(person.index)
            if hit is None:
                outcome["no request"] += 1
            elif hit.signin:
                outcome["asked to sign in"] += 1
            elif hit.status in (200, 302):
                outcome["valid"] += 1
            else:
                outcome[f"status {hit.status}"] += 1
        return dict(outcome)


def window_errors(hits: list[Hit], began: float, ended: float, until: float) -> dict:
    """Errors (5xx, no answer) of requests that overlapped the restart, and any after it."""
    during = [h for h in hits if h.ended >= began and h.began <= ended]
    after = [h for h in hits if ended < h.began and h.ended < until]
    bad = [h for h in during if h.status == 0 or h.status >= 500]
    late = [h for h in after if h.status == 0 or h.status >= 500]
    return {
        "began_at_s": round(began, 2),
        "until": until,
        "window_s": round(ended - began, 2),
        "requests_during": len(during),
        "errors_during": len(bad),
        "errors_by_status": dict(Counter(str(h.status) for h in bad)),
        "errors_after": len(late),
        "last_error_after_s": round(max((h.ended for h in late), default=ended) - ended, 2),
        "signin_redirects_after": sum(1 for h in after if h.signin),
    }


# --- The drill ---------------------------------------------------------------------------------------


def run(source: str, redis_dbs: tuple[int, int]) -> dict:
    """Both drills; returns their figures (the results table's section and the raw JSON)."""
    from aiosmtpd.controller import Controller

    from bench import pgcluster

    bench = _run_module()
    work = bench.WORK / "drills"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    mailbox = bench.Mailbox()
    smtp_port = bench.free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    media = work / "media"
    media.mkdir()
    keys = {
        "VPSWG_ATTRIBUTION_KEYS": bench.ring_from_file(
            "VPSWG_ATTRIBUTION_KEYS", bench.WORK / "keys" / "attribution.txt"
        ),
        "VPSWG_MFA_KEYS": bench.ring_from_file("VPSWG_MFA_KEYS", bench.WORK / "keys" / "mfa.txt"),
    }
    shared_redis = "redis://127.0.0.1:6379"
    result: dict = {}
    primary = None
    processes: list[subprocess.Popen] = []
    redis = None
    try:
        bench.say(f"drills: copying {source}, with uploads made through the services")
        bench._create(COPY, template=source)
        source_env = drill_env(
            f"postgres://vpswg:vpswg@127.0.0.1:5432/{COPY}",
            media=media,
            redis=shared_redis,
            email_port=smtp_port,
            keys=keys,
        )
        # The copy is served by no worker: its notices (an applicant's confirmation) are sent
        # in-process, to the drill's SMTP server.
        source_env.update(
            REDIS_URL=f"{shared_redis}/{redis_dbs[0]}",
            CACHE_URL=f"{shared_redis}/{redis_dbs[1]}",
            CELERY_TASK_ALWAYS_EAGER="true",
        )
        result["seeded"] = django_step(source_env, "seed")
        bench.say("drills: the backup (database, files and manifest, keys: apart)")
        backup = take_backup(source_env, media, work / "backup")
        bench._drop(COPY)
        primary = pgcluster.make_primary(work / "pg")
        restored_media = work / "restored-media"
        timings = restore(backup, primary, restored_media)
        restored_url = primary.url(RESTORED)
        redis = Redis(work / "redis", bench.free_port())
        redis.start()
        redis_url = f"redis://127.0.0.1:{redis.port}"
        env = drill_env(
            restored_url,
            media=restored_media,
            redis=redis_url,
            email_port=smtp_port,
            keys=read_vaults(backup),
        )
        bench.say("drills: verify_integrity on the restore")
        with_keys, verify_s = verify(env, backup["manifest"])
        # Whoever holds the database dump alone: key rings that are not the installation's.
        strangers = {"VPSWG_ATTRIBUTION_KEYS": _entry(), "VPSWG_MFA_KEYS": _entry()}
        without_keys, _ = verify({**env, **strangers}, backup["manifest"])
        result["backup"] = {
            "dump_mb": backup["dump_mb"],
            "files_kb": backup["files_kb"],
            "manifest_files": backup["manifest_files"],
            "dump_s": backup["dump_s"],
            "files_s": backup["files_s"],
            **timings,
            "verify_s": round(verify_s, 1),
            "with_keys": _summary(with_keys),
            "without_keys": _summary(without_keys),
            "failures_listed": [
                f for tally in with_keys["groups"].values() for f in tally["failures"]
            ][:20],
        }
        bench.say(f"drills: restored and verified: {result['backup']['with_keys']}")
        result["restarts"] = restart_drill(env, primary, redis, mailbox, work, processes)
    finally:
        for process in processes:
            bench.stop(process)
        if redis is not None:
            redis.stop(keep=False)
        if primary is not None:
            primary.remove()
        controller.stop()
        bench._drop(COPY)
    return result


def outbox(primary, floor: int) -> dict:
    """The run's notices (rows above ``floor`` with an address) by status, read with SQL:
    quicker than a Django process, so that the timeline holds."""
    rows = dict(
        primary.query(
            "SELECT status, count(*) FROM vpswg_notification WHERE id > %s AND email <> '' "
            "GROUP BY status",
            [floor],
            dbname=RESTORED,
        )
    )
    return {
        "pending": rows.get("pending", 0),
        "failed": rows.get("failed", 0),
        "total": sum(rows.values()),
    }


def _entry() -> str:
    from vpswg.crypto import generate_entry

    return generate_entry("stranger")


def restart_drill(env: dict, primary, redis: Redis, mailbox, work: Path, processes: list) -> dict:
    bench = _run_module()
    plan = django_step(env, "prepare")
    server = _run_module().start_gunicorn("", work / "gunicorn.log", env=env)
    processes.append(server.process)
    worker_log = work / "celery-worker.log"
    worker = start_celery(
        env,
        worker_log,
        "worker",
        "-c",
        "2",
        "-l",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "-n",
        "drills@%h",
    )
    processes.append(worker)
    beat = start_celery(
        env, work / "celery-beat.log", "beat", "-l", "INFO", f"--schedule={work / 'beat'}"
    )
    processes.append(beat)
    wait_for(worker_log, "ready.", worker)
    people = [
        Person(n, p["email"], p["group"], p["role"], p["totp"])
        for n, p in enumerate(plan["people"])
    ]
    load = Load(server.port, people, plan, plan["password"])
    for person in people:
        if not load.sign_in(person):
            raise SystemExit(f"drills: {person.email} could not sign in: see {work}/gunicorn.log")
    bench.say(f"drills: {len(people)} people signed in; the load starts")
    load.origin = time.monotonic()
    threads = [
        threading.Thread(target=load.person_loop, args=(people[n::THREADS],), daemon=True)
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    windows: dict[str, dict] = {}

    def at(second: float) -> None:
        time.sleep(max(0.0, second - load.now()))

    at(TIMELINE["postgresql"])
    began = load.now()
    primary.stop("fast")
    primary.start()
    windows["postgresql"] = {"began": began, "ended": load.now()}
    bench.say(f"drills: PostgreSQL restarted in {load.now() - began:.2f} s")
    at(TIMELINE["redis"])
    began = load.now()
    redis.restart(keep=True)
    windows["redis"] = {"began": began, "ended": load.now()}
    bench.say(f"drills: Redis restarted from its append-only file in {load.now() - began:.2f} s")
    # Redis loses its data with work queued in it: the worker is held (as if busy elsewhere),
    # a Secretariat moves the venue (every invited person is notified), and only then Redis
    # comes back empty. What was queued is gone; the sweep must send it.
    at(TIMELINE["redis_empty"] - 8)
    worker.send_signal(signal.SIGSTOP)
    secretariat = next(p for p in people if p.role == "secretariat")
    held = load.write(secretariat, kind="venue")
    queued = outbox(primary, plan["floor"])["pending"]
    at(TIMELINE["redis_empty"])
    began = load.now()
    redis.restart(keep=False)
    windows["redis_empty"] = {"began": began, "ended": load.now()}
    worker.send_signal(signal.SIGCONT)
    bench.say(f"drills: Redis restarted empty in {load.now() - began:.2f} s, {queued} notices lost")
    at(TIMELINE["end"])
    load.stopping.set()
    for thread in threads:
        thread.join(60)
    load_ended = time.time()
    names = list(windows)
    windows_report = {
        name: window_errors(
            load.hits,
            windows[name]["began"],
            windows[name]["ended"],
            windows[names[n + 1]]["began"] if n + 1 < len(names) else TIMELINE["end"],
        )
        for n, name in enumerate(names)
    }
    sessions = {
        name: load.sessions_after(
            windows[name]["began"], windows[name]["ended"], windows_report[name]["until"]
        )
        for name in ("redis", "redis_empty")
    }
    windows_report["redis_empty"]["notices_queued_when_lost"] = queued
    windows_report["redis_empty"]["venue_moved_before"] = held["acknowledged"]
    # The outbox drains: the worker sends what was queued, the sweep (beat) what the empty
    # Redis lost.
    deadline = time.time() + DRAIN_TIMEOUT
    waiting = outbox(primary, plan["floor"])
    while waiting["pending"] and time.time() < deadline:
        time.sleep(1)
        waiting = outbox(primary, plan["floor"])
    drained_s = time.time() - load_ended
    time.sleep(5)  # a duplicate would arrive now
    (work / "hits.json").write_text(json.dumps([vars(h) for h in load.hits]))
    markers_file = work / "markers.json"
    markers_file.write_text(json.dumps({"floor": plan["floor"], "writes": load.writes}))
    found = django_step(env, "check", DRILL_MARKERS=str(markers_file))
    return _restart_report(load, plan, windows_report, sessions, found, mailbox, waiting, drained_s)


def _restart_report(load, plan, windows, sessions, found, mailbox, waiting, drained_s) -> dict:
    stored = {kind: set(values) for kind, values in found["found"].items()}

    def in_db(write: dict) -> bool:
        marker = write["marker"]
        return marker in stored[write["kind"]]

    acknowledged = [w for w in load.writes if w["acknowledged"]]
    lost = [w for w in acknowledged if not in_db(w)]
    unacknowledged = [w for w in load.writes if not w["acknowledged"]]
    # Writes answered with an error that were committed all the same.
    committed_anyway = [w for w in unacknowledged if in_db(w)]
    with mailbox.lock:
        messages = list(mailbox.messages)
    expected = {n["id"]: n for n in found["notices"]}
    delivered = Counter(m[3] for m in messages if m[3] in expected)
    per_recipient_expected = Counter(n["email"] for n in found["notices"])
    per_recipient = Counter(m[1] for m in messages if m[3] in expected)
    statuses = Counter(h.status for h in load.hits if h.kind != "probe")
    return {
        "people": len(load.people),
        "seconds": TIMELINE["end"],
        "requests": len(load.hits),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors_total": sum(n for s, n in statuses.items() if s == 0 or s >= 500),
        "signins_again": sum(load.signins.values()) - len(load.people),
        "windows": windows,
        "sessions": sessions,
        "writes": len(load.writes),
        "writes_by_kind": dict(Counter(w["kind"] for w in load.writes)),
        "acknowledged": len(acknowledged),
        "acknowledged_lost": len(lost),
        "lost": lost[:10],
        "unacknowledged": len(unacknowledged),
        "unacknowledged_committed": len(committed_anyway),
        "unacknowledged_statuses": dict(Counter(str(w["status"]) for w in unacknowledged)),
        "notices": len(expected),
        "notices_by_kind": dict(Counter(n["kind"] for n in found["notices"])),
        "notices_delivered": len(delivered),
        "notices_missing": len(expected) - len(delivered),
        "notices_duplicated": sum(n - 1 for n in delivered.values() if n > 1),
        "recipients": len(per_recipient_expected),
        "recipients_exact": sum(
            1 for email, n in per_recipient_expected.items() if per_recipient[email] == n
        ),
        "notices_pending_at_end": waiting["pending"],
        "notices_failed": waiting["failed"],
        "drained_after_load_s": round(drained_s, 1),
    }


# --- The results table ---------------------------------------------------------------------------


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def _sessions(counts: dict) -> str:
    return ", ".join(f"{what} {n}" for what, n in sorted(counts.items())) or "—"


def report_lines(result: dict) -> list[str]:
    """The drills' section of the results markdown (``bench.run.report``)."""
    b, r = result["backup"], result["restarts"]
    keyed, alone = b["with_keys"], b["without_keys"]

    def verify_row(name: str, v: dict) -> str:
        return (
            f"| {name} | {v['versions_verified']:,} | {v['data_keys_opened']:,} | "
            f"{v['records_decrypted']:,} | {v['uploads_verified']} ({v['uploads_checksummed']}) | "
            f"{v['second_factors_opened']} | {v['audit_entries_verified']:,} | {v['failures']} | "
            f"{v['exit_code']} |"
        )

    restore_met = keyed["failures"] == 0 and keyed["exit_code"] == 0
    apart_met = alone["records_decrypted"] == 0 and alone["second_factors_opened"] == 0
    lines = [
        "",
        "## Operations drills",
        "",
        "### Backup and restore",
        "",
        f"A copy of S1 with {result['seeded']['uploads']} uploads and "
        f"{result['seeded']['authenticators']} second factors made through the services, backed "
        "up as docs/backup.md says, each part in a place of its own, then restored into a fresh "
        "database of a PostgreSQL of the harness's own (`initdb`, another port) and a fresh "
        "media folder, and checked with `manage.py verify_integrity --manifest`.",
        "",
        "| Part | Size | Backup s | Restore s |",
        "|---|---:|---:|---:|",
        f"| Database (`pg_dump -Fc`, `pg_restore`) | {b['dump_mb']} MB | {b['dump_s']} | "
        f"{b['restore_db_s']} |",
        f"| Uploaded files (tar of `MEDIA_ROOT`, `uploads_manifest`: {b['manifest_files']} "
        f"files) | {b['files_kb']} KB | {b['files_s']} | {b['restore_files_s']} |",
        "| Key rings (one file each, apart from the rest) | 2 entries | — | — |",
        "",
        "| `verify_integrity` | Versions (hash) | Data keys opened | Records decrypted | "
        "Uploads (checksummed) | Second factors | Audit entries | Failures | Exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        verify_row("with the key rings from their backup", keyed),
        verify_row("the database alone (any other key rings)", alone),
        "",
        f"Restored whole: {_yes(restore_met)} (no failure, exit 0, in {b['verify_s']} s). "
        f"The database dump alone decrypts nothing: {_yes(apart_met)}.",
        "",
        "### Restarts under load",
        "",
        f"The restored installation under gunicorn (2 workers), a Celery worker (concurrency 2) "
        f"and beat, a Redis of the drill's own with its append-only file, a local SMTP server; "
        f"{r['people']} people ({len(LOAD_GROUPS)} groups' members, {len(WRITING_GROUPS)} "
        f"Secretariats) reading and writing for {r['seconds']:.0f} s on {THREADS} threads: "
        f"{r['requests']:,} requests (by status: {_sessions(r['statuses'])}; 0 is no answer).",
        "",
        "| Restart | Began at s | Window s | Requests during | Errors during | Errors after | "
        "First request of each person after |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    names = {
        "postgresql": "PostgreSQL: `pg_ctl stop -m fast`, start",
        "redis": "Redis: SIGTERM, started again from its append-only file",
        "redis_empty": "Redis: killed, started again empty (its data lost)",
    }
    for key, name in names.items():
        w = r["windows"][key]
        lines.append(
            f"| {name} | {w['began_at_s']} | {w['window_s']} | {w['requests_during']} | "
            f"{w['errors_during']} | {w['errors_after']} | {_sessions(r['sessions'].get(key, {}))} |"
        )
    no_late = all(w["errors_after"] == 0 for w in r["windows"].values())
    sessions_clean = all(
        not any(k.startswith("status") for k in counts) for counts in r["sessions"].values()
    )
    notices_met = (
        r["notices_delivered"] == r["notices"]
        and r["notices_duplicated"] == 0
        and r["recipients_exact"] == r["recipients"]
    )
    empty = r["windows"]["redis_empty"]
    lines += [
        "",
        "| Writes | Acknowledged | Acknowledged and found in the database | Lost | "
        "Not acknowledged (statuses) | Not acknowledged but committed |",
        "|---:|---:|---:|---:|---|---:|",
        f"| {r['writes']} ({_sessions(r['writes_by_kind'])}) | {r['acknowledged']} | "
        f"{r['acknowledged'] - r['acknowledged_lost']} | {r['acknowledged_lost']} | "
        f"{r['unacknowledged']} ({_sessions(r['unacknowledged_statuses'])}) | "
        f"{r['unacknowledged_committed']} |",
        "",
        "| Notices created during the run | Delivered | Duplicates | Missing | Recipients "
        "with exactly their notices | Still pending | Outbox empty after the load |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['notices']} ({_sessions(r['notices_by_kind'])}) | {r['notices_delivered']} | "
        f"{r['notices_duplicated']} | {r['notices_missing']} | {r['recipients_exact']} of "
        f"{r['recipients']} | {r['notices_pending_at_end']} | {r['drained_after_load_s']} s |",
        "",
        f"No acknowledged write lost: {_yes(r['acknowledged_lost'] == 0)}. No error once a "
        f"restart was over: {_yes(no_late)}. Sessions after a restart valid or a redirect to "
        f"sign in, never an error: {_yes(sessions_clean)} (people redirected signed in again "
        f"and went on: {r['signins_again']} sign-ins). Every notice delivered exactly once: "
        f"{_yes(notices_met)}. Before Redis was restarted empty the worker was held and a "
        f"Secretariat moved a venue: {empty.get('notices_queued_when_lost', 0)} notices were "
        f"queued in Redis and lost with it; the outbox sweep (beat, every minute, rows older "
        f"than {SWEEP_GRACE_SECONDS} s here, 120 s by default) sent them. Errors during a window "
        "are the requests that met PostgreSQL or Redis down: a service that does not answer is "
        "answered 503 with Retry-After (vpswg.views.server_error), anything else 500; the "
        "statuses are counted above.",
    ]
    return lines


def main() -> None:
    _setup()
    print(json.dumps(STEPS[sys.argv[1]]()))


if __name__ == "__main__":
    main()
