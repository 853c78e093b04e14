#!/usr/bin/env bash
# Builds the two Debian packages and checks them: their control data and contents, lintian where it runs,
# an installation of the terminal's package into a throwaway root (dpkg --root, its maintainer scripts
# run against that root through DPKG_ROOT) whose `kiosk doctor --json` must answer, and the signed apt
# repository they are published in (packaging/repo-test.sh).
#
#   bash packaging/check.sh           the packages of the release build (cargo deb builds it)
#   bash packaging/check.sh --ci      the packages of the binaries the tests built (no second build)
set -euo pipefail
cd "$(dirname "$0")/.."

# The shipped terminal holds only the product: built without the `demo` feature, it links no hub.
# (The tree is read whole first: grep -q closing the pipe early would fail the pipeline under pipefail.)
tree=$(cargo tree -q -p kiosk --no-default-features -e normal --prefix none)
if grep -q '^kiosk-hub ' <<<"$tree"; then
    echo "packaging: the terminal's package would link the hub (kiosk-hub)" >&2; exit 1
fi
if [ "${1:-}" = "--ci" ]; then
    # The hub's binary as the workspace's tests built it (built alone, its dependencies would be built again
    # with other features); the terminal's without the demo, so without the hub.
    [ -x target/debug/kiosk-hub ] || cargo build -q --workspace --bins
    cargo build -q -p kiosk --bin kiosk --no-default-features
    build=(--no-build --profile dev --strip)
else
    build=()
fi
out=target/debian
rm -rf "$out"
for package in kiosk kiosk-hub; do
    cargo deb -q -p "$package" "${build[@]}" --fast -o "$out/" 2>&1 | grep -v "dev profile is not supported\|To enable debug symbols" || true
done
terminal=$(ls "$out"/kiosk_*.deb)
hub=$(ls "$out"/kiosk-hub_*.deb)

fail() { echo "packaging: $*" >&2; exit 1; }

echo "== dpkg-deb --info / --contents"
for deb in "$terminal" "$hub"; do
    dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\|Installed-Size\):/  \1:/p'
done
contents=$(dpkg-deb --contents "$terminal")
for path in ./usr/bin/kiosk ./etc/kiosk/kiosk.toml ./usr/lib/systemd/system/kiosk.service \
    ./usr/lib/udev/rules.d/60-kiosk.rules ./usr/lib/sysusers.d/kiosk.conf ./usr/lib/tmpfiles.d/kiosk.conf \
    ./etc/apt/sources.list.d/kiosk.sources ./usr/share/keyrings/kiosk-archive-keyring.asc \
    ./usr/lib/kiosk/kiosk-update ./usr/lib/systemd/system/kiosk-update.service \
    ./usr/lib/systemd/system/kiosk-update.path; do
    grep -q " $path\$" <<<"$contents" || fail "$terminal lacks $path"
done
dpkg-deb --ctrl-tarfile "$terminal" | tar -xO ./conffiles | grep -qx /etc/kiosk/kiosk.toml \
    || fail "/etc/kiosk/kiosk.toml is not a conffile"
dpkg-deb --field "$terminal" Depends | grep -q cage || fail "the terminal does not depend on cage"
dpkg-deb --field "$terminal" Depends | grep -q seatd || fail "the terminal does not depend on seatd (cage's seat)"
if grep -q " ./etc/pam.d/" <<<"$contents"; then fail "the terminal ships a PAM service (its processes would leave kiosk.service)"; fi
for engine in librime1 librime-bin librime-data rime-data-luna-pinyin libzinnia0 tegaki-zinnia-simplified-chinese; do
    dpkg-deb --field "$terminal" Depends | grep -q "$engine" || fail "the terminal does not depend on $engine"
done
copyright=$(dpkg-deb --fsys-tarfile "$terminal" | tar -xO ./usr/share/doc/kiosk/copyright)
for licence in "librime 1.8.5: BSD-3-Clause" "LGPL-3.0-only" "zinnia 0.06: BSD-3-Clause" "LGPL-2.1-or-later"; do
    grep -q "$licence" <<<"$copyright" || fail "the copyright file does not name $licence"
done
hub_contents=$(dpkg-deb --contents "$hub")
for path in ./usr/bin/kiosk-hub ./usr/lib/systemd/system/kiosk-hub.service ./etc/default/kiosk-hub \
    ./usr/share/kiosk-hub/prometheus/kiosk-hub.rules.yml; do
    grep -q " $path\$" <<<"$hub_contents" || fail "$hub lacks $path"
done
echo "  contents and conffiles as expected"

if command -v systemd-analyze >/dev/null; then
    echo "== systemd-analyze verify"
    units=$(mktemp -d)
    cp packaging/systemd/*.service packaging/systemd/*.path "$units/"
    # cage and the binaries need not be installed here: only the units themselves are checked.
    said=$(systemd-analyze verify "$units"/*.service "$units"/*.path 2>&1 \
        | grep -v "Command /usr/\(bin\|lib/kiosk\)/.* is not executable" || true)
    rm -rf "$units"
    [ -z "$said" ] || fail "systemd-analyze verify: $said"
    echo "  the units verify"
fi

if command -v lintian >/dev/null; then
    echo "== lintian"
    # Errors fail the check. Its warnings are known: the maintainer scripts call systemctl --root (so that
    # they work in another root through DPKG_ROOT), and there are no manual pages (--help is the manual).
    lintian --fail-on error "$terminal" "$hub" || fail "lintian found errors"
fi

echo "== install into a throwaway root"
root=$(mktemp -d)
trap 'rm -rf "$root" "$root.log"' EXIT
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
# The root has no base system: its dependencies are not there, and the maintainer scripts run here with
# DPKG_ROOT set (they act on the root only).
dpkg --root="$root" --force-depends --force-script-chrootless --force-not-root --log=/dev/null \
    -i "$terminal" >"$root.log" 2>&1 || { cat "$root.log"; fail "dpkg -i failed"; }
grep -q '^Status: install ok installed' "$root/var/lib/dpkg/status" || fail "dpkg did not record the install"
grep -q '^kiosk:' "$root/etc/passwd" || fail "postinst made no user kiosk"
grep -q '^dialout:.*kiosk' "$root/etc/group" || fail "kiosk is not in dialout"
[ -d "$root/var/lib/kiosk" ] || fail "postinst made no /var/lib/kiosk"
[ -L "$root/etc/systemd/system/graphical.target.wants/kiosk.service" ] || fail "kiosk.service is not enabled"
[ -L "$root/etc/systemd/system/multi-user.target.wants/kiosk-update.path" ] || fail "kiosk-update.path is not enabled"
[ -d "$root/var/lib/kiosk/update" ] || fail "postinst made no /var/lib/kiosk/update"
echo "  installed: user kiosk (dialout), /var/lib/kiosk, kiosk.service and kiosk-update.path enabled"

# The installed binary, with the installed configuration pointed into the root.
config="$root/etc/kiosk/kiosk.toml"
sed -i "s|\"/var/lib/kiosk/|\"$root/var/lib/kiosk/|" "$config"
# What postinst does outside another root: the pinyin schemas, deployed by the installed binary.
"$root/usr/bin/kiosk" input deploy "$root/var/lib/kiosk/rime" | sed 's/^/  /'
set +e
report=$("$root/usr/bin/kiosk" --config "$config" doctor --json)
status=$?
set -e
echo "  kiosk doctor --json exited $status"
python3 - "$status" "$report" <<'PY'
import json, sys
status, report = int(sys.argv[1]), json.loads(sys.argv[2])
checks = {c["name"]: c for c in report["checks"]}
def want(cond, what):
    if not cond:
        sys.exit(f"packaging: doctor: {what}\n{json.dumps(report, indent=2, ensure_ascii=False)}")
want(list(checks) == ["config", "reader", "printer", "camera", "scanner", "hub", "database", "files",
                      "disk", "pinyin", "handwriting", "font"], "the checks")
want(checks["pinyin"]["status"] == "ok", "the deployed pinyin schemas")
want(checks["handwriting"]["status"] == "ok", "the handwriting model")
want(checks["config"]["status"] == "ok", "the installed configuration checks")
want(checks["font"]["status"] == "ok", "the bundled font loads")
# No reader, printer or document camera on a build machine: each fails with its fix; so the status is 2.
for name in ("reader", "printer", "camera"):
    want(checks[name]["status"] == "fail" and checks[name].get("fix"), f"{name} fails with a fix")
want(report["status"] == "fail" and status == 2, "exit 2 on failures")
for name, check in checks.items():
    print(f"    {check['status']:4}  {name:9} {check['detail']}")
PY
said=$("$root/usr/bin/kiosk" demo 2>&1 || true)
grep -q "has no demo" <<<"$said" || fail "the packaged kiosk runs a demo: $said"
echo "  the packaged kiosk has no demo (no hub linked)"
echo "== the signed apt repository (packaging/repo-test.sh)"
bash packaging/repo-test.sh "$terminal" | sed 's/^/  /'
echo "packaging: ok"
