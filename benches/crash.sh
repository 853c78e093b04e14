#!/usr/bin/env bash
# The crash harness at full count (CI runs 25 kills per operation): each durable operation killed with
# SIGKILL KILLS times at random points, plus the power-cut copies; prints each run's figures and seed.
#
#   bash benches/crash.sh [KILLS]        (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
export ICED_TEST_BACKEND=tiny-skia KIOSK_CRASH_KILLS=${1:-200}
start=$(date +%s)
cargo test -q --test flows -- crash:: hub_sync::power_loss_during_outbox_write --nocapture 2>&1 \
    | grep -E "crash harness|outbox delivery:|hub ingest:|settings:|power cut|power loss:|applications:|test result|panicked"
# The hub killed under tickets, applications, 补正, decisions and ratings (SQLite and PostgreSQL).
cargo test -q -p kiosk-hub --test hub -- crash:: --nocapture 2>&1 \
    | grep -E "hub crash harness|test result|panicked"
echo "crash harness: $KIOSK_CRASH_KILLS kills an operation in $(( $(date +%s) - start )) s"
