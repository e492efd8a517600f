# shellcheck shell=bash
# Helpers for damonx's functional tests, which run inside a QEMU guest as
# root.  Each check prints "PASS: name" or "FAIL: name (why)"; the runner
# counts those lines.  Source this file.

T_FAILS=0
T_GROUP=${T_GROUP:-functional}

pass() { echo "PASS: $T_GROUP/$1"; }
fail() { echo "FAIL: $T_GROUP/$1${2:+ ($2)}"; T_FAILS=$((T_FAILS + 1)); }

# check NAME CMD...: pass if CMD succeeds.
check() {
	local name=$1; shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# The errno name of writing VALUE to FILE: "0" on success, else e.g. EINVAL.
write_errno() {
	local out
	if out=$( { printf '%s' "$2" > "$1"; } 2>&1 ); then echo 0; return; fi
	case "$out" in
	*"Invalid argument"*) echo EINVAL ;;
	*"Device or resource busy"*) echo EBUSY ;;
	*"Operation not permitted"*) echo EPERM ;;
	*"Numerical result out of range"*) echo ERANGE ;;
	*"Cannot allocate memory"*) echo ENOMEM ;;
	*"Operation canceled"*) echo ECANCELED ;;
	*"Permission denied"*) echo EACCES ;;
	*"No such file or directory"*) echo ENOENT ;;
	*"File exists"*) echo EEXIST ;;
	*) echo "OTHER:$out" ;;
	esac
}

# expect_write NAME FILE VALUE ERRNO: the write gives ERRNO (0 = success).
# A refused write must leave the file's value unchanged.
expect_write() {
	local name=$1 file=$2 value=$3 want=$4 before after got
	before=$(cat "$file" 2>/dev/null)
	got=$(write_errno "$file" "$value")
	if [ "$got" != "$want" ]; then
		fail "$name" "write '$value' to ${file#"$DX"/}: got $got, want $want"
		return
	fi
	if [ "$want" != 0 ]; then
		after=$(cat "$file" 2>/dev/null)
		if [ "$before" != "$after" ]; then
			fail "$name" "refused write changed ${file#"$DX"/}: '$before' -> '$after'"
			return
		fi
	fi
	pass "$name"
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	local t=$1 i; shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

t_done() {
	[ "$T_FAILS" = 0 ]
}

# dmesg_has PATTERN: the kernel log has a line matching PATTERN (grep -E).
dmesg_has() {
	dmesg | grep -qE -- "$1"
}

# system_ram_range: set RAM_START and RAM_END (exclusive) to the biggest
# "System RAM" range of /proc/iomem (what damo monitors for paddr).
system_ram_range() {
	local line s e best=0
	RAM_START= RAM_END=
	while IFS= read -r line; do
		[[ $line =~ ^([0-9a-f]+)-([0-9a-f]+)\ :\ System\ RAM$ ]] || continue
		s=$((16#${BASH_REMATCH[1]})) e=$((16#${BASH_REMATCH[2]} + 1))
		[ $((e - s)) -gt "$best" ] && best=$((e - s)) RAM_START=$s RAM_END=$e
	done < /proc/iomem
	[ -n "$RAM_START" ]
}

# Sizes against a truth (bytes, reported in KiB):
# in_pct NAME GOT WANT PCT:       pass if |GOT - WANT| <= PCT% of WANT
# at_least_pct NAME GOT OF PCT:   pass if GOT >= PCT% of OF
# below_pct NAME GOT OF PCT:      pass if GOT < PCT% of OF
in_pct() {
	local d=$(($2 - $3)); d=${d#-}
	if [ $((d * 100)) -le $(($3 * $4)) ]; then pass "$1"
	else fail "$1" "got $(($2 / 1024)) KiB, want $(($3 / 1024)) KiB +-$4%"; fi
}
at_least_pct() {
	if [ $(($2 * 100)) -ge $(($3 * $4)) ]; then pass "$1"
	else fail "$1" "got $(($2 / 1024)) KiB, want >= $4% of $(($3 / 1024)) KiB"; fi
}
below_pct() {
	if [ $(($2 * 100)) -lt $(($3 * $4)) ]; then pass "$1"
	else fail "$1" "got $(($2 / 1024)) KiB, want < $4% of $(($3 / 1024)) KiB"; fi
}
