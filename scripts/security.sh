#!/usr/bin/env bash
# The hub's APIs under schemathesis (property-based requests generated from their OpenAPI documents,
# stateful where a document links operations): no request may get a 5xx, and the hub may not panic.
#   - the terminals' API (/openapi.json) with a terminal's credential;
#   - the staff console's API (/console/openapi.json) with an admin's login cookie and its anti-forgery
#     token, over a queue of real applications (loadgen's intake sends a few first).
# Run on SQLite and on PostgreSQL (127.0.0.1:5432), the hub's log copied for scripts/scan-logs.py.
#
#   bash scripts/security.sh [--examples N]     (scripts/test.sh runs it after the Rust tests)
#
# Installs schemathesis (pinned) into target/schemathesis from PyPI the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD
examples=25
[ "${1:-}" = "--examples" ] && examples=$2
venv=target/schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
    echo "== pip install schemathesis (into $venv)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi
hub=target/debug/kiosk-hub
[ -x "$hub" ] || cargo build -q -p kiosk-hub --bin kiosk-hub
logs=${KIOSK_LOG_COPY:-target/test-logs}
work=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run() {
    local name=$1 db=$2
    "$hub" seed --demo --db "$db" > /dev/null
    local code port credential
    code=$("$hub" enroll --hall "吴中区政务服务中心" --db "$db" 2> /dev/null)
    port=$(free_port)
    KIOSK_LOG_COPY=$logs KIOSK_HUB_LOG=debug "$hub" serve --listen "127.0.0.1:$port" --db "$db" 2> "$work/$name.log" &
    pid=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
    credential=$(curl -sf -X POST -H 'content-type: application/json' \
        -d "{\"code\": \"$code\", \"device_id\": \"SCHEMATHESIS-1\"}" "http://127.0.0.1:$port/v1/enroll" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["credential"])')
    fuzz "$name" terminals "http://127.0.0.1:$port/openapi.json" -H "Authorization: Bearer $credential"

    # The console: an admin, applications in the queue, a login, its anti-forgery token.
    printf 'schemathesis-password\n' | "$hub" staff add schemathesis --name 审查 --number 0999 \
        --role admin --db "$db" > /dev/null
    "$hub" loadgen --db "$db" --hub "http://127.0.0.1:$port" --kiosks 2 --applications 3 \
        --duration 2s --reviews 0 > "$work/$name.loadgen" 2>&1
    local cookie csrf
    cookie=$(curl -sf -D - -o /dev/null -H 'content-type: application/json' \
        -d '{"username": "schemathesis", "password": "schemathesis-password"}' \
        "http://127.0.0.1:$port/console/login" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')
    csrf=$(curl -sf -H "Cookie: $cookie" "http://127.0.0.1:$port/console/me" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf"])')
    local queued
    queued=$(curl -sf -H "Cookie: $cookie" "http://127.0.0.1:$port/console/api/queue" \
        | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
    echo "   $queued applications in the review queue"
    fuzz "$name" console "http://127.0.0.1:$port/console/openapi.json" \
        -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    # A panic closes the connection without an answer: never acceptable either.
    if grep -q "panicked" "$work/$name.log"; then
        grep -A3 "panicked" "$work/$name.log" | head -20
        echo "the hub panicked under schemathesis on $name" >&2; exit 1
    fi
}

# fuzz NAME API DOCUMENT HEADER...: schemathesis over one document; fails the script on any 5xx.
fuzz() {
    local name=$1 api=$2 document=$3
    shift 3
    echo "== schemathesis: the $api API on $name ($examples examples an operation, a fixed seed)"
    local started=$SECONDS status=0
    # From the scratch folder: schemathesis keeps its cache (.schemathesis) where it runs.
    (cd "$work" && "$here/$venv/bin/schemathesis" run "$document" "$@" --checks not_a_server_error \
        -n "$examples" --seed 20261206 --no-color) > "$work/$name-$api.out" 2>&1 || status=$?
    grep -E "^\s+[0-9]+ generated|Test cases:|generated, " "$work/$name-$api.out" | tail -1 | sed 's/^ */   /'
    if [ $status != 0 ]; then
        cat "$work/$name-$api.out"; grep -E "ERROR|error" "$work/$name.log" | tail -5; echo "schemathesis, the $api API on $name: a request got a server error" >&2
        exit 1
    fi
    echo "   $name, $api: no server error ($(( SECONDS - started )) s)"
}

run SQLite "sqlite://$work/hub.db"
if command -v psql > /dev/null && psql -h 127.0.0.1 -U postgres -d test -tAc 'SELECT 1' > /dev/null 2>&1; then
    database=schemathesis_$$
    psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE $database"
    run PostgreSQL "postgres://postgres@127.0.0.1:5432/$database"
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP DATABASE $database WITH (FORCE)"
fi
