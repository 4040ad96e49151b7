"""NUL in a query parameter or a form field is refused (400) before any view, or any query,
reads it: PostgreSQL refuses NUL in a string, so one reaching a filter or a save was a 500."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from meetings.models import DiscussionTopic
from tests.factories import make_secretariat
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client, group):
    user = make_secretariat(group)
    client.force_login(user)
    return user


def test_the_middleware_runs_before_anything_reads_the_request():
    middleware = settings.MIDDLEWARE
    common = middleware.index("django.middleware.common.CommonMiddleware")
    assert middleware[common + 1] == "vpswg.middleware.RefuseNulMiddleware"


@pytest.mark.parametrize(
    "query", ["page=a%00b", "verb=minutes%00", "page=1&verb=x&verb=%00", "ve%00rb=x"]
)
def test_nul_in_a_query_is_refused_without_a_database_query(
    client, group, secretariat, django_assert_num_queries, query
):
    url = reverse("group:audit", kwargs={"wg": group.slug})
    assert client.get(f"{url}?page=2&verb=minutes").status_code == 200
    with django_assert_num_queries(0):
        response = client.get(f"{url}?{query}")
    assert response.status_code == 400


def _topics(group) -> int:
    with group_scope(group):
        return DiscussionTopic.objects.count()


def test_nul_in_a_form_field_is_refused_and_nothing_is_saved(client, group, secretariat):
    url = reverse("meetings:topics", kwargs={"wg": group.slug})
    multipart = client.post(url, {"title": "Consulta\x00 previa"})
    urlencoded = client.generic(
        "POST",
        url,
        b"title=Consulta+previa&description=a%00",
        content_type="application/x-www-form-urlencoded",
    )
    assert (multipart.status_code, urlencoded.status_code) == (400, 400)
    assert _topics(group) == 0
    assert client.post(url, {"title": "Consulta previa"}).status_code == 302
    assert _topics(group) == 1


def test_nul_in_a_form_field_name_is_refused(client, group, secretariat):
    url = reverse("meetings:topics", kwargs={"wg": group.slug})
    response = client.generic(
        "POST",
        url,
        b"title=Consulta&x%00=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert _topics(group) == 0
