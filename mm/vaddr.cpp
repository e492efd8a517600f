// SPDX-License-Identifier: GPL-2.0
/*
 * The operations sets for virtual address spaces: vaddr (regions built from
 * the target's VMAs) and fvaddr (fixed, user-given regions).
 */
#include <damonx/ops.hpp>

namespace dx::damon {

namespace {

class VaddrOps final : public Ops {
public:
	constexpr explicit VaddrOps(OpsId id) : Ops(id) {}

	void prepare_access_checks(Context &) override {}
	u32 check_accesses(Context &) override { return 0; }
	bool has_target_valid() const override { return true; }
	bool target_valid(Target &t) override { return t.pid && dx_pid_alive(t.pid); }
};

constinit VaddrOps the_vaddr_ops(OpsId::vaddr);
constinit VaddrOps the_fvaddr_ops(OpsId::fvaddr);

} // namespace

Ops *vaddr_ops()
{
	return &the_vaddr_ops;
}

Ops *fvaddr_ops()
{
	return &the_fvaddr_ops;
}

Ops *paddr_ops()
{
	return nullptr;
}

} // namespace dx::damon
