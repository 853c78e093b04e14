#!/usr/bin/env bash
# Start-up benchmark: process start to the first frame of the home screen, and resident memory after start.
# Runs the shipped terminal (a release build without the demo) in a real X server (Xvfb), with each renderer:
# the one it picks by itself (tiny-skia on a machine without a DRM render node, as here; else wgpu), wgpu
# forced (whatever adapter the machine has; here Mesa's software one) and tiny-skia forced.
# Usage: benches/startup.sh [RUNS]   (needs xvfb: apt-get install xvfb)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
cargo build --release --quiet --bin kiosk --no-default-features
bin=target/release/kiosk

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x1024x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
export DISPLAY=$display
sleep 1

for backend in auto wgpu tiny-skia; do
  if [ "$backend" = auto ]; then unset ICED_BACKEND; want=(); else want=(ICED_BACKEND=$backend); fi
  times=()
  for _ in $(seq "$runs"); do
    line=$(env "${want[@]}" KIOSK_LOG=warn "$bin" --config kiosk.toml run --windowed --bench-first-frame 2>/dev/null)
    times+=("$(echo "$line" | sed -E 's/.*: ([0-9.]+) ms.*/\1/')")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  worst=$(echo "$sorted" | tail -n1)
  echo "first frame of home ($backend): median ${median} ms, worst ${worst} ms over $runs runs"

  env "${want[@]}" KIOSK_LOG=warn "$bin" --config kiosk.toml run --windowed 2>/dev/null &
  pid=$!
  sleep 4
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  echo "resident memory 4 s after start ($backend): $((rss / 1024)) MB"
done
