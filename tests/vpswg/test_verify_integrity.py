"""``manage.py verify_integrity`` after a restore (docs/backup.md): every frozen version's hash,
every upload (against the backup's manifest), every sealed value and second factor under the
configured key rings, every audit chain; counted group by group, failures named by id and never
by content, a non-zero exit on any failure (``vpswg.integrity``)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from activities.services import add_evidence
from meetings.models import MinutesVersion
from meetings.services import attribution, redaction
from meetings.services import minutes as service
from members.services.applications import submit_application
from tests.factories import (
    APPLICATION_DATA,
    MINIMAL_PDF,
    add_contribution,
    docx_bytes,
    make_activity,
    make_agenda_item,
    make_coordination,
    make_guest,
    make_institution,
    make_meeting,
    make_minutes,
    make_representative,
    make_secretariat,
    upload,
)
from vpswg.crypto import generate_entry
from vpswg.scoping import group_scope, scopes_disabled

pytestmark = pytest.mark.django_db

SPEAKER = "Wiracocha Quispe Mamani"
STATEMENT = "CANARY-RESTORE: the agreement with the police must be published."
COMMENT = "It was the ministry's delegate who said this, not the company."


def _installation(group, *, speaker=SPEAKER, statement=STATEMENT):
    """A group with what a restore must bring back: circulated minutes with a representative,
    a guest and an unattributed statement, a seat's comment on a statement, an activity's
    evidence (PDF), an application letter (DOCX) and a Secretariat with a second factor."""
    meeting = make_meeting(group, "convened", days=20, title="Plenary on security")
    make_agenda_item(meeting, topic="Private security companies")
    with group_scope(group):
        type(meeting).objects.filter(pk=meeting.pk).update(
            start=timezone.now() - timedelta(hours=3)
        )
        meeting.refresh_from_db()
    rep = make_representative(group, institution=make_institution(group))
    rep.user.full_name = speaker
    rep.user.save()
    guest = make_guest(group, name="Ignatius Vorhees Kappeler", organisation="Kappeler Institute")
    seats = [make_coordination(group, p) for p in ("companies", "government", "civil_society")]
    secretariat = make_secretariat(group)
    minutes = make_minutes(meeting, actor=secretariat)
    contributions = [
        add_contribution(minutes, text, speaker=who, actor=secretariat)
        for text, who in (
            (statement, rep),
            ("The draft law has gaps.", guest),
            ("Training is needed.", None),
        )
    ]
    with group_scope(group):
        service.submit(minutes=minutes, actor=secretariat)
        service.review(
            minutes=minutes,
            actor=seats[0],
            decision="approve",
            comments={redaction.contribution_key(contributions[0].pk): COMMENT},
        )
        for seat in seats[1:]:
            service.review(minutes=minutes, actor=seat, decision="approve")
        service.circulate(minutes=minutes)
        minutes.refresh_from_db()
        activity = make_activity(group, user=secretariat)
        evidence = add_evidence(activity=activity, actor=secretariat, upload=upload())
    with group_scope(group):
        application, _token = submit_application(
            working_group=group,
            data={**APPLICATION_DATA, "name": f"Applicant of {group.slug}"},
            letter=upload("letter.docx", docx_bytes()),
        )
    return {
        "minutes": minutes,
        "evidence": evidence,
        "application": application,
        "secretariat": secretariat,
    }


@pytest.fixture
def installation(group, other_group):
    return {
        "mine": _installation(group),
        "theirs": _installation(
            other_group,
            speaker="Ottoline Zapata Huamán",
            statement="CANARY-OTHER: the permits are late.",
        ),
    }


def _verify(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_integrity", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _failing(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="failures: the installation is not whole"):
        call_command("verify_integrity", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _counts(*args) -> dict:
    out, _ = _verify("--json", *args)
    return json.loads(out)


def _line(out: str, slug: str) -> str:
    return next(line for line in out.splitlines() if f": {slug}:" in line)


def test_a_whole_installation_verifies_and_is_counted_group_by_group(installation):
    report = _counts()
    assert report["ok"] is True
    for slug in ("alpha", "beta"):
        counts = report["groups"][slug]["counts"]
        assert counts["minutes versions"] == 1
        assert counts["data keys"] == 1
        # Three live speakers, three frozen ones and the attendance, one comment.
        assert counts["attributed records"] == 8
        assert counts["uploads"] == 2  # the evidence and the letter, each in its own group
        assert counts["audit entries"] > 0
        assert report["groups"][slug]["failures"] == []
    assert report["groups"][""]["counts"]["second factors"] >= 2 * 4  # Secretariat and seats
    assert report["total"]["counts"]["uploads"] == 4
    out, err = _verify()
    assert err == ""
    assert _line(out, "alpha").startswith("OK: alpha: attributed records 8,")
    assert out.splitlines()[-1].endswith("failures 0")


def test_one_group_alone(installation):
    report = _counts("--working-group", "beta")
    assert list(report["groups"]) == ["beta"]
    with pytest.raises(CommandError, match="no working group with the slug 'atlantis'"):
        _verify("--working-group", "atlantis")


def test_a_tampered_version_fails_in_its_group_only(installation):
    with scopes_disabled():
        version = MinutesVersion.objects.get(minutes=installation["mine"]["minutes"])
    stored = version.attributed
    stored["sections"][0]["contributions"][0]["text"] = "Something nobody said."
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_minutesversion SET attributed = %s WHERE id = %s",
            [json.dumps(stored), version.pk],
        )
    out, err = _failing()
    minutes_id = installation["mine"]["minutes"].pk
    assert f"FAILED: alpha: minutes {minutes_id}, version 1: its content does not match" in err
    assert _line(out, "alpha").startswith("FAILED: alpha:")
    assert _line(out, "beta").startswith("OK: beta:")


def test_a_damaged_sealed_value_fails_and_names_no_one(installation):
    with scopes_disabled():
        version = MinutesVersion.objects.get(minutes=installation["mine"]["minutes"])
    stored = version.attributed
    token = stored["sections"][0]["contributions"][0]["speaker"]
    stored["sections"][0]["contributions"][0]["speaker"] = token[:-6] + (
        "AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB"
    )
    # The hash is taken again, as someone covering the damage would: the seal still fails.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_minutesversion SET attributed = %s, content_hash = %s WHERE id = %s",
            [json.dumps(stored), redaction.content_hash(stored), version.pk],
        )
    out, err = _failing()
    assert "version 1, speaker 0.0 does not open" in err
    assert "minutes versions 1" in _line(out, "alpha")
    for secret in (SPEAKER, STATEMENT, COMMENT, "CANARY"):
        assert secret not in out + err


def test_a_missing_and_a_cut_file_fail(installation):
    evidence, application = installation["mine"]["evidence"], installation["mine"]["application"]
    default_storage.delete(evidence.file.name)
    letter = application.letter.name
    with default_storage.open(letter, "rb") as handle:
        whole = handle.read()
    with open(default_storage.path(letter), "wb") as handle:
        handle.write(whole[: len(whole) // 2])
    out, err = _failing()
    assert (
        f"activities.Evidence {evidence.pk}: {evidence.file.name}: missing from the storage" in err
    )
    # The letter's size was recorded at upload: a cut copy differs from it.
    assert f"members.Application {application.pk}: {letter}: " in err
    assert f"bytes, the database recorded {len(whole)}" in err
    assert "uploads 0" in _line(out, "alpha")
    assert "uploads 2" in _line(out, "beta")


def test_a_cut_file_without_a_recorded_size_is_found_by_its_shape(installation):
    evidence = installation["mine"]["evidence"]
    with open(default_storage.path(evidence.file.name), "wb") as handle:
        handle.write(MINIMAL_PDF[:60])
    _, err = _failing()
    assert f"{evidence.file.name}: is cut short (no %%EOF at its end)" in err


def test_the_wrong_attribution_key_ring_fails_every_minutes(installation, settings):
    settings.VPSWG_ATTRIBUTION_KEYS = generate_entry("elsewhere")
    report = json.loads(_failing("--json")[0])
    for slug in ("alpha", "beta"):
        group = report["groups"][slug]
        assert group["counts"]["data keys"] == 0 and group["counts"]["attributed records"] == 0
        assert len(group["failures"]) == 1
        assert "the data key does not open" in group["failures"][0]
        assert "which VPSWG_ATTRIBUTION_KEYS lacks" in group["failures"][0]
        # The hashes do not need the key: they still verify.
        assert group["counts"]["minutes versions"] == 1
    assert report["ok"] is False


def test_the_wrong_second_factor_key_ring_fails(installation, settings):
    settings.VPSWG_MFA_KEYS = generate_entry("elsewhere")
    report = json.loads(_failing("--json")[0])
    platform = report["groups"][""]
    assert platform["counts"]["second factors"] == 0
    assert platform["failures"] and all("VPSWG_MFA_KEYS lacks" in f for f in platform["failures"])


def test_a_destroyed_attribution_is_counted_not_failed(installation):
    with group_scope(installation["mine"]["minutes"].working_group):
        attribution.destroy(minutes=installation["mine"]["minutes"], actor=None)
    report = _counts()
    counts = report["groups"]["alpha"]["counts"]
    assert counts["attributions destroyed"] == 1 and counts["data keys"] == 0
    assert counts["attributed records"] == 0 and counts["minutes versions"] == 1
    assert report["groups"]["beta"]["counts"]["attributed records"] == 8


def test_the_manifest_holds_every_file_and_a_restore_is_checked_against_it(installation, tmp_path):
    manifest = tmp_path / "uploads.sha256"
    err = StringIO()
    call_command("uploads_manifest", "--output", str(manifest), stderr=err)
    lines = manifest.read_text().splitlines()
    assert len(lines) == 4 and "4 files in the manifest" in err.getvalue()
    evidence = installation["theirs"]["evidence"]
    assert any(line.endswith(f"  {evidence.file.name}") for line in lines)
    report = _counts("--manifest", str(manifest))
    assert report["total"]["counts"]["uploads checksummed"] == 4
    # The same size, another content: only the checksum can tell.
    path = Path(default_storage.path(evidence.file.name))
    data = bytearray(path.read_bytes())
    data[20] ^= 0x01
    path.write_bytes(bytes(data))
    _, err_text = _failing("--manifest", str(manifest))
    assert f"{evidence.file.name}: its SHA-256 differs from the manifest's" in err_text
    assert "FAILED: alpha" not in err_text
    # A file the database refers to that the backup did not have.
    manifest.write_text("\n".join(line for line in lines if evidence.file.name not in line))
    _, err_text = _failing("--manifest", str(manifest))
    assert f"{evidence.file.name}: not in the manifest" in err_text


def test_the_manifest_says_when_a_file_is_already_missing(installation, tmp_path):
    evidence = installation["mine"]["evidence"]
    default_storage.delete(evidence.file.name)
    err = StringIO()
    with pytest.raises(CommandError, match="1 files are missing from the storage already"):
        call_command("uploads_manifest", "--output", str(tmp_path / "m"), stderr=err)
    assert f"MISSING: {evidence.file.name}" in err.getvalue()


def test_an_unreadable_manifest_is_refused(installation, tmp_path):
    bad = tmp_path / "bad.sha256"
    bad.write_text("not a manifest line\n")
    with pytest.raises(CommandError, match="line 1: not '<sha256>  <name>'"):
        _verify("--manifest", str(bad))


def test_an_audit_entry_changed_with_sql_fails(installation):
    with connection.cursor() as cursor:
        # What a DBA could do (tests/vpswg/test_audit_chain.py): past the append-only trigger.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE vpswg_auditentry DISABLE TRIGGER vpswg_auditentry_append_only")
        cursor.execute(
            "UPDATE vpswg_auditentry SET data = '{\"n\": 99}' WHERE id = ("
            "SELECT min(id) FROM vpswg_auditentry WHERE working_group_id = %s)",
            [installation["theirs"]["minutes"].working_group_id],
        )
        cursor.execute("ALTER TABLE vpswg_auditentry ENABLE TRIGGER vpswg_auditentry_append_only")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    out, err = _failing()
    assert "FAILED: beta: audit entry" in err
    assert _line(out, "alpha").startswith("OK: alpha:")
