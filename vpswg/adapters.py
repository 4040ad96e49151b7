"""allauth adapters: accounts come by invitation, and second factors are encrypted at rest."""

from __future__ import annotations

import base64
import logging
import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from vpswg.crypto import DecryptionError, KeyRing, is_encrypted, mfa_ring

logger = logging.getLogger("vpswg.mfa")

#: Associated data of every second-factor secret. allauth's hook sees the text alone (a TOTP
#: secret is encrypted before its row exists), so it cannot be bound to the row.
MFA_AAD = "mfa-secret"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Membership is by application and decision of the Coordination Group (seed step 4);
        # an account without an institution would have nothing to see.
        return settings.OPEN_SIGNUP

    def get_client_ip(self, request) -> str:
        """allauth's rate limits count by the same client address as ours: one reading of
        the proxies' header (allauth's own raises a 500 on a header shorter than expected)."""
        from vpswg.ratelimit import client_ip

        return client_ip(request) or "0.0.0.0"

    def login(self, request, user) -> None:
        """Signing in changes whom the request is for, and so its language: the message
        allauth queues next ("Successfully signed in as ...") is rendered now, and must be in
        the language of the page that will show it (the person's), not in the sign-in page's
        (the browser's: that page has neither a group nor an account to go by)."""
        super().login(request, user)
        from vpswg.middleware import activate_language

        activate_language(request)


def unusable_secret() -> str:
    """A random secret nobody knows, in the alphabet every caller of ``decrypt`` accepts.

    allauth cannot be told "this authenticator is broken": whatever ``decrypt`` returns is
    used as a TOTP secret (base32), a recovery-code seed (ASCII) or a migrated code. Raising
    would be a 500 at sign-in and would stop allauth from trying the person's other factors;
    an empty or fixed value would be a secret anyone could compute codes from. A fresh random
    one refuses every code (a guess matches it as rarely as it matches a real secret) and
    lets allauth go on to the recovery codes.
    """
    return base64.b32encode(secrets.token_bytes(20)).decode()


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds encrypted with ``VPSWG_MFA_KEYS``.

    The key lives outside the database, so a dump, replica or backup of it holds no second
    factor (DESIGN.md: second-factor secrets are encrypted at rest).
    """

    def encrypt(self, text: str) -> str:
        return mfa_ring().encrypt(text.encode(), MFA_AAD)

    def decrypt(self, encrypted_text: str) -> str:
        try:
            if not is_encrypted(encrypted_text):
                # Only migration 0008 and this adapter write these values: a clear one was put
                # there by hand, and accepting it would let whoever wrote it choose the secret.
                raise DecryptionError("not an encrypted value")
            return mfa_ring().decrypt(encrypted_text, MFA_AAD).decode()
        except (DecryptionError, UnicodeDecodeError) as exc:
            # The reason names at most a key id, never the value.
            logger.error(
                "mfa: a second factor's secret does not decrypt with VPSWG_MFA_KEYS (%s); "
                "its codes are refused",
                exc,
            )
            return unusable_secret()


# --- The stored values (used by migration 0008 and the key rotation) -----------------------

#: Keys of ``Authenticator.data`` that hold one secret each (TOTP; recovery codes' seed)...
SECRET_FIELDS = ("secret", "seed")
#: ...and the one that holds a list of them (recovery codes imported from django-allauth < 0.58).
SECRET_LIST_FIELDS = ("migrated_codes",)


def _map_secrets(data: dict[str, Any], change) -> dict[str, Any]:
    result = dict(data)
    for name in SECRET_FIELDS:
        if isinstance(result.get(name), str):
            result[name] = change(result[name])
    for name in SECRET_LIST_FIELDS:
        if isinstance(result.get(name), list):
            result[name] = [change(v) if isinstance(v, str) else v for v in result[name]]
    return result


def encrypt_secrets(data: dict[str, Any], ring: KeyRing) -> dict[str, Any]:
    """``data`` with every clear secret encrypted; values already encrypted are kept as they are."""
    return _map_secrets(data, lambda v: v if is_encrypted(v) else ring.encrypt(v.encode(), MFA_AAD))


def decrypt_secrets(data: dict[str, Any], ring: KeyRing) -> dict[str, Any]:
    """``data`` with every secret in clear (migration 0008 backwards). Raises DecryptionError."""
    return _map_secrets(data, lambda v: ring.decrypt(v, MFA_AAD).decode() if is_encrypted(v) else v)


def reencrypt_secrets(data: dict[str, Any], ring: KeyRing) -> dict[str, Any]:
    """``data`` with every secret under the ring's current key (clear ones encrypted too)."""

    def change(value: str) -> str:
        if is_encrypted(value) and not ring.needs_rotation(value):
            return value
        clear = ring.decrypt(value, MFA_AAD) if is_encrypted(value) else value.encode()
        return ring.encrypt(clear, MFA_AAD)

    return _map_secrets(data, change)


def rotate_mfa_secrets() -> int:
    """Re-encrypt every authenticator's secrets under the current key; rows changed.

    One transaction, rows locked: a value that opens with no key of the ring raises
    DecryptionError and nothing is changed (``rotate_keys`` reports it), so the old key can be
    put back and the command run again.
    """
    from allauth.mfa.models import Authenticator
    from django.db import transaction

    ring = mfa_ring()
    changed = 0
    with transaction.atomic():
        for pk, data in (
            Authenticator.objects.select_for_update().order_by("pk").values_list("pk", "data")
        ):
            new = reencrypt_secrets(data or {}, ring)
            if new != data:
                # update(), not save(): last_used_at and the signals are no business of a key.
                Authenticator.objects.filter(pk=pk).update(data=new)
                changed += 1
    return changed
