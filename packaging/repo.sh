#!/usr/bin/env bash
# The project's apt repository, with aptly from Debian, signed by the project's archive key (gpg):
#
#   bash packaging/repo.sh keygen GNUPGHOME        make the archive key (ed25519, signing only) in GNUPGHOME
#                                                  and print its public half, armored (what terminals trust:
#                                                  packaging/apt/kiosk-archive-keyring.asc)
#   bash packaging/repo.sh publish GNUPGHOME ROOT DEB…
#                                                  add the packages to the repository kept in ROOT and publish
#                                                  it, signed, to ROOT/public (serve that folder over HTTPS)
#
# Every version added stays in the repository, so a terminal pinned to an older one (a rollback) finds it.
set -euo pipefail

usage() { sed -n '2,11p' "$0" >&2; exit 64; }

case "${1:-}" in
keygen)
    [ $# = 2 ] || usage
    export GNUPGHOME=$2
    mkdir -p -m 700 "$GNUPGHOME"
    gpg --batch --quiet --passphrase '' --quick-gen-key "kiosk archive signing key <archive@kiosk.invalid>" \
        ed25519 sign never
    gpg --armor --export "archive@kiosk.invalid"
    ;;
publish)
    [ $# -ge 4 ] || usage
    export GNUPGHOME=$2
    root=$(realpath -m "$3")
    shift 3
    key=$(gpg --list-secret-keys --with-colons | awk -F: '/^fpr/ { print $10; exit }')
    [ -n "$key" ] || { echo "repo.sh: no secret key in $GNUPGHOME (repo.sh keygen makes one)" >&2; exit 1; }
    mkdir -p "$root"
    config="$root/aptly.conf"
    printf '{"rootDir": "%s", "gpgProvider": "gpg2", "architectures": ["amd64", "arm64"]}\n' "$root" > "$config"
    aptly -config="$config" repo show kiosk >/dev/null 2>&1 \
        || aptly -config="$config" repo create -distribution=bookworm -component=main kiosk >/dev/null
    aptly -config="$config" repo add kiosk "$@" >/dev/null
    if aptly -config="$config" publish list -raw | grep -q 'bookworm'; then
        aptly -config="$config" publish update -batch -gpg-key="$key" bookworm >/dev/null
    else
        aptly -config="$config" publish repo -batch -gpg-key="$key" kiosk >/dev/null
    fi
    echo "repo.sh: published $(aptly -config="$config" repo show -with-packages kiosk | grep -c '^  ') packages to $root/public"
    ;;
*) usage ;;
esac
