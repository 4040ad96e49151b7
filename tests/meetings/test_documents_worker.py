"""Documents through a real Celery worker: the text of an uploaded PDF is read by the worker and
found in search, and a member's meeting pack is made by the worker while the page polls it."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse

from meetings.models import DocumentVersion
from tests.factories import make_member, make_secretariat, sign_in
from tests.meetings.test_search import count, held, pdf_bytes, pdf_text, search
from vpswg.scoping import group_scope


def wait_for(check, timeout: float = 40, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out\n{worker.log() if worker else ''}")


@pytest.mark.worker
def test_a_worker_reads_a_document_and_makes_a_watermarked_pack(
    celery_worker, group, client, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    secretariat = make_secretariat(group)
    member = make_member(group, full_name="Lectora Trabajadora")
    plenary = held(group, secretariat, "Plenaria de Moquegua")
    sign_in(client, secretariat)
    response = client.post(
        reverse("documents:new", kwargs={"wg": group.slug}) + f"?meeting={plenary.pk}",
        {
            "for_meeting": plenary.pk,
            "file": SimpleUploadedFile(
                "informe.pdf", pdf_bytes("Informe sobre el agua en Moquegua y Quellaveco", pages=2)
            ),
            "title": "Informe hídrico",
            "kind": "report",
            "language": "es",
            "date": "2026-11-30",
            "audience": "members",
        },
    )
    assert response.status_code == 302, response.content[:2000]

    def read():
        with group_scope(group):
            return DocumentVersion.objects.filter(text_status="done").exists()

    wait_for(read, worker=celery_worker)
    assert "meetings.extract_document_text" in celery_worker.log()
    client.logout()
    client.cookies["vpswg_language"] = "en"
    sign_in(client, member)
    assert count(search(client, group, "Quellaveco")) == 1

    response = client.post(reverse("meetings:pack", kwargs={"wg": group.slug, "pk": plenary.pk}))
    assert response.status_code == 302
    job = int(re.search(r"pack=(\d+)", response["Location"]).group(1))
    status_url = reverse(
        "meetings:pack_status", kwargs={"wg": group.slug, "pk": plenary.pk, "job": job}
    )
    first = client.get(status_url).content.decode()
    assert "Download the meeting pack" in first or "<progress" in first
    wait_for(
        lambda: "Download the meeting pack" in client.get(status_url).content.decode(),
        worker=celery_worker,
    )
    pack = client.get(
        reverse("meetings:pack_file", kwargs={"wg": group.slug, "pk": plenary.pk, "job": job})
    )
    text = pdf_text(b"".join(pack.streaming_content), tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) == 3  # the cover and the report's two pages
    assert all("Lectora Trabajadora" in page for page in pages)
    assert "Quellaveco" in text
    assert "meetings.meeting_pack" in celery_worker.log()
