# shellcheck shell=bash
# Shared helpers for damonx scripts. Source it; do not execute it.
#   DAMONX_CACHE  cache root (default: $HOME/.cache/damonx); never inside the repo.

DAMONX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DAMONX_CACHE=${DAMONX_CACHE:-${HOME:-/root}/.cache/damonx}
# Debian kernel pinned for both the distro guest and the test-kernel source.
DAMONX_DEB_VERSION=6.12.117-1~deb12u1
DAMONX_KVER=6.12.117+deb12-amd64
DAMONX_SRC_VERSION=6.12.117     # upstream version inside linux-source-6.12

log()  { printf '[%s %(%H:%M:%S)T] %s\n' "${DAMONX_LOG_TAG:-damonx}" -1 "$*" >&2; }
die()  { log "ERROR: $*"; exit 1; }

# as_root CMD...: run CMD as root (sudo when needed and available).
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null; then sudo "$@"
	else die "need root for: $*"; fi
}

# cache_dir SUB...: create and print $DAMONX_CACHE/SUB
cache_dir() { local d="$DAMONX_CACHE${1:+/$1}"; mkdir -p "$d"; printf '%s\n' "$d"; }

# apt_fetch PKG VERSION DESTDIR: make sure PKG_VERSION_*.deb is in DESTDIR
# (apt-get download, which needs no root), print its path.
apt_fetch() {
	local pkg=$1 ver=$2 dest=$3 f
	mkdir -p "$dest"
	f=$(find "$dest" -maxdepth 1 -name "${pkg}_${ver//\~/?}_*.deb" -print -quit)
	# '~' is fine in globs, but the colon-less filename encodes ':' as %3a; none here.
	if [ -z "$f" ]; then
		log "downloading $pkg=$ver"
		( cd "$dest" && apt-get download -q "$pkg=$ver" >&2 2>/dev/null ) || {
			log "apt-get download failed; running apt-get update and retrying"
			as_root apt-get update -q >&2
			( cd "$dest" && apt-get download -q "$pkg=$ver" >&2 )
		}
		f=$(find "$dest" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)
		[ -n "$f" ] || die "download of $pkg=$ver produced no .deb"
	fi
	printf '%s\n' "$f"
}

jobs_n() { nproc 2>/dev/null || echo 2; }
