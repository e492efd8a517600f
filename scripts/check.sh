#!/usr/bin/env bash
# make check: every test of damonx, from a clean clone on a fresh Debian 12
# machine.  Installs what it needs, fetches Debian's 6.12 kernel, builds the
# KUnit test kernels (cached under ~/.cache/damonx), builds the module for
# each kernel, checks the modules, runs the KUnit suites on the base and
# debug test kernels and the functional tests on Debian's kernel (and the
# debug kernel), then prints "N passed, N failed".
#
# Environment: DAMONX_CACHE (cache root), CHECK_ONLY (a regex: run only
# the functional tests whose file name matches).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. scripts/lib.sh
DAMONX_LOG_TAG=check
START=$(date +%s)
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT

# record: keep the PASS/FAIL/SKIP lines of stdin (also shown), tidy.
record() {
	tr -d '\r' | grep -aE '^(PASS|FAIL|SKIP): ' | tee -a "$RESULTS"
}
result() { # result pass|fail NAME [why]
	local l
	if [ "$1" = pass ]; then l="PASS: $2"; else l="FAIL: $2${3:+ ($3)}"; fi
	echo "$l" | tee -a "$RESULTS"
}
# step NAME CMD...: run a setup step; a failure is one failed test.
step() {
	local name=$1; shift
	log "$name"
	if "$@"; then result pass "$name"; return 0; fi
	result fail "$name"
	return 1
}
summary() {
	local p f s
	p=$(grep -c '^PASS: ' "$RESULTS")
	f=$(grep -c '^FAIL: ' "$RESULTS")
	s=$(grep -c '^SKIP: ' "$RESULTS")
	echo
	grep '^FAIL: ' "$RESULTS" | sed 's/^/  /'
	log "duration: $(( $(date +%s) - START )) s"
	if [ "$s" -gt 0 ]; then echo "$p passed, $f failed, $s skipped"; else echo "$p passed, $f failed"; fi
	[ "$f" = 0 ]
	exit $?
}

# ---- machine and kernels --------------------------------------------------
step setup/deps scripts/deps.sh || summary
DISTRO=$(scripts/distro-kernel.sh) && result pass setup/distro-kernel || { result fail setup/distro-kernel; summary; }
BASE=$(scripts/test-kernel.sh base) && result pass setup/test-kernel-base || { result fail setup/test-kernel-base; BASE=; }
DEBUG=$(scripts/test-kernel.sh debug) && result pass setup/test-kernel-debug || { result fail setup/test-kernel-debug; DEBUG=; }

# ---- builds and module checks ------------------------------------------------
build() { # build NAME KDIR [KUNIT]
	make -s ko KDIR="$2" OUT="build/$1" ${3:+KUNIT=1} > "build/$1-${3:+kunit-}make.log" 2>&1 ||
		{ tail -30 "build/$1-${3:+kunit-}make.log" >&2; return 1; }
}
mkdir -p build
step build/distro build distro "$DISTRO/build" && scripts/check-ko.sh build/distro/damonx.ko "$DISTRO/build" | record
for v in base debug; do
	kd=$BASE; [ $v = debug ] && kd=$DEBUG
	[ -n "$kd" ] || continue
	step build/$v build $v "$kd" && scripts/check-ko.sh build/$v/damonx.ko "$kd" | record
	step build/$v-kunit build $v "$kd" kunit && scripts/check-ko.sh build/$v/damonx_kunit.ko "$kd" | record
done

# ---- KUnit in QEMU -------------------------------------------------------------
for v in base debug; do
	kd=$BASE; [ $v = debug ] && kd=$DEBUG
	if [ -n "$kd" ] && [ -f build/$v/damonx_kunit.ko ]; then
		log "KUnit on the $v test kernel"
		scripts/run-kunit.sh $v "$kd" build/$v | record
	fi
done

# ---- functional tests in guests ---------------------------------------------------
# functional KERNEL_NAME VMLINUZ KO ONLY [run-guest options...]
# Runs the tests whose names match the regex ONLY (and CHECK_ONLY if set).
functional() {
	local kname=$1 kernel=$2 ko=$3 only=$4 t name rc out topts; shift 4
	for t in scripts/tests/[a-z]*.sh; do
		name=$(basename "$t" .sh)
		[ "$name" = lib ] && continue
		[[ $name =~ $only ]] || continue
		[[ -n "${CHECK_ONLY:-}" && ! $name =~ $CHECK_ONLY ]] && continue
		log "functional test $name on $kname"
		out=$(cache_dir logs)/func-$kname-$name-$(date +%H%M%S).log
		# A test names the guest it needs in a "# run-guest: ..." line.
		read -r -a topts <<<"$(sed -n 's/^# run-guest: //p' "$t")"
		scripts/run-guest.sh -q --host-root --timeout 900 --log "$out" "$@" "${topts[@]}" \
			--kernel "$kernel" -- "$ROOT/$t" "$ROOT/$ko" 2> "$out.err"
		rc=$?
		# The test's lines are in the console log (kernel lines carry a
		# timestamp and never start with PASS/FAIL/SKIP).
		tr -d '\r' < "$out" | sed "s#^\(PASS\|FAIL\|SKIP\): #\1: $kname/#" | record
		if [ $rc = 0 ]; then result pass "$kname/$name/guest-clean"
		else result fail "$kname/$name/guest-clean" "$(grep -E 'FAIL|splat|timeout|^\[' "$out.err" | head -5 | tr '\n' ' ')"; fi
		rm -f "$out.err"
	done
}
# Everything on Debian's kernel; on the KASAN/lockdep kernel (several times
# slower under TCG) the tests that exercise the module's own paths, not the
# long timing-driven upstream selftests.
[ -f build/distro/damonx.ko ] &&
	functional distro "$DISTRO/vmlinuz" build/distro/damonx.ko '.' --modules "$DISTRO/modules"
[ -n "$DEBUG" ] && [ -f build/debug/damonx.ko ] &&
	functional debug "$DEBUG/bzImage" build/debug/damonx.ko '^(sysfs-basic|sysfs-abi|vaddr-hotcold|paddr-hotcold)$'

summary
