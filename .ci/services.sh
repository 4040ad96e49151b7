#!/usr/bin/env bash
# Make sure what the test suite needs is on this machine and answering:
#   - system packages: Chromium (browser tests), poppler (pdftotext), gettext, the WeasyPrint
#     libraries and fonts, docker-compose v1 (offline validation of docker-compose.yml) and
#     HAProxy (offline check of deploy/haproxy.cfg; the benchmark's two-node run uses it too);
#   - PostgreSQL and Redis: DATABASE_URL / REDIS_URL when set, otherwise the local servers,
#     started if installed but stopped, installed with apt-get when we are root and they are
#     missing. Anything we cannot do ends with a message that says what to do instead.
set -euo pipefail

say() { printf '\033[1m[services]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[services]\033[0m %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }

APT_UPDATED=0
apt_install() {
    # apt_install <package>...: install what is missing, or explain how.
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! is_root || ! have apt-get; then
        die "Missing system packages: ${missing[*]}. Install them (e.g. 'sudo apt-get install ${missing[*]}') and run make test again."
    fi
    say "installing ${missing[*]}"
    if [ "$APT_UPDATED" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

system_packages() {
    if have dpkg-query; then
        apt_install chromium poppler-utils gettext libpango-1.0-0 libpangoft2-1.0-0 \
            fonts-dejavu-core docker-compose haproxy
    else
        for cmd in chromium pdftotext msgfmt docker-compose haproxy; do
            have "$cmd" || die "'$cmd' is missing and this is not a Debian-like system: install it and run make test again."
        done
    fi
}

postgres() {
    if [ -n "${DATABASE_URL:-}" ]; then
        say "PostgreSQL: using DATABASE_URL"
        return 0
    fi
    if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        if have pg_ctlcluster && ls /etc/postgresql >/dev/null 2>&1; then
            say "starting the local PostgreSQL"
            pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
        elif is_root && have apt-get; then
            apt_install postgresql
            pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
        else
            die "PostgreSQL is not answering on 127.0.0.1:5432 and cannot be started from here. Start it, or set DATABASE_URL."
        fi
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
        pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL did not come up on 127.0.0.1:5432."
    fi
    # The suite's role: 'vpswg' (password 'vpswg'), allowed to create the test database.
    local sql="DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vpswg') THEN CREATE ROLE vpswg LOGIN CREATEDB PASSWORD 'vpswg'; END IF; END\$\$;"
    if psql -h 127.0.0.1 -U postgres -d postgres -Atqc "SELECT 1" >/dev/null 2>&1; then
        psql -h 127.0.0.1 -U postgres -d postgres -qc "$sql" >/dev/null
        psql -h 127.0.0.1 -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname='vpswg'" | grep -q 1 \
            || psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE vpswg OWNER vpswg" >/dev/null
    elif is_root && have su; then
        su postgres -c "psql -qc \"$sql\"" >/dev/null
        su postgres -c "psql -Atqc \"SELECT 1 FROM pg_database WHERE datname='vpswg'\"" | grep -q 1 \
            || su postgres -c "psql -qc 'CREATE DATABASE vpswg OWNER vpswg'" >/dev/null
    else
        say "cannot check the 'vpswg' role (no superuser access); assuming it exists"
    fi
}

redis() {
    if [ -n "${REDIS_URL:-}" ]; then
        say "Redis: using REDIS_URL"
        return 0
    fi
    if have redis-cli && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        return 0
    fi
    if ! have redis-server; then
        is_root && have apt-get || die "Redis is not answering on 127.0.0.1:6379 and is not installed. Install and start it, or set REDIS_URL."
        apt_install redis-server redis-tools
    fi
    say "starting the local Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/vpswg.log
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0; sleep 0.5; done
    die "Redis did not come up on 127.0.0.1:6379."
}

case "${1:-all}" in
    system) system_packages ;;
    postgres) postgres ;;
    redis) redis ;;
    all) system_packages; postgres; redis ;;
    *) die "usage: $0 [system|postgres|redis|all]" ;;
esac
