"""Secretariat, Coordination and platform operator accounts must enrol TOTP before they reach
anything else."""

from __future__ import annotations

import pytest
from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    enrol_totp,
    has_totp,
    make_coordination,
    make_member,
    make_representative,
    make_secretariat,
    make_user,
    sign_in,
    totp_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def privileged(group):
    return make_secretariat(group, mfa=False)


def test_privileged_user_without_totp_is_sent_to_mfa_setup(client, group, privileged):
    client.force_login(privileged)
    for url in [
        reverse("group:home", kwargs={"wg": group.slug}),
        reverse("group:audit", kwargs={"wg": group.slug}),
        reverse("home"),
        reverse("notifications"),
        reverse("account_email"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url


@pytest.mark.parametrize(
    "flags", [{"is_staff": True}, {"is_superuser": True}, {"is_staff": True, "is_superuser": True}]
)
def test_the_platform_operator_is_held_to_the_same_rule(client, flags):
    """Staff and superusers hold no role in any group and are privileged all the same."""
    client.force_login(make_user(**flags))
    for url in [reverse("home"), reverse("notifications"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url


def test_htmx_requests_get_hx_redirect_to_mfa_setup(client, group, privileged):
    client.force_login(privileged)
    response = client.get(reverse("group:audit", kwargs={"wg": group.slug}), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_the_rule_applies_in_every_group_not_only_the_privileged_one(client, group, other_group):
    user = make_coordination(group, mfa=False)
    make_representative(other_group, user=user)  # an ordinary member over there
    client.force_login(user)
    response = client.get(reverse("group:home", kwargs={"wg": other_group.slug}))
    assert response["Location"] == reverse("mfa_activate_totp")


def open_totp_activation(client):
    """allauth asks for the password again before a second factor is added; then the form."""
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        assert client.get(response["Location"]).status_code == 200
        response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.resolver_match.url_name == "mfa_activate_totp"
    return response


def test_mfa_setup_and_logout_stay_reachable(client, privileged):
    sign_in(client, privileged)
    open_totp_activation(client)
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_member_is_not_asked_to_enrol(client, group):
    member = make_member(group)
    client.force_login(member)
    assert client.get(reverse("group:home", kwargs={"wg": group.slug})).status_code == 200


def test_enrolling_through_allauth_with_a_real_code_unlocks_the_account(client, group, privileged):
    sign_in(client, privileged)
    secret = open_totp_activation(client).context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200 and not has_totp(privileged)  # a wrong code is refused
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert has_totp(privileged)
    assert client.get(reverse("group:audit", kwargs={"wg": group.slug})).status_code == 200


def test_sign_in_asks_an_enrolled_user_for_the_code(client, group):
    user = make_secretariat(group, mfa=False)
    secret = enrol_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("group:audit", kwargs={"wg": group.slug})).status_code == 200


def test_removing_the_authenticator_locks_the_account_again(client, group):
    user = make_secretariat(group)
    client.force_login(user)
    assert client.get(reverse("group:home", kwargs={"wg": group.slug})).status_code == 200
    # The next pages do not look the authenticator up again...
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("group:home", kwargs={"wg": group.slug})).status_code == 200
    assert not [q for q in ctx.captured_queries if "mfa_authenticator" in q["sql"]]
    # ...until it is removed.
    Authenticator.objects.filter(user=user).delete()
    response = client.get(reverse("group:home", kwargs={"wg": group.slug}))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_recovery_codes_are_offered(client, group):
    user = make_secretariat(group, mfa=False)
    sign_in(client, user)
    secret = open_totp_activation(client).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200


def test_admin_login_is_wrapped_by_allauth(client, group):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(make_member(group))
    assert client.get("/admin/login/").status_code == 403


def test_confirmation_is_by_password_or_second_factor_not_by_an_emailed_code(client, group):
    """A mailbox is a weaker proof than either: it must not confirm adding a second factor, nor
    a change on the admin site."""
    user = make_secretariat(group)
    sign_in(client, user)
    methods = [m["id"] for m in get_adapter().get_reauthentication_methods(user)]
    assert methods == ["reauthenticate", "mfa_reauthenticate"]
    assert client.get(reverse("account_request_reauthentication_code")).status_code == 403
