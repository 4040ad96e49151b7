"""The invitation link: its page speaks the invitation's language, and setting the password
signs the person in (no second form asking for what was just typed)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from meetings.services import guests as guest_service
from meetings.services.meetings import meeting_path
from tests.factories import (
    enrol_totp,
    make_guest,
    make_meeting,
    make_secretariat,
    make_user,
)
from vpswg.models import User
from vpswg.scoping import group_scope
from vpswg.services.invitations import (
    get_or_invite_user,
    invitation_path,
    invitation_token,
    read_token,
)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-new-password-2026"


@pytest.fixture
def spanish_group(group):
    group.default_language = "es"
    group.save(update_fields=["default_language"])
    return group


def _invite_guest(group):
    guest = make_guest(group, name="Dra. Rocío Ñáñez", email="rocio@defensoria.example")
    meeting = make_meeting(group, "convened")
    with group_scope(group):
        guest_service.invite_guest(meeting=meeting, guest=guest, actor=make_secretariat(group))
        guest.refresh_from_db()
    user = User.objects.get(pk=guest.user_id)
    return user, meeting


def test_the_page_speaks_the_invitations_language_not_the_browsers(client, spanish_group):
    user, _meeting = _invite_guest(spanish_group)
    path = invitation_path(user, group=spanish_group)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert '<html lang="es"' in response.content.decode()
    # A choice made on the page (the language cookie) wins over the invitation's.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "en"


def test_setting_the_password_signs_in_and_goes_to_the_meeting(client, spanish_group):
    user, meeting = _invite_guest(spanish_group)
    path = invitation_path(user, group=spanish_group) + "?next=" + meeting_path(meeting)
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == meeting_path(meeting)
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.language == "es"  # later pages and e-mails keep the invitation's language
    assert client.get(meeting_path(meeting)).status_code == 200
    # The link worked once.
    client.logout()
    assert client.get(path).status_code == 404


def test_a_refused_password_keeps_the_person_signed_out(client, spanish_group):
    user, _meeting = _invite_guest(spanish_group)
    response = client.post(
        invitation_path(user, group=spanish_group),
        {"new_password1": NEW_PASSWORD, "new_password2": "something-else-2026"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_an_account_with_a_second_factor_signs_in_through_it(client, group):
    user, _created = get_or_invite_user(email="has-totp@example.test")
    enrol_totp(user)
    response = client.post(
        invitation_path(user, group=group),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_an_outside_next_is_ignored(client, group):
    user, _created = get_or_invite_user(email="next@example.test")
    response = client.post(
        invitation_path(user) + "?next=https://evil.example/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("home")


def test_a_link_without_a_language_still_works(client, group):
    user, _created = get_or_invite_user(email="old-link@example.test")
    token = invitation_token(user)
    invited = read_token(token)
    assert invited is not None and invited.user == user and invited.language == ""
    assert client.get(reverse("invitation", kwargs={"token": token})).status_code == 200


def test_a_forged_language_is_ignored(group):
    from django.core import signing

    from vpswg.services.invitations import SALT, _fragment

    user = make_user(email="forged@example.test")
    user.set_unusable_password()
    user.save()
    token = signing.dumps({"u": user.pk, "p": _fragment(user), "l": "xx"}, salt=SALT)
    assert read_token(token).language == ""
    assert read_token(signing.dumps([1, 2], salt=SALT)) is None
