"""Past activities imported from a spreadsheet: the preview's errors row by row, fixing and
skipping, the import in one transaction, its audit entry, the kept pages retired, CSV as Excel
in Spanish writes it, a real workbook, hostile files refused, and who may do it."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import translation

from activities import importing
from activities.models import Activity, ActivityImport, ParticipantCount
from tests.factories import (
    docx_bytes,
    make_activity,
    make_institution,
    make_member,
    make_secretariat,
    sign_in,
)
from vpswg.models import AuditEntry
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

HEADER = ["Title", "Kind", "Date", "Until", "Place", "Organisers"]
SECTOR = ["Police and armed forces: participants", "Police and armed forces: women"]
SECTOR += ["Police and armed forces: men"]


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    """As a spreadsheet saves it: a cell holding the delimiter is quoted."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def institutions(group):
    return {
        "andina": make_institution(group, name="Minera Andina del Sur", short_name="MAS"),
        "minem": make_institution(
            group, name="Ministerio de Energía y Minas", short_name="MINEM", pillar="government"
        ),
        "cedal": make_institution(group, name="CEDAL", pillar="civil_society"),
    }


@pytest.fixture
def secretariat(client, group):
    user = make_secretariat(group)
    sign_in(client, user)
    return user


def upload(client, group, name, content):
    return client.post(
        reverse("activities:import", kwargs={"wg": group.slug}),
        {"file": SimpleUploadedFile(name, content)},
    )


def preview_of(group, response) -> importing.Preview:
    assert response.status_code == 302, response.context["form"].errors
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    with group_scope(group):
        return importing.check(ActivityImport.objects.get(pk=pk))


SIX_ROWS = [
    [*HEADER, *SECTOR],
    ["Taller de PV", "Workshop", "2014-05-02", "", "Cusco", "MAS; MINEM", 40, 10, 30],
    ["Curso en Arequipa", "Course", "15/06/2014", "", "Arequipa", "Minera Andna del Sur", 20],
    ["Seminario", "Seminar", "31/02/2014", "", "", "CEDAL", 10],
    ["Foro regional", "Forum", "2014-07-01", "", "", "CEDAL", 10, 8, 5],
    ["Visita", "Excursion", "2014-08-01", "", "", "MAS", 5],
    ["", "Workshop", "2014-09-01", "", "", "MAS", 5],
]


def test_the_preview_names_each_rows_errors_and_imports_nothing(
    client, group, institutions, secretariat
):
    preview = preview_of(group, upload(client, group, "actividades.csv", csv_bytes(SIX_ROWS)))
    errors = {row.line: row.errors for row in preview.rows}
    assert errors[2] == []
    assert errors[3] == [
        "Unknown institution “Minera Andna del Sur”: did you mean “Minera Andina del Sur”?"
    ]
    assert errors[4] == ["“31/02/2014” is not a date: write it as 2024-03-15 or 15/03/2024."]
    assert errors[5] == [
        "Police and armed forces: women and men (13) add up to more than the participants (10)."
    ]
    assert len(errors[6]) == 1 and errors[6][0].startswith("Unknown kind “Excursion”: write one of")
    assert errors[7] == ["The title is missing."]
    good = preview.good[0]
    assert good.organisers == [institutions["andina"], institutions["minem"]]
    assert good.counts == [("police_military", 40, 10, 30)]
    with group_scope(group):
        assert not Activity.objects.exists()
    page = client.get(
        reverse("activities:import_preview", kwargs={"wg": group.slug, "pk": preview.imported.pk})
    )
    body = page.content.decode()
    assert "did you mean “Minera Andina del Sur”?" in body and "Import 1 activity" in body


def test_rows_are_fixed_or_skipped_then_the_good_ones_imported_once_and_audited(
    client, group, institutions, secretariat
):
    preview = preview_of(group, upload(client, group, "actividades.csv", csv_bytes(SIX_ROWS)))
    pk = preview.imported.pk
    row_url = lambda index: reverse(  # noqa: E731
        "activities:import_row", kwargs={"wg": group.slug, "pk": pk, "row": index}
    )
    fixed = {**preview.rows[1].cells, "organisers": "Minera Andina del Sur, CEDAL"}
    assert client.post(row_url(1), fixed).status_code == 302
    for index in (2, 3, 4, 5):
        assert client.post(row_url(index), {"action": "skip"}).status_code == 302
    response = client.post(reverse("activities:import_commit", kwargs={"wg": group.slug, "pk": pk}))
    assert response.status_code == 302
    with group_scope(group):
        activities = {a.title: a for a in Activity.objects.all()}
        assert set(activities) == {"Taller de PV", "Curso en Arequipa"}
        assert set(activities["Curso en Arequipa"].organisers.all()) == {
            institutions["andina"],
            institutions["cedal"],
        }
        assert activities["Curso en Arequipa"].start_date == date(2014, 6, 15)
        assert {a.status for a in activities.values()} == {"confirmed"}
        entry = AuditEntry.objects.get(verb="activity.imported")
        assert entry.actor == secretariat and entry.object_id == str(pk)
        assert entry.data["imported"] == 2 and entry.data["left_out"] == 4
    again = client.post(reverse("activities:import_commit", kwargs={"wg": group.slug, "pk": pk}))
    assert again.status_code == 302
    with group_scope(group):
        assert Activity.objects.count() == 2  # a second post imports nothing more
    done = client.get(reverse("activities:import_preview", kwargs={"wg": group.slug, "pk": pk}))
    assert "2 activities were imported" in done.content.decode()


def test_what_is_typed_is_kept_when_the_row_is_still_wrong(
    client, group, institutions, secretariat
):
    preview = preview_of(group, upload(client, group, "actividades.csv", csv_bytes(SIX_ROWS)))
    url = reverse(
        "activities:import_row", kwargs={"wg": group.slug, "pk": preview.imported.pk, "row": 2}
    )
    typed = {**preview.rows[2].cells, "start_date": "30/02/2014", "place": "Lima, Miraflores"}
    response = client.post(url, typed)
    assert response.status_code == 200
    body = response.content.decode()
    assert "“30/02/2014” is not a date" in body and 'value="Lima, Miraflores"' in body
    with group_scope(group):
        kept = ActivityImport.objects.get(pk=preview.imported.pk).rows[2]["cells"]
    assert kept["start_date"] == "30/02/2014" and kept["place"] == "Lima, Miraflores"


def test_an_import_that_fails_midway_leaves_nothing(client, group, institutions, secretariat):
    rows = [
        [*HEADER, *SECTOR],
        ["Primero", "Workshop", "2014-05-02", "", "", "MAS", 40],
        ["Segundo", "Workshop", "2014-05-03", "", "", "MAS", 777],
    ]
    preview = preview_of(group, upload(client, group, "a.csv", csv_bytes(rows)))
    # The database refuses the second row's counts, after the activities were written.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_777() RETURNS trigger AS $$ BEGIN "
            "IF NEW.total = 777 THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ "
            "LANGUAGE plpgsql; CREATE TRIGGER refuse_777 BEFORE INSERT ON "
            "activities_participantcount FOR EACH ROW EXECUTE FUNCTION refuse_777()"
        )
    with group_scope(group), pytest.raises(DatabaseError):
        importing.commit(imported=preview.imported, actor=secretariat)
    with group_scope(group):
        assert not Activity.objects.exists() and not ParticipantCount.objects.exists()
        assert not AuditEntry.objects.filter(verb="activity.imported").exists()
        assert ActivityImport.objects.get(pk=preview.imported.pk).status == "preview"


def test_the_kept_register_and_reports_show_the_import(client, group, institutions, secretariat):
    make_activity(group, title="Ya registrada", start_date=date(2013, 1, 1))
    register = reverse("activities:list", kwargs={"wg": group.slug})
    reports_url = reverse("reports:index", kwargs={"wg": group.slug})
    before = client.get(register).content.decode()
    assert "Ya registrada" in before and "Taller de PV" not in before
    assert client.get(reports_url).context["figures"].count("2013") >= 1
    assert "2014" not in client.get(reports_url).context["figures"]
    preview = preview_of(group, upload(client, group, "a.csv", csv_bytes(SIX_ROWS[:2])))
    client.post(
        reverse("activities:import_commit", kwargs={"wg": group.slug, "pk": preview.imported.pk})
    )
    assert "Taller de PV" in client.get(register).content.decode()
    assert "2014" in client.get(reports_url).context["figures"]


def test_an_activity_already_registered_or_twice_in_the_file_is_refused(
    client, group, institutions, secretariat
):
    make_activity(group, title="Taller de PV", start_date=date(2014, 5, 2))
    rows = [SIX_ROWS[0], SIX_ROWS[1], ["Foro", "Forum", "2014-06-01", "", "", "MAS"]]
    rows.append(["foro", "Forum", "01/06/2014", "", "", "CEDAL"])
    preview = preview_of(group, upload(client, group, "a.csv", csv_bytes(rows)))
    assert [row.errors for row in preview.rows] == [
        ["An activity with this title and date is already in the register."],
        [],
        ["The same title and date as row 3."],
    ]


def test_a_csv_as_excel_in_spanish_writes_it(client, group, institutions, secretariat):
    with translation.override("es"):
        header = [str(c.label) for c in importing.COLUMNS]
    rows = [header, ["Capacitación en Piura", "Taller", "02/05/2014", "", "Piura", "Piura"]]
    rows[1] += ["Ministerio de Energía y Minas; CEDAL", "Descripción"]
    rows[1] += [""] * (len(header) - len(rows[1]))
    body = csv_bytes(rows, delimiter=";", encoding="cp1252")
    assert "í".encode("cp1252") in body  # not UTF-8
    preview = preview_of(group, upload(client, group, "actividades.csv", body))
    row = preview.rows[0]
    assert row.errors == []
    assert row.activity["title"] == "Capacitación en Piura"
    assert row.activity["start_date"] == date(2014, 5, 2)
    assert row.activity["kind"] == "workshop"
    assert row.organisers == [institutions["minem"], institutions["cedal"]]


def test_a_real_workbook_with_date_cells_and_numbers(client, group, institutions, secretariat):
    rows = [
        [*HEADER, *SECTOR],
        ["Curso PNP", "Course", datetime(2012, 3, 14), date(2012, 3, 16), "Lima", "MINEM", 30, 5],
        ["Panel", "Panel", "2012-04-01", None, None, "CEDAL | MAS", 12.0, 6.0, 6.0],
    ]
    preview = preview_of(group, upload(client, group, "actividades.xlsx", xlsx_bytes(rows)))
    assert [row.errors for row in preview.rows] == [[], []]
    first, second = preview.rows
    assert (first.activity["start_date"], first.activity["end_date"]) == (
        date(2012, 3, 14),
        date(2012, 3, 16),
    )
    assert first.counts == [("police_military", 30, 5, None)]
    assert second.counts == [("police_military", 12, 6, 6)]
    assert second.organisers == [institutions["cedal"], institutions["andina"]]


def test_the_templates_come_back_as_they_went(client, group, institutions, secretariat):
    from openpyxl import load_workbook

    xlsx = client.get(reverse("activities:import_template_xlsx", kwargs={"wg": group.slug}))
    sheet = load_workbook(
        io.BytesIO(b"".join(xlsx.streaming_content if xlsx.streaming else [xlsx.content]))
    ).active
    assert [c.value for c in sheet[1]] == [str(c.label) for c in importing.COLUMNS]
    preview = preview_of(group, upload(client, group, "template.xlsx", xlsx.content))
    assert len(preview.rows) == 1 and preview.rows[0].errors[0].startswith("Unknown institution")
    csv_response = client.get(reverse("activities:import_template_csv", kwargs={"wg": group.slug}))
    preview = preview_of(group, upload(client, group, "template.csv", csv_response.content))
    assert len(preview.rows) == 1 and preview.rows[0].activity["start_date"] == date(2024, 3, 15)


def _xlsx_with(extra: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item.filename))
        for name, content in extra.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER])))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", b" " * (50 * 2**20) + b"</sheetData>")
            archive.writestr(item.filename, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("actividades.xlsm", lambda: xlsx_bytes([HEADER]), "macro-enabled (.xlsm)"),
        (
            "actividades.xlsx",
            lambda: _xlsx_with({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}),
            "The workbook contains macros",
        ),
        (
            "actividades.xlsx",
            lambda: _xlsx_with({"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
            "fetches content from elsewhere",
        ),
        ("actividades.xlsx", _bomb, "compressed more than 200 times"),
        (
            "actividades.xlsx",
            lambda: _xlsx_with(
                {
                    "xl/worksheets/sheet2.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a '
                    b'"aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><x>&b;</x>'
                }
            ),
            "document type declaration",
        ),
        (
            "actividades.xlsx",
            lambda: _xlsx_with({"xl/connections.xml": b"<connections/>"}),
            "fetches content from elsewhere",
        ),
        (
            "actividades.csv",
            lambda: csv_bytes([HEADER] + [["T", "Workshop", "2014-01-01", "", "", "MAS"]] * 10_000),
            "more than 2000 rows",
        ),
        ("actividades.xlsx", docx_bytes, "neither an Excel workbook"),
        (
            "actividades.xls",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "old Excel workbook (.xls)",
        ),
        ("actividades.txt", lambda: csv_bytes([HEADER]), "must end in .xlsx or .csv"),
        ("actividades.csv", lambda: b"a,b\n" * (1024 * 1024), "Split it into several files"),
        ("actividades.csv", lambda: xlsx_bytes([HEADER]), "content is a XLSX"),
    ],
    ids=[
        "xlsm",
        "macro",
        "external-link",
        "zip-bomb",
        "xml-entities",
        "data-connection",
        "10000-rows",
        "docx",
        "xls",
        "txt",
        "too-large",
        "mismatch",
    ],
)
def test_hostile_and_wrong_files_are_refused_and_nothing_is_kept(
    client, group, institutions, secretariat, name, content, message
):
    response = upload(client, group, name, content())
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors, errors
    with group_scope(group):
        assert not ActivityImport.objects.exists()


def test_a_member_is_refused_and_an_outsider_finds_nothing(
    client, group, other_group, outsider, institutions
):
    member = make_member(group)
    sign_in(client, member)
    url = reverse("activities:import", kwargs={"wg": group.slug})
    body = csv_bytes(SIX_ROWS[:2])
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": SimpleUploadedFile("a.csv", body)}).status_code == 403
    client.logout()
    author = make_secretariat(group)
    sign_in(client, author)
    preview = preview_of(group, upload(client, group, "a.csv", body))
    client.logout()
    sign_in(client, outsider)
    for name, extra in [("import_preview", {}), ("import_row", {"row": 0})]:
        kwargs = {"wg": group.slug, "pk": preview.imported.pk, **extra}
        assert client.get(reverse(f"activities:{name}", kwargs=kwargs)).status_code == 404
    # Another group's URL with this group's preview: not there either.
    kwargs = {"wg": other_group.slug, "pk": preview.imported.pk}
    assert client.get(reverse("activities:import_preview", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("activities:import_commit", kwargs=kwargs)).status_code == 404
    with group_scope(group):
        assert not Activity.objects.exists()
    # A colleague of the Secretariat does not see someone else's preview.
    client.logout()
    sign_in(client, make_secretariat(group))
    kwargs = {"wg": group.slug, "pk": preview.imported.pk}
    assert client.get(reverse("activities:import_preview", kwargs=kwargs)).status_code == 404


def test_the_preview_and_the_import_cost_the_same_queries_for_3_and_30_rows(
    client, group, institutions, secretariat
):
    from django.test.utils import CaptureQueriesContext

    def costs(n: int) -> tuple[int, int]:
        rows = [[*HEADER, *SECTOR]]
        rows += [
            [f"Taller {n}-{i}", "Workshop", f"2015-01-{i % 28 + 1:02d}", "", "", "MAS; CEDAL", 9, 4]
            for i in range(n)
        ]
        preview = preview_of(group, upload(client, group, f"{n}.csv", csv_bytes(rows)))
        url = reverse(
            "activities:import_preview", kwargs={"wg": group.slug, "pk": preview.imported.pk}
        )
        with CaptureQueriesContext(connection) as shown:
            assert client.get(url).status_code == 200
        with group_scope(group), CaptureQueriesContext(connection) as written:
            assert importing.commit(imported=preview.imported, actor=secretariat) == n
        return len(shown), len(written)

    assert costs(3) == costs(30)
