#!/usr/bin/env bash
# The signed repository end to end, with apt itself in a throwaway root (its own sources, lists, cache,
# preferences and dpkg status; nothing of this machine's apt is touched):
#   - the terminal's package and a newer build of it are published, signed (packaging/repo.sh);
#   - apt trusts only the key named by Signed-By, as kiosk.sources does: the newer version installs
#     (downloaded by apt, its hash checked against the signed index, installed with dpkg --root);
#   - pinned to the previous version (what kiosk-update writes), the older one installs again: a rollback;
#   - a package changed after signing is refused (hash sum mismatch), a repository signed by another key is
#     refused, and an unsigned one is refused.
#
#   bash packaging/repo-test.sh TERMINAL.deb
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "repo-test: $*" >&2; exit 1; }

bash packaging/repo.sh keygen "$work/archive" > "$work/archive.asc" 2>/dev/null
bash packaging/repo.sh keygen "$work/stranger" > "$work/stranger.asc" 2>/dev/null

# A newer build: the same package with the next Debian revision.
v1=$(dpkg-deb --field "$deb" Version)
v2="$v1+2"
dpkg-deb -R "$deb" "$work/unpacked"
sed -i "s/^Version: .*/Version: $v2/" "$work/unpacked/DEBIAN/control"
dpkg-deb -b -Zxz "$work/unpacked" "$work/kiosk_${v2}_amd64.deb" >/dev/null
rm -rf "$work/unpacked"
bash packaging/repo.sh publish "$work/archive" "$work/repo" "$deb" "$work/kiosk_${v2}_amd64.deb"

# apt in a throwaway root: the source exactly as the package ships it, but for the URI and the key.
apt_root="$work/apt"
mkdir -p "$apt_root"/{etc/sources.list.d,etc/preferences.d,etc/apt.conf.d,state/lists/partial,cache/archives/partial,log}
sed -e "s|^URIs: .*|URIs: file://$work/repo/public/|" -e "s|^Signed-By: .*|Signed-By: $work/archive.asc|" \
    packaging/apt/kiosk.sources > "$apt_root/etc/sources.list.d/kiosk.sources"
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
cat > "$apt_root/apt.conf" <<CONF
Dir::Etc "$apt_root/etc";
Dir::Etc::sourcelist "/dev/null";
Dir::Etc::main "/dev/null";
Dir::State "$apt_root/state";
Dir::State::status "$root/var/lib/dpkg/status";
Dir::Cache "$apt_root/cache";
Dir::Log "$apt_root/log";
APT::Architecture "amd64";
APT::Sandbox::User "root";
Debug::NoLocking "true";
CONF
export APT_CONFIG="$apt_root/apt.conf"
candidate() { apt-cache policy kiosk | sed -n 's/^  Candidate: //p'; }
install_candidate() {
    rm -f "$work"/dl/*.deb
    mkdir -p "$work/dl"
    (cd "$work/dl" && apt-get download -q=2 kiosk) || return 1
    dpkg --root="$root" --force-depends --force-script-chrootless --force-not-root --log=/dev/null \
        -i "$work"/dl/kiosk_*.deb > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i failed"; }
    dpkg --root="$root" -s kiosk | sed -n 's/^Version: //p'
}

echo "== a signed update installs"
apt-get update -q=2 > "$work/update.log" 2>&1 || { cat "$work/update.log"; fail "apt-get update failed on the signed repository"; }
[ "$(candidate)" = "$v2" ] || fail "the newest version is not the candidate: $(candidate)"
[ "$(install_candidate)" = "$v2" ] || fail "$v2 did not install"
echo "  $v2 installed from the repository signed by the archive key"

echo "== a rollback is the previous version pinned"
printf 'Package: kiosk\nPin: version %s\nPin-Priority: 1001\n' "$v1" > "$apt_root/etc/preferences.d/kiosk.pref"
[ "$(candidate)" = "$v1" ] || fail "pinned, $v1 is not the candidate: $(candidate)"
[ "$(install_candidate)" = "$v1" ] || fail "$v1 did not install back"
rm "$apt_root/etc/preferences.d/kiosk.pref"
echo "  pinned to $v1, it installed back over $v2"

echo "== a package changed after signing is refused"
pooled=$(find "$work/repo/public/pool" -name "kiosk_${v2}_amd64.deb")
cp "$pooled" "$work/good.deb"
printf 'X' | dd of="$pooled" bs=1 seek=$(( $(stat -c %s "$pooled") - 100 )) conv=notrunc status=none
if said=$(install_candidate 2>&1); then fail "a changed package installed: $said"; fi
grep -qi "hash sum mismatch\|size mismatch" <<<"$said" || fail "refused, but not for its hash: $said"
cp "$work/good.deb" "$pooled"
echo "  refused: $(grep -oi 'hash sum mismatch\|size mismatch' <<<"$said" | head -1)"

echo "== a repository signed by another key is refused"
release="$work/repo/public/dists/bookworm"
cp "$release/InRelease" "$work/InRelease.good"
GNUPGHOME="$work/stranger" gpg --batch --yes --clearsign -o "$release/InRelease" "$release/Release" 2>/dev/null
if said=$(apt-get update -q=2 2>&1) && ! grep -q "^W:\|^E:" <<<"$said"; then fail "a stranger's signature was taken"; fi
grep -q "NO_PUBKEY\|not signed\|signatures couldn't be verified\|invalid" <<<"$said" || fail "refused, but why: $said"
echo "  refused: $(grep -o 'NO_PUBKEY [0-9A-F]*\|signatures couldn.t be verified' <<<"$said" | head -1)"

echo "== an unsigned repository is refused"
rm -f "$release/InRelease" "$release/Release.gpg"
if said=$(apt-get update -q=2 2>&1) && ! grep -q "^W:\|^E:" <<<"$said"; then fail "an unsigned repository was taken"; fi
grep -q "is not signed\|NO_PUBKEY\|no longer signed" <<<"$said" || fail "refused, but why: $said"
echo "  refused: $(grep -o "is not signed\|is no longer signed" <<<"$said" | head -1)"
echo "repo-test: ok"
