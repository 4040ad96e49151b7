"""The platform operator: a privileged role (MFA, a fresh confirmation for every change), who
creates working groups and appoints their first Secretariat, and sees no second factor, no
role group and no minutes on the admin site."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    add_contribution,
    enrol_totp,
    make_coordination,
    make_guest,
    make_institution,
    make_meeting,
    make_member,
    make_minutes,
    make_representative,
    make_secretariat,
    make_user,
    sign_in,
    totp_code,
)
from vpswg.models import AuditEntry, Notification, RoleAssignment, User, WorkingGroup
from vpswg.scoping import group_scope, scopes_disabled

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = make_user(is_staff=True, is_superuser=True)
    enrol_totp(user)
    sign_in(client, user)
    return user


def form_data(**extra):
    return {
        "slug": "colombia",
        "name": "Grupo de Trabajo Colombia",
        "country": "Colombia",
        "default_language": "es",
        "timezone": "America/Bogota",
        "meeting_cadence_months": 3,
        "default_meeting_duration": 120,
        "notice_period_days": 21,
        "public_description": "",
        "applications_open": "on",
        "is_listed": "on",
        **extra,
    }


def change_data(group: WorkingGroup, **extra):
    """The change form of an existing group as the browser posts it (the slug is read-only)."""
    data = form_data()
    data.pop("slug")
    data.update(
        name=group.name,
        country=group.country,
        default_language=group.default_language,
        timezone=group.timezone,
    )
    return {**data, **extra}


def change_url(group: WorkingGroup) -> str:
    return reverse("admin:vpswg_workinggroup_change", args=[group.pk])


def age_sign_in(client, seconds: float = 301) -> None:
    """Move every authentication step allauth recorded in the session ``seconds`` back."""
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for entry in records:
        entry["at"] -= seconds
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()


def test_operator_creates_a_group_and_appoints_its_secretariat(client, operator):
    response = client.post(
        "/admin/vpswg/workinggroup/add/", form_data(appoint_secretariat="Ana@Example.test")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = WorkingGroup.objects.get(slug="colombia")
    assert Group.objects.filter(name__startswith=f"wg:{group.pk}:").count() == 4
    user = User.objects.get(email="ana@example.test")
    assert not user.has_usable_password()
    with group_scope(group):
        assert RoleAssignment.objects.get(user=user).role == "secretariat"
        notice = Notification.objects.get(recipient=user)
    assert notice.kind == "role_granted"
    assert "/accounts/password/reset/" in notice.body  # how to set a first password
    page = client.get(f"/admin/vpswg/workinggroup/{group.pk}/change/")
    assert page.status_code == 200 and "ana@example.test" in page.content.decode()


def test_operator_cannot_create_a_group_with_a_reserved_slug(client, operator):
    response = client.post("/admin/vpswg/workinggroup/add/", form_data(slug="accounts"))
    assert response.status_code == 200
    assert "reserved" in response.content.decode()
    assert not WorkingGroup.objects.filter(slug="accounts").exists()


# --- The operator is a privileged role ---------------------------------------------------------


def test_an_operator_without_a_second_factor_is_sent_to_enrol(client):
    operator = make_user(is_staff=True, is_superuser=True)
    sign_in(client, operator)  # a password alone: there is no authenticator to ask
    for url in ["/admin/", "/admin/vpswg/workinggroup/", "/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    response = client.post("/admin/vpswg/workinggroup/add/", form_data())
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not WorkingGroup.objects.filter(slug="colombia").exists()


def test_staff_without_superuser_is_privileged_too(client):
    operator = make_user(is_staff=True)
    client.force_login(operator)
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")


def test_the_admin_site_refuses_staff_without_totp_by_itself(client, settings):
    """Defence in depth: without the MFA middleware, the site's own permission check holds."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.endswith("MFARequiredMiddleware")
    ]
    operator = make_user(is_staff=True, is_superuser=True)
    sign_in(client, operator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    # The admin's login page does not offer Django's password form: enrol first.
    response = client.get(response["Location"])
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.post("/admin/vpswg/workinggroup/add/", form_data())
    assert response.status_code == 302
    assert not WorkingGroup.objects.filter(slug="colombia").exists()
    # Once enrolled, the same operator is let in.
    enrol_totp(operator)
    assert client.get("/admin/").status_code == 200


def test_the_demo_without_mfa_lets_the_operator_in_and_says_so(client, settings):
    settings.ENFORCE_MFA = False
    operator = make_user(is_staff=True, is_superuser=True)
    sign_in(client, operator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Two-factor authentication is not required for the platform operator" in (
        response.content.decode()
    )


def test_the_banner_is_absent_when_mfa_is_enforced(client, operator):
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Two-factor authentication is not required" not in response.content.decode()


def test_the_admin_login_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Reauthentication for every change ---------------------------------------------------------


def test_a_change_right_after_signing_in_needs_no_second_confirmation(client, operator, group):
    response = client.post(change_url(group), change_data(group, name="Renamed at once"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:vpswg_workinggroup_changelist")
    group.refresh_from_db()
    assert group.name == "Renamed at once"


def test_a_change_after_the_window_is_confirmed_by_password_then_applied(client, operator, group):
    age_sign_in(client)
    assert client.get(change_url(group)).status_code == 200  # reading needs no confirmation
    response = client.post(change_url(group), change_data(group, name="Renamed later"))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_reauthenticate")
    assert parse_qs(location.query)["next"] == [change_url(group)]
    group.refresh_from_db()
    assert group.name == "Alpha Working Group"  # not yet
    assert client.get(response["Location"]).status_code == 200
    wrong = client.post(response["Location"], {"password": "not-the-password"})
    assert wrong.status_code == 200
    group.refresh_from_db()
    assert group.name == "Alpha Working Group"
    confirmed = client.post(response["Location"], {"password": PASSWORD})
    # allauth replays the stashed POST: the admin's own answer to it.
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("admin:vpswg_workinggroup_changelist")
    group.refresh_from_db()
    assert group.name == "Renamed later"
    with group_scope(group):
        assert AuditEntry.objects.filter(verb="group.changed", actor=operator).exists()


def test_a_change_after_the_window_is_confirmed_by_totp_then_applied(client, operator, group):
    age_sign_in(client)
    response = client.post(change_url(group), change_data(group, name="Renamed with a code"))
    query = urlsplit(response["Location"]).query
    mfa_url = f"{reverse('mfa_reauthenticate')}?{query}"
    # The sign-in's code stays used for its time step; five minutes later it would be another.
    code = totp_code(operator.totp_secret)
    totp = TOTP(Authenticator.objects.get(user=operator, type=Authenticator.Type.TOTP))
    cache.delete(totp._get_used_cache_key(code))
    assert client.get(mfa_url).status_code == 200
    assert client.post(mfa_url, {"code": "000000"}).status_code == 200  # a wrong code
    group.refresh_from_db()
    assert group.name == "Alpha Working Group"
    confirmed = client.post(mfa_url, {"code": code})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("admin:vpswg_workinggroup_changelist")
    group.refresh_from_db()
    assert group.name == "Renamed with a code"


def test_a_session_without_a_recorded_sign_in_must_confirm(client, group):
    """force_login leaves no authentication record: like a session taken from elsewhere."""
    operator = make_user(is_staff=True, is_superuser=True)
    enrol_totp(operator)
    client.force_login(operator)
    assert client.get("/admin/").status_code == 200
    response = client.post(change_url(group), change_data(group, name="Taken over"))
    assert urlsplit(response["Location"]).path == reverse("account_reauthenticate")
    group.refresh_from_db()
    assert group.name == "Alpha Working Group"


def test_an_appointment_after_the_window_waits_for_the_confirmation(client, operator, group):
    age_sign_in(client)
    response = client.post(
        change_url(group), change_data(group, appoint_secretariat="late@example.test")
    )
    assert urlsplit(response["Location"]).path == reverse("account_reauthenticate")
    assert not User.objects.filter(email="late@example.test").exists()
    client.post(response["Location"], {"password": PASSWORD})
    with group_scope(group):
        assert RoleAssignment.objects.filter(
            user__email="late@example.test", role="secretariat"
        ).exists()


def test_signing_out_needs_no_confirmation(client, operator):
    age_sign_in(client)
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- Nothing secret on the admin site ----------------------------------------------------------


def test_second_factors_are_a_list_only(client, operator, group):
    member = make_member(group)
    enrol_totp(member)
    RecoveryCodes.activate(member)
    totp = Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP)
    response = client.get(reverse("admin:mfa_authenticator_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert member.full_name in body
    assert reverse("admin:mfa_authenticator_change", args=[totp.pk]) not in body
    for url in [
        reverse("admin:mfa_authenticator_change", args=[totp.pk]),
        reverse("admin:mfa_authenticator_history", args=[totp.pk]),
        reverse("admin:mfa_authenticator_delete", args=[totp.pk]),
        reverse("admin:mfa_authenticator_add"),
    ]:
        assert client.get(url).status_code == 403, url
    client.post(
        reverse("admin:mfa_authenticator_changelist"),
        {"action": "delete_selected", "_selected_action": [totp.pk], "post": "yes"},
    )
    assert Authenticator.objects.filter(pk=totp.pk).exists()


def test_the_operator_cannot_take_over_an_account(client, operator, group):
    """Neither a new password nor a new address for someone else's account: either would let
    the operator sign in as a member and read the members' minutes."""
    member = make_member(group)
    before = (member.email, member.password)
    password_url = f"/admin/vpswg/user/{member.pk}/password/"
    response = client.post(
        password_url, {"password1": "x-taken-over-1", "password2": "x-taken-over-1"}
    )
    assert response.status_code in {302, 404}
    change = reverse("admin:vpswg_user_change", args=[member.pk])
    page = client.get(change).content.decode()
    assert 'name="email"' not in page and password_url not in page
    client.post(
        change,
        {"email": "operator@evil.example", "full_name": "X", "language": "", "is_active": "on"},
    )
    member.refresh_from_db()
    assert (member.email, member.password) == before
    address = EmailAddress.objects.get(user=member)
    response = client.get(reverse("admin:account_emailaddress_changelist"))
    assert response.status_code == 200 and member.email in response.content.decode()
    for url in (
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        reverse("admin:account_emailaddress_add"),
    ):
        assert client.get(url).status_code == 403, url
    address.verified = False
    address.save()
    client.post(
        reverse("admin:account_emailaddress_changelist"),
        {"action": "make_verified", "_selected_action": [address.pk]},
    )
    address.refresh_from_db()
    assert address.verified is False


def test_the_role_groups_are_not_on_the_admin_site(client, operator, group):
    assert Group not in admin.site._registry
    assert client.get("/admin/auth/group/").status_code == 404
    role_group = Group.objects.filter(name__startswith=f"wg:{group.pk}:").first()
    assert client.get(f"/admin/auth/group/{role_group.pk}/change/").status_code == 404


def test_only_the_reviewed_models_are_on_the_admin_site():
    """A model added to the admin must be checked for minutes text and secrets first (and the
    walk below run over it): this list is the record of that check."""
    assert {model._meta.label for model in admin.site._registry} == {
        "vpswg.WorkingGroup",
        "vpswg.User",
        "account.EmailAddress",
        "mfa.Authenticator",
    }


MARKERS = ["OPERATOR-MUST-NOT-READ-THIS", "NOR-THIS-PROPOSAL-OMEGA", "NOR-THE-GUEST-REMARK"]


@pytest.fixture
def leakable(group, other_group, eager_tasks, django_capture_on_commit_callbacks):
    """Circulated minutes with statements attributed to named people, and second factors."""
    from meetings.services import minutes as minutes_service

    with django_capture_on_commit_callbacks(execute=True):  # circulation follows approval
        speaker = make_representative(
            group, institution=make_institution(group, name="Compañía Minera Qollqeq")
        )
        other_speaker = make_representative(group)
        guest = make_guest(group, name="Ignatius Vorhees Kappeler")
        seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
        secretariat = make_secretariat(group)
        RecoveryCodes.activate(secretariat)
        make_secretariat(other_group)
        meeting = make_meeting(group, "held", days=-1, title="Plenary of the operator probe")
        minutes = make_minutes(meeting)
        with group_scope(group):
            section = minutes_service.add_section(
                minutes=minutes, actor=secretariat, title="Security and mining"
            )
        add_contribution(minutes, f"{MARKERS[0]}: the police.", speaker=speaker, section=section)
        add_contribution(
            minutes, f"{MARKERS[1]}: training.", speaker=other_speaker, section=section
        )
        add_contribution(minutes, f"{MARKERS[2]}: the law.", speaker=guest, section=section)
        with group_scope(group):
            minutes_service.submit(minutes=minutes, actor=secretariat)
            for seat in seats:
                minutes_service.review(minutes=minutes, actor=seat, decision="approve")
    with group_scope(group):
        minutes.refresh_from_db()
    assert minutes.status == "circulated"
    secrets = []
    for authenticator in Authenticator.objects.all():
        # The secret or the codes, and the stored (encrypted) value too.
        if authenticator.type == Authenticator.Type.TOTP:
            secrets += [decrypt(authenticator.data["secret"]), authenticator.data["secret"]]
        else:
            secrets += [*authenticator.wrap().generate_codes(), authenticator.data["seed"]]
    return {"group": group, "minutes": minutes, "secrets": secrets, "secretariat": secretariat}


def test_no_admin_page_shows_minutes_or_second_factors(client, operator, leakable):
    """Every registered model's list, and each row's change and history page."""
    # The data is there to leak: the Secretariat's attributed record holds every marker.
    reader = Client()
    sign_in(reader, leakable["secretariat"])
    group, meeting = leakable["group"], leakable["minutes"].meeting
    record = reader.get(reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": meeting.pk}))
    assert all(m in record.content.decode() for m in MARKERS)
    forbidden = [*MARKERS, *leakable["secrets"]]
    pages = 0
    with scopes_disabled():  # the admin reads across groups; so does this walk
        for model, model_admin in admin.site._registry.items():
            info = (model._meta.app_label, model._meta.model_name)
            urls = [reverse("admin:{}_{}_changelist".format(*info))]
            for obj in model_admin.get_queryset(_request_of(operator)):
                urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
                urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
            for url in urls:
                response = client.get(url)
                assert response.status_code in (200, 403), url
                body = response.content.decode()
                pages += 1
                for value in forbidden:
                    assert value not in body, f"{value[:12]}... on {url}"
    assert pages > 40


def _request_of(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


# --- Appointing a Secretariat -------------------------------------------------------------------


def test_an_appointment_is_logged_and_told_to_the_current_seats(client, operator, group):
    secretariat = make_secretariat(group)
    seat = make_coordination(group, "government")
    member = make_member(group)
    response = client.post(
        change_url(group),
        change_data(group, appoint_secretariat="New.Person@Example.test"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appointee = User.objects.get(email="new.person@example.test")
    with group_scope(group):
        entry = AuditEntry.objects.get(verb="group.secretariat_appointed")
        assert entry.actor == operator
        assert entry.data == {"user": appointee.pk, "new_account": True}
        assert "new.person" not in str(entry.data).lower()
        assert AuditEntry.objects.filter(verb="role.granted", data__user=appointee.pk).exists()
        notices = Notification.objects.filter(kind="secretariat_appointed")
        assert {n.recipient for n in notices} == {secretariat, seat}
        assert not Notification.objects.filter(recipient=member).exists()
        # The appointee gets the usual notice of a new role, not this one.
        assert set(
            Notification.objects.filter(recipient=appointee).values_list("kind", flat=True)
        ) == {"role_granted"}
    notice = notices.get(recipient=seat)
    assert "new.person@example.test" in notice.subject + notice.body
    assert operator.email in notice.body
    assert "platform operator" in notice.subject
    assert "not agreed" in notice.body
    assert notice.email == seat.email and notice.in_app


def test_the_appointment_notice_says_when_in_the_groups_time(client, operator, group):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    group.timezone = "America/Lima"
    group.save(update_fields=["timezone"])
    seat = make_coordination(group)
    client.post(change_url(group), change_data(group, appoint_secretariat="x@example.test"))
    with group_scope(group):
        notice = Notification.objects.get(kind="secretariat_appointed", recipient=seat)
    now = datetime.now(ZoneInfo("America/Lima"))
    assert f"{now.day} {now.strftime('%B')} {now.year}" in notice.body
    assert "(America/Lima)" in notice.body


def test_appointing_the_same_person_again_changes_nothing(client, operator, group):
    holder = make_secretariat(group)
    seat = make_coordination(group)
    response = client.post(change_url(group), change_data(group, appoint_secretariat=holder.email))
    assert response.status_code == 302
    with group_scope(group):
        assert not AuditEntry.objects.filter(verb="group.secretariat_appointed").exists()
        assert not Notification.objects.filter(recipient=seat).exists()


def test_the_appointee_must_enrol_a_second_factor_before_acting(client, operator, group):
    client.post(change_url(group), change_data(group, appoint_secretariat="ana@example.test"))
    appointee = User.objects.get(email="ana@example.test")
    appointee.set_password(PASSWORD)  # as the password reset of the notice would
    appointee.save()
    EmailAddress.objects.create(user=appointee, email=appointee.email, verified=True, primary=True)
    other = Client()
    sign_in(other, appointee)
    for url in [
        reverse("group:home", kwargs={"wg": group.slug}),
        reverse("group:audit", kwargs={"wg": group.slug}),
    ]:
        assert other.get(url)["Location"] == reverse("mfa_activate_totp")
