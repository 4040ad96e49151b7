"""A request body larger than any form takes is refused before it is read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_oversized_body_is_refused_unread_with_a_message(group, settings):
    settings.MAX_REQUEST_BYTES = 1000
    client = Client()
    url = reverse("apply:form", kwargs={"wg": group.slug})
    response = client.post(url, {"name": "x" * 2000})
    assert response.status_code == 413
    body = response.content.decode()
    assert "too large" in body and "1000" in body
    assert response["Connection"] == "close"
    # Within the limit, the same form answers as usual.
    assert client.post(url, {"name": "x"}).status_code == 200


def test_the_message_is_in_the_visitors_language(group, settings):
    settings.MAX_REQUEST_BYTES = 10
    client = Client()
    client.cookies["vpswg_language"] = "es"
    response = client.post(reverse("apply:form", kwargs={"wg": group.slug}), {"name": "x" * 50})
    assert response.status_code == 413 and 'lang="es"' in response.content.decode()
