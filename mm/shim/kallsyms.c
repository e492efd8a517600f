// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: finding kernel symbols that are not exported.
 *
 * kallsyms_lookup_name() is not exported either, but a kprobe registered on
 * it tells its address.  Which symbol each feature needs, and what happens
 * when one is missing, is decided by the C++ resolver (mm/resolve.cpp); this
 * file only answers lookups.
 */
#include <linux/kprobes.h>
#include <linux/kallsyms.h>
#include <linux/mutex.h>
#include <linux/static_call.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/ibt.h>

#include <damonx/shim.h>

/*
 * kallsyms_lookup_name() may be sealed (no ENDBR) on an IBT kernel, so it is
 * reached through a static call: a direct jump, which IBT does not check.
 */
static unsigned long dx_kln_unresolved(const char *name)
{
	return 0;
}
DEFINE_STATIC_CALL(dx_kln, dx_kln_unresolved);

static bool dx_lookup_ready;
static bool dx_lookup_tried;
static DEFINE_MUTEX(dx_lookup_lock);

static bool dx_get_lookup(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };

	mutex_lock(&dx_lookup_lock);
	if (!dx_lookup_tried) {
		dx_lookup_tried = true;
		if (register_kprobe(&kp) == 0) {
			/* kp.addr may be past the ENDBR (or its sealing NOP);
			 * either entry is fine for a direct jump. */
			static_call_update(dx_kln, (void *)kp.addr);
			unregister_kprobe(&kp);
			dx_lookup_ready = true;
		} else {
			pr_warn("damonx: kallsyms_lookup_name not found through kprobes; kernel internals unavailable\n");
		}
	}
	mutex_unlock(&dx_lookup_lock);
	return dx_lookup_ready;
}

unsigned long dx_kallsyms_lookup(const char *name)
{
	if (!dx_get_lookup())
		return 0;
	return static_call(dx_kln)(name);
}

bool dx_addr_has_endbr(unsigned long addr)
{
	u32 insn;

	if (!addr || copy_from_kernel_nofault(&insn, (void *)addr, sizeof(insn)))
		return false;
	/* endbr64 = f3 0f 1e fa */
	return insn == 0xfa1e0ff3;
}

bool dx_ibt_enforced(void)
{
#ifdef CONFIG_X86_KERNEL_IBT
	return cpu_feature_enabled(X86_FEATURE_IBT);
#else
	return false;
#endif
}
