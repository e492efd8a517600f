#!/usr/bin/env bash
# Install (if missing) every Debian 12 package the damonx project needs.
# Usage: scripts/deps.sh        stdout: nothing; exit 0 when all are installed.
set -euo pipefail
DAMONX_LOG_TAG=deps
. "$(dirname "$0")/lib.sh"

PKGS=(
	build-essential g++ gcc-12 g++-12 make flex bison bc cpio ccache kmod
	libelf-dev libssl-dev dwarves busybox-static xz-utils gzip zstd
	qemu-system-x86 python3 perl ca-certificates
)

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	log "all ${#PKGS[@]} packages present"
	exit 0
fi
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
log "done"
