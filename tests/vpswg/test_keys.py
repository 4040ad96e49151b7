"""Key rings outside the database (``vpswg.crypto``): made on the first start outside
production, refused with a message naming the variable when malformed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from tests.vpswg.test_settings import CLEAN, ROOT, run
from vpswg.crypto import (
    DecryptionError,
    KeyConfigurationError,
    generate_entry,
    open_sealed,
    parse_ring,
    seal,
)

SHOW_KEYS = """
import django
from django.conf import settings
django.setup()
print(settings.VPSWG_ATTRIBUTION_KEYS.split(":")[0], settings.VPSWG_MFA_KEYS.split(":")[0])
"""


def test_outside_production_each_ring_is_made_once_in_var(tmp_path):
    env = {k: v for k, v in CLEAN.items() if not k.startswith("VPSWG_") or k == "VPSWG_VAR_DIR"}
    first = subprocess.run(
        [sys.executable, "-c", SHOW_KEYS],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "vpswg.settings", "VPSWG_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert first.returncode == 0, first.stderr
    files = sorted((tmp_path / "keys").iterdir())
    assert [f.name for f in files] == ["vpswg_attribution_keys.txt", "vpswg_mfa_keys.txt"]
    for f in files:
        assert stat.S_IMODE(os.stat(f).st_mode) == 0o600
    again = run(SHOW_KEYS, tmp_path)
    assert again.stdout == first.stdout  # the same keys on the next start


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("not-a-key", "entry 1 is not 'id:key'"),
        ("k1:c2hvcnQ", "is 5 bytes, not 32"),
        ("k1:!!!!", "not URL-safe base64"),
        (f"{generate_entry('same')},{generate_entry('same')}", "the id same is used twice"),
    ],
)
def test_a_malformed_ring_names_the_variable(tmp_path, value, complaint):
    result = run(SHOW_KEYS, tmp_path, VPSWG_ATTRIBUTION_KEYS=value)
    assert result.returncode != 0
    assert "VPSWG_ATTRIBUTION_KEYS" in result.stderr and complaint in result.stderr
    assert value not in result.stderr or len(value) < 12  # a real key is never echoed back


def test_the_key_generator_needs_no_settings():
    result = subprocess.run(
        [sys.executable, "-m", "vpswg.crypto"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    parse_ring("X", result.stdout.strip())


def test_a_sealed_value_opens_only_with_its_key_and_place():
    ring = parse_ring("X", generate_entry("a"))
    key = ring.entries[0][1]
    token = seal(key, b"secret", "row:1", block=64)
    assert open_sealed(key, token, "row:1", padded=True) == b"secret"
    for wrong_key, wrong_place in ((os.urandom(32), "row:1"), (key, "row:2")):
        with pytest.raises(DecryptionError):
            open_sealed(wrong_key, token, wrong_place, padded=True)
    wrapped = ring.encrypt(b"data key", "minutes-key:1")
    assert ring.decrypt(wrapped, "minutes-key:1") == b"data key"
    with pytest.raises(DecryptionError, match="lacks"):
        parse_ring("X", generate_entry("b")).decrypt(wrapped, "minutes-key:1")
    with pytest.raises(KeyConfigurationError):
        parse_ring("X", "")
