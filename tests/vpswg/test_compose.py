"""The container deployment: docker-compose.yml, Dockerfile, .env.example and .dockerignore, and
the two-node override docker-compose.cluster.yml with its HAProxy configuration.

There is no Docker engine on the test machine: Debian's docker-compose v1 validates the compose
files offline (``docker-compose config``), Debian's HAProxy its configuration (``haproxy -c``),
and the rest is read as data or text. No database.

docker-compose needs the ``.env`` that the compose file names as ``env_file``; the repository
only holds ``.env.example``. The test copies both into a temporary directory (``.env.example``
as ``.env``) and runs ``config`` there with ``--project-directory``: v1 resolves ``env_file``
and the build context relative to the project directory, which defaults to the compose file's.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
CLUSTER_FILE = ROOT / "docker-compose.cluster.yml"
DEPLOY = ROOT / "deploy"
HAPROXY_CFG = DEPLOY / "haproxy.cfg"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS = ROOT / "vpswg" / "settings.py"

APP_SERVICES = ("web", "worker", "beat")
# One-shot or deliberately unchecked services (beat serves nothing a check could ask).
WITHOUT_HEALTHCHECK = {"beat", "migrate"}

YAML_TO_JSON = "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"


def _docker_compose() -> str:
    path = shutil.which("docker-compose")
    if path is None:
        pytest.fail(
            "docker-compose (v1) is not installed, so docker-compose.yml cannot be validated. "
            "Run `make test` (.ci/services.sh installs it) or "
            "`apt-get install --no-install-recommends docker-compose`.",
            pytrace=False,
        )
    return path


def _load_yaml(text: str):
    """Parse YAML without adding a dependency: PyYAML if this venv has it, otherwise the
    interpreter docker-compose v1 runs on (PyYAML is one of its own requirements)."""
    try:
        import yaml
    except ImportError:
        pass
    else:
        return yaml.safe_load(text)
    interpreters = []
    with open(_docker_compose(), "rb") as script:
        first_line = script.readline()
    if first_line.startswith(b"#!"):
        interpreters.append(first_line[2:].decode().split()[0])
    interpreters.append("/usr/bin/python3")
    for interpreter in interpreters:
        if not Path(interpreter).exists():
            continue
        result = subprocess.run(
            [interpreter, "-c", YAML_TO_JSON],
            input=text,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode == 0:
            return json.loads(result.stdout)
    pytest.fail(
        f"No Python with PyYAML to read the compose file (tried {interpreters}); "
        "install Debian's docker-compose, which brings python3-yaml.",
        pytrace=False,
    )


@functools.cache
def _compose_config_run(*overrides: Path) -> subprocess.CompletedProcess:
    """``docker-compose config`` of docker-compose.yml, and of the ``overrides`` over it."""
    docker_compose = _docker_compose()
    with tempfile.TemporaryDirectory(prefix="vpswg-compose-") as directory:
        project = Path(directory)
        shutil.copy(COMPOSE_FILE, project / "docker-compose.yml")
        shutil.copy(ENV_EXAMPLE, project / ".env")
        files = ["-f", str(project / "docker-compose.yml")]
        for override in overrides:
            shutil.copy(override, project / override.name)
            files += ["-f", str(project / override.name)]
        if overrides:  # the files they mount
            shutil.copytree(DEPLOY, project / DEPLOY.name)
        # Nothing from the caller's shell may steer the result (COMPOSE_FILE, DOCKER_HOST...).
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("COMPOSE_", "DOCKER_"))
        }
        return subprocess.run(
            [
                docker_compose,
                "--project-directory",
                str(project),
                *files,
                "config",
            ],
            cwd=project,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


# Plain cached functions rather than fixtures, so that a missing docker-compose or an invalid
# file shows as a failure of each test (with the message), not as a fixture error.
@functools.cache
def _config() -> dict:
    """The configuration as docker-compose resolves it (env_file merged into environment)."""
    run = _compose_config_run()
    if run.returncode != 0:
        pytest.fail(f"docker-compose config failed:\n{run.stderr}", pytrace=False)
    return _load_yaml(run.stdout)


@functools.cache
def _raw() -> dict:
    """The compose file as written (anchors and merge keys resolved by the YAML parser)."""
    return _load_yaml(COMPOSE_FILE.read_text())


def _healthy_dependencies(service: dict) -> set[str]:
    depends_on = service.get("depends_on") or {}
    assert isinstance(depends_on, dict), "depends_on must use the long form with conditions"
    return {name for name, rule in depends_on.items() if rule.get("condition") == "service_healthy"}


def _command(service: dict) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def _images(config: dict, name: str) -> tuple[str, str]:
    image = config["services"][name]["image"]
    repository, _, tag = image.partition(":")
    return repository, tag


# --- docker-compose.yml --------------------------------------------------------------------


def test_compose_file_validates_offline():
    run = _compose_config_run()
    assert run.returncode == 0, f"docker-compose config failed:\n{run.stderr}"


def test_compose_file_has_no_obsolete_version_key():
    raw = _raw()
    assert "version" not in raw


def test_services_exist():
    config = _config()
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(config["services"])


def test_postgres_16_and_redis_7():
    config = _config()
    postgres, postgres_tag = _images(config, "postgres")
    redis, redis_tag = _images(config, "redis")
    assert postgres == "postgres" and postgres_tag.startswith("16")
    assert redis == "redis" and redis_tag.startswith("7")


def test_long_running_services_have_healthchecks():
    config = _config()
    for name, service in config["services"].items():
        if name in WITHOUT_HEALTHCHECK:
            continue
        healthcheck = service.get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name} disables its healthcheck"
        assert healthcheck.get("test"), f"{name}'s healthcheck has no test"
    assert "pg_isready" in " ".join(config["services"]["postgres"]["healthcheck"]["test"])
    assert "ping" in config["services"]["redis"]["healthcheck"]["test"]


def test_application_waits_for_healthy_postgres_and_redis():
    config = _config()
    for name in APP_SERVICES:
        assert {"postgres", "redis"} <= _healthy_dependencies(config["services"][name]), name


def test_migrations_run_before_the_application():
    config = _config()
    services = config["services"]
    if "migrate" in services:
        assert _command(services["migrate"])[:3] == ["python", "manage.py", "migrate"]
        assert "--noinput" in _command(services["migrate"])
        assert services["migrate"].get("restart") in (None, "no")
        for name in APP_SERVICES:
            rule = services[name]["depends_on"].get("migrate")
            assert rule == {"condition": "service_completed_successfully"}, name
    else:
        assert "migrate --noinput" in " ".join(_command(services["web"]))


def test_web_runs_gunicorn_with_two_workers_on_port_8000():
    config = _config()
    web = config["services"]["web"]
    command = " ".join(_command(web) or _dockerfile_cmd())
    assert "gunicorn" in command
    assert "vpswg.wsgi:application" in command
    assert re.search(r"--workers[= ]2\b", command)
    assert "0.0.0.0:8000" in command
    assert any(str(port).split("/")[0].endswith(":8000") for port in web["ports"])


def test_web_healthcheck_requests_healthz_with_python():
    config = _config()
    check = config["services"]["web"]["healthcheck"]["test"]
    text = " ".join(check)
    assert "/healthz/" in text
    assert "127.0.0.1:8000" in text
    assert "python" in check[1] or text.startswith("CMD-SHELL python")
    assert "curl" not in text and "wget" not in text, "the slim image has neither"
    # Production answers 400 to an unknown Host and redirects plain HTTP to HTTPS.
    assert "Host" in text and "X-Forwarded-Proto" in text


def test_application_environment():
    config = _config()
    for name in (*APP_SERVICES, "migrate"):
        service = config["services"].get(name)
        if service is None:
            continue
        environment = service["environment"]
        assert environment["DJANGO_ENV"] == "production", name
        assert environment["DATABASE_URL"] == "postgres://vpswg:vpswg@postgres:5432/vpswg", name
        assert environment["REDIS_URL"] == "redis://redis:6379/0", name
        assert environment["TRUSTED_PROXY_COUNT"] == "1", name
        # Values of .env reach the containers (env_file is merged in by `config`).
        assert environment["VPSWG_ENFORCE_MFA"] == "true", name
        assert environment["ALLOWED_HOSTS"], name


def test_worker_and_beat_commands():
    config = _config()
    worker = _command(config["services"]["worker"])
    assert worker[:4] == ["celery", "-A", "vpswg", "worker"]
    assert "-c" in worker and worker[worker.index("-c") + 1] == "2"
    beat = " ".join(_command(config["services"]["beat"]))
    assert beat.startswith("celery -A vpswg beat")
    assert re.search(r"(--schedule[= ]|-s )/app/var/", beat), "beat's schedule file under /app/var"


def test_private_media_is_on_a_named_volume():
    raw = _raw()
    mounts = raw["services"]["web"]["volumes"]
    sources = {m.split(":")[0] for m in mounts if m.split(":")[1].rstrip("/") == "/app/var/private"}
    assert sources, "web must mount a volume at /app/var/private"
    assert sources <= set(raw.get("volumes") or {})


def test_named_volumes_are_declared():
    raw = _raw()
    declared = set(raw.get("volumes") or {})
    assert declared, "named volumes must be declared at the bottom of the file"
    for name, service in raw["services"].items():
        for mount in service.get("volumes") or []:
            source = mount.split(":")[0] if isinstance(mount, str) else mount.get("source", "")
            if source and not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_every_env_file_exists_or_has_an_example():
    raw = _raw()
    for name, service in raw["services"].items():
        env_files = service.get("env_file") or []
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            path = env_file if isinstance(env_file, str) else env_file["path"]
            example = ROOT / f"{path}.example"
            assert (ROOT / path).exists() or example.exists(), f"{name}: {path} and no example"


# --- .env.example --------------------------------------------------------------------------


def _example_variables() -> dict[str, str | None]:
    """Variables of .env.example: value when set, None when only shown commented out."""
    variables: dict[str, str | None] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            commented, name, value = match.groups()
            if not commented or name not in variables:
                variables[name] = None if commented else value
    return variables


def test_env_example_documents_every_variable_the_settings_read():
    source = SETTINGS.read_text()
    read = set(re.findall(r"\benv\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    read |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    assert "SECRET_KEY" in read, "the pattern no longer matches settings.py"
    missing = read - set(_example_variables())
    assert not missing, f".env.example does not mention {sorted(missing)}"


def test_env_example_is_production_oriented():
    variables = _example_variables()
    assert variables["DJANGO_ENV"] == "production"
    assert variables["VPSWG_ENFORCE_MFA"] == "true"
    assert variables["ALLOWED_HOSTS"]
    assert variables["SITE_URL"].startswith("https://")
    assert variables["EMAIL_URL"].startswith("smtp+tls://")
    assert "secrets.token_urlsafe" in ENV_EXAMPLE.read_text()
    # Set by compose, so only shown commented out here.
    assert variables["DATABASE_URL"] is None
    assert variables["REDIS_URL"] is None


# --- Dockerfile and .dockerignore ----------------------------------------------------------


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    lines = [
        line for line in DOCKERFILE.read_text().splitlines() if not line.lstrip().startswith("#")
    ]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else "")
        for parts in (line.strip().split(None, 1) for line in joined.splitlines())
        if parts
    ]


def test_dockerfile_base_image_and_system_packages():
    instructions = _instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim-bookworm")
    apt = " ".join(args for op, args in instructions if op == "RUN" and "apt-get" in args)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core", "gettext"):
        assert re.search(rf"(?<![\w.-]){re.escape(package)}(?![\w.-])", apt), package
    assert "--no-install-recommends" in apt
    assert "rm -rf /var/lib/apt/lists" in apt


def test_dockerfile_installs_the_lock_before_copying_the_project():
    instructions = _instructions()
    copy_lock = instructions.index(("COPY", "requirements.lock ./"))
    pip = next(
        i for i, (op, args) in enumerate(instructions) if op == "RUN" and "pip install" in args
    )
    copy_all = instructions.index(("COPY", ". ."))
    assert copy_lock < pip < copy_all
    assert "--no-cache-dir -r requirements.lock" in instructions[pip][1]


def test_dockerfile_builds_static_files_and_catalogues_for_production():
    runs = [args for op, args in _instructions() if op == "RUN"]
    build = " ".join(runs)
    assert "manage.py collectstatic --noinput" in build
    assert "manage.py compilemessages" in build
    # A development collectstatic writes no manifest, and production's
    # CompressedManifestStaticFilesStorage then fails on every {% static %}.
    collectstatic = next(run for run in runs if "collectstatic" in run)
    assert "DJANGO_ENV=production" in collectstatic.split("collectstatic")[0]


def test_dockerfile_runs_as_a_non_root_user():
    users = [args for op, args in _instructions() if op == "USER"]
    assert users and users[-1] not in ("root", "0")


def _dockerfile_cmd() -> list[str]:
    return json.loads([args for op, args in _instructions() if op == "CMD"][-1])


def test_dockerfile_runs_gunicorn_with_two_workers():
    argv = _dockerfile_cmd()
    assert argv[:2] == ["gunicorn", "vpswg.wsgi:application"]
    text = " ".join(argv)
    assert re.search(r"--workers[= ]2\b", text)
    assert re.search(r"(--bind|-b)[= ]0\.0\.0\.0:8000\b", text)
    assert re.search(r"--access-logfile[= ]-(\s|$)", text)


def test_dockerfile_keeps_var_and_media_paths():
    env = " ".join(args for op, args in _instructions() if op == "ENV")
    assert "VPSWG_VAR_DIR=/app/var" in env
    assert "MEDIA_ROOT=/app/var/private" in env


def test_dockerignore_keeps_local_state_and_secrets_out():
    patterns = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for pattern in (".venv", "var", ".git", ".pytest_cache", "test-results", "bench/work", ".env"):
        assert pattern in patterns, pattern
    assert patterns & {"__pycache__", "**/__pycache__"}


# --- docker-compose.cluster.yml: two web nodes, HAProxy, a read replica ----------------------


@functools.cache
def _cluster() -> dict:
    run = _compose_config_run(CLUSTER_FILE)
    if run.returncode != 0:
        pytest.fail(f"docker-compose config (cluster) failed:\n{run.stderr}", pytrace=False)
    return _load_yaml(run.stdout)


def _haproxy_directives() -> list[str]:
    return [
        " ".join(line.split())
        for line in HAPROXY_CFG.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_cluster_override_validates_offline():
    run = _compose_config_run(CLUSTER_FILE)
    assert run.returncode == 0, f"docker-compose config failed:\n{run.stderr}"
    assert "version" not in _load_yaml(CLUSTER_FILE.read_text())


def test_cluster_has_two_identical_web_nodes():
    services = _cluster()["services"]
    web, web2 = services["web"], services["web2"]
    # The same program, image, settings and files: any node may serve any request.
    assert _command(web2) == _command(web)
    assert web2["image"] == web["image"]
    assert web2["environment"] == web["environment"]
    assert web2["volumes"] == web["volumes"]
    assert web2["healthcheck"]["test"] == web["healthcheck"]["test"]
    assert web2["depends_on"] == web["depends_on"]
    assert web2["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    # Only one of them publishes a port of the host; the balancer reaches both inside.
    assert not web2.get("ports")


def test_cluster_nodes_read_reports_from_the_replica():
    services = _cluster()["services"]
    replica_url = "postgres://vpswg:vpswg@postgres-replica:5432/vpswg"
    for name in ("web", "web2", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_REPLICA_URL"] == replica_url, name
        assert environment["DATABASE_URL"] == "postgres://vpswg:vpswg@postgres:5432/vpswg", name
    for name in ("web", "web2", "worker"):
        assert "postgres-replica" in _healthy_dependencies(services[name]), name
    # The TLS proxy and then HAProxy append to X-Forwarded-For.
    for name in ("web", "web2"):
        assert services[name]["environment"]["TRUSTED_PROXY_COUNT"] == "2", name


def test_cluster_replica_is_a_streaming_copy_of_the_primary():
    config = _cluster()
    services = config["services"]
    replica = services["postgres-replica"]
    assert _images(config, "postgres-replica") == _images(config, "postgres")
    script = " ".join(replica["entrypoint"])
    # Copied once, on an empty volume, then a standby that follows the primary.
    assert "PG_VERSION" in script
    assert re.search(r"pg_basebackup -h postgres -U vpswg .*-X stream -R", script)
    assert "postgres -c hot_standby=on" in script
    assert "postgres" in _healthy_dependencies(replica)
    assert "pg_is_in_recovery" in " ".join(replica["healthcheck"]["test"])
    mounts = [
        m.split(":")[:2]
        for m in _load_yaml(CLUSTER_FILE.read_text())["services"]["postgres-replica"]["volumes"]
    ]
    assert ["postgres-replica-data", "/var/lib/postgresql/data"] in mounts
    assert "postgres-replica-data" in config["volumes"]


def test_cluster_primary_lets_the_replica_stream():
    postgres = _cluster()["services"]["postgres"]
    assert "wal_keep_size=512MB" in _command(postgres)
    raw = _load_yaml(CLUSTER_FILE.read_text())["services"]["postgres"]
    source, target = raw["volumes"][0].split(":")[:2]
    assert target.startswith("/docker-entrypoint-initdb.d/")
    script = (ROOT / source).read_text()
    assert "host replication vpswg all scram-sha-256" in script
    assert os.access(ROOT / source, os.X_OK) or script.startswith("#!/bin/sh")


def test_cluster_haproxy_service():
    haproxy = _cluster()["services"]["haproxy"]
    assert haproxy["image"].startswith("haproxy:")
    assert {"web", "web2"} <= _healthy_dependencies(haproxy)
    assert any(str(port).startswith("127.0.0.1:8080:8080") for port in haproxy["ports"])
    mounts = _load_yaml(CLUSTER_FILE.read_text())["services"]["haproxy"]["volumes"]
    assert "./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in mounts
    assert haproxy["healthcheck"]["test"]
    # None of the application's secrets: only the host name its checks send.
    assert "env_file" not in haproxy
    assert set(haproxy["environment"]) == {"ALLOWED_HOSTS"}
    assert 'HEALTH_HOST="${host#.}"' in " ".join(_command(haproxy)).replace("$$", "$")


def test_cluster_haproxy_balances_both_nodes_with_health_checks():
    directives = _haproxy_directives()
    assert "balance roundrobin" in directives
    assert "server web web:8000" in directives
    assert "server web2 web2:8000" in directives
    assert "option httpchk" in directives
    check = next(d for d in directives if d.startswith("http-check send"))
    assert "uri /healthz/" in check
    assert 'hdr Host "${HEALTH_HOST}"' in check and "hdr X-Forwarded-Proto https" in check
    assert "http-check expect status 200" in directives
    assert any(d.startswith("default-server check") for d in directives)
    assert "option forwardfor" in directives
    # Behind the TLS proxy: its X-Forwarded-Proto is passed on, not made up here.
    assert not any("X-Forwarded-Proto" in d for d in directives if d.startswith("http-request"))
    assert "bind :8080" in directives


def test_cluster_haproxy_configuration_is_valid():
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        pytest.fail(
            "haproxy is not installed, so deploy/haproxy.cfg cannot be checked. Run `make test` "
            "(.ci/services.sh installs it) or `apt-get install --no-install-recommends haproxy`.",
            pytrace=False,
        )
    run = subprocess.run(
        [haproxy, "-c", "-f", str(HAPROXY_CFG)],
        env={**os.environ, "HEALTH_HOST": "vpswg.example.org"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # The container names resolve only inside compose's network: nothing else may be wrong.
    warnings = [
        line
        for line in run.stdout.splitlines() + run.stderr.splitlines()
        if "[WARNING]" in line and "could not resolve address" not in line
    ]
    assert not warnings, warnings
