"""Pages in the reader's language, and no string translated before there is a reader.

That each catalogue is complete, and the compiled one the one its sources give, is
tests/vpswg/test_catalogues.py's, for every shipped language."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def sources() -> list[str]:
    """The project's own apps (every one in INSTALLED_APPS that lives in this tree: a new app
    is covered without editing this test), its templates."""
    from django.apps import apps

    local = {
        Path(config.path).relative_to(ROOT).parts[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
    }
    # Not the installed packages of a virtual environment kept in the checkout (.venv).
    return ["manage.py", "templates", *sorted(p for p in local if not p.startswith("."))]


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


# --- Strings translated when shown, not when imported -----------------------------------------

EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def import_time_translations(path: Path) -> list[str]:
    """Calls of an eager gettext (or ``str()`` of anything) that run when the module is
    imported: in a module's or a class's body, a default argument, a decorator. What they
    return is in whatever language was active then (none: English) for every reader after."""
    tree = ast.parse(path.read_text(), str(path))
    eager = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    lazy = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name.endswith("_lazy")
    }
    found = []

    def called(node, names) -> bool:
        return (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
        )

    def at_import(node) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                for expr in [*child.args.defaults, *filter(None, child.args.kw_defaults)]:
                    at_import(expr)
                for expr in getattr(child, "decorator_list", []):
                    at_import(expr)
                continue  # the body runs when called
            if called(child, eager) or (
                called(child, {"str"}) and child.args and called(child.args[0], lazy)
            ):
                found.append(f"{path.relative_to(ROOT)}:{child.lineno}: {ast.unparse(child)}")
            # A lazy string formatted at import is no longer lazy: "%s" % _lazy(...).
            if isinstance(child, ast.BinOp) and called(child.left, lazy):
                found.append(f"{path.relative_to(ROOT)}:{child.lineno}: {ast.unparse(child)}")
            at_import(child)

    at_import(tree)
    return found


def test_no_string_is_translated_when_its_module_is_imported():
    found = [
        hit
        for name in sources()
        for path in ((ROOT / name).rglob("*.py") if (ROOT / name).is_dir() else [])
        if "migrations" not in path.parts
        for hit in import_time_translations(path)
    ]
    assert found == [], "use gettext_lazy (or format_lazy) for strings kept in module constants"


@pytest.mark.django_db
def test_the_upload_help_text_is_in_the_pages_language(client):
    """The size limit in the help text under an upload field is written when the page is,
    in its language and with its decimal comma."""
    from tests.factories import make_group, make_secretariat, sign_in

    make_group("lima", default_language="es")
    assert (
        "PDF o Word (DOCX), 10,0\xa0MB como máximo." in client.get("/lima/apply/").content.decode()
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "PDF or Word (DOCX), at most 10.0\xa0MB." in client.get("/lima/apply/").content.decode()
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    sign_in(client, make_secretariat(make_group("cusco", default_language="en"), language="en"))
    for url in ("/cusco/activities/new/", "/cusco/members/report/"):
        body = client.get(url).content.decode()
        assert "PDF o Word (DOCX), 10,0\xa0MB como máximo." in body, url
