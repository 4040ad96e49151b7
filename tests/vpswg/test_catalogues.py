"""Every language of the site ships a complete catalogue: each string translated (each plural
form too), none left fuzzy, the placeholders intact, and the compiled catalogue the one the
.po gives. A language added to ``settings.LANGUAGES`` is held to this without editing it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.catalogues import (
    Entry,
    compile_po,
    compiled_messages,
    expected_messages,
    other_languages,
    po_path,
    read_po,
)

ROOT = Path(__file__).resolve().parents[2]


def describe(entry: Entry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid[:70]!r}"


@pytest.fixture(params=other_languages())
def language(request):
    return request.param


@pytest.fixture
def po(language) -> Path:
    """The language's catalogue; a test fails (rather than errs) when there is none."""
    return po_path(language)


def present(po: Path) -> Path:
    assert po.is_file(), f"no catalogue: {po.relative_to(ROOT)}"
    return po


def test_every_entry_is_translated(po):
    catalogue = read_po(present(po))
    assert len(catalogue.live()) > 100
    untranslated = [describe(e) for e in catalogue.live() if not e.fuzzy and not all(e.msgstrs)]
    assert untranslated == [], f"{len(untranslated)} untranslated"
    # A plural entry has one translation per plural form of the language.
    nplurals = catalogue.nplurals
    short = [
        describe(e)
        for e in catalogue.live()
        if e.msgid_plural is not None and len(e.msgstrs) != nplurals
    ]
    assert short == [], f"plural entries without {nplurals} forms"


def test_no_entry_is_fuzzy(po):
    fuzzy = [describe(e) for e in read_po(present(po)).live() if e.fuzzy]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy (msgmerge's guesses, not translations)"


def test_msgfmt_checks_the_placeholders(po, tmp_path):
    result = compile_po(present(po), tmp_path / "django.mo")
    assert result.returncode == 0, result.stderr


def test_the_compiled_catalogue_is_the_one_the_po_gives(po, tmp_path):
    """The same messages, compared one by one: msgfmt's versions need not give the same bytes."""
    mo = present(po).with_suffix(".mo")
    assert mo.is_file(), "run `make messages` to compile the catalogue"
    fresh = tmp_path / "django.mo"
    assert compile_po(po, fresh).returncode == 0
    shipped, wanted = compiled_messages(mo), compiled_messages(fresh)
    stale = sorted(repr(k)[:80] for k in shipped.keys() - wanted.keys())
    missing = sorted(repr(k)[:80] for k in wanted.keys() - shipped.keys())
    changed = sorted(
        repr(k)[:80] for k in shipped.keys() & wanted.keys() if shipped[k] != wanted[k]
    )
    assert (stale, missing, changed) == ([], [], []), "run `make messages`"


def test_the_reader_sees_what_msgfmt_compiles(po, tmp_path):
    """The checks above read the .po with ``tests.catalogues``: held here to GNU msgfmt."""
    fresh = tmp_path / "django.mo"
    assert compile_po(present(po), fresh).returncode == 0
    assert expected_messages(read_po(po)) == compiled_messages(fresh)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The catalogues as ``make messages`` would leave them, made in a copy of the sources."""
    from django.apps import apps

    copy = tmp_path_factory.mktemp("sources")
    local = {
        Path(config.path).relative_to(ROOT).parts[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
    }
    for name in ["manage.py", "templates", *sorted(local)]:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, copy / name)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ENV"}
    env["VPSWG_VAR_DIR"] = str(copy / "var")
    locales = [arg for code in other_languages() for arg in ("--locale", code)]
    options = ["--no-obsolete", "--no-location", "--ignore", "var/*"]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *locales, *options],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return copy


def test_the_catalogue_has_every_string_of_the_sources_and_no_other(po, language, extracted):
    """A catalogue complete by its own count may still miss a string the code gained since
    (or keep one it lost): its msgids are compared with those extracted from the sources."""
    fresh = extracted / po.relative_to(ROOT)

    def keys(path: Path) -> set[tuple]:
        return {(e.msgctxt, e.msgid, e.msgid_plural) for e in read_po(path).live()}

    ours, sources = keys(present(po)), keys(fresh)
    assert sorted(sources - ours, key=str) == [], "run `make messages` and translate them"
    assert sorted(ours - sources, key=str) == [], "strings no code uses: run `make messages`"


def test_the_checks_find_what_they_look_for(tmp_path):
    """The reader on a catalogue with each kind of entry the checks tell apart."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Done"\nmsgstr "Hecho"\n\n'
        'msgctxt "button"\nmsgid "Open"\nmsgstr "Abrir"\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s votes"\nmsgstr "%(n)s vetos"\n\n'
        'msgid "Not yet"\nmsgstr ""\n\n'
        'msgid "one %(n)s"\nmsgid_plural "many %(n)s"\nmsgstr[0] "uno %(n)s"\nmsgstr[1] ""\n\n'
        'msgid ""\n"A long "\n"line\\n"\nmsgstr ""\n"Una línea "\n"\\"larga\\"\\n"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Ido"\n',
        encoding="utf-8",
    )
    catalogue = read_po(po)
    assert catalogue.nplurals == 2
    by_id = {e.msgid: e for e in catalogue.entries}
    assert [e.msgid for e in catalogue.live() if not e.translated] == [
        "%(n)s votes",
        "Not yet",
        "one %(n)s",
    ]
    assert by_id["%(n)s votes"].fuzzy
    assert by_id["Open"].key == "button\x04Open"
    assert by_id["one %(n)s"].msgstrs == ("uno %(n)s", "")
    assert by_id["A long line\n"].msgstrs == ('Una línea "larga"\n',)
    assert by_id["Gone"].obsolete and by_id["Gone"] not in catalogue.live()
    compiled = tmp_path / "django.mo"
    assert compile_po(po, compiled).returncode == 0
    assert expected_messages(catalogue) == compiled_messages(compiled)
