"""Search and the group's documents: each reader finds only what they may read, on every
channel (results, counts, snippets, files, the meeting pack), with the leakable data present:
canary speakers, a Coordination-only document, a closed meeting, a planned one, another group."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.documents import services as documents
from meetings.models import Document, DocumentVersion, Meeting, PackJob
from meetings.services import participation
from tests.factories import (
    add_contribution,
    circulate_minutes,
    make_agenda_item,
    make_coordination,
    make_guest,
    make_meeting,
    make_member,
    make_minutes,
    make_observer,
    make_representative,
    make_secretariat,
    sign_in,
    upload,
)
from vpswg import pdf
from vpswg.models import SearchEntry
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

STATEMENT = (
    "El diálogo tripartito sobre las empresas de seguridad privada debe continuar en Cajamarca"
)
SPEAKER = "Zacarías Canario Quispe"
SECRET_DOC_TEXT = "Evaluación reservada del proyecto Tambogrande"
CLOSED_TEXT = "Acuerdo confidencial sobre la mesa de Espinar"
PLANNED_TOPIC = "Revisión planificada del protocolo de Huancavelica"


def pdf_bytes(*paragraphs: str, pages: int = 1) -> bytes:
    body = "".join(
        f'<section style="break-after: page">{"".join(f"<p>{p}</p>" for p in paragraphs)}</section>'
        for _ in range(pages)
    )
    return pdf.render(f"<html><body>{body}</body></html>")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_document(
    group,
    actor,
    *,
    title,
    text,
    audience="members",
    meeting=None,
    item=None,
    kind="presentation",
    name="doc.pdf",
    content=None,
):
    content = content if content is not None else pdf_bytes(text)
    with group_scope(group):
        return documents.add_document(
            working_group=group,
            actor=actor,
            upload=upload(name, content),
            title=title,
            kind=kind,
            language="es",
            date=timezone.localdate(),
            audience=audience,
            meeting=meeting,
            agenda_item=item,
        )


@pytest.fixture(autouse=True)
def _english(client):
    """The pages in English for these tests' assertions (the group itself speaks Spanish)."""
    client.cookies["vpswg_language"] = "en"


def held(group, actor, title, kind="plenary", topic="Seguridad privada"):
    """A meeting held a week ago with one agenda item."""
    from datetime import timedelta

    meeting = make_meeting(group, "convened", days=20, title=title, kind=kind)
    make_agenda_item(meeting, topic=topic)
    with group_scope(group):
        Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(days=7))
        meeting.refresh_from_db()
        participation.record_attendance(meeting=meeting, actor=actor, present=[])
        meeting.refresh_from_db()
    return meeting


@pytest.fixture
def world(group, other_group, eager_tasks, django_capture_on_commit_callbacks):
    """A group with 2016's plenary (circulated minutes, a canary speaker, a guest's
    presentation), a Coordination-only and a Secretariat-only document, a closed meeting's
    minutes and a planned meeting; another group with the same words."""
    # A Spanish-speaking group: its minutes are searched with Spanish stems.
    group.default_language = "es"
    group.save(update_fields=["default_language"])
    secretariat = make_secretariat(group)
    seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
    speaker = make_representative(group)
    speaker.user.full_name = SPEAKER
    speaker.user.save()
    member = make_member(group)
    observer = make_observer(group)
    guest = make_guest(group, name="Rosa Invitada Ponce", organisation="Defensoría del Pueblo")
    with django_capture_on_commit_callbacks(execute=True):
        plenary = make_meeting(group, "convened", days=20, title="Plenaria de marzo de 2016")
        item = make_agenda_item(plenary, topic="Conflictos sociales y seguridad")
        with group_scope(group):
            item.guests.add(guest)
            Meeting.objects.filter(pk=plenary.pk).update(
                start=timezone.make_aware(datetime(2016, 3, 10, 10))
            )
            plenary.refresh_from_db()
            participation.record_attendance(meeting=plenary, actor=secretariat, present=[])
            plenary.refresh_from_db()
        minutes = make_minutes(plenary, secretariat)
        add_contribution(minutes, STATEMENT, speaker=speaker, actor=secretariat)
        circulate_minutes(minutes, secretariat)
        presentation = add_document(
            group,
            secretariat,
            title="Conflictividad socioambiental en el sur andino",
            text="Informe de la Defensoría sobre conflictos mineros y derechos humanos",
            meeting=plenary,
            item=item,
        )
        secret = add_document(
            group,
            secretariat,
            title="Nota reservada",
            text=SECRET_DOC_TEXT,
            audience="coordination",
        )
        add_document(
            group,
            secretariat,
            title="Borrador de presupuesto",
            text="Presupuesto interno de la Secretaría Huaraz",
            audience="secretariat",
        )
        closed = held(group, secretariat, "Coordinación", kind="coordination")
        closed_minutes = make_minutes(closed, secretariat)
        add_contribution(closed_minutes, CLOSED_TEXT, actor=secretariat)
        circulate_minutes(closed_minutes, secretariat)
        planned = make_meeting(group, "planned", days=40, title="Plenaria futura")
        make_agenda_item(planned, topic=PLANNED_TOPIC)
        # The other group says the same things.
        other_secretariat = make_secretariat(other_group)
        other_meeting = held(other_group, other_secretariat, "Beta plenary")
        other_minutes = make_minutes(other_meeting, other_secretariat)
        add_contribution(other_minutes, STATEMENT + " Beta", actor=other_secretariat)
        circulate_minutes(other_minutes, other_secretariat)
    return {
        "secretariat": secretariat,
        "seat": seats[0],
        "member": member,
        "observer": observer,
        "speaker": speaker,
        "plenary": plenary,
        "closed": closed,
        "presentation": presentation,
        "secret": secret,
        "minutes": minutes,
    }


def switch(client, user) -> None:
    client.logout()  # which forgets the cookies
    client.cookies["vpswg_language"] = "en"
    sign_in(client, user)


def search(client, group, q, **params):
    response = client.get(reverse("group:search", kwargs={"wg": group.slug}), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def count(html: str) -> int:
    found = re.search(r'class="search-count"[^>]*>\s*([\d.,\s\xa0]+) result', html)
    assert found, html[html.find("<main") :][:3000]
    return int(re.sub(r"\D", "", found.group(1)))


def test_a_member_finds_a_statement_of_2016_without_its_speaker(client, group, world):
    switch(client, world["member"])
    html = search(client, group, '"diálogo tripartito" Cajamarca')
    assert count(html) == 1
    assert "Plenaria de marzo de 2016" in html and "<mark>" in html
    assert SPEAKER not in html and "Said by" not in html
    assert "#part-c" in html  # the statement's anchor in the members' minutes
    # By year and kind.
    assert count(search(client, group, "tripartito", year=2016, kind="minutes")) == 1
    assert count(search(client, group, "tripartito", year=timezone.localdate().year)) == 0
    assert count(search(client, group, "tripartito", kind="document")) == 0


def test_a_member_finds_a_past_guests_presentation_by_its_text(client, group, world):
    switch(client, world["member"])
    html = search(client, group, "conflictos mineros")
    assert count(html) == 1 and "Conflictividad socioambiental" in html
    # and by the guest who presented it, through the agenda item
    assert "Conflictos sociales y seguridad" in search(client, group, "Rosa Invitada")


def test_a_speakers_name_finds_no_minutes_for_members_and_observers(client, group, world):
    for reader in (world["member"], world["observer"]):
        switch(client, reader)
        html = search(client, group, "Zacarías Canario")
        assert count(html) == 0 and STATEMENT not in html
        assert count(search(client, group, "Canario", kind="minutes")) == 0


def test_the_secretariat_finds_the_statement_with_its_speaker(client, group, world):
    switch(client, world["secretariat"])
    html = search(client, group, "tripartito Cajamarca")
    assert count(html) == 1  # the attributed record's row, not the members' too
    assert SPEAKER in html and "attributed record" in html


def test_a_coordination_document_is_invisible_to_members_in_results_counts_and_snippets(
    client, group, world
):
    for reader in (world["member"], world["observer"]):
        switch(client, reader)
        for q in ("Tambogrande", "reservada", "Nota reservada"):
            html = search(client, group, q)
            assert count(html) == 0 and "Tambogrande" not in html.split("search-count")[1]
        # nor in the year filter's choices beyond what they may read, nor as a file
        detail = reverse("documents:detail", kwargs={"wg": group.slug, "pk": world["secret"].pk})
        assert client.get(detail).status_code == 404
        assert client.get(detail + "file/").status_code == 404
        library = client.get(reverse("documents:library", kwargs={"wg": group.slug}))
        assert "Nota reservada" not in library.content.decode()
        assert count(search(client, group, "Huaraz")) == 0  # the Secretariat's own
    for reader in (world["seat"], world["secretariat"]):
        switch(client, reader)
        html = search(client, group, "Tambogrande")
        assert count(html) == 1 and "<mark>Tambogrande</mark>" in html


def test_closed_and_planned_meetings_are_found_only_by_the_secretariat_and_the_seats(
    client, group, world
):
    switch(client, world["member"])
    assert count(search(client, group, "Espinar")) == 0
    assert count(search(client, group, "Huancavelica")) == 0
    switch(client, world["seat"])
    assert count(search(client, group, "Espinar")) == 1  # the members' rendering, for the seats
    assert count(search(client, group, "Huancavelica")) == 1
    # A member given the closed meeting finds its minutes.
    from meetings.services.closed import grant_closed_access

    with group_scope(group):
        grant_closed_access(
            meeting=world["closed"], user=world["member"], actor=world["secretariat"]
        )
    switch(client, world["member"])
    assert count(search(client, group, "Espinar")) == 1


def test_another_group_is_never_found_and_its_people_get_404(
    client, group, other_group, world, outsider
):
    switch(client, world["member"])
    html = search(client, group, "tripartito")
    assert "Beta plenary" not in html and count(html) == 1
    switch(client, outsider)
    response = client.get(reverse("group:search", kwargs={"wg": group.slug}), {"q": "tripartito"})
    assert response.status_code == 404
    own = search(client, other_group, "Tambogrande tripartito")
    assert count(own) == 0


def test_the_search_page_runs_the_same_queries_for_one_or_five_matches(
    client, group, world, django_capture_on_commit_callbacks
):
    switch(client, world["secretariat"])
    url = reverse("group:search", kwargs={"wg": group.slug})
    client.get(url, {"q": "tripartito"})  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"q": "tripartito"})
    with group_scope(group):
        minutes = world["minutes"]
    for i in range(4):
        add_contribution(
            minutes,
            f"Otra intervención tripartita {i}",
            speaker=world["speaker"],
            actor=world["secretariat"],
        )
    with CaptureQueriesContext(connection) as five:
        html = client.get(url, {"q": "tripartito"}).content.decode()
    assert count(html) == 5
    assert len(five) == len(one), [q["sql"][:120] for q in five.captured_queries]


def test_a_new_version_keeps_the_old_and_search_follows_it(
    client, group, world, django_capture_on_commit_callbacks
):
    switch(client, world["secretariat"])
    document = world["presentation"]
    url = reverse("documents:version", kwargs={"wg": group.slug, "pk": document.pk})
    new = pdf_bytes("Versión corregida: conflictos hídricos en Moquegua")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": _file("v2.pdf", new), "note": "Cifras 2016"})
    assert response.status_code == 302
    with group_scope(group):
        versions = list(DocumentVersion.objects.filter(document=document).order_by("number"))
        assert [v.number for v in versions] == [1, 2]
        assert versions[1].text_status == DocumentVersion.Text.DONE
    switch(client, world["member"])
    assert count(search(client, group, "Moquegua")) == 1
    assert count(search(client, group, "conflictos mineros")) == 0  # the old text is not read
    old = client.get(
        reverse("documents:version_file", kwargs={"wg": group.slug, "pk": document.pk, "number": 1})
    )
    assert old.status_code == 200 and old["Content-Disposition"].startswith("attachment")


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_upload_goes_through_the_validation_module_and_loses_nothing(client, group, world):
    switch(client, world["secretariat"])
    url = reverse("documents:new", kwargs={"wg": group.slug})
    hostile = b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF\n"
    response = client.post(
        url,
        {
            "file": _file("x.pdf", hostile),
            "title": "Título conservado",
            "kind": "report",
            "language": "es",
            "date": "2026-11-30",
            "audience": "members",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Título conservado" in html  # what was typed is kept
    with group_scope(group):
        assert not Document.objects.filter(title="Título conservado").exists()


def test_a_word_document_is_read_for_search(
    client, group, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_document(
            group,
            world["secretariat"],
            title="Propuesta de ley",
            text="",
            kind="draft_text",
            name="ley.docx",
            content=docx_with("Anteproyecto de ley de servicios de seguridad privada Ayacucho"),
        )
    switch(client, world["member"])
    assert count(search(client, group, "Ayacucho")) == 1


def test_a_closed_meetings_document_cannot_be_public(group, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        add_document(
            group,
            world["secretariat"],
            title="X",
            text="x",
            audience="public",
            meeting=world["closed"],
        )


def test_the_public_page_lists_public_documents_only(
    client, group, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public = add_document(
            group,
            world["secretariat"],
            title="Estudio de línea de base",
            text="Público",
            audience="public",
            kind="study",
        )
    page = client.get(reverse("group:home", kwargs={"wg": group.slug})).content.decode()
    assert "Estudio de línea de base" in page and "Nota reservada" not in page
    assert "Conflictividad" not in page  # members only
    response = client.get(
        reverse("documents:public_file", kwargs={"wg": group.slug, "pk": public.pk})
    )
    assert response.status_code == 200
    hidden = client.get(
        reverse("documents:public_file", kwargs={"wg": group.slug, "pk": world["secret"].pk})
    )
    assert hidden.status_code == 404


def test_the_meeting_pack_is_made_in_the_background_and_watermarked(
    client, group, world, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_document(
            group,
            world["secretariat"],
            title="Anexo largo",
            text="Anexo técnico de Pasco",
            meeting=world["plenary"],
            kind="background",
            content=pdf_bytes("Anexo técnico de Pasco", pages=3),
        )
        add_document(
            group,
            world["secretariat"],
            title="Solo coordinación",
            text="Canario coordinación Puno",
            meeting=world["plenary"],
            audience="coordination",
        )
    member = world["member"]
    member.full_name = "Lectora Pack"
    member.save()
    switch(client, member)
    url = reverse("meetings:pack", kwargs={"wg": group.slug, "pk": world["plenary"].pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    with group_scope(group):
        job = PackJob.objects.get(requested_by=member)
    assert job.status == PackJob.Status.DONE, job.error
    status = client.get(
        reverse(
            "meetings:pack_status",
            kwargs={"wg": group.slug, "pk": world["plenary"].pk, "job": job.pk},
        )
    )
    assert "Download the meeting pack" in status.content.decode()
    pack = client.get(
        reverse(
            "meetings:pack_file",
            kwargs={"wg": group.slug, "pk": world["plenary"].pk, "job": job.pk},
        )
    )
    assert pack.status_code == 200 and pack["Content-Type"] == "application/pdf"
    data = b"".join(pack.streaming_content)
    text = pdf_text(data, tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 5  # cover + 1 + 3
    for number, page in enumerate(pages, start=1):
        assert "Lectora Pack" in page and member.email in page, f"page {number} not watermarked"
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\b", page), f"page {number} unnumbered"
    assert "conflictos mineros" in text and "Pasco" in text
    assert "Puno" not in text and "Solo coordinación" not in text
    # Someone else's pack is not theirs to download.
    switch(client, world["observer"])
    other = client.get(
        reverse(
            "meetings:pack_file",
            kwargs={"wg": group.slug, "pk": world["plenary"].pk, "job": job.pk},
        )
    )
    assert other.status_code == 404


def test_reindex_rebuilds_the_index_from_the_data(client, group, world):
    with group_scope(group):
        before = SearchEntry.objects.count()
        SearchEntry.objects.all().delete()
    switch(client, world["member"])
    assert count(search(client, group, "tripartito")) == 0
    call_command("reindex", "--group", group.slug, stdout=io.StringIO())
    with group_scope(group):
        assert SearchEntry.objects.count() == before
    assert count(search(client, group, "tripartito")) == 1


def test_an_institution_renamed_is_found_by_its_new_name(
    client, group, world, django_capture_on_commit_callbacks
):
    from activities.models import Activity
    from tests.factories import make_institution

    with group_scope(group):
        institution = make_institution(group, name="Minera Antigua")
        activity = Activity.objects.create(
            working_group=group,
            title="Taller de derechos humanos",
            kind="workshop",
            start_date=timezone.localdate(),
            proposed_by=world["secretariat"],
        )
        activity.organisers.add(institution)
    switch(client, world["member"])
    assert count(search(client, group, "Antigua")) == 1
    with group_scope(group):
        institution.name = "Minera Renovada"
        institution.save()
    assert count(search(client, group, "Renovada")) == 1
    assert count(search(client, group, "Antigua")) == 0


def test_a_meetings_documents_follow_the_meeting_for_every_reader(
    client, group, world, django_capture_on_commit_callbacks
):
    """A document for members of a planned meeting is the Secretariat's and the seats' until
    the meeting is convened; one of a closed meeting is theirs and its grantees'; a
    Secretariat-only document is not the seats'."""
    from meetings.services import meetings as meeting_service
    from meetings.services.closed import grant_closed_access

    secretariat = world["secretariat"]
    planned = make_meeting(group, "planned", days=60, title="Plenaria de junio")
    with django_capture_on_commit_callbacks(execute=True):
        early = add_document(
            group, secretariat, title="Borrador Ilo", text="Puerto de Ilo", meeting=planned
        )
        closed = add_document(
            group, secretariat, title="Nota Chala", text="Caleta de Chala", meeting=world["closed"]
        )
        own = add_document(
            group,
            secretariat,
            title="Cuentas Nasca",
            text="Líneas de Nasca",
            audience="secretariat",
        )

    def reads(user, document, word):
        switch(client, user)
        url = reverse("documents:detail", kwargs={"wg": group.slug, "pk": document.pk})
        return client.get(url).status_code == 200, count(search(client, group, word))

    assert reads(world["member"], early, "Ilo") == (False, 0)
    assert reads(world["seat"], early, "Ilo") == (True, 1)
    assert reads(world["member"], closed, "Chala") == (False, 0)
    assert reads(world["seat"], closed, "Chala") == (True, 1)
    assert reads(world["seat"], own, "Nasca") == (False, 0)
    assert reads(secretariat, own, "Nasca") == (True, 1)
    with group_scope(group):
        meeting_service.convene(meeting=planned, actor=secretariat)
        grant_closed_access(meeting=world["closed"], user=world["member"], actor=secretariat)
    assert reads(world["member"], early, "Ilo") == (True, 1)
    assert reads(world["member"], closed, "Chala") == (True, 1)
    assert reads(world["observer"], closed, "Chala") == (False, 0)


def test_a_meeting_cancelled_before_it_was_convened_stays_the_secretariats(
    client, group, world, django_capture_on_commit_callbacks
):
    from meetings.services import meetings as meeting_service

    secretariat = world["secretariat"]
    draft = make_meeting(group, "planned", days=50, title="Sesión extraordinaria Tacna")
    with django_capture_on_commit_callbacks(execute=True):
        note = add_document(
            group,
            secretariat,
            title="Nota Tacna",
            text="Frontera de Tacna",
            meeting=draft,
            audience="members",
        )
        press = add_document(
            group,
            secretariat,
            title="Comunicado Tacna",
            text="Comunicado",
            meeting=draft,
            audience="public",
        )
    with group_scope(group):
        meeting_service.cancel(meeting=draft, actor=secretariat, reason="No quorum.")
    switch(client, world["member"])
    assert count(search(client, group, "Tacna")) == 0
    page = reverse("meetings:detail", kwargs={"wg": group.slug, "pk": draft.pk})
    assert client.get(page).status_code == 404
    detail = reverse("documents:detail", kwargs={"wg": group.slug, "pk": note.pk})
    assert client.get(detail).status_code == 404
    client.logout()
    client.cookies["vpswg_language"] = "en"
    public = reverse("documents:public_file", kwargs={"wg": group.slug, "pk": press.pk})
    assert client.get(public).status_code == 404
    assert (
        "Comunicado Tacna"
        not in client.get(reverse("group:home", kwargs={"wg": group.slug})).content.decode()
    )
    switch(client, world["seat"])
    assert count(search(client, group, "Tacna")) >= 2


def test_the_secretariats_results_survive_a_destroyed_attribution(client, group, world):
    from meetings.services import attribution

    with group_scope(group):
        attribution.destroy(minutes=world["minutes"], actor=world["secretariat"])
    switch(client, world["secretariat"])
    html = search(client, group, "tripartito Cajamarca")
    assert count(html) == 1 and SPEAKER not in html and "Said by" not in html


def test_a_word_left_out_is_left_out_in_every_language(client, group, world):
    switch(client, world["member"])
    assert count(search(client, group, "tripartito")) == 1
    assert count(search(client, group, "tripartito -Cajamarca")) == 0
    assert count(search(client, group, 'tripartito -"seguridad privada"')) == 0
    assert count(search(client, group, "tripartito -Lima")) == 1


def test_the_text_fallbacks_snippet_escapes_every_piece():
    from vpswg.search.query import _simple_snippet

    snippet = str(_simple_snippet('Tom & <b>"amp"</b> said amp', ["amp"]))
    assert (
        snippet == "Tom &amp; &lt;b&gt;&quot;<mark>amp</mark>&quot;&lt;/b&gt; said <mark>amp</mark>"
    )


def test_an_old_pack_is_not_served_once_a_document_in_it_changed(
    client, group, world, tmp_path, django_capture_on_commit_callbacks
):
    switch(client, world["member"])
    url = reverse("meetings:pack", kwargs={"wg": group.slug, "pk": world["plenary"].pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with group_scope(group):
        job = PackJob.objects.get(requested_by=world["member"])
    kwargs = {"wg": group.slug, "pk": world["plenary"].pk, "job": job.pk}
    assert client.get(reverse("meetings:pack_file", kwargs=kwargs)).status_code == 200
    with group_scope(group), django_capture_on_commit_callbacks(execute=True):
        documents.change_document(
            document=world["presentation"], actor=world["secretariat"], audience="secretariat"
        )
    assert client.get(reverse("meetings:pack_file", kwargs=kwargs)).status_code == 404
    with group_scope(group):
        assert not PackJob.objects.filter(pk=job.pk).exists()


def test_a_group_that_changes_its_language_is_indexed_again(
    group, world, eager_tasks, django_capture_on_commit_callbacks
):
    with group_scope(group):
        assert set(SearchEntry.objects.filter(kind="minutes").values_list("config", flat=True)) == {
            "spanish"
        }
    with django_capture_on_commit_callbacks(execute=True):
        group.default_language = "fr"
        group.save()
    with group_scope(group):
        assert set(SearchEntry.objects.filter(kind="minutes").values_list("config", flat=True)) == {
            "french"
        }
