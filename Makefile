# SPDX-License-Identifier: GPL-2.0
#
#   make                 build ./damonx.ko for the running kernel (or KDIR=...)
#   make ko KDIR=D OUT=O [KUNIT=1]
#                        build into O/ (O/damonx.ko, or O/damonx_kunit.ko)
#   make demo            boot Debian's 6.12 kernel in QEMU and show damonx working
#   make check           every test: build checks, KUnit in QEMU, functional tests
#   make bench           damonx next to the in-tree DAMON: CPU, regions, accuracy
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
SRC := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
SRCDIRS := Kbuild include mm sysfs kunit

.PHONY: all ko demo check bench clean

all:
	$(MAKE) -f $(SRC)/Makefile ko KDIR=$(KDIR) OUT=$(SRC)/build/default
	cp $(SRC)/build/default/damonx.ko $(SRC)/damonx.ko

# Each (kernel, variant) pair builds in its own tree of symlinks to the
# sources, so objects for different kernels never mix.
ko:
	@test -n "$(OUT)" || { echo "make ko: OUT= is required" >&2; exit 1; }
	@mkdir -p $(OUT)/src
	@cd $(OUT)/src && for d in $(SRCDIRS); do \
		if [ -d $(SRC)/$$d ]; then mkdir -p $$d && cp -rsfu $(SRC)/$$d/. $$d/; \
		else ln -sf $(SRC)/$$d $$d; fi; done
	@find -L $(OUT)/src -type l -delete 2>/dev/null || true
	$(MAKE) -C $(KDIR) M=$(abspath $(OUT))/src \
		DAMONX_KUNIT=$(if $(KUNIT),y,n) \
		MODULE_PAHOLE_FLAGS=--lang_exclude=c++,c++03,c++11,c++14 modules
	cp $(OUT)/src/$(if $(KUNIT),damonx_kunit,damonx).ko $(OUT)/

demo:
	$(SRC)/scripts/demo.sh

check:
	$(SRC)/scripts/check.sh

bench:
	$(SRC)/scripts/bench.sh

clean:
	rm -rf $(SRC)/build $(SRC)/damonx.ko
