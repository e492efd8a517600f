/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An intrusive doubly linked list, in the manner of the kernel's list_head:
 * the node lives inside the element, so linking never allocates.
 *
 *	struct Region { ListNode list; ... };
 *	List<Region, &Region::list> regions;
 *	for (Region &r : regions) ...
 */
#pragma once

#include <damonx/base.hpp>

namespace dx {

struct ListNode {
	ListNode *next = this;
	ListNode *prev = this;

	ListNode() = default;
	ListNode(const ListNode &) = delete;
	ListNode &operator=(const ListNode &) = delete;

	bool linked() const { return next != this; }
	void unlink()
	{
		next->prev = prev;
		prev->next = next;
		next = prev = this;
	}
	/* Insert this node right after @pos. */
	void insert_after(ListNode *pos)
	{
		next = pos->next;
		prev = pos;
		pos->next->prev = this;
		pos->next = this;
	}
	void insert_before(ListNode *pos) { insert_after(pos->prev); }
};

template <typename T, ListNode T::*Member> class List {
public:
	List() = default;
	List(const List &) = delete;
	List &operator=(const List &) = delete;

	static T *owner(ListNode *n)
	{
		/* The offset of Member in T, computed without offsetof. */
		auto off = reinterpret_cast<uintptr_t>(&(reinterpret_cast<T *>(0x1000)->*Member)) - 0x1000;
		return reinterpret_cast<T *>(reinterpret_cast<uintptr_t>(n) - off);
	}
	static const T *owner(const ListNode *n) { return owner(const_cast<ListNode *>(n)); }

	class Iter {
	public:
		Iter(ListNode *n) : n_(n) {}
		T &operator*() const { return *owner(n_); }
		T *operator->() const { return owner(n_); }
		/* The next node is read before the body runs, so the current
		 * element may be unlinked (and freed) by the loop body. */
		Iter &operator++()
		{
			n_ = next_;
			next_ = n_->next;
			return *this;
		}
		bool operator!=(const Iter &o) const { return n_ != o.n_; }
		ListNode *node() const { return n_; }

	private:
		friend class List;
		Iter(ListNode *n, ListNode *next) : n_(n), next_(next) {}
		ListNode *n_;
		ListNode *next_ = nullptr;
	};

	Iter begin() { return Iter(head_.next, head_.next->next); }
	Iter end() { return Iter(&head_, nullptr); }

	bool empty() const { return !head_.linked(); }
	size_t size() const
	{
		size_t n = 0;
		for (const ListNode *p = head_.next; p != &head_; p = p->next)
			n++;
		return n;
	}
	T *first() { return empty() ? nullptr : owner(head_.next); }
	T *last() { return empty() ? nullptr : owner(head_.prev); }
	T *next(T &e) { ListNode *n = (e.*Member).next; return n == &head_ ? nullptr : owner(n); }
	T *prev(T &e) { ListNode *n = (e.*Member).prev; return n == &head_ ? nullptr : owner(n); }
	const T *next(const T &e) const { const ListNode *n = (e.*Member).next; return n == &head_ ? nullptr : owner(n); }

	void push_back(T &e) { (e.*Member).insert_before(&head_); }
	void push_front(T &e) { (e.*Member).insert_after(&head_); }
	void insert_after(T &pos, T &e) { (e.*Member).insert_after(&(pos.*Member)); }
	void insert_before(T &pos, T &e) { (e.*Member).insert_before(&(pos.*Member)); }
	static void remove(T &e) { (e.*Member).unlink(); }

	/* Move every element of @o to the end of this list. */
	void splice_back(List &o)
	{
		while (T *e = o.first()) {
			remove(*e);
			push_back(*e);
		}
	}

private:
	ListNode head_;
};

} // namespace dx
