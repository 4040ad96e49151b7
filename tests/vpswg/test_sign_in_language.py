"""The message of signing in is in the language of the page that shows it: the language
follows whom the request is for once that changes mid-request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_member, make_secretariat, sign_in

pytestmark = pytest.mark.django_db


def messages_on_next_page(client) -> list[str]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "Ha iniciado sesión exitosamente como"),
        ("fr", "Connexion avec"),
    ],
)
def test_the_sign_in_message_is_in_the_users_language(client, group, language, expected):
    """The sign-in page has no group and no account yet: it speaks the browser's English. The
    message queued on signing in must speak the person's language, as the next page does."""
    user = make_member(group, language=language, full_name="Ana Quispe")
    sign_in(client, user)
    (message,) = messages_on_next_page(client)
    assert message.startswith(expected) and "Ana Quispe" in message


def test_after_a_second_factor_too(client, group):
    user = make_secretariat(group, language="es", full_name="Ana Quispe")
    sign_in(client, user)
    assert messages_on_next_page(client) == ["Ha iniciado sesión exitosamente como Ana Quispe."]


def test_a_language_chosen_on_the_page_wins_over_the_accounts(client, group):
    user = make_member(group, language="es", full_name="Ana Quispe")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    sign_in(client, user)
    assert messages_on_next_page(client) == ["Successfully signed in as Ana Quispe."]
