#!/usr/bin/env bash
# The terminal's memory with text entry's engines and without: `kiosk run --windowed` under Xvfb on the
# shipped kiosk.toml (its files moved to a temporary folder), its PSS read after 8 s (the engines open on
# their own thread within the first second), once with Rime deployed and the handwriting model in place,
# once with neither (librime is then not even loaded). KIOSK_BIN names the binary (default: the debug one).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${KIOSK_BIN:-target/debug/kiosk}
[ -n "${KIOSK_BIN:-}" ] || cargo build --quiet --bin kiosk
work=$(mktemp -d)
Xvfb :97 -screen 0 1080x1920x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
"$bin" input deploy "$work/rime" >/dev/null
mkdir -p "$work/words"
measure() { # label, Rime's folder, the model
    sed -e "s|^rime = .*|rime = \"$2\"|" -e "s|^model = .*|model = \"$3\"|" \
        -e "s|^words = .*|words = \"$work/words\"|" -e "s|^database = .*|database = \"$work/kiosk.db\"|" \
        kiosk.toml >"$work/kiosk.toml"
    DISPLAY=:97 KIOSK_LOG=off "$bin" --config "$work/kiosk.toml" run --windowed >/dev/null 2>&1 &
    local pid=$!
    sleep 8
    local pss
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "| $1 | $((pss / 1024)) MB |"
}
echo "| terminal ($bin) | PSS after 8 s |"
echo "|---|---|"
measure "with pinyin and handwriting" "$work/rime" /usr/share/tegaki/models/zinnia/handwriting-zh_CN.model
measure "without (not deployed, no model)" "$work/none" "$work/none.model"
