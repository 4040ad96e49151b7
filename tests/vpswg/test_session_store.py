"""Sessions live in Redis (``vpswg.sessions``). A request that meets Redis restarting must fail,
not be served as if its person had signed out: Django's cache session store reads an
unreachable cache as an empty session, and the response then deletes the session cookie, so
a blip of a fraction of a second signed people out for good even though Redis kept their
sessions (found by the restart drill of ``make bench``). A Redis of the test's own, restarted
for real."""

from __future__ import annotations

import subprocess
import time

import pytest
from django.urls import reverse

from tests.conftest import free_port
from tests.factories import make_member, sign_in

pytestmark = pytest.mark.django_db


class OwnRedis:
    def __init__(self, folder) -> None:
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        for _ in range(100):
            try:
                if redis.Redis(port=self.port).ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """SIGTERM, as docker stop sends it: the append-only file is written out."""
        self.process.terminate()
        self.process.wait(20)


@pytest.fixture
def own_redis(settings, tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "KEY_PREFIX": "vpswg",
        },
    }
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()


def test_the_sessions_are_redis_backed_by_the_project_store(settings):
    assert settings.SESSION_ENGINE == "vpswg.sessions"


def test_a_request_while_redis_restarts_fails_and_signs_no_one_out(client, group, own_redis):
    from django.conf import settings

    sign_in(client, make_member(group))
    directory = reverse("members:directory", kwargs={"wg": group.slug})
    assert client.get(directory).status_code == 200
    own_redis.stop()
    client.raise_request_exception = False
    # The group's home page is public: read as someone signed out it would answer 200, and
    # delete the session cookie.
    response = client.get(reverse("group:home", kwargs={"wg": group.slug}))
    # A service that does not answer: 503, try again (vpswg.views.server_error).
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    own_redis.start()
    response = client.get(directory)
    assert response.status_code == 200
