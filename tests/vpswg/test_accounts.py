"""Accounts through allauth: e-mail login, verification, password reset, expiring sessions,
closed sign-up and rate limits kept in Redis."""

from __future__ import annotations

import re
import time

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, make_member, make_user, sign_in
from vpswg.models import User

pytestmark = pytest.mark.django_db


def test_sign_in_with_the_e_mail_address_in_any_case(client, group):
    user = make_member(group, email="rosa.quispe@example.test")
    response = client.post(
        reverse("account_login"), {"login": "Rosa.Quispe@Example.TEST", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_refused_with_a_message(client, group):
    make_member(group, email="someone@example.test")
    response = client.post(
        reverse("account_login"), {"login": "someone@example.test", "password": "nope-nope-nope"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_an_unverified_address_must_be_confirmed_first(client, smtp_server):
    user = make_user(email="new@example.test", verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    (mail,) = smtp_server.recorder.wait_for(1)
    assert mail.recipients == [user.email]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.text).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    assert client.post(path).status_code == 302
    sign_in(client, user)


def test_password_reset_by_e_mail(client, group, smtp_server):
    user = make_member(group, email="forgetful@example.test")
    client.post(reverse("account_reset_password"), {"email": "forgetful@example.test"})
    (mail,) = smtp_server.recorder.wait_for(1)
    assert mail.recipients == ["forgetful@example.test"]
    path = "/" + re.search(r"https?://[^/\s]+/(accounts/password/reset/key/\S+/)", mail.text).group(
        1
    )
    response = client.get(path, follow=True)
    assert response.status_code == 200
    new_password = "a-brand-new-passphrase-2026"
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else path,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_reset_for_an_unknown_address_reveals_nothing(client, smtp_server):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    assert response.status_code == 302  # same answer as for a known address
    smtp_server.recorder.wait_for(1)  # allauth tells the address that no account exists
    assert "nobody@example.test" in smtp_server.recorder.received[0].recipients


def test_sessions_expire_with_the_browser_and_after_inactivity(client, group):
    user = make_member(group)
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() <= 8 * 60 * 60
    session = client.session
    session.set_expiry(1)
    session.save()
    time.sleep(1.5)
    response = client.get(reverse("notifications"))
    assert response.status_code == 302  # signed out: the session has expired
    assert response["Location"].startswith(reverse("account_login"))


def test_sessions_live_in_redis(client, group):
    sign_in(client, make_member(group))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    r = redis.Redis.from_url(settings.CACHE_URL)
    assert any(key in k.decode() for k in r.scan_iter("vpswg:*session*"))


def test_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "walk-in@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert not User.objects.filter(email="walk-in@example.test").exists()


def test_failed_logins_are_rate_limited_in_redis(client, group):
    make_member(group, email="target@example.test")

    def attempt(password):
        return client.post(
            reverse("account_login"), {"login": "target@example.test", "password": password}
        )

    for i in range(5):
        response = attempt(f"wrong-{i}")
        assert "Too many failed login attempts" not in str(response.context["form"].errors)
    r = redis.Redis.from_url(settings.CACHE_URL)
    assert list(r.scan_iter("vpswg:*rl*")), "the rate-limit counters are not in Redis"
    # The sixth attempt is refused, even with the right password, and nobody is signed in.
    response = attempt(PASSWORD)
    assert "Too many failed login attempts" in str(response.context["form"].errors)
    assert "_auth_user_id" not in client.session


def test_too_many_sign_in_requests_from_one_address_get_429(client):
    statuses = [
        client.post(
            reverse("account_login"), {"login": f"x{i}@example.test", "password": "wrong"}
        ).status_code
        for i in range(31)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429


def test_choosing_a_language_saves_it_on_the_account(client, group):
    user = make_member(group)
    sign_in(client, user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"
    assert client.get("/").headers["Content-Language"] == "es"
