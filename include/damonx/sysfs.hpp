/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysfs tree, described as data.
 *
 * Every directory kind is a class deriving from Dir, with a DirSpec: the
 * table of its files (name, mode, value type, range check, handler).  One
 * generic show/store serves every file from that table; a directory class
 * only holds its values and children.  Example:
 *
 *	struct NrRegionsDir : Dir {
 *		ulong min = 10, max = 1000;
 *		static DirSpec spec;	// { rw<&NrRegionsDir::min>("min"), ... }
 *	};
 *
 * Locking (as upstream's damon_sysfs_lock): directories are created and
 * removed only under sysfs::lock; a handler that looks beyond its own
 * directory's values takes it with trylock and returns -EBUSY if contended,
 * so that removing a directory (which waits for its running handlers) never
 * waits for a handler that waits for the lock.
 */
#pragma once

#include <damonx/base.hpp>
#include <damonx/lock.hpp>
#include <damonx/new.hpp>

namespace dx::sysfs {

class Dir;

enum class Kind : u8 { ulong_, uint_, int_, bool_, keyword, string, custom };

using ShowFn = ssize_t (*)(Dir &, char *);
using StoreFn = ssize_t (*)(Dir &, const char *, size_t);
using CheckFn = int (*)(Dir &, ulong);

struct File {
	const char *name;
	u16 mode;
	Kind kind;
	void *(*field)(Dir &) = nullptr;	/* value kinds */
	const char *const *keywords = nullptr;	/* keyword: the value is an index */
	u8 nr_keywords = 0;
	bool parse_einval = false;	/* parse errors give -EINVAL, not kstrto's */
	CheckFn check = nullptr;	/* refuses a parsed value with -errno */
	ShowFn show = nullptr;		/* custom */
	StoreFn store = nullptr;	/* custom */
};

struct DirSpec {
	const char *what;		/* for messages */
	const File *files;
	u32 nr_files;
	struct dx_dirtype *type = nullptr;	/* built at init */
	struct dx_file_spec *specs = nullptr;
};

constexpr u16 mode_rw = 0600;
constexpr u16 mode_ro = 0400;

template <typename T> struct member_traits;
template <typename C, typename F> struct member_traits<F C::*> {
	using cls = C;
	using type = F;
};

template <auto M> void *field_of(Dir &d)
{
	using C = typename member_traits<decltype(M)>::cls;
	return &(static_cast<C &>(d).*M);
}

template <typename F> constexpr Kind kind_of()
{
	if constexpr (__is_same(F, ulong))
		return Kind::ulong_;
	else if constexpr (__is_same(F, u32))
		return Kind::uint_;
	else if constexpr (__is_same(F, int))
		return Kind::int_;
	else if constexpr (__is_same(F, bool))
		return Kind::bool_;
	else if constexpr (__is_same(F, char *))
		return Kind::string;
	else
		static_assert(sizeof(F) == 0, "no sysfs kind for this field type");
}

/* A 0600 value file stored in member M; checked when written by @check. */
template <auto M> constexpr File rw(const char *name, CheckFn check = nullptr,
				      bool parse_einval = false)
{
	using F = typename member_traits<decltype(M)>::type;
	File f{name, mode_rw, kind_of<F>()};
	f.field = field_of<M>;
	f.check = check;
	f.parse_einval = parse_einval;
	return f;
}

/* A 0400 file showing member M. */
template <auto M> constexpr File ro(const char *name)
{
	File f = rw<M>(name);
	f.mode = mode_ro;
	return f;
}

/* A 0600 file holding one of @kw (member M is the index). */
template <auto M, size_t N> constexpr File keyword(const char *name, const char *const (&kw)[N])
{
	File f{name, mode_rw, Kind::keyword};
	f.field = field_of<M>;
	f.keywords = kw;
	f.nr_keywords = N;
	return f;
}

constexpr File custom(const char *name, u16 mode, ShowFn show, StoreFn store = nullptr)
{
	File f{name, mode, Kind::custom};
	f.show = show;
	f.store = store;
	return f;
}

/* The global tree lock (damon_sysfs_lock). */
Mutex &lock();

class Dir {
public:
	explicit Dir(DirSpec &spec) : spec_(spec) {}
	virtual ~Dir();
	Dir(const Dir &) = delete;
	Dir &operator=(const Dir &) = delete;

	/* Creates this directory as @name below @parent (nullptr: the root
	 * parent), then its fixed children (populate()). */
	int add(Dir *parent, const char *name);
	virtual int populate() { return 0; }

	const DirSpec &spec() const { return spec_; }
	Dir *parent() const { return parent_; }

private:
	DirSpec &spec_;
	Dir *parent_ = nullptr;
	struct dx_kobj *kobj_ = nullptr;
};

/*
 * The numbered children "0".."N-1" of a directory, behind its nr_* file.
 * set_nr() removes all children first, then creates N fresh ones (even for
 * the same N), as upstream.
 */
template <typename T> class DirArray {
public:
	DirArray() = default;
	~DirArray() { clear(); }
	DirArray(const DirArray &) = delete;
	DirArray &operator=(const DirArray &) = delete;

	u32 size() const { return n_; }
	T &operator[](u32 i) { return *items_[i]; }
	T **begin() { return items_; }
	T **end() { return items_ + n_; }

	void clear()
	{
		/* Highest first, as upstream removes them. */
		while (n_)
			delete items_[--n_];
		delete[] items_;
		items_ = nullptr;
	}

	/* Called with sysfs::lock held. */
	int set_nr(Dir *parent, u32 n)
	{
		char name[16];

		clear();
		if (!n)
			return 0;
		items_ = new (gfp_kernel) T *[n];
		if (!items_)
			return -err::nomem;
		for (u32 i = 0; i < n; i++) {
			T *c = new (gfp_kernel) T();
			if (!c) {
				clear();
				return -err::nomem;
			}
			items_[n_++] = c;
			dx_snprintf(name, sizeof(name), "%u", i);
			int e = c->add(parent, name);
			if (e) {
				clear();
				return e;
			}
		}
		return 0;
	}

private:
	T **items_ = nullptr;
	u32 n_ = 0;
};

/* Value parsing shared by the generic handlers (kstrto* base 0 semantics). */
int parse_ulong(const char *buf, ulong *v);
int parse_uint(const char *buf, u32 *v);
int parse_int(const char *buf, int *v);
int parse_bool(const char *buf, bool *v);
/* Index of the keyword @buf matches in @kw (ignoring a trailing newline), or
 * -EINVAL. */
int parse_keyword(const char *buf, const char *const *kw, u32 n);
/* The store of an nr_* file: a non-negative int, else -EINVAL. */
int parse_nr(const char *buf, u32 *v);

/*
 * The store of an nr_* file: parse, take the tree lock (or -EBUSY), let
 * @allowed refuse, then recreate the children.
 */
template <typename D, typename T>
ssize_t store_nr(Dir &d, const char *buf, size_t count, DirArray<T> D::*arr,
			int (*allowed)(D &, u32) = nullptr)
{
	D &dir = static_cast<D &>(d);
	u32 n;
	int e = parse_nr(buf, &n);

	if (e)
		return e;
	TryGuard g(lock());
	if (!g)
		return -err::busy;
	if (allowed) {
		e = allowed(dir, n);
		if (e)
			return e;
	}
	e = (dir.*arr).set_nr(&dir, n);
	return e ? e : ssize_t(count);
}

template <typename D, typename T>
ssize_t show_nr(Dir &d, char *buf, DirArray<T> D::*arr)
{
	return dx_sysfs_emit(buf, "%u\n", (static_cast<D &>(d).*arr).size());
}

#define NR_FILE(D, member, fname, allowed)                                          \
	custom(fname, mode_rw,                                                       \
	       [](Dir &d, char *buf) { return show_nr(d, buf, &D::member); },       \
	       [](Dir &d, const char *buf, size_t c) {                               \
		       return store_nr<D>(d, buf, c, &D::member, allowed);          \
	       })

/* Every directory spec, for building their kobj_types at init. */
extern DirSpec *const all_specs[];
extern const u32 nr_all_specs;

/* The root directories (defined with the directory kinds). */
int create_root(const char *name);
void destroy_root();

/* Tree lifetime. */
int tree_init(const char *root_name, enum dx_sysfs_parent parent);
void tree_exit();

} // namespace dx::sysfs
