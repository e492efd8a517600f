// SPDX-License-Identifier: GPL-2.0
/*
 * The generic part of the sysfs tree: building kobj_types from directory
 * specs, creating and removing directories, and the one show and one store
 * that serve every file from its description.
 */
#include <damonx/sysfs.hpp>
#include <damonx/new.hpp>

namespace dx::sysfs {

namespace {
alignas(Mutex) unsigned char lock_storage[sizeof(Mutex)];
enum dx_sysfs_parent root_parent = DX_PARENT_MM;
} // namespace

Mutex &lock()
{
	return *reinterpret_cast<Mutex *>(lock_storage);
}

Dir::~Dir()
{
	dx_kobj_destroy(kobj_);
}

int Dir::add(Dir *parent, const char *name)
{
	int e = 0;

	if (DX_WARN_ON(kobj_ || !spec_.type))
		return -err::inval;
	parent_ = parent;
	kobj_ = dx_kobj_create(parent ? parent->kobj_ : nullptr, root_parent, name,
			       spec_.type, this, &e);
	if (!kobj_)
		return e;
	return populate();
}

static void destroy_types(u32 n)
{
	for (u32 i = 0; i < n; i++) {
		DirSpec &s = *all_specs[i];
		dx_dirtype_destroy(s.type);
		delete[] s.specs;
		s.type = nullptr;
		s.specs = nullptr;
	}
}

static int build_types()
{
	for (u32 i = 0; i < nr_all_specs; i++) {
		DirSpec &s = *all_specs[i];

		s.specs = new (gfp_kernel) dx_file_spec[s.nr_files ? s.nr_files : 1];
		if (!s.specs) {
			destroy_types(i);
			return -err::nomem;
		}
		for (u32 f = 0; f < s.nr_files; f++)
			s.specs[f] = {s.files[f].name, s.files[f].mode};
		s.type = dx_dirtype_create(s.specs, s.nr_files);
		if (!s.type) {
			delete[] s.specs;
			s.specs = nullptr;
			destroy_types(i);
			return -err::nomem;
		}
	}
	return 0;
}

int tree_init(const char *root_name, enum dx_sysfs_parent parent)
{
	new (lock_storage) Mutex(DX_LOCK_SYSFS);
	root_parent = parent;
	int e = build_types();
	if (e)
		goto out_lock;
	{
		Guard g(lock());
		e = create_root(root_name);
	}
	if (e)
		goto out_types;
	return 0;
out_types:
	destroy_types(nr_all_specs);
out_lock:
	lock().~Mutex();
	return e;
}

void tree_exit()
{
	{
		Guard g(lock());
		destroy_root();
	}
	destroy_types(nr_all_specs);
	lock().~Mutex();
}

} // namespace dx::sysfs

using namespace dx;
using namespace dx::sysfs;

extern "C" ssize_t dx_sysfs_show(void *owner, unsigned int idx, char *buf) noexcept
{
	Dir &d = *static_cast<Dir *>(owner);
	const File &f = d.spec().files[idx];

	switch (f.kind) {
	case Kind::ulong_:
		return dx_sysfs_emit(buf, "%lu\n", *static_cast<ulong *>(f.field(d)));
	case Kind::uint_:
		return dx_sysfs_emit(buf, "%u\n", *static_cast<u32 *>(f.field(d)));
	case Kind::int_:
		return dx_sysfs_emit(buf, "%d\n", *static_cast<int *>(f.field(d)));
	case Kind::bool_:
		return dx_sysfs_emit(buf, "%c\n", *static_cast<bool *>(f.field(d)) ? 'Y' : 'N');
	case Kind::keyword: {
		u32 i = *static_cast<u32 *>(f.field(d));
		return dx_sysfs_emit(buf, "%s\n", i < f.nr_keywords ? f.keywords[i] : "");
	}
	case Kind::string: {
		/* Strings are replaced by stores: read under the tree lock. */
		TryGuard g(lock());
		if (!g)
			return -err::busy;
		const char *v = *static_cast<char **>(f.field(d));
		return dx_sysfs_emit(buf, "%s\n", v ? v : "");
	}
	case Kind::custom:
		return f.show ? f.show(d, buf) : -err::perm;
	}
	return -err::inval;
}

namespace {

template <typename T> ssize_t store_value(Dir &d, const File &f, const char *buf, size_t count,
					  int (*parse)(const char *, T *))
{
	T v;
	int e = parse(buf, &v);

	if (e)
		return f.parse_einval ? -err::inval : e;
	if (f.check) {
		e = f.check(d, ulong(v));
		if (e)
			return e;
	}
	*static_cast<T *>(f.field(d)) = v;
	return ssize_t(count);
}

} // namespace

extern "C" ssize_t dx_sysfs_store(void *owner, unsigned int idx, const char *buf,
				  size_t count) noexcept
{
	Dir &d = *static_cast<Dir *>(owner);
	const File &f = d.spec().files[idx];

	switch (f.kind) {
	case Kind::ulong_:
		return store_value<ulong>(d, f, buf, count, parse_ulong);
	case Kind::uint_:
		return store_value<u32>(d, f, buf, count, parse_uint);
	case Kind::int_:
		return store_value<int>(d, f, buf, count, parse_int);
	case Kind::bool_:
		return store_value<bool>(d, f, buf, count, parse_bool);
	case Kind::keyword: {
		int i = parse_keyword(buf, f.keywords, f.nr_keywords);
		if (i < 0)
			return i;
		*static_cast<u32 *>(f.field(d)) = u32(i);
		return ssize_t(count);
	}
	case Kind::string: {
		/* Stored as written, like upstream (a trailing newline too). */
		char *v = new (gfp_kernel) char[count + 1];
		if (!v)
			return -err::nomem;
		strscpy(v, buf, count + 1);
		TryGuard g(lock());
		if (!g) {
			delete[] v;
			return -err::busy;
		}
		char *&field = *static_cast<char **>(f.field(d));
		delete[] field;
		field = v;
		return ssize_t(count);
	}
	case Kind::custom:
		return f.store ? f.store(d, buf, count) : -err::perm;
	}
	return -err::inval;
}
