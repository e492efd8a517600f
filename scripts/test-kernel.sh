#!/usr/bin/env bash
# Build (or reuse) the damonx KUnit test kernel from Debian's linux-source-6.12.
#
# Usage: scripts/test-kernel.sh base|debug
# stdout: the build dir O (contains bzImage -> arch/x86/boot/bzImage, usable as
#         `make -C "$O" M=<dir> modules` for external modules).
# exit:   0 ok; 1 download/extract/config/build failure (config failures list the
#         fragment lines that did not take effect); 2 usage.
# Env:    DAMONX_CACHE (cache root), JOBS (default nproc).
set -euo pipefail
DAMONX_LOG_TAG=test-kernel
. "$(dirname "$0")/lib.sh"

variant=${1:-}
case "$variant" in
	base) frags=("$DAMONX_ROOT/kunit/base.config") ;;
	debug) frags=("$DAMONX_ROOT/kunit/base.config" "$DAMONX_ROOT/kunit/debug.config") ;;
	*) echo "usage: $0 base|debug" >&2; exit 2 ;;
esac
for f in "${frags[@]}"; do [ -r "$f" ] || die "missing fragment $f"; done

# Build-relevant settings: anything here changes the hash (and so the O dir).
ARCH_MAKE=(ARCH=x86_64)
BUILD_TARGETS=(bzImage modules)
BUILD_SETTINGS="rev=1 arch=x86_64 base=tinyconfig targets=${BUILD_TARGETS[*]} then=modules_prepare cc=gcc(ccache)"
JOBS=${JOBS:-$(jobs_n)}

hash=$( { echo "src=$DAMONX_SRC_VERSION deb=$DAMONX_DEB_VERSION"; echo "$BUILD_SETTINGS"
	  for f in "${frags[@]}"; do echo "== $(basename "$f")"; cat "$f"; done; } \
	| sha256sum | cut -c1-16)
O="$(cache_dir)/tk-$variant-$hash"
STAMP="$O/.damonx-built"
if [ -e "$STAMP" ]; then
	log "reusing $O"
	printf '%s\n' "$O"; exit 0
fi

# One build per O dir at a time.
mkdir -p "$O"
exec 9>"$O.lock"
flock 9
if [ -e "$STAMP" ]; then printf '%s\n' "$O"; exit 0; fi

for t in gcc make flex bison bc perl xz; do
	command -v "$t" >/dev/null || die "$t missing: run scripts/deps.sh"
done
[ -e /usr/include/gelf.h ] || die "libelf-dev missing: run scripts/deps.sh"
[ -e /usr/include/openssl/ssl.h ] || die "libssl-dev missing: run scripts/deps.sh"

# --- source: apt-get download linux-source-6.12, extract once ------------
SRC="$(cache_dir src)/linux-$DAMONX_SRC_VERSION"
if [ ! -e "$SRC/.damonx-extracted" ]; then
	deb=$(apt_fetch linux-source-6.12 "$DAMONX_DEB_VERSION" "$(cache_dir debs)")
	tmp="$SRC.tmp.$$"
	rm -rf "$tmp"; mkdir -p "$tmp"
	log "extracting $(basename "$deb") (~10-30 s)"
	dpkg-deb --fsys-tarfile "$deb" \
		| tar -xO ./usr/src/linux-source-6.12.tar.xz \
		| xz -T2 -dc | tar -x -C "$tmp"
	[ -f "$tmp/linux-source-6.12/Makefile" ] || die "unexpected tarball layout"
	rm -rf "$SRC"
	mv "$tmp/linux-source-6.12" "$SRC"; rmdir "$tmp"
	v=$(make -s -C "$SRC" kernelversion)
	[ "$v" = "$DAMONX_SRC_VERSION" ] || die "source is $v, expected $DAMONX_SRC_VERSION"
	touch "$SRC/.damonx-extracted"
fi

CCACHE_DIR=$(cache_dir ccache)
export PATH="/usr/lib/ccache:$PATH" CCACHE_DIR
kmake() { make -C "$SRC" O="$O" "${ARCH_MAKE[@]}" "$@"; }

# --- config ---------------------------------------------------------------
# Parse fragments into "NAME VALUE" (VALUE n for '# CONFIG_X is not set').
parse_frag() {
	sed -E -e 's/[[:space:]]+$//' "$@" | while IFS= read -r line; do
		if [[ $line =~ ^#[[:space:]]*CONFIG_([A-Za-z0-9_]+)[[:space:]]+is[[:space:]]+not[[:space:]]+set ]]; then
			echo "${BASH_REMATCH[1]} n"
		elif [[ $line =~ ^CONFIG_([A-Za-z0-9_]+)=(\"[^\"]*\"|[^[:space:]#]+) ]]; then
			echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
		elif [[ $line =~ ^[[:space:]]*(#.*)?$ ]]; then
			:
		else
			die "bad fragment line: $line"
		fi
	done
}
opts=$(parse_frag "${frags[@]}")

log "configuring $O (tinyconfig + ${frags[*]##*/})"
kmake -s tinyconfig >&2
args=()
while read -r name val; do
	case "$val" in
		y) args+=(--enable "$name") ;;
		m) args+=(--module "$name") ;;
		n) args+=(--disable "$name") ;;
		\"*) v=${val#\"}; args+=(--set-str "$name" "${v%\"}") ;;
		*) args+=(--set-val "$name" "$val") ;;
	esac
done <<<"$opts"
"$SRC/scripts/config" --file "$O/.config" "${args[@]}"
kmake -s olddefconfig >&2

bad=()
while read -r name val; do
	if [ "$val" = n ]; then
		grep -qx "# CONFIG_$name is not set" "$O/.config" || ! grep -q "^CONFIG_$name=" "$O/.config" \
			|| bad+=("CONFIG_$name (wanted n, got $(grep "^CONFIG_$name=" "$O/.config"))")
	else
		got=$(grep "^CONFIG_$name=" "$O/.config" || true)
		[ "$got" = "CONFIG_$name=$val" ] || bad+=("CONFIG_$name=$val (got: ${got:-unset})")
	fi
done <<<"$opts"
if [ ${#bad[@]} -gt 0 ]; then
	log "these fragment options did not take effect after olddefconfig:"
	printf '  %s\n' "${bad[@]}" >&2
	die "config check failed (${#bad[@]} options); see $O/.config"
fi
log "config ok: $(grep -c '=y$' "$O/.config") options =y, all $(wc -l <<<"$opts") fragment lines verified"

# --- build ----------------------------------------------------------------
t0=$SECONDS
log "building ${BUILD_TARGETS[*]} with -j$JOBS (5-10 min cold, <1 min with warm ccache)"
kmake -j"$JOBS" "${BUILD_TARGETS[@]}" >&2
kmake -j"$JOBS" modules_prepare >&2
[ -f "$O/arch/x86/boot/bzImage" ] || die "no bzImage produced"
ln -sfn arch/x86/boot/bzImage "$O/bzImage"
log "built in $((SECONDS - t0)) s: $O/bzImage"
date -u +%FT%TZ >"$STAMP"
printf '%s\n' "$O"
