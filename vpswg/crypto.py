"""Keys kept outside the database, and authenticated encryption with them.

Two key rings come from the environment, each a comma-separated list of ``id:key`` entries
(the key is 32 random bytes in URL-safe base64; ``python manage.py generate_key`` makes one):

* ``VPSWG_ATTRIBUTION_KEYS`` wraps the data key of each minutes (envelope encryption of who
  said what: ``meetings.services.attribution``);
* ``VPSWG_MFA_KEYS`` encrypts the second factors' secrets (``vpswg.adapters.MFAAdapter``).

The first entry of a ring encrypts; every entry decrypts, so a key is rotated by putting a new
one first and running ``python manage.py rotate_keys``, then dropping the old one. They are
kept apart from the database on purpose: a dump, a replica or a backup of the database alone
reads no secret. Losing a key loses what it protects; that is the point.

Outside production, a ring that is not in the environment is read from (and on the first start
written to) a file under ``var/keys/``, so that ``make run`` and the tests need no setup.
Production refuses to start without both variables (``vpswg.settings``).

Everything is AES-256-GCM with a random 96-bit nonce and associated data that binds a
ciphertext to the row and field it belongs to, so a ciphertext copied onto another row does
not open there.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
#: Format of a value sealed with a data key (no key id: the data key is the row's own).
SEALED_PREFIX = "s1."
#: Format of a value encrypted with a key ring's key: ``w1.<key id>.<base64>``.
WRAPPED_PREFIX = "w1."


class KeyConfigurationError(ValueError):
    """A key ring's variable is missing or malformed; the message names the variable."""


class DecryptionError(Exception):
    """A ciphertext does not open: corrupted, moved to another row, or under an unknown key."""


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64decode(text: str) -> bytes:
    """Strict URL-safe base64 (a stray character is an error, not skipped)."""
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def generate_entry(key_id: str | None = None) -> str:
    """A new ``id:key`` entry for a key ring variable; the id is today's date by default."""
    key_id = key_id or datetime.now(UTC).strftime("%Y%m%d") + "-" + secrets.token_hex(2)
    if not KEY_ID.match(key_id):
        raise KeyConfigurationError(
            "A key id is 1 to 32 letters, digits, '-' or '_'; " + repr(key_id) + " is not."
        )
    return f"{key_id}:{_b64encode(new_key())}"


# --- Sealing with a data key ------------------------------------------------------------------


def pad(data: bytes, block: int) -> bytes:
    """ISO/IEC 7816-4 padding to a multiple of ``block``: ciphertexts of values of different
    lengths (a short name and a long one) come out the same length, so their size says nothing
    about what they hold."""
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % block)


def unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise DecryptionError("bad padding")
    return stripped[:-1]


def seal(key: bytes, plaintext: bytes, aad: str, *, block: int = 0) -> str:
    """Encrypt ``plaintext`` with a data key, bound to ``aad``; padded to ``block`` if set."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = pad(plaintext, block) if block else plaintext
    return SEALED_PREFIX + _b64encode(nonce + AESGCM(key).encrypt(nonce, body, aad.encode()))


def open_sealed(key: bytes, token: str, aad: str, *, padded: bool = False) -> bytes:
    if not isinstance(token, str) or not token.startswith(SEALED_PREFIX):
        raise DecryptionError("not a sealed value")
    try:
        raw = _b64decode(token[len(SEALED_PREFIX) :])
        plaintext = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad.encode())
    except (InvalidTag, ValueError, binascii.Error) as exc:
        raise DecryptionError("the value does not open") from exc
    return unpad(plaintext) if padded else plaintext


# --- Key rings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRing:
    """The keys of one variable: ``entries[0]`` encrypts, all of them decrypt."""

    variable: str
    entries: tuple[tuple[str, bytes], ...]

    @property
    def current_id(self) -> str:
        return self.entries[0][0]

    def encrypt(self, plaintext: bytes, aad: str) -> str:
        key_id, key = self.entries[0]
        nonce = secrets.token_bytes(NONCE_BYTES)
        body = AESGCM(key).encrypt(nonce, plaintext, f"{key_id}|{aad}".encode())
        return f"{WRAPPED_PREFIX}{key_id}.{_b64encode(nonce + body)}"

    def decrypt(self, token: str, aad: str) -> bytes:
        key_id, raw = self._split(token)
        key = dict(self.entries).get(key_id)
        if key is None:
            raise DecryptionError(f"encrypted under key {key_id!r}, which {self.variable} lacks")
        try:
            return AESGCM(key).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], f"{key_id}|{aad}".encode()
            )
        except InvalidTag as exc:
            raise DecryptionError("the value does not open") from exc

    def key_id_of(self, token: str) -> str:
        return self._split(token)[0]

    def needs_rotation(self, token: str) -> bool:
        return self.key_id_of(token) != self.current_id

    def _split(self, token: str) -> tuple[str, bytes]:
        if not isinstance(token, str) or not token.startswith(WRAPPED_PREFIX):
            raise DecryptionError("not an encrypted value")
        key_id, _, body = token[len(WRAPPED_PREFIX) :].partition(".")
        try:
            return key_id, _b64decode(body)
        except (ValueError, binascii.Error) as exc:
            raise DecryptionError("the value does not open") from exc


def is_encrypted(value: object) -> bool:
    return isinstance(value, str) and value.startswith(WRAPPED_PREFIX)


@lru_cache(maxsize=16)
def parse_ring(variable: str, value: str) -> KeyRing:
    """``id:key,id:key`` as a key ring; a clear message naming ``variable`` if it is not one."""
    entries: list[tuple[str, bytes]] = []
    for index, raw in enumerate((p.strip() for p in value.split(",")), start=1):
        if not raw:
            continue
        key_id, sep, encoded = raw.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise KeyConfigurationError(
                f"{variable}: entry {index} is not 'id:key' (an id of letters, digits, '-' or "
                "'_', a colon, then the key). Make one with `python -m vpswg.crypto`."
            )
        try:
            key = _b64decode(encoded)
        except (ValueError, binascii.Error) as exc:
            raise KeyConfigurationError(
                f"{variable}: the key of entry {index} ({key_id}) is not URL-safe base64."
            ) from exc
        if len(key) != KEY_BYTES:
            raise KeyConfigurationError(
                f"{variable}: the key of entry {index} ({key_id}) is {len(key)} bytes, not "
                f"{KEY_BYTES}. Make one with `python -m vpswg.crypto`."
            )
        if key_id in dict(entries):
            raise KeyConfigurationError(f"{variable}: the id {key_id} is used twice.")
        entries.append((key_id, key))
    if not entries:
        raise KeyConfigurationError(f"{variable} holds no key.")
    return KeyRing(variable, tuple(entries))


def ring_from_file(variable: str, path: Path) -> str:
    """The ring's value from ``path``, written there with a new key on first use (development
    and tests only). Created atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text().strip()
        if not value:  # a concurrent first start has created it and is writing it
            import time

            for _ in range(50):
                time.sleep(0.02)
                value = path.read_text().strip()
                if value:
                    break
        return value
    with os.fdopen(fd, "w") as handle:
        handle.write(generate_entry() + "\n")
    return path.read_text().strip()


def attribution_ring() -> KeyRing:
    from django.conf import settings

    return parse_ring("VPSWG_ATTRIBUTION_KEYS", settings.VPSWG_ATTRIBUTION_KEYS)


def mfa_ring() -> KeyRing:
    from django.conf import settings

    return parse_ring("VPSWG_MFA_KEYS", settings.VPSWG_MFA_KEYS)


# --- Rotation -----------------------------------------------------------------------------------

#: What re-encrypts each ring's data under its current key: ``name -> () -> rows changed``.
#: The apps that hold encrypted data register here (``AppConfig.ready``), so that the kernel's
#: ``rotate_keys`` command needs to know none of them.
ROTATORS: dict[str, tuple[str, callable]] = {}


def register_rotator(name: str, variable: str, rotate) -> None:
    ROTATORS[name] = (variable, rotate)


if __name__ == "__main__":  # python -m vpswg.crypto: a new entry, without Django's settings
    print(generate_entry())
