"""The confidentiality probe (Chatham House Rule).

Distinctive names are given to every speaker, guest and institution; minutes attribute
statements to them, are approved and circulated. Then a member, an observer and a user of
another group collect everything they can reach: every page and htmx partial of the URL
registry, the minutes' pages and PDFs (text by pdftotext, and their metadata), every e-mail
and calendar file they received, error pages.

What is checked, and why it is not simply "no name anywhere": the directory and a meeting's
agenda legitimately list institutions and their representatives (membership and logistics are
not secret inside the group; authorship is). So:

* an artifact that carries any statement of the minutes must carry no identity at all;
* e-mails, calendar files and minutes PDFs must carry no speaker identity at all;
* the user of another group must see neither statements nor identities.
The attributed record (the Secretariat's) is checked to contain both, so the probe would fail
if the data were not there.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from meetings.services import minutes as minutes_service
from tests.factories import (
    add_contribution,
    make_coordination,
    make_guest,
    make_institution,
    make_meeting,
    make_minutes,
    make_observer,
    make_representative,
    make_secretariat,
    sign_in,
)
from tests.isolation.registry import REGISTRY
from tests.isolation.routes import World, own_patterns, url_for
from vpswg.roles import Role
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

MARKERS = ["QUIETLY-OBSERVED-STATEMENT", "UNHEARD-PROPOSAL-ZETA", "GUEST-EXPERT-REMARK"]


@dataclass
class Artifact:
    who: str
    what: str
    text: str


def _pdf(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return text + "\n" + info


@pytest.fixture
def probe(group, other_group, smtp_server, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        speaker_a = make_representative(
            group,
            institution=make_institution(
                group, name="Compañía Minera Qollqeq", short_name="CMQ", aliases=["Qollqeq Mining"]
            ),
        )
        speaker_a.user.full_name = "Xiomara Uturunco Pachacútec"
        speaker_a.user.email = "xiomara.uturunco@qollqeq.example"
        speaker_a.user.save()
        speaker_b = make_representative(
            group,
            institution=make_institution(
                group,
                name="Embassy of Zembla",
                short_name="Zembla",
                pillar="government",
                kind="foreign_government",
            ),
        )
        speaker_b.user.full_name = "Wendell Oyelaran Brightwater"
        speaker_b.user.email = "wendell.brightwater@zembla.example"
        speaker_b.user.save()
        guest = make_guest(
            group,
            name="Ignatius Vorhees Kappeler",
            organisation="Kappeler Institute",
            email="ignatius@kappeler.example",
        )
        member = make_representative(group)
        observer = make_observer(group)
        seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
        secretariat = make_secretariat(group)
        outsider = make_secretariat(other_group)
        meeting = make_meeting(group, "held", days=-1, title="Plenary of the probe")
        minutes = make_minutes(meeting)
        with group_scope(group):
            section = minutes_service.add_section(
                minutes=minutes, actor=secretariat, title="Security and mining"
            )
            minutes_service.save_action_item(
                section=section,
                actor=secretariat,
                what="Share the guidance note",
                institution=member.institution,
            )
        add_contribution(
            minutes,
            f"{MARKERS[0]}: agreements with the police must be public.",
            speaker=speaker_a,
            section=section,
        )
        add_contribution(
            minutes,
            f"{MARKERS[1]}: embassies will fund training.",
            speaker=speaker_b,
            section=section,
        )
        add_contribution(
            minutes, f"{MARKERS[2]}: the draft law has gaps.", speaker=guest, section=section
        )
        with group_scope(group):
            minutes_service.submit(minutes=minutes, actor=secretariat)
            for seat in seats:
                minutes_service.review(minutes=minutes, actor=seat, decision="approve")
    with group_scope(group):
        minutes.refresh_from_db()
    assert minutes.status == "circulated"
    identities = [
        "Xiomara",
        "Uturunco",
        "Pachacútec",
        "Pachacutec",
        "Qollqeq",
        "CMQ",
        "xiomara.uturunco",
        "Wendell",
        "Oyelaran",
        "Brightwater",
        "Zembla",
        "wendell.brightwater",
        "Ignatius",
        "Vorhees",
        "Kappeler",
        "ignatius@",
    ]
    return {
        "group": group,
        "other": other_group,
        "meeting": meeting,
        "minutes": minutes,
        "member": member.user,
        "observer": observer,
        "outsider": outsider,
        "secretariat": secretariat,
        "identities": identities,
        "smtp": smtp_server,
    }


def collect(probe, who: str, user, tmp_path) -> list[Artifact]:
    client = Client()
    sign_in(client, user)
    group, meeting = probe["group"], probe["meeting"]
    artifacts = []
    world = World(
        group, probe["other"], {r: user for r in [*Role.values, "no_role"]}, probe["outsider"]
    )
    for name, route in own_patterns().items():
        if REGISTRY[name].method != "get":
            continue
        url = url_for(name, route, world, user)
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, **headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            artifacts.append(Artifact(who, f"{url} {headers}", body.decode(errors="replace")))
    for path in (
        reverse("meetings:detail", kwargs={"wg": group.slug, "pk": meeting.pk}),
        reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": meeting.pk}),
        reverse("meetings:minutes", kwargs={"wg": group.slug, "pk": meeting.pk})
        + "?version=dissemination",
        reverse("meetings:calendar", kwargs={"wg": group.slug, "pk": meeting.pk}),
        reverse("notifications"),
        f"/{group.slug}/no-such-page/",
        f"/{group.slug}/meetings/999999/minutes/",
    ):
        response = client.get(path)
        artifacts.append(Artifact(who, path, response.content.decode(errors="replace")))
    for suffix in ("", "?version=dissemination"):
        path = reverse("meetings:minutes_pdf", kwargs={"wg": group.slug, "pk": meeting.pk}) + suffix
        response = client.get(path)
        if response.status_code == 200:
            artifacts.append(
                Artifact(who, path, _pdf(response.content, tmp_path, f"{who}{len(suffix)}.pdf"))
            )
        else:
            artifacts.append(Artifact(who, path, response.content.decode(errors="replace")))
    for mail in probe["smtp"].recorder.to(user.email):
        artifacts.append(Artifact(who, f"e-mail {mail.subject}", mail.message.as_string()))
    return artifacts


def test_the_attributed_record_holds_the_leakable_data(client, probe):
    sign_in(client, probe["secretariat"])
    body = client.get(
        reverse("meetings:minutes", kwargs={"wg": probe["group"].slug, "pk": probe["meeting"].pk})
    ).content.decode()
    assert all(m in body for m in MARKERS)
    assert "Xiomara Uturunco Pachacútec" in body and "Ignatius Vorhees Kappeler" in body


@pytest.mark.parametrize("who", ["member", "observer", "outsider"])
def test_nothing_reachable_ties_a_statement_to_its_speaker(probe, who, tmp_path):
    artifacts = collect(probe, who, probe[who], tmp_path)
    assert len(artifacts) > 60
    carried_statements = [a for a in artifacts if any(m in a.text for m in MARKERS)]
    if who == "outsider":
        assert carried_statements == []
    else:
        assert carried_statements, "the member did not even reach the minutes"
        pdfs = [a for a in artifacts if ".pdf" in a.what]
        assert any(MARKERS[0] in a.text for a in pdfs)
    failures = []
    for artifact in artifacts:
        strict = (
            artifact in carried_statements
            or artifact.what.startswith("e-mail")
            or ".pdf" in artifact.what
            or ".ics" in artifact.what
            or who == "outsider"
        )
        if not strict:
            continue
        # Whole words only: a random CSRF token may well contain the letters "cmq".
        found = [
            i
            for i in probe["identities"]
            if re.search(
                rf"(?<![A-Za-z0-9]){re.escape(i)}(?![A-Za-z0-9])", artifact.text, re.IGNORECASE
            )
        ]
        if found:
            failures.append(f"{artifact.what}: {found}")
    assert failures == []
