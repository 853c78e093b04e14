#!/usr/bin/env bash
# Runs every test of the workspace, first installing what they need on a Debian machine that has only the
# Rust toolchain and apt (CI runs it too, from .ci/run). Usage: bash scripts/test.sh [cargo test args…]
#
# What the tests use besides Rust: librime and zinnia (the on-screen keyboards' engines), zbarimg (a real
# barcode decoder reads what the virtual printer draws),
# espeak-ng (the terminal's speech engine speaks a prompt to a WAV file), Debian's Chromium driven by
# Playwright from Node.js (the staff console), and PostgreSQL at 127.0.0.1:5432 with trust auth and a
# database `test` (the hub's scale tests).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
export ICED_TEST_BACKEND=tiny-skia

sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
apt_install() {
    echo "== apt-get install $*"
    $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

need=()
command -v zbarimg >/dev/null || need+=(zbar-tools)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
# promtool checks the Prometheus alert rules shipped with the hub and lints its /metrics.
command -v promtool >/dev/null || need+=(prometheus)
command -v chromium >/dev/null || need+=(chromium)
# A Chinese face for Chromium, so the screenshots of the console and the phone page can be read.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
command -v npm >/dev/null || need+=(nodejs npm)
command -v cc >/dev/null || need+=(build-essential)
# Text entry's engines: librime with Debian's luna_pinyin tables (and rime_deployer), zinnia and its model.
command -v rime_deployer >/dev/null || need+=(librime1 librime-bin librime-data rime-data-luna-pinyin)
[ -f /usr/share/tegaki/models/zinnia/handwriting-zh_CN.model ] || need+=(libzinnia0 tegaki-zinnia-simplified-chinese)
[ ${#need[@]} = 0 ] || apt_install "${need[@]}"

if [ ! -d tests/console/node_modules/playwright-core ]; then
    echo "== npm ci (playwright-core for the console test)"
    npm ci --prefix tests/console --no-audit --no-fund >/dev/null
fi

# PostgreSQL: a machine without a server on 127.0.0.1:5432 gets Debian's, set up as CI's.
if ! (command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432); then
    echo "== PostgreSQL on 127.0.0.1:5432"
    command -v pg_ctlcluster >/dev/null || apt_install postgresql
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
    [ -d "/etc/postgresql/$ver/main" ] || $sudo_ pg_createcluster "$ver" main
    hba=/etc/postgresql/$ver/main/pg_hba.conf
    $sudo_ sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
    $sudo_ pg_ctlcluster "$ver" main restart || $sudo_ pg_ctlcluster "$ver" main start
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
command -v psql >/dev/null || apt_install postgresql-client
if [ "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'")" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" >/dev/null
fi

echo "== cargo test --workspace (the set-up above took $SECONDS s)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Every kiosk and kiosk-hub process the tests start copies its log here, for the scan at the end.
export KIOSK_LOG_COPY=$PWD/target/test-logs
rm -rf "$KIOSK_LOG_COPY"
set +e
cargo test --workspace "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" = 0 ] && [ $# = 0 ]; then
    # The hub's API under schemathesis (no server error), then no ID number in any log written.
    bash scripts/security.sh || status=$?
    echo "== the logs of the whole run, scanned for ID numbers"
    python3 scripts/scan-logs.py "$KIOSK_LOG_COPY" || status=$?
fi
# The last runner to print is a crate with no tests (doc tests): end on the whole run's count.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
