"""Second factors encrypted at rest with VPSWG_MFA_KEYS: a dump of the database holds no TOTP
secret and no recovery code; a key that does not open them refuses the code, cleanly."""

from __future__ import annotations

import importlib
import io
import logging

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, enrol_totp, make_secretariat, sign_in, totp_code
from tests.vpswg.test_mfa import open_totp_activation
from vpswg.adapters import MFA_AAD
from vpswg.crypto import generate_entry, is_encrypted, mfa_ring, parse_ring

pytestmark = pytest.mark.django_db

migration = importlib.import_module("vpswg.migrations.0008_encrypt_second_factors")


def raw_rows(user) -> list[str]:
    """What a dump of the database would hold: the rows as text, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM mfa_authenticator WHERE user_id = %s", [user.pk])
        return [row[0] for row in cursor.fetchall()]


def raw_dump() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM mfa_authenticator")
        return "\n".join(row[0] for row in cursor.fetchall())


def recovery_codes(user) -> list[str]:
    return RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    ).generate_codes()


def password_step(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


def second_step(client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_enrolling_through_allauth_stores_no_secret_in_clear(client, group):
    user = make_secretariat(group, mfa=False)
    sign_in(client, user)
    secret = open_totp_activation(client).context["form"].secret
    assert client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}).status_code == 302
    rows = raw_rows(user)
    assert len(rows) == 2  # the TOTP and the recovery codes allauth makes with it
    dump = "\n".join(rows)
    assert secret not in dump and secret.lower() not in dump
    seed = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap()
    codes = seed.generate_codes()
    assert len(codes) == 10 and not any(code in dump for code in codes)
    assert f"w1.{mfa_ring().current_id}." in dump


def test_the_factorys_secret_is_not_in_the_database_either(group):
    user = make_secretariat(group, mfa=False)
    secret = enrol_totp(user)
    (row,) = raw_rows(user)
    assert secret not in row
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert is_encrypted(stored)
    assert mfa_ring().decrypt(stored, MFA_AAD).decode() == secret


def test_sign_in_with_a_totp_code_works_and_a_wrong_one_is_refused(client, group):
    user = make_secretariat(group)
    password_step(client, user)
    wrong = "123456" if totp_code(user.totp_secret) != "123456" else "654321"
    assert second_step(client, wrong).status_code == 200
    assert not signed_in(client, user)
    assert second_step(client, totp_code(user.totp_secret)).status_code == 302
    assert signed_in(client, user)


def test_recovery_codes_work_once_each(client, group):
    user = make_secretariat(group)
    RecoveryCodes.activate(user)
    first, second = recovery_codes(user)[:2]
    assert not any(code in raw_dump() for code in (first, second))
    password_step(client, user)
    assert second_step(client, first).status_code == 302 and signed_in(client, user)
    other = Client()
    password_step(other, user)
    assert second_step(other, first).status_code == 200  # used
    assert not signed_in(other, user)
    assert second_step(other, second).status_code == 302 and signed_in(other, user)


# --- Migration 0008 -----------------------------------------------------------------------------


@pytest.fixture
def clear_rows(group):
    """Rows as allauth wrote them before the adapter: secrets in clear (written past it)."""
    totp_user = make_secretariat(group, mfa=False)
    secret = generate_totp_secret()
    Authenticator.objects.create(
        user=totp_user, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    seed = RecoveryCodes.generate_seed()
    Authenticator.objects.create(
        user=totp_user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": seed, "used_mask": 0},
    )
    migrated_user = make_secretariat(group, mfa=False)
    enrol_totp(migrated_user)
    Authenticator.objects.create(
        user=migrated_user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"migrated_codes": ["11112222", "33334444"]},
    )
    return {
        "totp_user": totp_user,
        "secret": secret,
        "seed": seed,
        "migrated_user": migrated_user,
    }


def test_a_clear_secret_is_refused_until_the_migration_encrypts_it(client, clear_rows, caplog):
    """Accepting a clear value would let whoever can write the table choose the secret."""
    user, secret = clear_rows["totp_user"], clear_rows["secret"]
    password_step(client, user)
    with caplog.at_level(logging.ERROR, logger="vpswg.mfa"):
        assert second_step(client, totp_code(secret)).status_code == 200
    assert not signed_in(client, user)
    assert "does not decrypt" in caplog.text and secret not in caplog.text


def test_the_migration_encrypts_existing_rows_and_is_idempotent(client, clear_rows):
    user, secret, seed = clear_rows["totp_user"], clear_rows["secret"], clear_rows["seed"]
    before = {a.pk: a.data for a in Authenticator.objects.all()}
    assert migration.encrypt_second_factors(apps, None) == 3
    dump = raw_dump()
    for clear in (secret, seed, "11112222", "33334444"):
        assert clear not in dump
    after = {a.pk: a.data for a in Authenticator.objects.all()}
    # The row the adapter had written already is left as it was.
    enrolled = Authenticator.objects.get(
        user=clear_rows["migrated_user"], type=Authenticator.Type.TOTP
    )
    assert after[enrolled.pk] == before[enrolled.pk]
    # A second run finds nothing to do and changes no byte.
    assert migration.encrypt_second_factors(apps, None) == 0
    assert {a.pk: a.data for a in Authenticator.objects.all()} == after
    # The encrypted values are the same secrets: sign-in works with both kinds of code.
    password_step(client, user)
    assert second_step(client, totp_code(secret)).status_code == 302 and signed_in(client, user)
    other = Client()
    password_step(other, clear_rows["migrated_user"])
    assert second_step(other, "33334444").status_code == 302
    assert signed_in(other, clear_rows["migrated_user"])


def test_the_migration_backwards_puts_the_secrets_back_in_clear(clear_rows):
    migration.encrypt_second_factors(apps, None)
    migration.decrypt_second_factors(apps, None)
    totp_user, migrated_user = clear_rows["totp_user"], clear_rows["migrated_user"]
    rows = {(a.user_id, a.type): a.data for a in Authenticator.objects.all()}
    assert rows == {
        (totp_user.pk, "totp"): {"secret": clear_rows["secret"]},
        (totp_user.pk, "recovery_codes"): {"seed": clear_rows["seed"], "used_mask": 0},
        # Written through the adapter (encrypted from the start): in clear now too.
        (migrated_user.pk, "totp"): {"secret": migrated_user.totp_secret},
        (migrated_user.pk, "recovery_codes"): {"migrated_codes": ["11112222", "33334444"]},
    }


# --- Rotation and the wrong key -----------------------------------------------------------------


def test_rotation_keeps_sign_in_working_under_the_new_key_alone(client, group, settings):
    user = make_secretariat(group)
    RecoveryCodes.activate(user)
    codes = recovery_codes(user)
    old = settings.VPSWG_MFA_KEYS
    new = generate_entry("rotated-in")
    settings.VPSWG_MFA_KEYS = f"{new},{old}"
    out = io.StringIO()
    call_command("rotate_keys", "--only", "mfa", stdout=out)
    assert "mfa: 2 re-encrypted" in out.getvalue()
    assert raw_dump().count("w1.rotated-in.") == 2
    out = io.StringIO()
    call_command("rotate_keys", "--only", "mfa", stdout=out)
    assert "mfa: 0 re-encrypted" in out.getvalue()
    settings.VPSWG_MFA_KEYS = new  # the old key is gone
    assert recovery_codes(user) == codes
    password_step(client, user)
    assert second_step(client, totp_code(user.totp_secret)).status_code == 302
    assert signed_in(client, user)


def test_rotation_with_a_value_no_key_opens_changes_nothing(group, settings):
    first = make_secretariat(group)
    first.totp_pk = Authenticator.objects.get(user=first).pk
    second = make_secretariat(group)
    stranger = parse_ring("OTHER", generate_entry("stranger"))
    Authenticator.objects.filter(user=second).update(
        data={"secret": stranger.encrypt(b"JBSWY3DPEHPK3PXP", MFA_AAD)}
    )
    before = {a.pk: a.data for a in Authenticator.objects.all()}
    settings.VPSWG_MFA_KEYS = f"{generate_entry('next')},{settings.VPSWG_MFA_KEYS}"
    with pytest.raises(CommandError, match="does not open"):
        call_command("rotate_keys", "--only", "mfa", stdout=io.StringIO())
    # The first user's row, rotated before the second's failed, is back as it was: the old key
    # can stay in the ring until the command succeeds.
    assert Authenticator.objects.get(user=first).data == before[first.totp_pk]
    assert {a.pk: a.data for a in Authenticator.objects.all()} == before


def test_with_an_unrelated_key_a_totp_code_is_refused_cleanly_and_logged(
    client, group, settings, caplog
):
    user = make_secretariat(group)
    settings.VPSWG_MFA_KEYS = generate_entry("unrelated")
    password_step(client, user)
    with caplog.at_level(logging.ERROR, logger="vpswg.mfa"):
        response = second_step(client, totp_code(user.totp_secret))
    assert response.status_code == 200  # the form again, with its error: not a 500
    assert "Incorrect code" in response.content.decode()
    assert not signed_in(client, user)
    errors = [r for r in caplog.records if r.name == "vpswg.mfa" and r.levelno == logging.ERROR]
    assert errors and "does not decrypt" in errors[0].getMessage()
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert user.totp_secret not in caplog.text and stored not in caplog.text


def test_a_recovery_code_still_works_when_only_the_totp_is_unreadable(client, group, caplog):
    user = make_secretariat(group)
    RecoveryCodes.activate(user)
    stranger = parse_ring("OTHER", generate_entry("stranger"))
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).update(
        data={"secret": stranger.encrypt(user.totp_secret.encode(), MFA_AAD)}
    )
    code = recovery_codes(user)[0]
    password_step(client, user)
    with caplog.at_level(logging.ERROR, logger="vpswg.mfa"):
        assert second_step(client, totp_code(user.totp_secret)).status_code == 200
    assert not signed_in(client, user) and "does not decrypt" in caplog.text
    assert second_step(client, code).status_code == 302
    assert signed_in(client, user)
