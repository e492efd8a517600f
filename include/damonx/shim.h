/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The narrow C API between damonx's C++ code and the kernel.
 *
 * Everything damonx needs from the kernel goes through the functions declared
 * here; they are implemented by the small C files in mm/shim/, the only files
 * of damonx that include kernel headers.  This header is included by both
 * sides, so it uses only C types and opaque structures.
 */
#ifndef DAMONX_SHIM_H
#define DAMONX_SHIM_H

#ifdef __cplusplus
extern "C" {
#define DX_NOEXCEPT noexcept
#else
/* C shim files include kernel headers (for bool) before this one. */
#define DX_NOEXCEPT
#endif

typedef __SIZE_TYPE__ dx_size_t;
typedef long dx_ssize_t;

/* ---- memory ------------------------------------------------------------ */

/* Allocation contexts, mapped to gfp_t by the shim. */
enum dx_gfp {
	DX_GFP_KERNEL = 0,	/* may sleep */
	DX_GFP_NOWAIT = 1,	/* may not sleep, may fail */
};

void *dx_kmalloc(dx_size_t size, enum dx_gfp gfp) DX_NOEXCEPT;
void *dx_kzalloc(dx_size_t size, enum dx_gfp gfp) DX_NOEXCEPT;
void dx_kfree(const void *p) DX_NOEXCEPT;
void *dx_kvcalloc(dx_size_t n, dx_size_t size) DX_NOEXCEPT;
void dx_kvfree(const void *p) DX_NOEXCEPT;

/* ---- printing ---------------------------------------------------------- */

enum dx_log_level { DX_LOG_ERR = 3, DX_LOG_WARN = 4, DX_LOG_NOTICE = 5,
		    DX_LOG_INFO = 6, DX_LOG_DEBUG = 7 };

void dx_log(enum dx_log_level level, const char *fmt, ...) DX_NOEXCEPT
	__attribute__((format(printf, 2, 3)));
int dx_snprintf(char *buf, dx_size_t size, const char *fmt, ...) DX_NOEXCEPT
	__attribute__((format(printf, 3, 4)));
/* sysfs_emit(): @buf is a PAGE_SIZE sysfs buffer. */
int dx_sysfs_emit(char *buf, const char *fmt, ...) DX_NOEXCEPT
	__attribute__((format(printf, 2, 3)));
/* A broken invariant: WARN once with @what, the caller then recovers. */
void dx_warn(const char *file, int line, const char *what) DX_NOEXCEPT;
/* An unrecoverable programming error (pure virtual call): BUG().  Does not
 * return, but is not declared noreturn: objtool knows only the kernel's own
 * noreturn functions, and a call to an unknown one at the end of a function
 * looks to it like falling off the end. */
void dx_bug(const char *what) DX_NOEXCEPT;

/* ---- parsing (the kernel's kstrto*, base 0) ---------------------------- */

int dx_kstrtoul(const char *s, unsigned long *res) DX_NOEXCEPT;
int dx_kstrtoint(const char *s, int *res) DX_NOEXCEPT;
int dx_kstrtouint(const char *s, unsigned int *res) DX_NOEXCEPT;
int dx_kstrtobool(const char *s, bool *res) DX_NOEXCEPT;
/* sysfs_streq(): equal, ignoring one trailing newline on either side. */
bool dx_sysfs_streq(const char *a, const char *b) DX_NOEXCEPT;

/* ---- locks and waiting ------------------------------------------------- */

/* Opaque storage for kernel objects embedded in C++ objects; the shim checks
 * with static asserts that the kernel object fits. */
struct dx_mutex { unsigned long opaque[24]; };
struct dx_completion { unsigned long opaque[24]; };

/* Lock classes, so that lockdep tells damonx's locks apart. */
enum dx_lock_class {
	DX_LOCK_SYSFS,		/* the sysfs tree (damon_sysfs_lock) */
	DX_LOCK_KDAMOND,	/* one kdamond's state */
	DX_LOCK_CALL,		/* one kdamond's request queue */
	DX_LOCK_TEST,		/* KUnit tests */
	DX_NR_LOCK_CLASSES
};

void dx_mutex_init(struct dx_mutex *m, enum dx_lock_class cls) DX_NOEXCEPT;
void dx_mutex_destroy(struct dx_mutex *m) DX_NOEXCEPT;
void dx_mutex_lock(struct dx_mutex *m) DX_NOEXCEPT;
bool dx_mutex_trylock(struct dx_mutex *m) DX_NOEXCEPT;
void dx_mutex_unlock(struct dx_mutex *m) DX_NOEXCEPT;
bool dx_mutex_is_locked(struct dx_mutex *m) DX_NOEXCEPT;

void dx_completion_init(struct dx_completion *c) DX_NOEXCEPT;
void dx_complete(struct dx_completion *c) DX_NOEXCEPT;
void dx_wait_for_completion(struct dx_completion *c) DX_NOEXCEPT;

/* ---- time and randomness ------------------------------------------------ */

unsigned long long dx_ktime_ns(void) DX_NOEXCEPT;
unsigned long dx_jiffies(void) DX_NOEXCEPT;
/* A random number in [0, ceil). */
unsigned int dx_random_below(unsigned int ceil) DX_NOEXCEPT;
void dx_cond_resched(void) DX_NOEXCEPT;

/* ---- cgroups ------------------------------------------------------------ */

/* Whether @path (relative to the cgroup2 root, e.g. "/foo") names an
 * existing cgroup. */
bool dx_cgroup_path_exists(const char *path) DX_NOEXCEPT;

/* ---- memory state -------------------------------------------------------- */

/* Free memory per thousand of total RAM (DAMOS free_mem_rate). */
unsigned long dx_free_mem_permil(void) DX_NOEXCEPT;

/* ---- memory cgroups (mm/shim/memcg.c) ---- */
struct dx_folio;	/* a folio we hold a reference on (paddr, below) */
struct dx_memcg;	/* a mem_cgroup we hold a css reference on */
/* The memcg of the cgroup at @path (relative to the cgroup2 root, e.g.
 * "/foo"; one trailing newline ignored), referenced; NULL if there is none
 * (no such cgroup, memory controller not enabled there, !CONFIG_MEMCG). */
struct dx_memcg *dx_memcg_get(const char *path) DX_NOEXCEPT;
void dx_memcg_put(struct dx_memcg *m) DX_NOEXCEPT;
/* Whether folio @f is charged to memcg @m (DAMOS memcg filters). */
bool dx_folio_memcg_is(struct dx_folio *f, struct dx_memcg *m) DX_NOEXCEPT;

/* ---- memory statistics for quota goals (mm/shim/memstat.c) -------------- */

/* Node @nid's managed (*@total) and free (*@free) pages, as
 * si_meminfo_node() counts them.  False, nothing set, if @nid is out of
 * range or has no memory (not N_MEMORY). */
bool dx_node_mem_pages(int nid, unsigned long *total, unsigned long *free) DX_NOEXCEPT;
/* The system's active and inactive LRU pages (anon + file each). */
void dx_lru_pages(unsigned long *active, unsigned long *inactive) DX_NOEXCEPT;
/* The LRU pages (active and inactive, anon and file) of memcg @m on node
 * @nid, its statistics flushed first.  False if @m is NULL or being removed,
 * or @nid is out of range or has no memory.  Needs the resolver's
 * memcg_stat; may sleep. */
bool dx_memcg_node_lru_pages(struct dx_memcg *m, int nid,
			     unsigned long *pages) DX_NOEXCEPT;

/* Whether pressure stall information can be read. */
enum dx_psi_state {
	DX_PSI_ON,
	DX_PSI_NOT_BUILT,	/* !CONFIG_PSI */
	DX_PSI_OFF,		/* disabled at boot (psi=0, or PSI_DEFAULT_DISABLED) */
	DX_PSI_UNRESOLVED,	/* psi_system/psi_disabled not found */
};
enum dx_psi_state dx_psi_state(void) DX_NOEXCEPT;
/* The system's "some" memory stall total in us (since boot); false (nothing
 * set) unless dx_psi_state() is DX_PSI_ON. */
bool dx_psi_some_mem_total_us(unsigned long long *us) DX_NOEXCEPT;

/* ---- kernel threads ----------------------------------------------------- */

struct dx_task;		/* a task_struct */

/*
 * A module kthread: the thread runs @fn(@arg), then completes @exited and
 * exits inside the kernel (kthread_complete_and_exit()), so it never returns
 * into module code that an unload may have freed.  A thread stopped before
 * it ran neither calls @fn nor completes @exited.
 */
struct dx_kthread {
	int (*fn)(void *arg);
	void *arg;
	struct dx_completion *exited;
};

/* Create and wake the kthread @k (which must outlive it) named @name.  No
 * reference is held on the result: see dx_task_get().  NULL and *err set on
 * failure. */
struct dx_task *dx_kthread_run(struct dx_kthread *k, const char *name,
			       int *err) DX_NOEXCEPT;
void dx_task_get(struct dx_task *t) DX_NOEXCEPT;
void dx_task_put(struct dx_task *t) DX_NOEXCEPT;
/* kthread_stop() then put: waits until the thread returned. */
int dx_kthread_stop_put(struct dx_task *t) DX_NOEXCEPT;
int dx_task_pid(struct dx_task *t) DX_NOEXCEPT;
bool dx_kthread_should_stop(void) DX_NOEXCEPT;
/* Sleep about @us microseconds, idle (not counted as load); returns early on
 * kthread_stop() or dx_wake(). */
void dx_sleep_us(unsigned long us) DX_NOEXCEPT;
void dx_wake(struct dx_task *t) DX_NOEXCEPT;
void dx_msleep(unsigned int ms) DX_NOEXCEPT;
/* The pid of the calling task. */
int dx_current_pid(void) DX_NOEXCEPT;

/* ---- processes (pid targets) ------------------------------------------- */

struct dx_pid;		/* a struct pid we hold a reference on */

/* find_get_pid() in the caller's pid namespace; NULL if no such pid. */
struct dx_pid *dx_find_get_pid(int nr) DX_NOEXCEPT;
void dx_put_pid(struct dx_pid *pid) DX_NOEXCEPT;
/* Whether a task with this pid still exists. */
bool dx_pid_alive(struct dx_pid *pid) DX_NOEXCEPT;

/* ---- address spaces (vaddr, mm/shim/mm.c) -------------------------------- */

struct dx_mm;		/* an mm_struct with a user reference (mmget) held */

/* The mm of the task of @pid with a reference held, or NULL when the task is
 * gone, has no mm (a kthread) or is exiting.  Put it with dx_mm_put(). */
struct dx_mm *dx_pid_get_mm(struct dx_pid *pid) DX_NOEXCEPT;
/* mmput(); may sleep. */
void dx_mm_put(struct dx_mm *mm) DX_NOEXCEPT;
/*
 * One pass of Accessed-bit checks over a target (dx_va_mkold()/dx_va_young()):
 * mmap_read_lock is held from begin to end, and the last VMA is remembered
 * (a pass visits its sampling addresses in address order).
 */
struct dx_va_pass {
	struct dx_mm *mm;
	void *vma;
};
void dx_va_pass_begin(struct dx_va_pass *p, struct dx_mm *mm) DX_NOEXCEPT;
void dx_va_pass_end(struct dx_va_pass *p) DX_NOEXCEPT;
/* Calls @fn(@arg, start, end) for every VMA of @mm in address order, under
 * mmap_read_lock (so @fn must not sleep). */
void dx_mm_for_each_vma(struct dx_mm *mm,
			void (*fn)(void *arg, unsigned long start, unsigned long end),
			void *arg) DX_NOEXCEPT;

/* The madvise() advice DAMOS actions of vaddr map to. */
enum dx_madv {
	DX_MADV_WILLNEED, DX_MADV_COLD, DX_MADV_PAGEOUT, DX_MADV_HUGEPAGE,
	DX_MADV_NOHUGEPAGE, DX_MADV_COLLAPSE,
};
/* madvise(@start, @len, @advice) on @mm (do_madvise(), resolved); 0 or a
 * negative errno.  Only while the resolver has feature madvise. */
int dx_va_madvise(struct dx_mm *mm, unsigned long start, unsigned long len,
		  enum dx_madv advice) DX_NOEXCEPT;

/*
 * The folios mapped in [@start, @end) of @mm, from a walk of its page table
 * under mmap_read_lock: up to @max of them, each referenced (put them with
 * dx_folio_put()), one per PMD-mapped THP or run of PTEs of one folio, with
 * the interleave index of each (its page offset in the VMA's file/anon
 * space, in units of its own size) in @ilxs.  *@next is where a next call
 * continues (@end when the range is done).  Hugetlb and VM_PFNMAP are
 * skipped.  Needs the resolver feature vaddr.
 */
unsigned int dx_va_folios(struct dx_mm *mm, unsigned long start, unsigned long end,
			  struct dx_folio **folios, unsigned long *ilxs,
			  unsigned int max, unsigned long *next) DX_NOEXCEPT;

/* Flags of dx_va_mkold()/dx_va_young(). */
enum dx_va_flags {
	/* Also clear/test the young state of secondary MMUs (KVM...) through
	 * the MMU notifier.  Only when the resolver has mmu_notifier. */
	DX_VA_NOTIFIER = 1 << 0,
};
/*
 * The Accessed state of the page (or PMD-mapped THP) mapping @addr, as
 * upstream damon_va_mkold()/damon_va_young(), which both need the resolver
 * feature vaddr.  mkold clears the Accessed bit and marks the folio idle,
 * recording a cleared young bit in the folio's young flag.  young tells
 * whether it was accessed since (Accessed bit set, folio not idle, or young
 * for a secondary MMU); *@folio_sz is then the size of the naturally aligned
 * mapping the answer holds for (a page, or a PMD for a PMD-mapped THP).
 * Unmapped addresses, hugetlb and VM_PFNMAP mappings are never young.
 * Both run inside a dx_va_pass: one lock for all the regions of a target.
 */
void dx_va_mkold(struct dx_va_pass *p, unsigned long addr, unsigned int flags) DX_NOEXCEPT;
bool dx_va_young(struct dx_va_pass *p, unsigned long addr, unsigned int flags,
		 unsigned long *folio_sz) DX_NOEXCEPT;

/* ---- physical memory (paddr, mm/shim/paddr.c) ---------------------------- */

/* The folio of physical page @pfn, referenced, if the page is online and the
 * folio on an LRU list (upstream damon_get_folio()); else NULL. */
struct dx_folio *dx_pfn_folio(unsigned long pfn) DX_NOEXCEPT;
void dx_folio_put(struct dx_folio *f) DX_NOEXCEPT;
/* The folio's first pfn, its number of pages, and its node. */
unsigned long dx_folio_pfn(const struct dx_folio *f) DX_NOEXCEPT;
unsigned long dx_folio_nr_pages(const struct dx_folio *f) DX_NOEXCEPT;
int dx_folio_nid(const struct dx_folio *f) DX_NOEXCEPT;

/* What DAMOS ops filters look at (dx_folio_flags()). */
enum dx_folio_flag {
	DX_FOLIO_ANON = 1 << 0,		/* anonymous (not file-backed) */
	DX_FOLIO_ACTIVE = 1 << 1,	/* on an active LRU list */
	DX_FOLIO_MAPPED = 1 << 2,	/* mapped by some page table */
};
unsigned int dx_folio_flags(const struct dx_folio *f) DX_NOEXCEPT;

/*
 * The Accessed state of a folio through the reverse map: every PTE or PMD
 * mapping it (upstream damon_folio_mkold()/damon_folio_young()).  Both need
 * the resolver feature paddr; @flags are enum dx_va_flags.  mkold clears the
 * Accessed bits, recording them in the folio's young flag, and marks it
 * idle.  young tells whether it was accessed since: an Accessed bit, the
 * folio not idle (an unmapped page cache folio that was read), or a young
 * secondary MMU mapping.  A folio whose lock is contended is skipped (not
 * young), as upstream.
 */
void dx_folio_mkold(struct dx_folio *f, unsigned int flags) DX_NOEXCEPT;
bool dx_folio_young(struct dx_folio *f, unsigned int flags) DX_NOEXCEPT;

/* folio_mark_accessed() (DAMOS lru_prio). */
void dx_folio_mark_accessed(struct dx_folio *f) DX_NOEXCEPT;
/* folio_deactivate() (DAMOS lru_deprio); resolver feature lru_deprio. */
void dx_folio_deactivate(struct dx_folio *f) DX_NOEXCEPT;

/* Folios isolated from their LRU lists (a list_head), each holding the
 * isolation's reference. */
struct dx_folio_list { void *opaque[2]; };
void dx_folio_list_init(struct dx_folio_list *l) DX_NOEXCEPT;
bool dx_folio_list_empty(const struct dx_folio_list *l) DX_NOEXCEPT;
/*
 * Isolates @f from its LRU list onto @l (resolver feature pageout or
 * migrate).  For reclaim (@for_reclaim), its referenced and young flags are
 * cleared first and an unevictable folio is put back at once.  False if it
 * was not put on @l.
 */
bool dx_folio_isolate(struct dx_folio *f, struct dx_folio_list *l,
		      bool for_reclaim) DX_NOEXCEPT;
/* reclaim_pages() of @l (feature pageout): pages reclaimed; the rest goes
 * back to the LRU and @l is empty afterwards. */
unsigned long dx_folio_list_reclaim(struct dx_folio_list *l) DX_NOEXCEPT;
/* Migrates @l's folios to node @nid (feature migrate), allocating there
 * only, without reclaim; pages migrated.  What stays goes back to the LRU
 * and @l is empty afterwards (an invalid @nid just puts them back). */
unsigned long dx_folio_list_migrate(struct dx_folio_list *l, int nid) DX_NOEXCEPT;
/* Whether @nid is a node with memory (mm/shim/memstat.c). */
bool dx_node_has_memory(int nid) DX_NOEXCEPT;
/* Pages of RAM the kernel manages (totalram_pages()). */
unsigned long dx_nr_ram_pages(void) DX_NOEXCEPT;

/* ---- sysfs -------------------------------------------------------------- */

struct dx_kobj;		/* one sysfs directory (a kobject) */
struct dx_dirtype;	/* the files of one kind of directory */

struct dx_file_spec {
	const char *name;
	unsigned short mode;	/* 0600 or 0400 */
};

/* Builds the kobj_type for directories having the @n files of @files
 * (which must outlive it).  NULL on allocation failure. */
struct dx_dirtype *dx_dirtype_create(const struct dx_file_spec *files,
				     unsigned int n) DX_NOEXCEPT;
void dx_dirtype_destroy(struct dx_dirtype *t) DX_NOEXCEPT;

/* Where the root of the tree is created. */
enum dx_sysfs_parent {
	DX_PARENT_MM,		/* /sys/kernel/mm */
	DX_PARENT_KERNEL,	/* /sys/kernel (when /sys/kernel/mm is unreachable) */
};
/* Whether /sys/kernel/mm (or /sys/kernel) already has an entry @name. */
bool dx_sysfs_name_taken(enum dx_sysfs_parent parent, const char *name) DX_NOEXCEPT;
/* Whether mm_kobj could be found. */
bool dx_sysfs_have_mm(void) DX_NOEXCEPT;

/* Creates directory @name below @parent (or below the root parent when
 * @parent is NULL) with the files of @type; show and store of its files call
 * dx_sysfs_show()/dx_sysfs_store() with @owner.  NULL, *err set on failure. */
struct dx_kobj *dx_kobj_create(struct dx_kobj *parent, enum dx_sysfs_parent root,
			       const char *name, const struct dx_dirtype *type,
			       void *owner, int *err) DX_NOEXCEPT;
/* Removes the directory: returns only after every running show/store of its
 * files has returned, and none starts afterwards; then drops the kobject. */
void dx_kobj_destroy(struct dx_kobj *k) DX_NOEXCEPT;

/* Implemented by the C++ side: file @idx of the directory of @owner. */
dx_ssize_t dx_sysfs_show(void *owner, unsigned int idx, char *buf) DX_NOEXCEPT;
dx_ssize_t dx_sysfs_store(void *owner, unsigned int idx, const char *buf,
			  dx_size_t count) DX_NOEXCEPT;

/* ---- kernel internals resolved at load time ---------------------------- */

/* kallsyms_lookup_name() found through a kprobe; 0 if unavailable. */
unsigned long dx_kallsyms_lookup(const char *name) DX_NOEXCEPT;
/* Whether the code at @addr starts with ENDBR64 (safe for indirect calls). */
bool dx_addr_has_endbr(unsigned long addr) DX_NOEXCEPT;
/* Whether the CPU and kernel enforce IBT. */
bool dx_ibt_enforced(void) DX_NOEXCEPT;

/*
 * The non-exported kernel symbols damonx uses (mm/resolve.cpp has the table
 * saying which feature needs which).  Functions are called only through
 * static calls in the shim (mm/shim/resolve.c), which are direct jumps and
 * so IBT-safe; until installed they are stubs that do nothing.
 */
enum dx_ksym {
	DX_KSYM_PTE_OFFSET_MAP_LOCK,		/* __pte_offset_map_lock */
	DX_KSYM_PTEP_TEST_AND_CLEAR_YOUNG,	/* ptep_test_and_clear_young */
	DX_KSYM_PMDP_TEST_AND_CLEAR_YOUNG,	/* pmdp_test_and_clear_young */
	DX_KSYM_MMU_NOTIFIER_CLEAR_YOUNG,	/* __mmu_notifier_clear_young */
	DX_KSYM_MMU_NOTIFIER_TEST_YOUNG,	/* __mmu_notifier_test_young */
	DX_KSYM_DO_MADVISE,			/* do_madvise */
	DX_KSYM_MM_KOBJ,			/* mm_kobj (data) */
	DX_KSYM_RMAP_WALK,			/* rmap_walk */
	DX_KSYM_PAGE_VMA_MAPPED_WALK,		/* page_vma_mapped_walk */
	DX_KSYM_FOLIO_LOCK_ANON_VMA_READ,	/* folio_lock_anon_vma_read (callback) */
	DX_KSYM_FOLIO_ISOLATE_LRU,		/* folio_isolate_lru */
	DX_KSYM_FOLIO_PUTBACK_LRU,		/* folio_putback_lru */
	DX_KSYM_RECLAIM_PAGES,			/* reclaim_pages */
	DX_KSYM_FOLIO_DEACTIVATE,		/* folio_deactivate */
	DX_KSYM_MIGRATE_PAGES,			/* migrate_pages */
	DX_KSYM_PSI_SYSTEM,			/* psi_system (data) */
	DX_KSYM_PSI_DISABLED,			/* psi_disabled (data, a static key) */
	DX_KSYM_LRUVEC_PAGE_STATE,		/* lruvec_page_state */
	DX_KSYM_MEM_CGROUP_FLUSH_STATS,		/* mem_cgroup_flush_stats */
	DX_NR_KSYMS
};
/* Whether this kernel's configuration calls @sym at all (false: the code
 * that would is compiled out, so the symbol need not exist). */
bool dx_ksym_needed(enum dx_ksym sym) DX_NOEXCEPT;
/* Points @sym's static call (or data pointer) at @addr; 0 restores the stub. */
void dx_ksym_install(enum dx_ksym sym, unsigned long addr) DX_NOEXCEPT;

/* ---- module ------------------------------------------------------------- */

/* The sysfs_dir module parameter ("" when unset). */
const char *dx_param_sysfs_dir(void) DX_NOEXCEPT;
/* The debug_missing_symbols module parameter ("" when unset): kernel symbols
 * the resolver treats as missing, comma-separated (tests only). */
const char *dx_param_debug_missing_symbols(void) DX_NOEXCEPT;
/* Implemented by the C++ side. */
int dx_module_init(void) DX_NOEXCEPT;
void dx_module_exit(void) DX_NOEXCEPT;

/* ---- KUnit (the test module only) --------------------------------------- */

struct kunit;

/* Marks the running test failed and logs where and why. */
void dx_kunit_fail(struct kunit *test, const char *file, int line,
		   const char *fmt, ...) DX_NOEXCEPT
	__attribute__((format(printf, 4, 5)));
/* Marks the running test skipped. */
void dx_kunit_skip(struct kunit *test, const char *why) DX_NOEXCEPT;
void dx_kunit_log(struct kunit *test, const char *fmt, ...) DX_NOEXCEPT
	__attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif /* DAMONX_SHIM_H */
