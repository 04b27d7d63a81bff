#!/usr/bin/env bash
# Runs the whole Casebook test suite: the OpenAPI document check, then every Swift test on
# SQLite and, through a private PostgreSQL server started here on a free loopback port, on
# PostgreSQL too. As root on Debian it installs what is missing (apt-get, pip).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '== %s\n' "$*" >&2; }
# In CI (CI=true) a tool the tests need that could not be installed fails the run instead of skipping tests quietly.
missing() {
    log "missing: $*"
    if [ "${CI:-}" = true ]; then exit 3; fi
}
is_root() { [ "$(id -u)" = 0 ]; }

apt_updated=no
apt_install() {
    is_root || { log "not root: cannot install $*"; return 1; }
    if [ "$apt_updated" = no ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# zlib's headers unpack uploaded export zips; Swift's own install list has them, a trimmed image may not.
[ -f /usr/include/zlib.h ] || apt_install zlib1g-dev || missing "zlib's headers (Debian's zlib1g-dev)"

# --- PostgreSQL -----------------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ] && [ "${CASEBOOK_SKIP_POSTGRES:-}" != 1 ]; then
    log "installing PostgreSQL"
    apt_install postgresql || true
    [ -n "$(pg_bin)" ] || missing "PostgreSQL (Debian's postgresql)"
fi

PG_DIR=""
stop_postgres() {
    if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_pg "$(pg_bin)/pg_ctl -D $PG_DIR/data -m fast stop" >/dev/null 2>&1 || true
    fi
    [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
}
as_pg() { if is_root; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
RT_STARTED=no
stop_rt() {
    if [ "$RT_STARTED" = yes ]; then
        env RT_HOME="$RT_HOME" PG_PORT="$RT_PG_PORT" RT_PORT="$RT_PORT" bash "$RT_PEER/stop.sh" >/dev/null 2>&1 || true
    fi
}
cleanup() { stop_rt; stop_postgres; }
trap cleanup EXIT

if [ -n "$(pg_bin)" ] && [ "${CASEBOOK_SKIP_POSTGRES:-}" != 1 ] && [ -z "${CASEBOOK_TEST_POSTGRES_URL:-}" ]; then
    PG_DIR=$(mktemp -d /tmp/casebook-pg.XXXXXX)
    is_root && chown postgres "$PG_DIR"
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    log "starting PostgreSQL on 127.0.0.1:$PORT"
    as_pg "$(pg_bin)/initdb -D $PG_DIR/data -A trust -U postgres --no-sync" >/dev/null
    as_pg "$(pg_bin)/pg_ctl -D $PG_DIR/data -l $PG_DIR/server.log -w -o \"-p $PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=800\" start" >/dev/null
    as_pg "$(pg_bin)/createdb -h 127.0.0.1 -p $PORT -U postgres casebook_test"
    export CASEBOOK_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/casebook_test"
fi
if [ -n "${CASEBOOK_TEST_POSTGRES_URL:-}" ]; then
    log "store tests run on SQLite and PostgreSQL"
else
    log "PostgreSQL not available: store tests run on SQLite only"
fi

# --- Tools the equipment and phone tests use: zbarimg reads our QR labels, espeak-ng speaks a test
# phrase, PocketSphinx (with its en-US model) transcribes it.
if ! command -v zbarimg >/dev/null || ! command -v espeak-ng >/dev/null || ! command -v pocketsphinx_continuous >/dev/null \
    || [ ! -d /usr/share/pocketsphinx/model/en-us ]; then
    log "installing zbar-tools, espeak-ng and PocketSphinx"
    apt_install zbar-tools espeak-ng pocketsphinx pocketsphinx-en-us || missing "the QR and speech tools (zbar-tools, espeak-ng, pocketsphinx)"
fi

# --- OpenLDAP for directory sign-in: each test starts its own slapd on loopback (tests/integration/ldap/slapd.sh)
if ! command -v slapd >/dev/null && [ ! -x /usr/sbin/slapd ] || ! command -v ldapmodify >/dev/null; then
    log "installing OpenLDAP (slapd, ldap-utils)"
    apt_install slapd ldap-utils || missing "OpenLDAP (Debian's slapd and ldap-utils)"
fi

# --- Dovecot for fetching from mailboxes: each test starts its own on loopback (tests/integration/imap/dovecot.sh)
if [ ! -x /usr/sbin/dovecot ] || [ ! -x /usr/bin/doveadm ] || [ ! -e /usr/lib/dovecot/imap ] || [ ! -e /usr/lib/dovecot/submission ]; then
    log "installing Dovecot (dovecot-imapd, dovecot-pop3d, dovecot-submissiond)"
    apt_install dovecot-imapd dovecot-pop3d dovecot-submissiond || missing "Dovecot (Debian's dovecot-imapd, dovecot-pop3d and dovecot-submissiond)"
fi

# --- The OpenAPI document is valid OpenAPI 3.1 ----------------------------------------------
if ! python3 -c 'import openapi_spec_validator' 2>/dev/null; then
    pip install -q openapi-spec-validator >/dev/null 2>&1 || missing "openapi-spec-validator (PyPI)"
fi
if python3 -c 'import openapi_spec_validator' 2>/dev/null; then
    python3 - <<'PY'
import json
from openapi_spec_validator import validate
validate(json.load(open("Sources/CasebookServer/Resources/openapi.json")))
print("OpenAPI document: valid")
PY
fi

# --- Swift tests ----------------------------------------------------------------------------
output=$(mktemp)
set +e
swift test "$@" 2>&1 | tee "$output"
status=${PIPESTATUS[0]}
set -e
# Every SQLite write body may run twice (the gate retries a failed batch one write at a time), so the server tests run
# once more with each body rehearsed and rolled back before its real run: state kept outside the database shows up.
if [ "$status" = 0 ] && [ "${CASEBOOK_SKIP_REHEARSAL:-}" != 1 ]; then
    log "server tests again, every write rehearsed once (SQLite)"
    set +e
    env -u CASEBOOK_TEST_POSTGRES_URL CASEBOOK_TEST_REHEARSE_WRITES=1 swift test --skip-build --filter CasebookServerTests 2>&1 | tee -a "$output" | tail -5
    status=${PIPESTATUS[0]}
    set -e
fi
# One plain closing line, whatever the runner printed above it.
summary=$(grep -Eo 'Test run with [0-9]+ tests? in [0-9]+ suites? (passed|failed)' "$output" | head -1 || true)
count=$(printf '%s' "$summary" | grep -Eo '[0-9]+' | head -1 || true)
failed=$(grep -c '^✘ Test "' "$output" || true)
# CI keeps only the end of what was printed, so the failures are repeated there, with the expectation each one broke.
failures=$(grep -E -A3 '^✘ Test "' "$output" | grep -v '^--$' | cut -c1-400 | head -60 || true)
rm -f "$output"

# --- Network tests against real `casebook serve` processes (SMTP clients, crash recovery) and
# --- browser tests of the pages (screenshots in .build/screenshots/) -------------------------
integration_status=0
integration_passed=0
integration_failed=0
if [ "$status" = 0 ] && [ "${CASEBOOK_SKIP_INTEGRATION:-}" != 1 ]; then
    command -v swaks >/dev/null || apt_install swaks || missing "swaks (Debian)"
    command -v openssl >/dev/null || apt_install openssl || missing "openssl (Debian)"
    # HAProxy balances two instances on one PostgreSQL in the cluster test (tests/integration/test_cluster.py).
    [ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null || apt_install haproxy || missing "HAProxy (Debian)"
    python3 -c 'import pytest' 2>/dev/null || pip install -q pytest >/dev/null 2>&1 || missing "pytest (PyPI)"
    python3 -c 'import aiosmtpd' 2>/dev/null || pip install -q aiosmtpd >/dev/null 2>&1 || missing "aiosmtpd (PyPI)"
    # Schemathesis fuzzes the served API against its OpenAPI document (tests/integration/test_schemathesis.py).
    python3 -c 'import schemathesis' 2>/dev/null || pip install -q schemathesis >/dev/null 2>&1 || missing "schemathesis (PyPI)"
    # The pages are tested in a real headless Chromium (Debian's chromium and chromium-driver, Selenium from PyPI).
    command -v chromedriver >/dev/null || apt_install chromium chromium-driver || missing "Chromium and its driver (Debian)"
    python3 -c 'import selenium' 2>/dev/null || pip install -q selenium >/dev/null 2>&1 || missing "selenium (PyPI)"
    # axe-core 4.x, as shipped inside a PyPI wheel, audits every page the browser tests open (0 serious, 0 critical).
    python3 -c 'import axe_core_python' 2>/dev/null || pip install -q axe-core-python >/dev/null 2>&1 || missing "axe-core-python (PyPI)"
    # A real OpenID Connect provider for company sign-in in the browser (tests/integration/oidc/provider.py).
    python3 -c 'import oidc_provider' 2>/dev/null || pip install -q django django-oidc-provider >/dev/null 2>&1 || missing "django-oidc-provider (PyPI)"
    # Request Tracker 5 (Debian's request-tracker5, installed and started by ../shared/peers/rt) for the import test.
    RT_PEER="${CASEBOOK_RT_PEER:-$(pwd)/../shared/peers/rt}"
    RT_HOME="${CASEBOOK_RT_HOME:-/tmp/casebook-rt}"
    RT_PG_PORT="${CASEBOOK_RT_PG_PORT:-55433}"
    RT_PORT="${CASEBOOK_RT_PORT:-8085}"
    if [ -f "$RT_PEER/setup.sh" ] && is_root; then
        log "starting Request Tracker 5 on 127.0.0.1:$RT_PORT (log: $RT_HOME.log)"
        if env RT_HOME="$RT_HOME" PG_PORT="$RT_PG_PORT" RT_PORT="$RT_PORT" bash "$RT_PEER/setup.sh" --start >"$RT_HOME.log" 2>&1 \
            && env RT_SITE_CONFIG="$RT_HOME/etc/RT_SiteConfig.pm" RT_SITE_CONFIG_DIR="$RT_HOME/etc/RT_SiteConfig.d" \
                perl -I/usr/share/request-tracker5/lib tests/integration/rt/seed.pl >>"$RT_HOME.log" 2>&1; then
            RT_STARTED=yes
            export CASEBOOK_TEST_RT_URL="http://127.0.0.1:$RT_PORT"
        else
            RT_STARTED=yes
            missing "Request Tracker 5 (see $RT_HOME.log)"
        fi
    else
        missing "Request Tracker peer scripts at $RT_PEER (run as root)"
    fi
    log "building casebook for the integration tests"
    swift build --product casebook
    # One pytest run per folder: both folders have a conftest.py, and one process would import only the first.
    for suite in tests/integration tests/browser; do
        report=$(mktemp)
        set +e
        python3 -m pytest -q -p no:cacheprovider "$suite" 2>&1 | tee "$report"
        suite_status=${PIPESTATUS[0]}
        set -e
        [ "$suite_status" = 0 ] || integration_status=$suite_status
        integration_passed=$((integration_passed + $(grep -Eo '[0-9]+ passed' "$report" | tail -1 | grep -Eo '[0-9]+' || echo 0)))
        integration_failed=$((integration_failed + $(grep -Eo '[0-9]+ (failed|error)' "$report" | tail -1 | grep -Eo '[0-9]+' || echo 0)))
        rm -f "$report"
    done
fi

# --- The mail parser under libFuzzer, for a bounded time ------------------------------------
fuzz_status=0
if [ "$status" = 0 ] && [ "${CASEBOOK_SKIP_FUZZ:-}" != 1 ]; then
    log "fuzzing the mail parser for ${CASEBOOK_FUZZ_SECONDS:-60} s"
    set +e
    bash scripts/fuzz-mail.sh "${CASEBOOK_FUZZ_SECONDS:-60}"
    fuzz_status=$?
    set -e
    if [ "$fuzz_status" = 3 ]; then
        log "the fuzzer could not be built with this toolchain; skipped"
        fuzz_status=0
    elif [ "$fuzz_status" != 0 ]; then
        log "the fuzzer found a crash: see .build-fuzz/crashes/"
    fi
fi

if [ -n "$failures" ]; then
    printf '== failing Swift tests:\n%s\n' "$failures" >&2
fi
if [ -n "$count" ]; then
    echo "tests: $((count - failed + integration_passed)) passed, $((failed + integration_failed)) failed"
fi
[ "$status" = 0 ] || exit "$status"
[ "$integration_status" = 0 ] || exit "$integration_status"
exit "$fuzz_status"
