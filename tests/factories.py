"""Test data through the application's own services, so tests exercise the real rules.

Every helper takes the working group explicitly and enters its scope itself; tests do not need
to remember to.
"""

from __future__ import annotations

import itertools

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value

from members.models import Institution, Representative
from members.services.institutions import add_representative, create_institution
from vpswg.models import User, WorkingGroup
from vpswg.roles import Pillar, Role
from vpswg.scoping import group_scope
from vpswg.services.groups import create_working_group
from vpswg.services.roles import grant_role

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def cold_process() -> None:
    """Empty the per-process cache (permissions, rendered minutes), as in a process that has
    not served the group yet: query counts compared across data sizes are those of such a
    request. Every other test runs with the cache as production has it."""
    from django.core.cache import caches

    caches["local"].clear()


def make_group(slug: str | None = None, **fields) -> WorkingGroup:
    n = next(_seq)
    slug = slug or f"group-{n}"
    defaults = {
        "name": f"Working group {slug}",
        "country": "Testland",
        "default_language": "en",
        "timezone": "UTC",
    }
    defaults.update(fields)
    return create_working_group(slug=slug, **defaults)


def make_user(email: str | None = None, *, verified: bool = True, **fields) -> User:
    n = next(_seq)
    email = email or f"person{n}@example.test"
    fields.setdefault("full_name", f"Person {n}")
    user = User.objects.create_user(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_institution(group: WorkingGroup, **fields) -> Institution:
    n = next(_seq)
    defaults = {
        "name": f"Institution {n}",
        "pillar": Pillar.COMPANIES,
        "kind": Institution.Kind.COMPANY,
        "participation": Institution.Participation.MEMBER,
    }
    defaults.update(fields)
    with group_scope(group):
        return create_institution(working_group=group, **defaults)


def make_representative(
    group: WorkingGroup, user: User | None = None, institution: Institution | None = None, **kw
) -> Representative:
    user = user or make_user()
    institution = institution or make_institution(group)
    with group_scope(group):
        return add_representative(institution=institution, user=user, notify=False, **kw)


def enrol_totp(user: User) -> str:
    """Give the user a TOTP authenticator (as allauth's activation does); returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    user.totp_secret = secret  # for sign_in() in the same test
    return secret


def totp_code(secret: str) -> str:
    import time

    counter = int(time.time()) // 30
    return f"{hotp_value(secret, counter):06d}"


def browser_totp(page, secret: str) -> None:
    """Type the TOTP code in a browser's second-factor form; if it was read at the end of its
    30 seconds and refused in the next (allauth allows no drift), type the new one, as a
    person would."""
    import re
    import time

    def send() -> None:
        page.fill("#id_code", totp_code(secret))
        page.get_by_role("button", name=re.compile("^Sign In$", re.I)).last.click()
        page.wait_for_load_state()

    send()
    if "/2fa/authenticate" in page.url:
        time.sleep(30 - time.time() % 30 + 0.5)
        send()


def browser_sign_in(browser, base: str, user: User, next_path: str):
    """A new browser context signed in as ``user`` through allauth's forms (and the second
    factor if the account has one), on ``next_path``; it accepts the "are you sure?" dialogs
    of data-confirm and downloads."""
    from playwright.sync_api import expect

    page = browser.new_context(accept_downloads=True).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("form.form button[type=submit]").click()
    if getattr(user, "totp_secret", None):
        browser_totp(page, user.totp_secret)
    expect(page).to_have_url(f"{base}{next_path}")
    return page


def browser_context(browser, base: str, user: User | None = None, **options):
    """A new browser context (``options``: viewport, is_mobile...) signed in as ``user`` by a
    session cookie, for tests that open many pages as several people: typing the forms and a
    TOTP code for each would be most of their time (``browser_sign_in`` is how a person signs
    in, and the sign-in tests test it). Signed out if ``user`` is None.

    The app asks privileged roles for an enrolled second factor (``MFARequiredMiddleware``),
    not for one typed in this session: a forced login of an enrolled user reaches the pages
    that a sign-in through both forms reaches."""
    from django.conf import settings
    from django.test import Client

    context = browser.new_context(**options)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    return context


def make_member(group: WorkingGroup, **user_fields) -> User:
    user = make_user(**user_fields)
    make_representative(group, user=user)
    return user


def make_observer(group: WorkingGroup, **user_fields) -> User:
    user = make_user(**user_fields)
    institution = make_institution(
        group,
        pillar="",
        kind=Institution.Kind.INTERNATIONAL_ORGANISATION,
        participation=Institution.Participation.OBSERVER,
    )
    make_representative(group, user=user, institution=institution)
    return user


def make_secretariat(group: WorkingGroup, *, mfa: bool = True, **user_fields) -> User:
    user = make_member(group, **user_fields)
    with group_scope(group):
        grant_role(working_group=group, user=user, role=Role.SECRETARIAT, notify=False)
    if mfa:
        enrol_totp(user)
    return user


def make_coordination(
    group: WorkingGroup, pillar: str = Pillar.COMPANIES, *, mfa: bool = True, **user_fields
) -> User:
    user = make_member(group, **user_fields)
    with group_scope(group):
        grant_role(
            working_group=group, user=user, role=Role.COORDINATION, pillar=pillar, notify=False
        )
    if mfa:
        enrol_totp(user)
    return user


def make_role_user(group: WorkingGroup, role: str | None) -> User:
    """A user holding exactly ``role`` in ``group`` (None: an account with no role there)."""
    user = make_user()
    if role is None:
        return user
    with group_scope(group):
        if role == Role.COORDINATION:
            grant_role(
                working_group=group, user=user, role=role, pillar=Pillar.GOVERNMENT, notify=False
            )
        else:
            grant_role(working_group=group, user=user, role=role, notify=False)
    if role in (Role.SECRETARIAT, Role.COORDINATION):
        enrol_totp(user)
    return user


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def sign_in(client, user: User, secret: str | None = None, password: str = PASSWORD) -> None:
    """Sign in through allauth's own form (and TOTP stage), as a person would."""
    from django.urls import reverse

    secret = secret or getattr(user, "totp_secret", None)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response
    if secret is not None:
        assert response["Location"] == reverse("mfa_authenticate")
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        if response.status_code != 302:
            # The code was read at the end of its 30 seconds and checked in the next (allauth
            # allows no drift): as a person would, type the new one.
            import time

            time.sleep(30 - time.time() % 30 + 0.5)
            response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


# --- Documents and applications ------------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def docx_bytes(macro: bool = False) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        content_type = (
            "application/vnd.ms-word.document.macroEnabled.main+xml"
            if macro
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        )
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="{content_type}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str = "letter.pdf", content: bytes = MINIMAL_PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vpswg.uploads import validate_document

    file = SimpleUploadedFile(name, content)
    file.document_type = validate_document(file)
    return file


APPLICATION_DATA = {
    "name": "Minera Andina del Sur",
    "short_name": "MAS",
    "website": "https://minera.example",
    "pillar": "companies",
    "kind": "company",
    "participation": "member",
    "description": "Copper mining in the southern Andes.",
    "contact_name": "Valeria Torres",
    "contact_email": "valeria.torres@minera.example",
    "contact_phone": "+51 1 555 0100",
    "contact_position": "Head of Security",
    "contact_language": "",
    "vps_member": True,
    "proposed_by": "",
    "attests_institutional": True,
    "attests_topics": True,
    "attests_standing": True,
}


def make_application(group: WorkingGroup, status: str = "submitted", **data):
    """An application moved through the real transitions up to ``status``."""
    from members.services import applications as service

    fields = {**APPLICATION_DATA, **data}
    with group_scope(group):
        application, token = service.submit_application(
            working_group=group, data=fields, letter=upload()
        )
        if status != "unconfirmed":  # the applicant follows the link sent to the address
            application = service.confirm_address(application=application, token=token)
        if status in {"screened", "incomplete"}:
            screener = make_user()
            service.screen(
                application=application,
                actor=screener,
                complete=status == "screened",
                note="" if status == "screened" else "The letter is not signed.",
            )
        application.refresh_from_db()
        if status == "incomplete":
            # Screening sends a fresh link (the old one may have been forwarded): take it from
            # the e-mail the applicant receives.
            from vpswg.models import Notification

            link = Notification.objects.get(
                kind="application_incomplete", key__contains=f":{application.pk}:"
            ).link
            token = link.rstrip("/").rsplit("/", 1)[-1]
    application.token = token
    return application


# --- Meetings ----------------------------------------------------------------------------------


def make_meeting(
    group: WorkingGroup,
    status: str = "planned",
    *,
    days: float = 30,
    kind: str = "plenary",
    actor: User | None = None,
    title: str | None = None,
    **fields,
):
    """A meeting ``days`` from now, moved through the real services up to ``status``."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting
    from meetings.services import meetings as service
    from meetings.services import participation

    actor = actor or make_user()
    with group_scope(group):
        start = timezone.now() + timedelta(days=days if status == "planned" or days > 0 else 10)
        meeting = service.plan_meeting(
            working_group=group,
            actor=actor,
            kind=kind,
            title=title or f"Meeting {next(_seq)}",
            start=start,
            venue=fields.pop("venue", "Lima"),
            use_agreements=False,
            **fields,
        )
        if status in {"convened", "held", "cancelled"}:
            service.convene(meeting=meeting, actor=actor)
        if days <= 0 or status == "held":
            Meeting.objects.filter(pk=meeting.pk).update(
                start=timezone.now() + timedelta(days=min(days, -0.1))
            )
            meeting.refresh_from_db()
        if status == "held":
            participation.record_attendance(meeting=meeting, actor=actor, present=[])
        if status == "cancelled":
            service.cancel(meeting=meeting, actor=actor, reason="Test cancellation.")
        meeting.refresh_from_db()
    return meeting


def make_agenda_item(meeting, topic: str = "Private security companies", **kw):
    from meetings.services import agenda

    with group_scope(meeting.working_group):
        return agenda.save_agenda_item(meeting=meeting, actor=make_user(), topic=topic, **kw)


def make_meeting_in_session(
    group: WorkingGroup, topics: tuple[str, ...] = ("Private security companies",), **fields
):
    """A convened meeting with these agenda items that began three hours ago: minutes may be
    started, attendance is not yet recorded."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting

    meeting = make_meeting(group, "convened", days=20, **fields)
    for topic in topics:
        make_agenda_item(meeting, topic=topic)
    with group_scope(group):
        Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(hours=3))
        meeting.refresh_from_db()
    return meeting


def circulate_minutes(minutes, secretariat: User):
    """Submit the minutes, have a seat of each pillar approve them (made if the group has none)
    and circulate them, through the real services; returns them refreshed."""
    from meetings.services import minutes as service

    group = minutes.working_group
    with group_scope(group):
        seats = [s.user for s in service.seats()]
    if not seats:
        seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
    with group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
        for seat in seats:
            service.review(minutes=minutes, actor=seat, decision="approve")
        service.circulate(minutes=minutes)
        minutes.refresh_from_db()
    return minutes


def make_adopting_plenary(minutes, status: str = "convened"):
    """A later plenary that has begun (between the minutes' meeting and now): one that may
    adopt them."""
    from django.utils import timezone

    from meetings.models import Meeting

    group = minutes.working_group
    plenary = make_meeting(group, status, days=20)
    with group_scope(group):
        earlier = Meeting.objects.get(pk=minutes.meeting_id).start
        start = earlier + (timezone.now() - earlier) / 2
        Meeting.objects.filter(pk=plenary.pk).update(start=start)
        plenary.refresh_from_db()
    return plenary


def make_guest(group: WorkingGroup, **fields):
    from meetings.services import guests

    n = next(_seq)
    defaults = {
        "name": f"Guest {n}",
        "organisation": "Ombudsman's Office",
        "email": f"guest{n}@example.test",
    }
    defaults.update(fields)
    with group_scope(group):
        return guests.register_guest(working_group=group, actor=make_user(), **defaults)


def make_topic(
    group: WorkingGroup, title: str = "Use of force by the police", user: User | None = None
):
    from meetings.services import topics

    with group_scope(group):
        return topics.propose(working_group=group, actor=user or make_user(), title=title)


# --- Minutes ------------------------------------------------------------------------------------


def make_minutes(meeting, actor: User | None = None):
    from meetings.services import minutes as service

    actor = actor or make_user()
    with group_scope(meeting.working_group):
        return service.start_minutes(meeting=meeting, actor=actor)


def add_contribution(minutes, text: str, speaker=None, section=None, actor: User | None = None):
    """``speaker``: a Representative, a Guest, or None (unattributed)."""
    from meetings.models import Guest
    from meetings.services import minutes as service

    with group_scope(minutes.working_group):
        section = section or minutes.sections.order_by("position").first()
        if speaker is None:
            key = ""
        elif isinstance(speaker, Guest):
            key = f"guest:{speaker.pk}"
        else:
            key = f"user:{speaker.user_id}"
        return service.save_contribution(
            section=section, actor=actor or make_user(), text=text, speaker=key
        )


# --- Work plan and activities --------------------------------------------------------------------


def make_plan(group: WorkingGroup, *, title: str = "Work plan 2026-2027", start=None, end=None):
    from datetime import date

    from workplan import services

    with group_scope(group):
        return services.create_plan(
            working_group=group,
            actor=make_user(),
            title=title,
            start_date=start or date(2026, 1, 1),
            end_date=end or date(2027, 6, 30),
        )


def make_objective(plan, title: str = "Train public and private security actors"):
    from workplan import services

    with group_scope(plan.working_group):
        return services.add_objective(plan=plan, actor=make_user(), title=title)


def make_planned_activity(objective, **kw):
    from workplan import services

    kw.setdefault("title", "Course on the use of force")
    kw.setdefault("kind", "capacity_building")
    with group_scope(objective.working_group):
        return services.save_activity(objective=objective, actor=make_user(), **kw)


def make_activity(
    group: WorkingGroup,
    *,
    counts=(("police_military", 30, 5, 25),),
    confirmed: bool = True,
    organisers=(),
    user: User | None = None,
    **data,
):
    from datetime import date

    from activities import services

    data.setdefault("title", f"Workshop {next(_seq)}")
    data.setdefault("kind", "workshop")
    data.setdefault("start_date", date(2026, 3, 10))
    with group_scope(group):
        return services.save_activity(
            working_group=group,
            actor=user or make_user(),
            data=data,
            counts=[services.Count(*c) for c in counts],
            organisers=organisers,
            confirmed=confirmed,
        )
