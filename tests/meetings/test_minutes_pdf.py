"""Minutes as PDF: the reader's rendering, watermarked, Chatham House notice on every page; and a
renderer that fetches nothing."""

from __future__ import annotations

import http.server
import re
import subprocess
import threading

import pytest
from django.urls import reverse

from meetings.minutes_views import render_minutes_pdf
from meetings.services import leaks
from meetings.services import minutes as service
from tests.factories import (
    add_contribution,
    make_coordination,
    make_meeting,
    make_minutes,
    make_representative,
    make_secretariat,
    sign_in,
)
from vpswg import pdf
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(data: bytes, tmp_path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def circulated(group, eager_tasks, django_capture_on_commit_callbacks):
    seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
    speaker = make_representative(group)
    speaker.user.full_name = "Zacarías Ullpu Quisbert"
    speaker.user.save()
    meeting = make_meeting(group, "held", days=-1, title="Plenaria de noviembre")
    minutes = make_minutes(meeting)
    secretariat = make_secretariat(group)
    with group_scope(group):
        service.add_section(minutes=minutes, actor=secretariat, title="Seguridad privada")
        for i in range(60):  # long enough for several pages
            add_contribution(
                minutes,
                f"Contribución número {i}: la regulación debe mejorar. " * 4,
                speaker=speaker,
            )
        service.submit(minutes=minutes, actor=secretariat)
        with django_capture_on_commit_callbacks(execute=True):
            for seat in seats:
                service.review(minutes=minutes, actor=seat, decision="approve")
        minutes.refresh_from_db()
    return minutes, speaker


def test_members_pdf_is_watermarked_for_the_reader_with_the_notice_on_every_page(
    client, group, circulated, tmp_path
):
    minutes, _speaker = circulated
    reader = make_representative(group)
    reader.user.full_name = "Lectora Miembro"
    reader.user.save()
    sign_in(client, reader.user)
    response = client.get(
        reverse("meetings:minutes_pdf", kwargs={"wg": group.slug, "pk": minutes.meeting_id})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.content, tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Chatham House" in page, f"page {number} has no notice"
        assert "Lectora Miembro" in page and reader.user.email in page
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\b", page)
    assert "Zacarías" not in text and "Ullpu" not in text and "Quisbert" not in text
    assert "Un participante" in text or "A participant" in text
    info = pdf_info(response.content, tmp_path)
    assert "Ullpu" not in info and "Plenaria de noviembre" in info


def test_the_dissemination_pdf_has_no_personal_watermark_and_no_statements(
    client, group, circulated, tmp_path
):
    minutes, _speaker = circulated
    reader = make_representative(group)
    sign_in(client, reader.user)
    response = client.get(
        reverse("meetings:minutes_pdf", kwargs={"wg": group.slug, "pk": minutes.meeting_id})
        + "?version=dissemination"
    )
    text = pdf_text(response.content, tmp_path)
    assert reader.user.email not in text and "Contribución número" not in text
    assert "Seguridad privada" in text and "Ullpu" not in text


def test_every_download_is_logged(client, group, circulated):
    from meetings.models import MinutesAccess

    minutes, _ = circulated
    reader = make_representative(group)
    sign_in(client, reader.user)
    url = reverse("meetings:minutes_pdf", kwargs={"wg": group.slug, "pk": minutes.meeting_id})
    client.get(url)
    client.get(url + "?version=dissemination")
    with group_scope(group):
        kinds = list(MinutesAccess.objects.filter(user=reader.user).values_list("kind", flat=True))
    assert sorted(kinds) == ["pdf_dissemination", "pdf_members"]


def test_a_frozen_versions_pdf_is_made_from_the_kept_rendering_as_frozen(
    client, group, circulated, tmp_path, local_cache
):
    """The members' PDF reuses the rendering the minutes page keeps (the version's content is
    neither read nor rendered again), and is the PDF of the version as frozen: the meeting
    renamed since keeps its frozen title."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.models import Meeting

    minutes, _speaker = circulated
    reader = make_representative(group)
    sign_in(client, reader.user)
    url = reverse("meetings:minutes_pdf", kwargs={"wg": group.slug, "pk": minutes.meeting_id})
    with group_scope(group):
        Meeting.objects.filter(pk=minutes.meeting_id).update(title="Renamed afterwards")
    texts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        texts.append(pdf_text(response.content, tmp_path))
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "meetings_minutesversion"' in q["sql"]]
    assert reads == []  # the second download: neither the content nor the heading read
    for text in texts:
        assert "Plenaria de noviembre" in text and "Renamed afterwards" not in text
        assert "Contribución número 59" in text and "Ullpu" not in text
        assert reader.user.email in text
    assert texts[0].count("Contribución número") == texts[1].count("Contribución número")


class CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def test_a_crafted_contribution_makes_no_request_and_embeds_nothing(group, tmp_path, listener):
    port = listener
    hostile = (
        f'<img src="http://127.0.0.1:{port}/pixel.png">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        f"<style>@import url(http://127.0.0.1:{port}/x.css);</style>"
        f'<object data="http://127.0.0.1:{port}/o"></object>'
    )
    meeting = make_meeting(group, "held", days=-1)
    minutes = make_minutes(meeting)
    with group_scope(group):
        service.add_section(minutes=minutes, actor=make_secretariat(group), title="Injection")
    add_contribution(minutes, hostile)
    with group_scope(group):
        from meetings.services import redaction

        body = render_minutes_pdf(group, redaction.members(minutes))
    text = pdf_text(body, tmp_path)
    assert CountingHandler.hits == []
    assert "root:x:0" not in text
    assert "<img src" in text  # shown as text, never interpreted


def test_even_raw_html_cannot_make_the_renderer_fetch(tmp_path, listener):
    port = listener
    raw = (
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
        f'<style>@import url("http://127.0.0.1:{port}/b.css");</style></head>'
        f'<body><img src="http://127.0.0.1:{port}/c.png"><img src="file:///etc/passwd">'
        f'<img src="data:image/png;base64,iVBORw0KGgo="><p>text</p></body></html>'
    )
    out = pdf.render(raw)
    assert CountingHandler.hits == []
    assert "root:x:0" not in pdf_text(out, tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "https://example.org/",
        "file:///etc/passwd",
        "data:text/plain,hi",
        "ftp://x/",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        pdf.fetcher().fetch(url)
    assert pdf.fetcher().fetch("vpswg-static:img/logo.svg").read().startswith(b"<svg")


def test_folding_keeps_one_character_for_one():
    assert leaks.fold("Ñandú Álvarez") == "nandu alvarez"
    assert len(leaks.fold("ÀÉÎÕÜ ñ ç")) == len("ÀÉÎÕÜ ñ ç")
