// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: sysfs directories made of kobjects whose files dispatch to C++.
 *
 * The C++ side describes each kind of directory as a table of files; this
 * file turns such a table into a kobj_type once, and creates and removes
 * directories of that type.  Every show/store of every file lands in
 * dx_sysfs_show()/dx_sysfs_store() with the owner object and file index.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/kernfs.h>
#include <linux/slab.h>
#include <linux/mm.h>

#include <damonx/shim.h>

#include "ksym.h"

struct dx_attr {
	struct attribute attr;
	unsigned int idx;
};

struct dx_dirtype {
	struct kobj_type ktype;
	struct attribute_group group;
	const struct attribute_group *groups[2];
	struct attribute **attrs;	/* NULL-terminated */
	struct dx_attr *dattrs;
};

struct dx_kobj {
	struct kobject kobj;
	void *owner;
};

static ssize_t dx_attr_show(struct kobject *kobj, struct attribute *attr,
			    char *buf)
{
	struct dx_kobj *k = container_of(kobj, struct dx_kobj, kobj);

	return dx_sysfs_show(k->owner, container_of(attr, struct dx_attr, attr)->idx,
			     buf);
}

static ssize_t dx_attr_store(struct kobject *kobj, struct attribute *attr,
			     const char *buf, size_t count)
{
	struct dx_kobj *k = container_of(kobj, struct dx_kobj, kobj);

	return dx_sysfs_store(k->owner,
			      container_of(attr, struct dx_attr, attr)->idx,
			      buf, count);
}

static const struct sysfs_ops dx_sysfs_ops = {
	.show = dx_attr_show,
	.store = dx_attr_store,
};

static void dx_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct dx_kobj, kobj));
}

struct dx_dirtype *dx_dirtype_create(const struct dx_file_spec *files,
				     unsigned int n)
{
	struct dx_dirtype *t = kzalloc(sizeof(*t), GFP_KERNEL);
	unsigned int i;

	if (!t)
		return NULL;
	t->attrs = kcalloc(n + 1, sizeof(*t->attrs), GFP_KERNEL);
	t->dattrs = kcalloc(n ? n : 1, sizeof(*t->dattrs), GFP_KERNEL);
	if (!t->attrs || !t->dattrs) {
		dx_dirtype_destroy(t);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		struct dx_attr *a = &t->dattrs[i];

		sysfs_attr_init(&a->attr);
		a->attr.name = files[i].name;
		a->attr.mode = files[i].mode;
		a->idx = i;
		t->attrs[i] = &a->attr;
	}
	t->group.attrs = t->attrs;
	t->groups[0] = &t->group;
	t->ktype.release = dx_kobj_release;
	t->ktype.sysfs_ops = &dx_sysfs_ops;
	t->ktype.default_groups = t->groups;
	return t;
}

void dx_dirtype_destroy(struct dx_dirtype *t)
{
	if (!t)
		return;
	kfree(t->attrs);
	kfree(t->dattrs);
	kfree(t);
}

static struct kobject *dx_mm_kobj;

/* mm_kobj is not exported: the resolver (mm/resolve.cpp) finds it. */
bool dx_sysfs_have_mm(void)
{
	if (!dx_mm_kobj && dx_ksym_mm_kobj)
		dx_mm_kobj = *(struct kobject **)dx_ksym_mm_kobj;
	return dx_mm_kobj != NULL;
}

static struct kobject *dx_root_parent(enum dx_sysfs_parent root)
{
	if (root == DX_PARENT_MM && dx_sysfs_have_mm())
		return dx_mm_kobj;
	return kernel_kobj;
}

bool dx_sysfs_name_taken(enum dx_sysfs_parent root, const char *name)
{
	struct kernfs_node *kn;

	kn = kernfs_find_and_get(dx_root_parent(root)->sd, name);
	if (!kn)
		return false;
	kernfs_put(kn);
	return true;
}

struct dx_kobj *dx_kobj_create(struct dx_kobj *parent, enum dx_sysfs_parent root,
			       const char *name, const struct dx_dirtype *type,
			       void *owner, int *err)
{
	struct dx_kobj *k = kzalloc(sizeof(*k), GFP_KERNEL);
	int ret;

	if (!k) {
		*err = -ENOMEM;
		return NULL;
	}
	k->owner = owner;
	ret = kobject_init_and_add(&k->kobj, (struct kobj_type *)&type->ktype,
				   parent ? &parent->kobj : dx_root_parent(root),
				   "%s", name);
	if (ret) {
		kobject_put(&k->kobj);
		*err = ret;
		return NULL;
	}
	return k;
}

void dx_kobj_destroy(struct dx_kobj *k)
{
	if (!k)
		return;
	kobject_del(&k->kobj);
	kobject_put(&k->kobj);
}
