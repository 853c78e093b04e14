#!/usr/bin/env bash
# Proof that a change leaves the screens alone: renders every `kiosk shot` preset in zh, en and zh elder mode
# at 1080x1920 and records the SHA-256 of each PNG, or compares them with a record made before.
# Usage: benches/shots.sh record FILE     (before the change)
#        benches/shots.sh compare FILE    (after it: lists every preset whose picture differs; exit 1 if any)
# KIOSK_BIN names the binary (default: target/debug/kiosk, built here); the PNGs stay in target/shots/.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?record or compare}
file=${2:?the record file}
bin=${KIOSK_BIN:-target/debug/kiosk}
[ -n "${KIOSK_BIN:-}" ] || cargo build --quiet --bin kiosk
dir=target/shots
rm -rf "$dir"
"$bin" shot --all "$dir" --size 1080x1920 >/dev/null
hashes=$(cd "$dir" && sha256sum -- *.png | sort -k2)
case $mode in
  record)
    echo "$hashes" >"$file"
    echo "recorded $(echo "$hashes" | wc -l) pictures in $file"
    ;;
  compare)
    changed=$(diff <(sort -k2 "$file") <(echo "$hashes") | awk '/^[<>]/ {print $3}' | sort -u || true)
    total=$(echo "$hashes" | wc -l)
    if [ -z "$changed" ]; then
      echo "all $total pictures identical to $file"
    else
      echo "$(echo "$changed" | wc -l) of $total pictures differ from $file (PNGs in $dir):"
      echo "$changed"
      exit 1
    fi
    ;;
  *) echo "usage: $0 record|compare FILE" >&2; exit 2 ;;
esac
