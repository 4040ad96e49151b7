"""English and Spanish ship complete: every string of the code is in the Spanish catalogue,
translated, and the compiled catalogue is the one the sources give."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "vpswg" / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def sources() -> list[str]:
    """The project's own apps (every one in INSTALLED_APPS that lives in this tree: a new app
    is covered without editing this test, and the copy can run manage.py), its templates."""
    from django.apps import apps

    local = {
        Path(config.path).relative_to(ROOT).parts[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
    }
    return ["manage.py", "templates", *sorted(local)]


def statistics(po: Path) -> tuple[int, int, int]:
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stderr
    numbers = {
        kind: int(m.group(1)) if (m := re.search(rf"(\d+) {kind}", text)) else 0
        for kind in ("translated", "fuzzy", "untranslated")
    }
    return numbers["translated"], numbers["fuzzy"], numbers["untranslated"]


def test_the_spanish_catalogue_is_complete():
    translated, fuzzy, untranslated = statistics(PO)
    assert translated > 100
    assert (fuzzy, untranslated) == (0, 0)


def test_every_string_in_the_sources_is_in_the_catalogue(tmp_path):
    """Extract the strings again from a copy of the sources: nothing may come out untranslated."""
    for name in sources():
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, tmp_path / name)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ENV"}
    env["VPSWG_VAR_DIR"] = str(tmp_path / "var")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "es",
            "--no-obsolete",
            "--no-location",
            "--ignore",
            "var/*",
        ],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    _, fuzzy, untranslated = statistics(
        tmp_path / "vpswg" / "locale" / "es" / "LC_MESSAGES" / "django.po"
    )
    assert (fuzzy, untranslated) == (0, 0), "run `make messages` and translate the new strings"


def test_the_compiled_catalogue_matches_the_sources(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)
    assert MO.read_bytes() == compiled.read_bytes(), "run `make messages` to compile the catalogue"


@pytest.mark.django_db
def test_pages_render_in_spanish(client, group):
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    body = client.get(f"/{group.slug}/").content.decode()
    assert "Cómo incorporarse" in body
    assert "Regla de Chatham House" in body


@pytest.mark.django_db
def test_the_language_of_a_request_does_not_outlive_it(client):
    """The language is per thread: a Spanish page must not leave the next piece of work on the
    thread (a request, an in-process task, a test) speaking Spanish."""
    from django.utils import translation

    from tests.factories import make_group

    make_group("lima", default_language="es")
    response = client.get("/lima/")
    assert response["Content-Language"] == "es"
    assert translation.get_language() == "en"
