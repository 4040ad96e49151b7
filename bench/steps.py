"""The benchmark's steps that run inside Django: ``python -m bench.steps <step>``.

Each runs in its own process with the environment the orchestrator (``bench.run``) gives it,
so it sees the database of the size being measured, with the production settings the server
runs on. Each prints one JSON object on its last line of output.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time

import django

GROUP = "scale-0001"
#: The member who reads (an account with the member role only).
MEMBER_EMAIL = "user10@scale-0001.example.org"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()


def _totp(user) -> str:
    """A fresh TOTP authenticator for ``user`` (the privileged roles must have one)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _sign_in(user, secret: str | None, password: str, address: str = "127.0.0.1"):
    """Sign in through allauth's forms as a browser would; returns the signed-in client.
    ``address``: where the person signs in from (the sign-in rate limit counts by address)."""
    from allauth.mfa.totp.internal.auth import hotp_value
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR=address)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": password}, secure=True
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in of {user.email} failed: {response.status_code}")
    if secret is not None:
        for _attempt in range(3):
            # As a person does: a code about to expire is not typed, and one that expired on
            # the way (a loaded machine) is followed by the next one.
            left = 30 - time.time() % 30
            if left < 3:
                time.sleep(left + 0.1)
            code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
            response = client.post(reverse("mfa_authenticate"), {"code": code}, secure=True)
            if response.status_code == 302:
                break
            time.sleep(30 - time.time() % 30 + 0.1)
        else:
            raise SystemExit(f"second factor of {user.email} failed: {response.status_code}")
    return client


def _cookie_header(client) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def prepare() -> dict:
    """Sessions for the three roles (as Cookie headers), and the pages to measure."""
    session = prepare_clients()
    cookies = {role: _cookie_header(client) for role, client in session.pop("clients").items()}
    return {"cookies": cookies, **session}


def prepare_clients() -> dict:
    """Signed-in clients for the three roles, and the pages to measure."""
    from demo.management.commands.seed_scale import PASSWORD
    from meetings.models import Minutes
    from vpswg.models import RoleAssignment, User, WorkingGroup
    from vpswg.scoping import group_scope

    group = WorkingGroup.objects.get(slug=GROUP)
    with group_scope(group):
        secretariat = RoleAssignment.objects.select_related("user").get(role="secretariat").user
        seat = (
            RoleAssignment.objects.select_related("user")
            .filter(role="coordination")
            .order_by("id")
            .first()
            .user
        )
        minutes = Minutes.objects.select_related("meeting").get(status="circulated")
        meeting = minutes.meeting.pk
    member = User.objects.get(email=MEMBER_EMAIL)
    clients = {
        "member": _sign_in(member, None, PASSWORD),
        "secretariat": _sign_in(secretariat, _totp(secretariat), PASSWORD),
        "coordination": _sign_in(seat, _totp(seat), PASSWORD),
    }
    g = f"/{GROUP}"
    pages = [
        ("baseline", "member", "/_bench/baseline/"),
        ("layout only", "member", f"{g}/_bench/chrome/"),
        ("group dashboard", "member", f"{g}/"),
        # The Secretariat's dashboard carries the founding guide (one query of EXISTS).
        ("dashboard with the guide", "secretariat", f"{g}/"),
        ("terms of reference", "member", f"{g}/terms/"),
        ("meetings list", "member", f"{g}/meetings/"),
        ("meeting page", "member", f"{g}/meetings/{meeting}/"),
        ("members' minutes", "member", f"{g}/meetings/{meeting}/minutes/"),
        ("attributed minutes", "secretariat", f"{g}/meetings/{meeting}/minutes/"),
        ("directory", "member", f"{g}/members/"),
        ("applications review", "coordination", f"{g}/members/applications/"),
        ("activity register", "secretariat", f"{g}/activities/"),
        ("reports", "secretariat", f"{g}/reports/"),
        # Words every group's minutes hold many times: the ranking and the snippets of a page
        # of twenty are drawn over hundreds of matches.
        ("search", "member", f"{g}/search/?q=police+agreement"),
        ("search attributed", "secretariat", f"{g}/search/?q=police+agreement"),
    ]
    return {"clients": clients, "pages": pages, "member_name": member.full_name}


#: The people of the mixed-traffic scenario in each group, besides its Secretariat, one
#: Coordination seat and one observer (``mixed_prepare``).
MIXED_MEMBERS_PER_GROUP = 3


def _cookies(client) -> dict[str, str]:
    return {name: morsel.value for name, morsel in client.cookies.items()}


def _sign_in_part(people: list[tuple[int, str | None, str]]) -> dict[int, dict[str, str]]:
    """Sign in each of ``people`` (user id, TOTP secret or None, address): their cookies."""
    from demo.management.commands.seed_scale import PASSWORD
    from vpswg.models import User

    users = User.objects.in_bulk([pk for pk, _secret, _address in people])
    return {
        pk: _cookies(_sign_in(users[pk], secret, PASSWORD, address))
        for pk, secret, address in people
    }


def _sign_in_all(people: list[tuple[int, str | None, str]]) -> dict[int, dict[str, str]]:
    """Every sign-in is a real one (password hashed, second factor), so it takes a PBKDF2's
    time each: two processes share them (the machine's two cores)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    connections.close_all()  # each forked process opens its own
    signed: dict[int, dict[str, str]] = {}
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        for part in pool.map(_sign_in_part, [people[0::2], people[1::2]]):
            signed.update(part)
    return signed


def mixed_prepare(path: str) -> dict:
    """The people of the mixed-traffic scenario (``bench.mixed``), signed in, written to
    ``path`` (JSON).

    In every scale group: its Secretariat, a Coordination seat, an observer and three members
    (six hundred people at S10), every other one reading in Spanish (their account's
    language), the others in English. Each group's next plenary is convened through the
    product's service (invitations, notices in the outbox), so that members and observers have
    an invitation to answer. Each person signs in through allauth's forms with the test
    client, as ``prepare_clients`` does (the Secretariat and the seats with a fresh TOTP
    second factor), from an address of their own on the loopback range: the sign-in rate limit
    counts by address, and 600 people do not sign in from one. The sessions are in Redis, as
    the server's; the file holds each person's cookies, role, group and language, the
    meetings they may write to, and the years of the group's meetings (the list's filter).
    """
    import random

    from django.utils import timezone

    from meetings.models import Meeting, Minutes
    from meetings.services.meetings import convene as convene_meeting
    from vpswg.models import RoleAssignment, User, WorkingGroup
    from vpswg.scoping import group_scope

    rng = random.Random(17)
    began = time.monotonic()
    people: list[dict] = []
    secrets_by_user: dict[int, str] = {}
    for group in WorkingGroup.objects.filter(slug__startswith="scale-").order_by("slug"):
        with group_scope(group):
            by_role: dict[str, list[User]] = {}
            for assignment in RoleAssignment.objects.select_related("user").order_by(
                "user_id", "role"
            ):
                by_role.setdefault(assignment.role, []).append(assignment.user)
            secretariat = by_role["secretariat"][0]
            seat = by_role["coordination"][0]
            privileged = {secretariat.pk, *(u.pk for u in by_role["coordination"])}
            members = [u for u in by_role["member"] if u.pk not in privileged]
            chosen = [
                (secretariat, "secretariat"),
                (seat, "seat"),
                (rng.choice(by_role["observer"]), "observer"),
                *((u, "member") for u in rng.sample(members, MIXED_MEMBERS_PER_GROUP)),
            ]
            upcoming = Meeting.objects.get(
                kind=Meeting.Kind.PLENARY,
                status=Meeting.Status.PLANNED,
                start__gt=timezone.now(),
            )
            convene_meeting(meeting=upcoming, actor=secretariat)
            draft = Minutes.objects.get(status=Minutes.Status.DRAFT).meeting_id
            circulated = Minutes.objects.get(status=Minutes.Status.CIRCULATED).meeting_id
            closed = list(
                Meeting.objects.filter(kind=Meeting.Kind.COORDINATION).values_list("pk", flat=True)
            )
            years = sorted({d.year for d in Meeting.objects.dates("start", "year")}, reverse=True)
            for user, role in chosen:
                if role in {"secretariat", "seat"}:
                    secrets_by_user[user.pk] = _totp(user)
                people.append(
                    {
                        "id": user.pk,
                        "email": user.email,
                        "name": user.full_name,
                        "role": role,
                        "group": group.slug,
                        "upcoming": upcoming.pk,
                        "draft": draft,
                        "circulated": circulated,
                        "coordination": closed,
                        "years": years,
                    }
                )
    convened = time.monotonic() - began
    for n, person in enumerate(people):
        person["language"] = "es" if n % 2 else "en"
    for language in ("es", "en"):
        User.objects.filter(pk__in=[p["id"] for p in people if p["language"] == language]).update(
            language=language
        )
    began = time.monotonic()
    signed = _sign_in_all(
        [
            (p["id"], secrets_by_user.get(p["id"]), f"127.1.{n // 250}.{n % 250 + 1}")
            for n, p in enumerate(people)
        ]
    )
    signing = time.monotonic() - began
    for person in people:
        person["cookies"] = signed[person["id"]]
    from pathlib import Path

    Path(path).write_text(json.dumps({"people": people}, indent=1))
    roles: dict[str, int] = {}
    for person in people:
        roles[person["role"]] = roles.get(person["role"], 0) + 1
    return {
        "path": path,
        "people": len(people),
        "groups": len({p["group"] for p in people}),
        "roles": roles,
        "convene_s": round(convened, 1),
        "sign_in_s": round(signing, 1),
    }


def _pages(pdf: bytes) -> int:
    """Pages of a PDF, as poppler's pdfinfo counts them (WeasyPrint compresses its objects)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))


def _long_minutes(group, contributions: int):
    """A held plenary whose circulated minutes have ``contributions`` contributions."""
    from datetime import timedelta

    from django.utils import timezone

    from demo.scale import CLAUSES, TOPICS, approved_version
    from meetings.models import Contribution, Meeting, Minutes, MinutesSection
    from meetings.services import attribution
    from vpswg.models import RoleAssignment

    secretariat_id = RoleAssignment.objects.filter(role="secretariat").values_list(
        "user_id", flat=True
    )[0]
    meeting = Meeting.objects.create(
        working_group=group,
        kind=Meeting.Kind.PLENARY,
        title=f"Long plenary ({contributions} contributions)",
        start=timezone.now() - timedelta(days=2),
        status=Meeting.Status.HELD,
    )
    minutes = Minutes.objects.create(
        working_group=group, meeting=meeting, summary=CLAUSES[0], status=Minutes.Status.CIRCULATED
    )
    sections = MinutesSection.objects.bulk_create(
        [
            MinutesSection(
                working_group=group, minutes=minutes, position=n, title=TOPICS[n % len(TOPICS)]
            )
            for n in range(8)
        ]
    )
    rows = Contribution.objects.bulk_create(
        [
            Contribution(
                working_group=group,
                section=sections[n % 8],
                position=n,
                text="; ".join(CLAUSES[(n + k) % len(CLAUSES)] for k in range(3)).capitalize()
                + ".",
            )
            for n in range(contributions)
        ]
    )
    key = attribution.data_key(minutes, create=True).key
    for row in rows:  # unattributed, sealed as the product seals "nobody"
        row.speaker_sealed = attribution.seal_speaker(key, minutes.pk, row.pk, attribution.NOBODY)
    Contribution.objects.bulk_update(rows, ["speaker_sealed"])
    version = approved_version(minutes, secretariat_id, key)
    version.save()
    minutes.current_version = version
    minutes.circulated_version = version
    minutes.save(update_fields=["current_version", "circulated_version"])
    return minutes


def pdf(runs: int = 9) -> dict:
    """The members' minutes PDF of 20 pages through the product (the view, as a member: the
    session, the policy, the access log, the HTML, WeasyPrint, the response) against
    WeasyPrint alone on the same HTML.

    A fair comparison: WeasyPrint alone is given the HTML the view makes (the same function,
    the same watermark), the same ``base_url`` and the same stylesheet, parsed once, with a
    font configuration made once, so both are warm; only the product's own work differs.
    The two are timed in turn (ours, alone, alone, ours, ...), each after a garbage
    collection, so that neither pays for the other's garbage nor for a drift of the machine's
    load (on a shared machine, runs a minute apart differ by 15 %);
    wall-clock and CPU time (this process's: what other processes take does not count) are
    both reported, as medians."""
    import gc

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from demo.management.commands.seed_scale import PASSWORD
    from meetings.minutes_views import PDF_STYLESHEETS, render_minutes_pdf, version_pdf_html
    from vpswg import pdf as vpswg_pdf
    from vpswg.models import User, WorkingGroup
    from vpswg.scoping import group_scope

    group = WorkingGroup.objects.get(slug=GROUP)
    member = User.objects.get(email=MEMBER_EMAIL)
    contributions, pages = 160, 0
    with group_scope(group):
        for _ in range(6):
            minutes = _long_minutes(group, contributions)
            content = minutes.circulated_version.members
            pages = _pages(render_minutes_pdf(group, content, reader=member))
            if pages == 20:
                break
            contributions = max(
                8, round(contributions * (20 / pages + (0.02 if pages < 20 else -0.02)))
            )
    client = _sign_in(member, None, PASSWORD)
    url = f"/{GROUP}/meetings/{minutes.meeting_id}/minutes.pdf"

    def ours() -> None:
        response = client.get(url, secure=True)
        assert response.status_code == 200, response

    with group_scope(group):
        html = version_pdf_html(group, minutes.circulated_version_id, "members", reader=member)
    fonts = FontConfiguration()
    css = CSS(
        string="".join(vpswg_pdf.static_path(name).read_text() for name in PDF_STYLESHEETS),
        font_config=fonts,
    )

    def alone() -> None:
        HTML(string=html, base_url=f"{vpswg_pdf.SCHEME}:/").write_pdf(
            stylesheets=[css], font_config=fonts
        )

    timed: dict[str, list[tuple[float, float]]] = {"ours": [], "alone": []}

    def time_it(name: str, call) -> None:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        timed[name].append((time.perf_counter() - wall, time.process_time() - cpu))

    for _ in range(2):  # warm: templates, fonts, stylesheet, the kept rendering
        ours()
        alone()
    for n in range(runs):
        for name in ("ours", "alone") if n % 2 == 0 else ("alone", "ours"):
            time_it(name, ours if name == "ours" else alone)
    assert _pages(client.get(url, secure=True).content) == pages

    def median(name: str, index: int) -> float:
        return statistics.median(t[index] for t in timed[name])

    return {
        "pages": pages,
        "contributions": contributions,
        "ours_s": round(median("ours", 0), 3),
        "weasyprint_s": round(median("alone", 0), 3),
        "overhead": round(median("ours", 0) / median("alone", 0) - 1, 3),
        "ours_cpu_s": round(median("ours", 1), 3),
        "weasyprint_cpu_s": round(median("alone", 1), 3),
        "cpu_overhead": round(median("ours", 1) / median("alone", 1) - 1, 3),
    }


def convene() -> dict:
    """Move every group's next plenary ten days ahead, count who will be told, and start the
    daily job through the broker (the worker fans it out per group)."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting
    from members.models import Representative
    from vpswg.scoping import scopes_disabled

    with scopes_disabled():
        planned = Meeting.objects.filter(kind="plenary", status="planned")
        planned.update(start=timezone.now() + timedelta(days=10))
        groups = planned.values("working_group").distinct().count()
        recipients = (
            Representative.objects.filter(
                working_group__in=planned.values("working_group"),
                end_date__isnull=True,
                institution__standing="active",
            )
            .values("user")
            .distinct()
            .count()
        )
    from meetings.tasks import daily

    began = time.time()
    daily.delay()
    return {"groups": groups, "expected": recipients, "started": began}


IMPORT_ROWS = 300
#: The bad rows of the spreadsheet, one of each error the preview names, at these positions.
IMPORT_BAD = {
    17: ("organisers", "Institución que no existe"),
    63: ("start_date", "31/02/2024"),
    140: ("women", 99),
    201: ("kind", "Excursión"),
    288: ("title", ""),
}


def _import_workbook(names: list[str]) -> bytes:
    """A 300-row XLSX as a Secretariat fills the template: date cells, one to three organisers
    by name or short name, counts in two sectors; five rows wrong, one way each."""
    import io
    from datetime import date, timedelta

    from openpyxl import Workbook

    from activities import importing

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(c.label) for c in importing.COLUMNS])
    keys = importing.KEYS
    kinds = ["Workshop", "Course", "Seminar", "Forum", "Panel", "Training"]
    for n in range(IMPORT_ROWS):
        row = {
            "title": f"Imported activity {n + 1:03d}",
            "kind": kinds[n % len(kinds)],
            "start_date": date(2023, 1, 2) + timedelta(days=3 * n),
            "place": "Cusco",
            "region": "Cusco",
            "organisers": "; ".join(names[(n + k) % len(names)] for k in range(1 + n % 3)),
            "police_military_total": 30 + n % 20,
            "police_military_women": 5,
            "police_military_men": 20,
            "community_total": 10,
        }
        if n in IMPORT_BAD:
            column, value = IMPORT_BAD[n]
            row["police_military_women" if column == "women" else column] = value
        sheet.append([row.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_spreadsheet() -> dict:
    """The Secretariat's import of a 300-row spreadsheet with five bad rows, through the pages
    (upload, preview, import) on the production settings: the preview must show the five
    errors and the import register the 295 others. Times are wall-clock, queries counted."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from activities.models import Activity
    from demo.management.commands.seed_scale import PASSWORD
    from members.models import Institution
    from vpswg.models import RoleAssignment, WorkingGroup
    from vpswg.scoping import group_scope

    group = WorkingGroup.objects.get(slug=GROUP)
    with group_scope(group):
        secretariat = RoleAssignment.objects.select_related("user").get(role="secretariat").user
        institutions = list(Institution.objects.filter(standing="active").order_by("pk"))
        names = [i.short_name or i.name if n % 2 else i.name for n, i in enumerate(institutions)]
        before = Activity.objects.count()
    body = _import_workbook(names)
    client = _sign_in(secretariat, _totp(secretariat), PASSWORD)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    def timed(call):
        nonlocal queries
        queries = 0
        began = time.perf_counter()
        with connection.execute_wrapper(count):
            response = call()
        return response, time.perf_counter() - began, queries

    base = f"/{GROUP}/activities/import/"
    uploaded, upload_s, upload_q = timed(
        lambda: client.post(
            base, {"file": SimpleUploadedFile("actividades.xlsx", body)}, secure=True
        )
    )
    if uploaded.status_code != 302:
        raise SystemExit(f"the upload answered {uploaded.status_code}")
    preview_url = uploaded["Location"]
    preview, preview_s, preview_q = timed(lambda: client.get(preview_url, secure=True))
    page = preview.content.decode()
    errors = page.count('class="import-error-row"')
    if (
        errors != len(IMPORT_BAD)
        or f"Import {IMPORT_ROWS - len(IMPORT_BAD)} activities" not in page
    ):
        raise SystemExit(f"the preview shows {errors} rows with errors, not {len(IMPORT_BAD)}")
    done, import_s, import_q = timed(lambda: client.post(f"{preview_url}import/", secure=True))
    with group_scope(group):
        imported = Activity.objects.count() - before
    if done.status_code != 302 or imported != IMPORT_ROWS - len(IMPORT_BAD):
        raise SystemExit(f"the import registered {imported} activities ({done.status_code})")
    return {
        "rows": IMPORT_ROWS,
        "bad_rows": len(IMPORT_BAD),
        "errors_shown": errors,
        "imported": imported,
        "file_kb": round(len(body) / 1024, 1),
        "upload_s": round(upload_s, 3),
        "preview_s": round(preview_s, 3),
        "import_s": round(import_s, 3),
        "total_s": round(upload_s + preview_s + import_s, 3),
        "upload_queries": upload_q,
        "preview_queries": preview_q,
        "import_queries": import_q,
    }


def main() -> None:
    step, arguments = sys.argv[1], sys.argv[2:]
    _setup()
    result = {
        "prepare": prepare,
        "pdf": pdf,
        "convene": convene,
        "import": import_spreadsheet,
        "mixed_prepare": mixed_prepare,
    }[step](*arguments)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
