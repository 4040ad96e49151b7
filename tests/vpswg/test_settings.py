"""The one settings module: embedded defaults, switches to real services, and a production
mode that refuses insecure configurations and passes `check --deploy` without warnings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vpswg.crypto import generate_entry

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 20 + "-production-secret-" + "y" * 30
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": "vpswg.example.org",
    "DATABASE_URL": "postgres://u:p@db.example:5432/vpswg",
    "REDIS_URL": "redis://cache.example:6379/0",
    "EMAIL_URL": "smtp://mail.example:25",
    "SITE_URL": "https://vpswg.example.org",
    # Keys kept outside the database: production has no var/keys/ to fall back on.
    "VPSWG_ATTRIBUTION_KEYS": generate_entry("attribution-1"),
    "VPSWG_MFA_KEYS": generate_entry("mfa-1"),
}
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DJANGO_ENV",
        "DATABASE_URL",
        "REDIS_URL",
        "CACHE_URL",
        "EMAIL_URL",
        "DEBUG",
        "SITE_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "VPSWG_ENFORCE_MFA",
        "VPSWG_ATTRIBUTION_KEYS",
        "VPSWG_MFA_KEYS",
        "CELERY_TASK_ALWAYS_EAGER",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
}

SHOW = """
import django, json
from django.conf import settings
django.setup()
from vpswg.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "eager": app.conf.task_always_eager,
    "email": settings.EMAIL_BACKEND,
    "cache": settings.CACHES["default"]["BACKEND"],
    "session": settings.SESSION_ENGINE,
    "debug": settings.DEBUG,
    "mfa": settings.ENFORCE_MFA,
}))
"""


def run(code: str, tmp_path: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **CLEAN,
            "DJANGO_SETTINGS_MODULE": "vpswg.settings",
            "VPSWG_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def manage(tmp_path: Path, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**CLEAN, "VPSWG_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_no_environment_the_embedded_defaults_apply(tmp_path):
    result = run(SHOW, tmp_path)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["name"].startswith(str(tmp_path))
    assert shown["eager"] is True
    assert shown["email"] == "django.core.mail.backends.console.EmailBackend"
    assert shown["cache"].endswith("LocMemCache") and shown["session"].endswith(".db")
    assert shown["debug"] is True and shown["mfa"] is False


def test_urls_switch_to_postgres_redis_and_smtp(tmp_path):
    result = run(
        SHOW,
        tmp_path,
        DATABASE_URL="postgres://u:p@db.example:5432/vpswg",
        REDIS_URL="redis://cache.example:6379/0",
        EMAIL_URL="smtp://mail.example:25",
    )
    shown = json.loads(result.stdout)
    assert shown["engine"] == "django.db.backends.postgresql" and shown["name"] == "vpswg"
    assert shown["eager"] is False
    assert shown["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert shown["cache"].endswith("RedisCache") and shown["session"] == "vpswg.sessions"


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"DEBUG": "true"}, "DEBUG is on"),
        ({"SECRET_KEY": None}, "SECRET_KEY is the development default"),
        ({"SECRET_KEY": "short"}, "shorter than 50"),
        ({"VPSWG_ENFORCE_MFA": "false"}, "VPSWG_ENFORCE_MFA is off"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is empty"),
        ({"DATABASE_URL": None}, "DATABASE_URL is not set"),
        ({"REDIS_URL": None}, "REDIS_URL is not set"),
        ({"EMAIL_URL": None}, "EMAIL_URL is not set"),
        ({"SITE_URL": None}, "SITE_URL is not set"),
        ({"VPSWG_ATTRIBUTION_KEYS": None}, "VPSWG_ATTRIBUTION_KEYS is not set"),
        ({"VPSWG_MFA_KEYS": None}, "VPSWG_MFA_KEYS is not set"),
    ],
)
def test_production_refuses_to_start_insecurely(tmp_path, change, complaint):
    env = {**PRODUCTION, **change}
    env = {k: v for k, v in env.items() if v is not None}
    result = run(SHOW, tmp_path, **env)
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert complaint in result.stderr


def test_a_complete_production_configuration_starts(tmp_path):
    result = run(SHOW, tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["debug"] is False and shown["mfa"] is True


def test_production_passes_check_deploy_with_no_warnings(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_unknown_environment_name_is_an_error(tmp_path):
    result = run(SHOW, tmp_path, DJANGO_ENV="staging")
    assert result.returncode != 0 and "DJANGO_ENV must be" in result.stderr
