"""/healthz/ answers 200 only when PostgreSQL and Redis answer."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthy_when_postgres_and_redis_answer(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_unhealthy_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["redis"] == "unavailable"


@pytest.mark.django_db(transaction=True)
def test_unhealthy_when_postgres_does_not_answer(client):
    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 1
    try:
        response = client.get("/healthz/")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
