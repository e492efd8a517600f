#!/usr/bin/env bash
# Boot a kernel under QEMU (TCG) with a generated busybox initramfs, run one
# script in the guest, capture the console and decide pass/fail.
#
# Usage: scripts/run-guest.sh --kernel PATH [options] -- SCRIPT [ARGS...]
#   --kernel PATH      bzImage / vmlinuz (required)
#   --modules DIR      a lib/modules root (DIR/lib/modules/<KVER>/), e.g. "$(scripts/distro-kernel.sh)/modules".
#                      Needed modules (9p, overlay, zram, --preload) are decompressed into the
#                      initramfs and insmod-ed in dependency order; the whole tree is also
#                      shared read-only over 9p at /lib/modules (in the chroot too), so modprobe works.
#   --kver KVER        kernel release under DIR/lib/modules (default: the only one there)
#   --preload MOD      (repeatable) also load MOD (and its deps) from --modules before the script
#   --mem SIZE         guest memory, QEMU syntax (default 2G)
#   --smp N            vCPUs (default 2)
#   --cpu MODEL        QEMU -cpu value (default max,-erms,-fsrm: TCG runs `rep stosb` one
#                      byte per iteration, so with ERMS the guest kernel's clear_page and
#                      glibc's memset are ~10x slower, enough for soft lockups under load)
#   --icount SPEC      QEMU -icount SPEC (e.g. shift=0,sleep=on): guest time counts instructions,
#                      not host time (single-threaded TCG, one vCPU at a time)
#   --numa             two NUMA nodes, half the memory and half the CPUs each
#   --zram-swap SIZE   swap on /dev/zram0 of SIZE (e.g. 1G) before the script
#   --append ARGS      extra kernel command line
#   --timeout SECONDS  whole-run limit (default 600); on expiry QEMU is killed and the run fails
#   --log FILE         console log (default $DAMONX_CACHE/logs/guest-<date>-<pid>.log)
#   --file SRC         (repeatable) copy SRC into the initramfs as /files/<basename>
#   --env NAME=VALUE   (repeatable) set in the script's environment
#   --host-root        guest sees the host's / read-only over virtio-9p with a tmpfs overlay on
#                      top (writes are discarded), chroots into it and runs SCRIPT (a host path)
#                      with the host's bash, cwd = the caller's cwd. /proc /sys /dev /dev/pts
#                      /dev/shm /run /sys/kernel/debug /sys/fs/cgroup (cgroup2) are mounted.
#                      Without it SCRIPT is copied to /files/ and run by busybox sh in /files.
#   --no-ktap-check    do not fail on KTAP "not ok" lines printed by the kernel
#   -q, --quiet        do not copy the console to stdout (the log file still gets it)
#
# stdout: the guest console as it goes (unless -q).  stderr: progress and the verdict.
# exit:   0 pass; 1 fail (script rc != 0, kernel splat, KTAP "not ok", no DAMONX-GUEST-EXIT
#         line, QEMU error); 124 timeout; 2 usage error.
# In the guest: DAMONX_GUEST=1 is set; the last console line of /init is "DAMONX-GUEST-EXIT <rc>".
set -euo pipefail
DAMONX_LOG_TAG=run-guest
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }

KERNEL='' MODDIR='' KVER='' MEM=2G SMP=2 CPU=max,-erms,-fsrm ICOUNT='' NUMA=0 ZRAM='' APPEND='' TIMEOUT=600 LOG='' HOSTROOT=0 QUIET=0 KTAP=1
FILES=() PRELOAD=() ENVS=()
while [ $# -gt 0 ]; do
	case "$1" in
		--kernel) KERNEL=$2; shift 2 ;;
		--modules) MODDIR=$2; shift 2 ;;
		--kver) KVER=$2; shift 2 ;;
		--preload) PRELOAD+=("$2"); shift 2 ;;
		--mem) MEM=$2; shift 2 ;;
		--smp) SMP=$2; shift 2 ;;
		--cpu) CPU=$2; shift 2 ;;
		--icount) ICOUNT=$2; shift 2 ;;
		--numa) NUMA=1; shift ;;
		--zram-swap) ZRAM=$2; shift 2 ;;
		--append) APPEND=$2; shift 2 ;;
		--timeout) TIMEOUT=$2; shift 2 ;;
		--log) LOG=$2; shift 2 ;;
		--file) FILES+=("$2"); shift 2 ;;
		--env) [[ $2 == [A-Za-z_]*=* ]] || die "--env wants NAME=VALUE"; ENVS+=("$2"); shift 2 ;;
		--host-root) HOSTROOT=1; shift ;;
		--no-ktap-check) KTAP=0; shift ;;
		-q|--quiet) QUIET=1; shift ;;
		-h|--help) usage ;;
		--) shift; break ;;
		*) echo "run-guest: unknown option $1" >&2; usage ;;
	esac
done
[ $# -ge 1 ] || { echo "run-guest: no SCRIPT given" >&2; usage; }
[ -n "$KERNEL" ] || { echo "run-guest: --kernel is required" >&2; usage; }
[ -r "$KERNEL" ] || die "kernel $KERNEL not readable"
SCRIPT=$1; shift
[ -f "$SCRIPT" ] || die "script $SCRIPT not found"
[[ $SMP =~ ^[1-9][0-9]*$ ]] || die "bad --smp $SMP"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "bad --timeout $TIMEOUT"
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] && ! readelf -l "$BUSYBOX" 2>/dev/null | grep -q INTERP || die "$BUSYBOX is not busybox-static: run scripts/deps.sh"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: run scripts/deps.sh"

# Memory in MiB (for --numa halves).
mem_mib() {
	local v=${1^^}; v=${v%B}
	case "$v" in
		*T) echo $(( ${v%T} * 1024 * 1024 )) ;;
		*G) echo $(( ${v%G} * 1024 )) ;;
		*M) echo $(( ${v%M} )) ;;
		*[0-9]) echo $(( v )) ;;       # QEMU: a bare number means MiB
		*) die "bad --mem $1" ;;
	esac
}
MEM_MIB=$(mem_mib "$MEM")

# q WORD: single-quote WORD for both busybox sh and bash.
q() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }

work=$(mktemp -d "$(cache_dir tmp)/guest.XXXXXX")
QPID=
cleanup() {
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,files,lib/modules,damonx/preload,newroot,lower,ovl}
cp "$BUSYBOX" "$root/bin/busybox"

# --- modules from --modules ---------------------------------------------
if [ -n "$MODDIR" ]; then
	MODDIR=$(realpath "$MODDIR")
	if [ -z "$KVER" ]; then
		mapfile -t kvs < <(find "$MODDIR/lib/modules" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null)
		[ ${#kvs[@]} -eq 1 ] || die "--modules $MODDIR: expected exactly one lib/modules/<KVER> (found ${#kvs[@]}); use --kver"
		KVER=${kvs[0]}
	fi
	[ -f "$MODDIR/lib/modules/$KVER/modules.dep" ] || die "no modules.dep in $MODDIR/lib/modules/$KVER (run depmod -b)"
	want=()
	[ "$HOSTROOT" = 1 ] && want+=(9pnet_virtio 9p overlay)
	[ -n "$ZRAM" ] && want+=(zram)
	want+=("${PRELOAD[@]}")
	n=0; declare -A seen=()
	for m in "${want[@]}"; do
		out=$(modprobe -D -d "$MODDIR" -S "$KVER" "$m" 2>&1) || die "module $m: $out"
		while read -r kind path _; do
			[ "$kind" = insmod ] || continue
			[ -z "${seen[$path]:-}" ] || continue
			seen[$path]=1
			name=$(basename "$path"); name=${name%%.ko*}
			dst="$root/damonx/preload/$(printf '%02d' $n)-$name.ko"
			case "$path" in
				*.ko.xz) xz -dc "$path" >"$dst" ;;
				*.ko.zst) zstd -qdc "$path" >"$dst" ;;
				*.ko.gz) gzip -dc "$path" >"$dst" ;;
				*) cp "$path" "$dst" ;;
			esac
			n=$((n + 1))
		done <<<"$out"
	done
	log "modules: $KVER, $n to preload"
elif [ ${#PRELOAD[@]} -gt 0 ]; then
	die "--preload needs --modules"
fi

# --- files and the script -----------------------------------------------
for f in "${FILES[@]}"; do
	[ -e "$f" ] || die "--file $f not found"
	cp -a "$f" "$root/files/"
done
if [ "$HOSTROOT" = 1 ]; then
	SCRIPT_G=$(realpath "$SCRIPT")
	CWD=$PWD
	{
		echo "cd $(q "$CWD") || { echo \"run-guest: cannot cd to $CWD in the guest\"; exit 125; }"
		printf 'exec /bin/bash %s' "$(q "$SCRIPT_G")"
		for a in "$@"; do printf ' %s' "$(q "$a")"; done
		echo
	} >"$root/damonx/run.sh"
else
	cp "$SCRIPT" "$root/files/"
	{
		echo "cd /files || exit 125"
		printf 'exec /bin/sh %s' "$(q "./$(basename "$SCRIPT")")"
		for a in "$@"; do printf ' %s' "$(q "$a")"; done
		echo
	} >"$root/damonx/run.sh"
fi
{
	echo "HOSTROOT=$HOSTROOT"
	echo "HAVE_MODSHARE=$([ -n "$MODDIR" ] && echo 1 || echo 0)"
	echo "ZRAM=$(q "$ZRAM")"
	echo "HOST_TIME=$(date +%s)"
	echo "GUEST_ENV=$(q "DAMONX_GUEST=1 $(for e in "${ENVS[@]}"; do printf '%s ' "$(q "$e")"; done)")"
} >"$root/damonx/conf"

cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
. /damonx/conf
date -s "@$HOST_TIME" >/dev/null 2>&1
msg() { echo "damonx-init: $*"; }
rc=0
for m in /damonx/preload/*.ko; do
	[ -e "$m" ] || continue
	out=$(insmod "$m" 2>&1) || case "$out" in *exists*) ;; *) msg "insmod $m failed: $out"; rc=1 ;; esac
done
if [ "$HAVE_MODSHARE" = 1 ]; then
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 modules /lib/modules || { msg "cannot mount the modules share"; rc=1; }
fi
if [ -n "$ZRAM" ] && [ $rc = 0 ]; then
	[ -e /sys/block/zram0 ] || modprobe zram 2>/dev/null
	if echo "$ZRAM" >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0; then
		msg "swap on zram0 ($ZRAM)"
	else
		msg "zram swap setup failed"; rc=1
	fi
fi
if [ "$HOSTROOT" = 1 ] && [ $rc = 0 ]; then
	R=/newroot
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose host /lower \
	&& mount -t tmpfs -o mode=0755 ovl /ovl && mkdir -p /ovl/upper /ovl/work \
	&& mount -t overlay -o lowerdir=/lower,upperdir=/ovl/upper,workdir=/ovl/work overlay $R \
	|| { msg "cannot set up the host root"; rc=1; }
	if [ $rc = 0 ]; then
		mount -t proc proc $R/proc
		mount -t sysfs sysfs $R/sys
		mount -t devtmpfs devtmpfs $R/dev
		mkdir -p $R/dev/pts $R/dev/shm
		mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts 2>/dev/null
		mount -t tmpfs -o mode=1777 shm $R/dev/shm
		mount -t tmpfs -o mode=0755 run $R/run
		mount -t debugfs debugfs $R/sys/kernel/debug 2>/dev/null
		mount -t tracefs tracefs $R/sys/kernel/tracing 2>/dev/null
		mount -t cgroup2 cgroup2 $R/sys/fs/cgroup 2>/dev/null || msg "cgroup2 not mounted"
		if [ "$HAVE_MODSHARE" = 1 ]; then
			mkdir -p $R/lib/modules
			mount --bind /lib/modules $R/lib/modules
		fi
		chmod 1777 $R/tmp 2>/dev/null
		mkdir -p $R/run/damonx && cp /damonx/run.sh $R/run/damonx/run.sh
		eval "chroot $R /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root TERM=dumb LANG=C.UTF-8 $GUEST_ENV /bin/bash /run/damonx/run.sh" \
			</dev/null >/dev/console 2>&1
		rc=$?
	fi
elif [ $rc = 0 ]; then
	mount -t tmpfs -o mode=1777 tmp /tmp
	eval "env $GUEST_ENV /bin/sh /damonx/run.sh" </dev/null >/dev/console 2>&1
	rc=$?
fi
sync
# Keep the verdict line clear of concurrent kernel console output.
echo 1 >/proc/sys/kernel/printk 2>/dev/null
sleep 0.1
printf '\nDAMONX-GUEST-EXIT %d\n' "$rc"
sync
reboot -f
sleep 5
INIT
chmod +x "$root/init"

initrd="$work/initramfs.cpio.gz"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1 >"$initrd")

# --- QEMU ----------------------------------------------------------------
# With --numa every vCPU is its own socket: CPUs that QEMU puts in one socket share an
# LLC, and an LLC spanning two nodes makes the kernel WARN in topology_sane().
SMPARG=$SMP
[ "$NUMA" = 1 ] && SMPARG="$SMP,sockets=$SMP,cores=1,threads=1"
qargs=(-accel tcg -cpu "$CPU" -m "${MEM_MIB}M" -smp "$SMPARG" -nodefaults -no-user-config
	-display none -serial stdio -no-reboot
	-kernel "$KERNEL" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 oops=panic${APPEND:+ $APPEND}")
[ -n "$ICOUNT" ] && qargs+=(-icount "$ICOUNT")
if [ "$NUMA" = 1 ]; then
	h0=$((MEM_MIB / 2)); h1=$((MEM_MIB - h0))
	qargs+=(-object "memory-backend-ram,id=m0,size=${h0}M" -object "memory-backend-ram,id=m1,size=${h1}M")
	if [ "$SMP" -ge 2 ]; then
		c0=$((SMP / 2))
		qargs+=(-numa "node,nodeid=0,cpus=0-$((c0 - 1)),memdev=m0" -numa "node,nodeid=1,cpus=$c0-$((SMP - 1)),memdev=m1")
	else
		qargs+=(-numa "node,nodeid=0,cpus=0,memdev=m0" -numa "node,nodeid=1,memdev=m1")
	fi
fi
if [ "$HOSTROOT" = 1 ]; then
	qargs+=(-fsdev "local,id=fshost,path=/,security_model=none,readonly=on,multidevs=remap"
		-device "virtio-9p-pci,fsdev=fshost,mount_tag=host")
fi
if [ -n "$MODDIR" ]; then
	qargs+=(-fsdev "local,id=fsmod,path=$MODDIR/lib/modules,security_model=none,readonly=on"
		-device "virtio-9p-pci,fsdev=fsmod,mount_tag=modules")
fi

[ -n "$LOG" ] || LOG="$(cache_dir logs)/guest-$(date +%Y%m%d-%H%M%S)-$$.log"
mkdir -p "$(dirname "$LOG")"
log "booting $(basename "$KERNEL") (cpu $CPU${ICOUNT:+, icount $ICOUNT}, mem ${MEM_MIB}M, smp $SMP$([ "$NUMA" = 1 ] && echo ', 2 NUMA nodes')$([ "$HOSTROOT" = 1 ] && echo ', host root')), timeout ${TIMEOUT}s, log $LOG"
t0=$(date +%s.%N)
set +e
fifo="$work/console"; mkfifo "$fifo"
qemu-system-x86_64 "${qargs[@]}" </dev/null >"$fifo" 2>&1 &
QPID=$!
if [ "$QUIET" = 1 ]; then tr -d '\r' <"$fifo" >"$LOG" &
else tr -d '\r' <"$fifo" | tee "$LOG" & fi
TPID=$!
timed_out=0
deadline=$((SECONDS + TIMEOUT))
while kill -0 "$QPID" 2>/dev/null; do
	if [ $SECONDS -ge $deadline ]; then
		timed_out=1; kill "$QPID" 2>/dev/null; sleep 2; kill -9 "$QPID" 2>/dev/null; break
	fi
	sleep 0.2
done
wait "$QPID"; qrc=$?
QPID=
wait "$TPID"
set -e
t1=$(date +%s.%N)
secs=$(printf '%.1f' "$(echo "$t1 - $t0" | bc)")

# --- verdict --------------------------------------------------------------
fail=()
[ "$timed_out" = 1 ] && fail+=("timeout after ${TIMEOUT}s")
[ "$timed_out" = 1 ] || [ "$qrc" = 0 ] || fail+=("qemu exited with $qrc")
exitline=$(grep -ao 'DAMONX-GUEST-EXIT [0-9]*' "$LOG" | tail -n1 || true)
if [ -z "$exitline" ]; then
	fail+=("no DAMONX-GUEST-EXIT line")
else
	grc=${exitline##* }
	[ "$grc" = 0 ] || fail+=("guest script exit status $grc")
fi
# Kernel splats: only lines carrying a printk timestamp, so that the script's own
# output (e.g. a tool printing "WARNING:") does not count; /dev/kmsg lines do.
SPLAT='BUG:|WARNING:|Oops|Kernel panic|KASAN|UBSAN|kmemleak: .* new suspected|possible circular locking|INFO: lockdep|ODEBUG|general protection fault|Call Trace:'
splats=$(grep -anE "\[ *[0-9]+\.[0-9]+\].*($SPLAT)" "$LOG" | head -n 20 || true)
[ -z "$splats" ] || fail+=("kernel splat(s):"$'\n'"$splats")
if [ "$KTAP" = 1 ]; then
	ktap=$(grep -anE '\[ *[0-9]+\.[0-9]+\] +not ok [0-9]+' "$LOG" | grep -v '# SKIP' | head -n 20 || true)
	[ -z "$ktap" ] || fail+=("KTAP failures:"$'\n'"$ktap")
fi
if [ ${#fail[@]} -eq 0 ]; then
	log "PASS in ${secs}s (log $LOG)"
	exit 0
fi
for f in "${fail[@]}"; do log "FAIL: $f"; done
log "FAIL in ${secs}s (log $LOG)"
[ "$timed_out" = 1 ] && exit 124
exit 1
