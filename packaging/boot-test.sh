#!/usr/bin/env bash
# The terminal's package on a real Debian 12 boot: an image made with debootstrap holding the package
# (installed by dpkg in the image, its maintainer scripts run), booted in qemu (software emulation: no KVM
# needed), where systemd starts kiosk.service, cage on tty1. A test unit in the guest then reports on the
# serial line, step by step, each with the seconds it took:
#   up         kiosk.service active and the terminal's process running (since boot)
#   screen     the screen is drawn: the host takes a screen dump (QMP screendump) to look at
#   doctor     `kiosk doctor --json` in the guest (no reader or printer there: those fail with their fix)
#   killed     kill -9 of the terminal: systemd starts it again
#   frozen     kill -STOP of the terminal: its watchdog (30 s) restarts it
#   updated    a newer version from a signed test repository, installed by kiosk-update as the hub's
#              rollout does it (the version written to /var/lib/kiosk/update/wanted), and the terminal back
#
#   sudo bash packaging/boot-test.sh TERMINAL.deb [WORKDIR]
#
# Needs root (debootstrap, chroot), debootstrap, qemu-system-x86, e2fsprogs, aptly and gnupg, and
# deb.debian.org (or $MIRROR). The base system is kept in WORKDIR/base.tar between runs. Figures and the
# screen dump (WORKDIR/screen.png) are printed at the end. Too long for CI (about 10 minutes under
# emulation): run it by hand before a release.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
deb=$(realpath "$1")
work=$(realpath -m "${2:-/var/tmp/kiosk-boot-test}")
mirror=${MIRROR:-http://deb.debian.org/debian}
mkdir -p "$work"
log() { echo "boot-test: $*"; }
started=$(date +%s)

# 1. The base system (cached).
if [ ! -f "$work/base.tar" ]; then
    log "debootstrap bookworm (once; kept in $work/base.tar)"
    rm -rf "$work/base"
    debootstrap --variant=minbase \
        --include=systemd-sysv,udev,dbus,linux-image-amd64,apt,gnupg,ca-certificates,kmod,procps \
        bookworm "$work/base" "$mirror" > "$work/debootstrap.log" 2>&1
    # The package's dependencies from the archive (apt resolves what debootstrap's --include cannot), and
    # bc for the guest's figures.
    chroot "$work/base" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        cage xwayland libgl1-mesa-dri seatd librime1 librime-bin librime-data rime-data-luna-pinyin libzinnia0 tegaki-zinnia-simplified-chinese \
        libxkbcommon0 libwayland-client0 libfontconfig1 bc' >> "$work/debootstrap.log" 2>&1
    chroot "$work/base" apt-get clean
    tar -C "$work/base" -cf "$work/base.tar" .
    rm -rf "$work/base"
fi
t_base=$(( $(date +%s) - started ))

# 2. The image's tree: the base, the package installed as on a real box, the test repository and unit.
root="$work/root"
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$work/base.tar"
cp "$deb" "$root/tmp/kiosk.deb"
chroot "$root" sh -c 'DEBIAN_FRONTEND=noninteractive dpkg -i /tmp/kiosk.deb' > "$work/install.log" 2>&1 \
    || { cat "$work/install.log"; exit 1; }
v1=$(chroot "$root" dpkg-query -W -f='${Version}' kiosk)
# The newer build, in a repository signed by a test key the image trusts in place of the project's.
v2="$v1+2"
rm -rf "$work/unpacked" "$work/gnupg" "$work/repo"
dpkg-deb -R "$deb" "$work/unpacked"
sed -i "s/^Version: .*/Version: $v2/" "$work/unpacked/DEBIAN/control"
dpkg-deb -b -Zxz "$work/unpacked" "$work/kiosk_${v2}_amd64.deb" > /dev/null
bash "$here/packaging/repo.sh" keygen "$work/gnupg" > "$root/usr/share/keyrings/kiosk-archive-keyring.asc" 2>/dev/null
bash "$here/packaging/repo.sh" publish "$work/gnupg" "$work/repo" "$deb" "$work/kiosk_${v2}_amd64.deb" > /dev/null 2>&1
mkdir -p "$root/srv"
cp -r "$work/repo/public" "$root/srv/repo"
sed -i 's|^URIs: .*|URIs: file:///srv/repo/|' "$root/etc/apt/sources.list.d/kiosk.sources"
# The box: a name, the root file system, no password prompt needed (nobody logs in), the serial console.
echo kiosk-test > "$root/etc/hostname"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' > "$root/etc/fstab"
cat > "$root/usr/local/bin/boot-test" <<'GUEST'
#!/bin/bash
# The guest's side of packaging/boot-test.sh: each step on the serial line as "BOOTTEST step seconds …".
say() { echo "BOOTTEST $*" > /dev/ttyS0; }
now() { cut -d' ' -f1 /proc/uptime; }
say start "$(now)"
pid() { pgrep -x kiosk | head -1; }
wait_for() { local until=$(( $(date +%s) + $1 )); shift; while ! "$@"; do [ "$(date +%s)" -lt "$until" ] || return 1; sleep 0.5; done; }
running() { systemctl is-active -q kiosk.service && [ -n "$(pid)" ]; }
up=yes
wait_for 150 running || {
    up=no
    say failed up "$(systemctl status kiosk.service --no-pager 2>&1 | tail -n 20 | tr '\n' '|')"
    { journalctl -b --no-pager -o short-monotonic | grep -i "cage\|kiosk\|wlr\|seat\|drm\|logind" | tail -n 80
      loginctl list-sessions --no-pager
      for s in $(loginctl list-sessions --no-legend | awk '{print $1}'); do loginctl show-session "$s" -p Name -p Active -p State -p VTNr -p Seat -p Type -p TTY; done
      echo "foreground VT: $(cat /sys/class/tty/tty0/active)"; ls -l /dev/dri /dev/input 2>&1
      ps -eo pid,stat,wchan:30,cmd | grep -v "\[" | tail -n 30; } > /dev/ttyS0 2>&1
}
[ $up = no ] || say up "$(now)"
sleep 20
say screen "$(now)"
sleep 15
doctor=$(kiosk doctor --json 2>/dev/null | tr -d '\n')
say doctor "$doctor"
if [ $up = yes ]; then
before=$(pid); t=$(now)
kill -9 "$before"
wait_for 60 sh -c "p=\$(pgrep -x kiosk | head -1); [ -n \"\$p\" ] && [ \"\$p\" != $before ]" && say killed "$(echo "$(now) - $t" | bc)" || say failed killed
sleep 10
before=$(pid); t=$(now)
kill -STOP "$before"
wait_for 120 sh -c "p=\$(pgrep -x kiosk | head -1); [ -n \"\$p\" ] && [ \"\$p\" != $before ]" && say frozen "$(echo "$(now) - $t" | bc)" || say failed frozen
sleep 10
fi
t=$(now)
echo "$1" > /var/lib/kiosk/update/wanted
chown kiosk: /var/lib/kiosk/update/wanted
installed() { [ "$(dpkg-query -W -f='${Version}' kiosk)" = "$1" ] && grep -q "^ok $1" /var/lib/kiosk/update/result 2>/dev/null && { [ $up = no ] || running; }; }
wait_for 300 installed "$1" && say updated "$(echo "$(now) - $t" | bc)" "$(dpkg-query -W -f='${Version}' kiosk)" || say failed updated "$(cat /var/lib/kiosk/update/result /var/lib/kiosk/update/log 2>&1 | tail -n 5 | tr '\n' '|')"
say done "$(now)"
systemctl poweroff
GUEST
chmod +x "$root/usr/local/bin/boot-test"
cat > "$root/etc/systemd/system/boot-test.service" <<UNIT
[Unit]
Description=The package's boot test (packaging/boot-test.sh)
After=multi-user.target
[Service]
Type=oneshot
TimeoutStartSec=infinity
ExecStart=/usr/local/bin/boot-test $v2
StandardOutput=journal+console
[Install]
WantedBy=multi-user.target
UNIT
chroot "$root" systemctl enable boot-test.service > /dev/null 2>&1
kernel=$(ls "$root"/boot/vmlinuz-* | head -1)
initrd=$(ls "$root"/boot/initrd.img-* | head -1)
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd.img"

# 3. The disk: an ext4 file system made straight from the tree (no partition table, no boot loader: qemu
# starts the image's own kernel).
rm -f "$work/disk.raw"
mkfs.ext4 -q -F -L root -d "$root" "$work/disk.raw" 4G
t_image=$(( $(date +%s) - started ))

# 4. Boot, follow the serial line, dump the screen when the guest says it is drawn. The display is
# virtio-gpu: wlroots needs PRIME import, which the plain VGA device (bochs-drm) lacks.
rm -f "$work/serial.log" "$work/qmp.sock" "$work/screen.ppm"
# Software emulation by default: nested KVM on a cloud machine can hang at the first instruction.
accel=${BOOT_TEST_ACCEL:-tcg}
log "booting under $accel"
boot_at=$(date +%s)
qemu-system-x86_64 -machine q35,accel=$accel -cpu max -m 2048 -smp 2 -vga none -device virtio-gpu-pci -display none \
    -kernel "$work/vmlinuz" -initrd "$work/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 systemd.show_status=0 quiet" \
    -drive file="$work/disk.raw",format=raw,if=virtio \
    -serial file:"$work/serial.log" -qmp unix:"$work/qmp.sock",server=on,wait=off -no-reboot &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
deadline=$(( $(date +%s) + ${BOOT_TEST_TIMEOUT:-1500} ))
dumped=0
while kill -0 $qemu 2>/dev/null; do
    if [ $dumped = 0 ] && grep -q "BOOTTEST screen" "$work/serial.log" 2>/dev/null; then
        python3 - "$work/qmp.sock" "$work/screen.ppm" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile('rw')
f.readline()
for cmd in ({"execute": "qmp_capabilities"}, {"execute": "screendump", "arguments": {"filename": sys.argv[2]}}):
    f.write(json.dumps(cmd) + "\n"); f.flush(); f.readline()
PY
        dumped=1
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { log "timed out"; kill $qemu; break; }
    sleep 2
done
wait $qemu || true
t_boot=$(( $(date +%s) - boot_at ))
[ -f "$work/screen.ppm" ] && python3 -c "
import sys
from PIL import Image
Image.open(sys.argv[1]).save(sys.argv[2])" "$work/screen.ppm" "$work/screen.png" 2>/dev/null \
    || convert "$work/screen.ppm" "$work/screen.png" 2>/dev/null || true

# 5. What the guest said.
grep -a "BOOTTEST" "$work/serial.log" | sed 's/^.*BOOTTEST/ /' | cut -c1-300
status=0
for step in up screen doctor killed frozen updated done; do
    grep -aq "BOOTTEST $step" "$work/serial.log" || { log "step $step did not pass"; status=1; }
done
grep -aq "BOOTTEST failed" "$work/serial.log" && status=1
log "figures: base system ${t_base} s (cached after the first run), image ${t_image} s in all, boot to power-off ${t_boot} s ($accel)"
[ -f "$work/screen.png" ] && log "the screen dump: $work/screen.png"
[ $status = 0 ] && log "ok" || { log "FAILED (serial log: $work/serial.log)"; }
exit $status
