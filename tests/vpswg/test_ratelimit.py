"""The client's address behind trusted proxies, for every rate limit (ours and allauth's):
one client's failures never lock out another, and a forged header buys nothing."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD, enrol_totp, make_user, totp_code
from vpswg.ratelimit import allow, client_ip

PROXY = "10.0.0.2"


def _request(forwarded: str | None = None, remote: str = PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.9", PROXY),  # no proxy is trusted: a client's own header is ignored
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the client forged the first entry
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer proxies than configured: the connecting address
        (1, "not-an-address", PROXY),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "203.0.113.7:5555", "203.0.113.7"),
    ],
)
def test_the_client_is_what_the_outermost_trusted_proxy_saw(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(forwarded)) == expected


def test_a_limit_counts_each_client_apart_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    a, b = _request("203.0.113.1"), _request("203.0.113.2")
    assert all(allow(a, action="t", limit=3, per_seconds=60) for _ in range(3))
    assert not allow(a, action="t", limit=3, per_seconds=60)
    assert allow(b, action="t", limit=3, per_seconds=60)
    # A forged address to the left of the proxy's entry is the same client.
    assert not allow(_request("198.51.100.9, 203.0.113.1"), action="t", limit=3, per_seconds=60)


def test_a_limit_by_key_ignores_the_address(settings):
    for n in range(3):
        assert allow(_request(f"203.0.113.{n}"), action="k", limit=3, per_seconds=60, key="x@y")
    assert not allow(_request("203.0.113.99"), action="k", limit=3, per_seconds=60, key="x@y")


def _login(client, email, password, forwarded):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_password_failures_from_one_client_do_not_lock_out_another(client, settings):
    """allauth's limits use the same address: ten failures a minute from one client (its
    per-address limit) leave another client's sign-in alone, though both come through the
    same proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    victim, other = make_user(), make_user()
    for _ in range(12):
        _login(client, victim.email, "wrong-password", "203.0.113.66")
    refused = _login(client, other.email, PASSWORD, "203.0.113.66")
    assert refused.status_code == 200  # the attacker's address is limited, even for this one
    response = _login(client, other.email, PASSWORD, "203.0.113.10")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.django_db
def test_wrong_second_factor_codes_do_not_lock_out_another_account(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    target, other = make_user(), make_user()
    enrol_totp(target)
    secret = enrol_totp(other)
    for _ in range(12):
        attacker = type(client)()
        _login(attacker, target.email, PASSWORD, "203.0.113.66")
        attacker.post(
            reverse("mfa_authenticate"),
            {"code": "000000"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    response = _login(client, other.email, PASSWORD, "203.0.113.10")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    response = client.post(
        reverse("mfa_authenticate"),
        {"code": totp_code(secret)},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(other.pk)
