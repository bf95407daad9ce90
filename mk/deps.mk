# Debian packages the project needs, installed on first use.
#
# A target that needs the toolchain depends (order-only) on $(DEPS_OK), a stamp
# made once the tools below are present.  When one is missing and we are root
# (or have sudo), apt-get installs it (with one `apt-get update` first);
# otherwise the build stops and names the exact command to run.

FLEX  ?= flex
BISON ?= bison

# command-or-file:package pairs.  A path is checked with `test -e`, a bare
# name with `command -v`.
DEPS_NEEDED := \
  flex:flex \
  bison:bison \
  /usr/include/cmocka.h:libcmocka-dev \
  arm-none-eabi-gcc:gcc-arm-none-eabi \
  /usr/lib/arm-none-eabi/newlib/libc.a:libnewlib-arm-none-eabi \
  qemu-system-arm:qemu-system-arm \
  clang:clang \
  /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev \
  valgrind:valgrind \
  python3:python3

DEPS_OK := $(BUILD)/.deps-ok

$(DEPS_OK):
	@sh mk/deps.sh $(DEPS_NEEDED)
	@mkdir -p $(@D) && touch $@

.PHONY: deps
deps:
	@sh mk/deps.sh $(DEPS_NEEDED)
