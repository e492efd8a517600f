#!/usr/bin/env bash
# Static checks of a built damonx module: the C++ runtime stays inside the
# rules (no global constructors, no unwind tables or exception machinery, no
# symbols from libstdc++/libgcc, no floating point) and every undefined symbol
# is one the kernel exports.
#
# Usage: scripts/check-ko.sh KO KDIR
# Prints one "PASS: name" / "FAIL: name" line per check; exit 1 if any failed.
set -uo pipefail
KO=$1 KDIR=$2
tag=$(basename "$KO" .ko)@$(basename "$(dirname "$KO")")
fails=0
result() { # result NAME OK [detail]
	if [ "$2" = 0 ]; then echo "PASS: ko/$tag/$1"
	else echo "FAIL: ko/$tag/$1${3:+ ($3)}"; fails=$((fails + 1)); fi
}

[ -f "$KO" ] || { result exists 1 "$KO missing"; exit 1; }
sections=$(readelf -SW "$KO" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\).*/\1/p')

bad=$(grep -E '^(\.init_array|\.fini_array|\.ctors|\.dtors)' <<<"$sections" | tr '\n' ' ')
# KASAN adds constructors that only register globals with the sanitizer:
# those are fine, anything else they call is a C++ global constructor.
if [ -n "$bad" ] && grep -q '^CONFIG_KASAN=y' "$KDIR/.config"; then
	bad=$(objdump -dr -j .text.startup "$KO" | awk '/R_X86_64_PLT32|R_X86_64_PC32/ {print $3}' |
		sed 's/[+-]0x[0-9a-f]*$//' | grep -v '^__asan_register_globals$' | sort -u | tr '\n' ' ')
fi
result no-global-constructors "$([ -z "$bad" ]; echo $?)" "$bad"

bad=$(grep -E '(eh_frame|gcc_except_table)' <<<"$sections" | tr '\n' ' ')
result no-unwind-tables "$([ -z "$bad" ]; echo $?)" "$bad"

undef=$(nm -u "$KO" | awk '{print $2}')
bad=$(grep -E '^(__cxa_|__gxx_|_Unwind_|__dynamic_cast|_ZTI|_ZTS|_ZSt|_ZNSt|__udivti3|__divti3|__umodti3|__modti3|__popcount|__builtin)' <<<"$undef" | tr '\n' ' ')
result no-runtime-library-symbols "$([ -z "$bad" ]; echo $?)" "$bad"

# Every undefined symbol must be exported by the kernel (Module.symvers).
exports=$(awk '{print $2}' "$KDIR/Module.symvers" | sort -u)
bad=$(comm -23 <(sort -u <<<"$undef") <(echo "$exports") | tr '\n' ' ')
result undefined-symbols-exported-by-kernel "$([ -z "$bad" ]; echo $?)" "$bad"

# No floating point or vector registers in module code.
n=$(objdump -d --no-show-raw-insn "$KO" | grep -cE '%(xmm|ymm|zmm|st\()' || true)
result no-floating-point "$([ "$n" = 0 ]; echo $?)" "$n instructions"

# The kernel's mitigations reached the C++ code: return thunks and retpolines
# recorded for patching, ORC unwind data (when the kernel uses them).
cfg=$KDIR/.config
want_section() { # CONFIG SECTION
	if grep -q "^$1=y" "$cfg"; then
		result "section-$2" "$(grep -qx -- "$2" <<<"$sections"; echo $?)" "$1=y but no $2"
	fi
}
want_section CONFIG_MITIGATION_RETHUNK .return_sites
want_section CONFIG_UNWINDER_ORC .orc_unwind
want_section CONFIG_DYNAMIC_FTRACE __mcount_loc

# C++ files include no kernel headers.
root=$(cd "$(dirname "$0")/.." && pwd)
bad=$(grep -rlE '^\s*#\s*include\s*<(linux|asm|kunit|uapi|generated)/' --include='*.cpp' --include='*.hpp' "$root/mm" "$root/sysfs" "$root/include" "$root/kunit" 2>/dev/null | tr '\n' ' ')
result cpp-includes-no-kernel-headers "$([ -z "$bad" ]; echo $?)" "$bad"

[ "$fails" = 0 ]
