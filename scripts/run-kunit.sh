#!/usr/bin/env bash
# Runs damonx's KUnit suites in a QEMU guest booted from a KUnit test kernel
# (scripts/test-kernel.sh), and reports every test case.
#
# Usage: scripts/run-kunit.sh VARIANT KERNEL_DIR KO_DIR
#   VARIANT     a name for the report (base, debug)
#   KERNEL_DIR  the test kernel's build dir (has bzImage)
#   KO_DIR      has damonx_kunit.ko and damonx.ko built for that kernel
# stdout: "PASS: kunit/VARIANT/SUITE/CASE" (or FAIL:/SKIP:) per case, plus
#         PASS/FAIL lines for the guest run itself (no splat, no leak).
# exit:   non-zero if anything failed.
set -uo pipefail
VARIANT=$1 KDIR=$2 KODIR=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
log_file=$(cache_dir logs)/kunit-$VARIANT-$(date +%Y%m%d-%H%M%S).log

guest_script=$(mktemp)
trap 'rm -f "$guest_script"' EXIT
cat > "$guest_script" <<'EOS'
# busybox sh, in /files
# Cgroups for the memcg cases of damonx-goals: /dx-kunit with the memory
# controller, /dx-kunit/nomem without it (the cases skip what is missing).
if mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null || [ -e /sys/fs/cgroup/cgroup.procs ]; then
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control && mkdir -p /sys/fs/cgroup/dx-kunit/nomem
fi
insmod ./damonx_kunit.ko || echo "FAIL: kunit-guest/insmod-damonx_kunit"
rmmod damonx_kunit || echo "FAIL: kunit-guest/rmmod-damonx_kunit"
# The product module loads and unloads on the test kernel too.
if insmod ./damonx.ko && [ -d /sys/kernel/mm/damonx/admin/kdamonds ] && rmmod damonx; then
	echo "PASS: kunit-guest/damonx-load-unload"
else
	echo "FAIL: kunit-guest/damonx-load-unload"
fi
if grep -q kmemleak=on /proc/cmdline && [ -e /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	sleep 1
	echo scan > /sys/kernel/debug/kmemleak
	if grep -q damonx /sys/kernel/debug/kmemleak; then
		cat /sys/kernel/debug/kmemleak
		echo "FAIL: kunit-guest/kmemleak"
	else
		echo "PASS: kunit-guest/kmemleak"
	fi
fi
EOS

append="" timeout=240
[ "$VARIANT" = debug ] && append="kmemleak=on" timeout=600
"$here/run-guest.sh" -q --kernel "$KDIR/bzImage" --mem 2G --smp 2 --timeout $timeout \
	--append "$append" --log "$log_file" \
	--file "$KODIR/damonx_kunit.ko" --file "$KODIR/damonx.ko" -- "$guest_script" >&2
guest_rc=$?

# The console has each KTAP line twice at most (console + dmesg); keep one.
# Only suites of our module count (the kernel's own run at boot).
sed -E 's/^\[ *[0-9]+\.[0-9]+\] ?//; s/\r$//' "$log_file" | awk -v v="$VARIANT" '
	/^    # Subtest: / { suite = $3; ours = 0; next }
	/^    # module: damonx_kunit/ { ours = 1; next }
	ours && /^    (not )?ok [0-9]+ / {
		line = $0; sub(/^    /, "", line)
		n = split(line, f, " ")
		name = (f[1] == "not") ? f[4] : f[3]
		key = suite "/" name
		if (seen[key]++) next
		if (line ~ /# SKIP/) print "SKIP: kunit/" v "/" key
		else if (f[1] == "not") print "FAIL: kunit/" v "/" key
		else print "PASS: kunit/" v "/" key
	}
	/^(PASS|FAIL): kunit-guest\// { if (!seen[$0]++) { sub(/kunit-guest/, "kunit/" v); print } }
'
if [ "$guest_rc" = 0 ]; then
	echo "PASS: kunit/$VARIANT/guest-clean"
else
	echo "FAIL: kunit/$VARIANT/guest-clean (run-guest exit $guest_rc; log $log_file)"
fi
[ "$guest_rc" = 0 ]
