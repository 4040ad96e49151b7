"""PostgreSQL instances of our own, on loopback: a primary made with ``initdb`` and streaming
replicas made from it with ``pg_basebackup``, each in a folder and on a port of its own.

The benchmark's two-node run, its operations drills and the suite's two-node test need a
primary they may restart, pause and copy, and a replica of it. The machine's shared cluster
(port 5432) is never used for that: restarting it would cut every other session's connections,
and giving it replication would change the access rules of a server that CI and other tools
rely on. An instance here costs a few seconds to make and a few MB.

Runs as the ``postgres`` OS user when started as root (PostgreSQL refuses to run as root),
with Debian's server binaries (``/usr/lib/postgresql/<version>/bin``) or those on the PATH.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

#: The role the application connects as (the same as on the shared cluster and in compose).
ROLE, PASSWORD = "vpswg", "vpswg"


def bindir() -> Path:
    """Where ``initdb``, ``pg_ctl`` and ``pg_basebackup`` are: Debian keeps them out of the
    PATH, under the server's version."""
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
    )
    if debian:
        return debian[-1].parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise SystemExit(
        "PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) are missing: install "
        "the server package (e.g. 'apt-get install postgresql') and run again."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _own(path: Path) -> None:
    """The folders an instance writes to belong to the user it runs as."""
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
        for child in path.rglob("*"):
            shutil.chown(child, "postgres", "postgres")


@dataclass
class Instance:
    """One PostgreSQL server: its data folder, its port and its log."""

    data: Path
    port: int

    @property
    def log(self) -> Path:
        return self.data.parent / f"{self.data.name}.log"

    def url(self, dbname: str) -> str:
        return f"postgres://{ROLE}:{PASSWORD}@127.0.0.1:{self.port}/{dbname}"

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            _as_postgres([str(bindir() / "pg_ctl"), "-D", str(self.data), *args]),
            capture_output=True,
            text=True,
            check=check,
        )

    def start(self) -> None:
        self.pg_ctl("-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast`` (sessions ended, a clean shutdown) or ``immediate`` (as a crash)."""
        if self.running():
            self.pg_ctl("-m", mode, "-w", "-t", "60", "stop")

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def running(self) -> bool:
        return self.pg_ctl("status", check=False).returncode == 0

    def pid(self) -> int | None:
        """The postmaster's pid: its children are the instance's processes (for CPU counts)."""
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def connect(self, dbname: str = "postgres"):
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=ROLE, password=PASSWORD, dbname=dbname
        )
        connection.autocommit = True
        return connection

    def query(self, sql: str, params: list | None = None, dbname: str = "postgres") -> list:
        connection = self.connect(dbname)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def create_database(self, name: str) -> None:
        self.query(f'CREATE DATABASE "{name}" OWNER {ROLE}')

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.data, ignore_errors=True)
        self.log.unlink(missing_ok=True)


def make_primary(folder: Path, *, port: int | None = None, name: str = "primary") -> Instance:
    """A new cluster in ``folder/name``, started, that accepts replication from loopback and
    has the application's role (a superuser of this throw-away cluster only)."""
    folder.mkdir(parents=True, exist_ok=True)
    _own(folder)
    data = folder / name
    instance = Instance(data, port or free_port())
    if data.exists():
        instance.remove()
    subprocess.run(
        _as_postgres(
            [
                str(bindir() / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ]
        ),
        check=True,
        capture_output=True,
    )
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(_settings(instance.port, folder))
    (data / "pg_hba.conf").write_text(
        "local all all trust\n"
        "host all all 127.0.0.1/32 trust\n"
        "host replication all 127.0.0.1/32 trust\n"
    )
    _own(data)
    instance.start()
    import psycopg2

    connection = psycopg2.connect(
        host="127.0.0.1", port=instance.port, user="postgres", dbname="postgres"
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
    connection.close()
    return instance


def _settings(port: int, folder: Path) -> str:
    return (
        "\n# vpswg (bench/pgcluster.py)\n"
        f"port = {port}\n"
        "listen_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{folder}'\n"
        "wal_level = replica\n"
        "max_wal_senders = 5\n"
        "hot_standby = on\n"
        "max_connections = 100\n"
        "shared_buffers = 128MB\n"
    )


def make_replica(
    primary: Instance, folder: Path, *, port: int | None = None, name: str = "replica"
) -> Instance:
    """A streaming replica of ``primary`` in ``folder/name``, started and replaying."""
    folder.mkdir(parents=True, exist_ok=True)
    _own(folder)
    data = folder / name
    replica = Instance(data, port or free_port())
    if data.exists():
        replica.remove()
    subprocess.run(
        _as_postgres(
            [
                str(bindir() / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(primary.port),
                "-U",
                "postgres",
                "-D",
                str(data),
                "-X",
                "stream",
                "-R",  # standby.signal and primary_conninfo: it follows the primary
                "-c",
                "fast",
            ]
        ),
        check=True,
        capture_output=True,
    )
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(f"\n# the replica's own port\nport = {replica.port}\n")
    _own(data)
    replica.start()
    wait_caught_up(primary, replica)
    return replica


def replay_lag_bytes(primary: Instance, replica: Instance) -> int:
    """How much WAL the primary has written that the replica has not replayed."""
    (current,) = primary.query("SELECT pg_current_wal_lsn()::text")[0]
    return replica.query("SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())::bigint", [current])[
        0
    ][0]


def wait_caught_up(primary: Instance, replica: Instance, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if replay_lag_bytes(primary, replica) <= 0:
                return
        except Exception:  # noqa: BLE001 - still starting
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the replica on {replica.port} did not catch up: see {replica.log}")
        time.sleep(0.1)


def pause_replay(replica: Instance) -> None:
    replica.query("SELECT pg_wal_replay_pause()")


def resume_replay(replica: Instance) -> None:
    replica.query("SELECT pg_wal_replay_resume()")
