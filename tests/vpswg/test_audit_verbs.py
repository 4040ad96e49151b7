"""Every verb the code writes to the audit log has a label, and its states theirs: the log and
an application's history read as sentences in the reader's language, the codes kept beside."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from meetings.models import MinutesReview
from members.models import Application
from members.services.institutions import DECISIONS
from tests.factories import make_application, make_secretariat, sign_in
from vpswg import audit_verbs
from vpswg.audit_verbs import VERBS, state_label, verb_label
from vpswg.scoping import group_scope
from vpswg.services.audit import record

ROOT = Path(__file__).resolve().parents[2]
SUBMITTED_ES = "Presentada, a la espera de la revisión preliminar"

#: The verbs built at run time, by their source, and every value they take.
DYNAMIC = {
    "f'minutes.review_{decision}'": {f"minutes.review_{d}" for d in MinutesReview.Decision.values},
    "f'standing.{decision}'": {f"standing.{d}" for d in DECISIONS},
}


def sources() -> list[Path]:
    """The Python of the project's apps (every app in this tree: a new one is covered), not
    its tests or migrations (a migration writes no entry)."""
    roots = {
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
    }
    return sorted(
        path
        for root in roots
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
    )


def written_verbs() -> tuple[set[str], set[str], list[str]]:
    """(every verb written, those written with states, what could not be read), from each
    call with a ``verb=`` argument: ``record(...)``, ``transition(...)``, ``AuditEntry(...)``."""
    verbs: set[str] = set()
    with_states: set[str] = set()
    unreadable: list[str] = []

    def values(node: ast.expr, where: str) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return values(node.body, where) | values(node.orelse, where)
        if isinstance(node, ast.JoinedStr) and ast.unparse(node) in DYNAMIC:
            return DYNAMIC[ast.unparse(node)]
        if isinstance(node, ast.Name) and node.id == "verb":
            return set()  # handed on by record() and transition(), which take it as a parameter
        unreadable.append(f"{where}: {ast.unparse(node)}")
        return set()

    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            if "verb" not in keywords:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            found = values(keywords["verb"], where)
            verbs |= found
            name = node.func.id if isinstance(node.func, ast.Name) else ""
            if name == "transition" or {"from_state", "to_state"} & set(keywords):
                with_states |= found
    return verbs, with_states, unreadable


def test_every_verb_written_has_a_label_and_every_label_a_verb():
    verbs, with_states, unreadable = written_verbs()
    assert unreadable == [], "a verb the test cannot read: add its values to DYNAMIC"
    assert len(verbs) > 60
    assert sorted(verbs - set(VERBS)) == [], "label these verbs in vpswg/audit_verbs.py"
    assert sorted(set(VERBS) - verbs) == [], "no code writes these verbs any more"
    missing = sorted(v for v in with_states if not VERBS[v].states)
    assert missing == [], "these verbs record states: say which choices name them"


def test_every_verbs_states_are_choices_of_a_field():
    for verb, spec in VERBS.items():
        assert " " in str(spec.label), verb  # words, not a code
        if spec.states:
            assert audit_verbs.choices(spec.states), f"{verb}: {spec.states} has no choices"


def test_labels_are_translated_when_shown_not_when_imported():
    """The registry keeps lazy labels: one entry reads in each reader's language."""
    with translation.override("en"):
        english = str(state_label("application.submitted", "submitted"))
    with translation.override("es"):
        spanish = str(state_label("application.submitted", "submitted"))
    assert (english, spanish) == ("Submitted, awaiting screening", SUBMITTED_ES)


def test_an_unknown_verb_or_state_shows_as_its_code():
    assert verb_label("retired.verb") == "retired.verb"
    assert state_label("retired.verb", "somewhere") == "somewhere"
    assert state_label("application.submitted", "retired_state") == "retired_state"
    assert state_label("group.created", "") == ""


# --- The pages -----------------------------------------------------------------------------------


def cells(page: str) -> list[str]:
    """The text of the audit table's rows, tags dropped, spaces squeezed."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


@pytest.mark.django_db
def test_the_audit_log_reads_as_labels_with_the_codes_beside(client, group, other_group):
    secretariat = make_secretariat(group)
    make_application(group)
    make_application(other_group, name="Beta Secret Mining")
    sign_in(client, secretariat)
    url = reverse("group:audit", kwargs={"wg": group.slug})
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(url, {"verb": "application."}).content.decode()
    (row,) = cells(english)
    assert "Application submitted application.submitted" in row
    assert (
        "Waiting for the applicant to confirm the e-mail address → Submitted, awaiting screening"
        in row
    )
    assert 'title="unconfirmed → submitted"' in english
    assert "Beta Secret Mining" not in english
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish = client.get(url, {"verb": "application."}).content.decode()
    (row,) = cells(spanish)
    with translation.override("es"):
        expected = [
            str(VERBS["application.submitted"].label),
            str(Application.Status.UNCONFIRMED.label),
            str(Application.Status.SUBMITTED.label),
        ]
    assert expected[2] != "Submitted, awaiting screening"  # the Spanish catalogue has it
    assert f"{expected[0]} application.submitted" in row
    assert f"{expected[1]} → {expected[2]}" in row


@pytest.mark.django_db
def test_the_filter_still_takes_the_code(client, group):
    secretariat = make_secretariat(group)
    with group_scope(group):
        record(working_group=group, actor=None, verb="minutes.submitted")
        record(working_group=group, actor=None, verb="meeting.convened")
    sign_in(client, secretariat)
    url = reverse("group:audit", kwargs={"wg": group.slug})
    rows = cells(client.get(url, {"verb": "minutes."}).content.decode())
    assert rows == [rows[0]] and "Minutes submitted to the Coordination Group" in rows[0]


@pytest.mark.django_db
def test_an_applications_history_reads_as_labels(client, group, other_group, outsider):
    secretariat = make_secretariat(group)
    application = make_application(group, "screened")
    sign_in(client, secretariat)
    url = reverse("members:application", kwargs={"wg": group.slug, "pk": application.pk})
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(url).content.decode()
    history = page.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", history).split())
    assert "Application submitted → Submitted, awaiting screening" in text
    assert "Application screened → Complete, before the Coordination Group" in text
    assert "application.submitted" not in text  # the code is in the title, for who wants it
    assert 'title="application.screened → screened"' in history
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get(url).content.decode()
    with translation.override("es"):
        screened = str(Application.Status.SCREENED.label)
    assert f"→ {screened}" in page and screened != "Complete, before the Coordination Group"
    client.logout()
    sign_in(client, outsider)
    assert client.get(url).status_code == 404
