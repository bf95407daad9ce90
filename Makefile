# tinycep — top-level build.
#
# One plain Makefile.  Sources are found by directory convention, so adding a
# file never means editing this file:
#
#   device code (freestanding, also cross-built for Cortex-M):
#       cep/*.c  ml/*.c  runtime/*.c
#   host code (compiler, importer, simulator, CLI):
#       host/*.c  dsl/*.c  dsl/*.l  dsl/*.y  cep/compile/*.c  ml/import/*.c  sim/*.c  cli/*.c
#   tests:
#       tests/unit/test_*.c    one cmocka binary each, linked with the host library
#       tests/suites/*.sh      golden-file and end-to-end suites (exit 0 pass, 77 skip)
#       tests/fuzz/fuzz_*.c    libFuzzer targets (make fuzz)
#       tests/bench/*.sh       benchmarks (make bench)
#
# Module-specific rules (firmware cross builds, …) live in mk/*.mk.
#
# Targets: all (build/tinycep), test, sanitize, fuzz, bench, demo, firmware,
# firmware-test, clean, deps.  `make help` lists them.

BUILD    ?= build
# One spelling per build directory: a BUILD given as an absolute path inside
# this tree is made relative, so targets always match the names recorded in
# the .d dependency files (otherwise a changed header would not rebuild).
override BUILD := $(patsubst $(CURDIR)/%,%,$(abspath $(BUILD)))
CC       ?= cc
FUZZ_SECONDS ?= 60

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

include mk/deps.mk
include mk/flags.mk

# ---------------------------------------------------------------- sources

DEVICE_SRCS := $(sort $(wildcard cep/*.c ml/*.c runtime/*.c))
HOST_SRCS   := $(sort $(wildcard host/*.c dsl/*.c cep/compile/*.c ml/import/*.c sim/*.c))
CLI_SRCS    := $(sort $(wildcard cli/*.c))
LEX_SRCS    := $(wildcard dsl/*.l)
YACC_SRCS   := $(wildcard dsl/*.y)

GEN_DIR     := $(BUILD)/gen
GEN_YACC_C  := $(patsubst dsl/%.y,$(GEN_DIR)/%.tab.c,$(YACC_SRCS))
GEN_YACC_H  := $(GEN_YACC_C:.c=.h)
GEN_LEX_C   := $(patsubst dsl/%.l,$(GEN_DIR)/%.yy.c,$(LEX_SRCS))
GEN_LEX_H   := $(GEN_LEX_C:.c=.h)
GEN_HDRS    := $(GEN_YACC_H) $(GEN_LEX_H)

DEVICE_OBJS := $(DEVICE_SRCS:%.c=$(BUILD)/obj/%.o)
HOST_OBJS   := $(HOST_SRCS:%.c=$(BUILD)/obj/%.o)
GEN_OBJS    := $(GEN_YACC_C:%.c=%.o) $(GEN_LEX_C:%.c=%.o)
CLI_OBJS    := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
LIB         := $(BUILD)/libtinycep.a
TINYCEP     := $(BUILD)/tinycep

UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_SUPPORT:= $(sort $(wildcard tests/unit/support/*.c))
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
SUITES      := $(sort $(wildcard tests/suites/*.sh))
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCHES     := $(sort $(wildcard tests/bench/*.sh))

INCLUDES    := -I. -I$(GEN_DIR)

# ---------------------------------------------------------------- build

# A target named by its absolute path (as test suites name them) is the
# same file as its relative name above.
$(CURDIR)/$(BUILD)/%: $(BUILD)/% ;


.PHONY: all
all: $(TINYCEP)

$(TINYCEP): $(CLI_OBJS) $(LIB) | $(DEPS_OK)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(HOST_LIBS)

$(LIB): $(DEVICE_OBJS) $(HOST_OBJS) $(GEN_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# Device code: the strictest warning set, freestanding semantics.
$(DEVICE_OBJS): $(BUILD)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(HOST_OPT) $(DEVICE_CFLAGS) $(SAN_CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

# Host code: strict too, but hosted.
$(HOST_OBJS) $(CLI_OBJS): $(BUILD)/obj/%.o: %.c $(GEN_HDRS) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(HOST_OPT) $(HOST_CFLAGS) $(SAN_CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

# flex and bison output goes to build/gen and is compiled with a relaxed set:
# we do not own that code, only the grammar it comes from.
$(GEN_DIR)/%.tab.c $(GEN_DIR)/%.tab.h: dsl/%.y | $(DEPS_OK)
	@mkdir -p $(@D)
	$(BISON) -Wall -Werror --defines=$(GEN_DIR)/$*.tab.h -o $(GEN_DIR)/$*.tab.c $<

$(GEN_DIR)/%.yy.c $(GEN_DIR)/%.yy.h: dsl/%.l | $(DEPS_OK)
	@mkdir -p $(@D)
	$(FLEX) --header-file=$(GEN_DIR)/$*.yy.h -o $(GEN_DIR)/$*.yy.c $<

$(GEN_OBJS): %.o: %.c $(GEN_HDRS)
	$(CC) $(HOST_OPT) $(GEN_CFLAGS) $(SAN_CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

# ---------------------------------------------------------------- tests

# Each test and support file is compiled on its own, so that each gets its
# own .d file (one compile-and-link command would keep only the last one's).
UNIT_OBJS    := $(UNIT_BINS:%=%.o)
UNIT_SUPPORT_OBJS := $(patsubst tests/unit/support/%.c,$(BUILD)/tests/support/%.o,$(UNIT_SUPPORT))

$(UNIT_OBJS): $(BUILD)/tests/%.o: tests/unit/%.c $(GEN_HDRS) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(HOST_OPT) $(TEST_CFLAGS) $(SAN_CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

$(UNIT_SUPPORT_OBJS): $(BUILD)/tests/support/%.o: tests/unit/support/%.c $(GEN_HDRS) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(HOST_OPT) $(TEST_CFLAGS) $(SAN_CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

$(UNIT_BINS): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(UNIT_SUPPORT_OBJS) $(LIB)
	$(CC) $(LDFLAGS) $(SAN_CFLAGS) -o $@ $< $(UNIT_SUPPORT_OBJS) $(LIB) $(HOST_LIBS) -lcmocka

.PHONY: test test-build
test-build: $(TINYCEP) $(UNIT_BINS)

# The runner prints every suite's result and ends with "tests: N passed, N failed".
test: test-build
	@TINYCEP=$(abspath $(TINYCEP)) BUILD=$(abspath $(BUILD)) \
	  sh tests/runner.sh $(UNIT_BINS) $(SUITES)

# Run one suite or unit binary by name: make check-one T=test_diag
.PHONY: check-one
check-one: test-build
	@TINYCEP=$(abspath $(TINYCEP)) BUILD=$(abspath $(BUILD)) \
	  sh tests/runner.sh $(filter %/$(T) %/$(T).sh,$(UNIT_BINS) $(SUITES))

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer,
# in its own build tree so the normal build is untouched.
.PHONY: sanitize
sanitize:
	$(MAKE) test BUILD=$(BUILD)/san SAN_CFLAGS="$(SANITIZE_FLAGS)" \
	  LDFLAGS="$(SANITIZE_FLAGS)" ASAN_OPTIONS=detect_leaks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# ---------------------------------------------------------------- fuzz

FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRCS))

# The host library rebuilt with clang and the fuzzer's coverage hooks.
$(FUZZ_BUILD)/libtinycep.a: FORCE | $(DEPS_OK)
	$(MAKE) --no-print-directory $(FUZZ_BUILD)/lib/libtinycep.a BUILD=$(FUZZ_BUILD)/lib CC=clang \
	  SAN_CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link"
	cp $(FUZZ_BUILD)/lib/libtinycep.a $@

$(FUZZ_BUILD)/%: tests/fuzz/%.c $(FUZZ_BUILD)/libtinycep.a
	clang $(HOST_OPT) $(FUZZ_FLAGS) -fsanitize=fuzzer $(INCLUDES) -I$(FUZZ_BUILD)/lib/gen \
	  -o $@ $< $(FUZZ_BUILD)/libtinycep.a $(HOST_LIBS)

.PHONY: fuzz fuzz-build FORCE
FORCE:
fuzz-build: $(FUZZ_BINS)

# Each target runs for FUZZ_SECONDS from its seed corpus (tests/fuzz/<name>.seeds
# lists seed directories or files); crashes land in build/fuzz/crashes and fail
# the run.  Keep a crash as a regression test in tests/fuzz/regress/<name>/.
fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# ---------------------------------------------------------------- bench, demo

.PHONY: bench
bench: $(TINYCEP)
	@set -e; for b in $(BENCHES); do \
	  TINYCEP=$(abspath $(TINYCEP)) BUILD=$(abspath $(BUILD)) sh $$b; done

.PHONY: demo
demo: $(TINYCEP)
	@TINYCEP=$(abspath $(TINYCEP)) BUILD=$(abspath $(BUILD)) sh examples/demo.sh

# ---------------------------------------------------------------- misc

-include mk/firmware.mk
-include mk/examples-firmware.mk
include mk/examples.mk
include mk/bearing.mk

.PHONY: clean help
clean:
	rm -rf $(BUILD)

help:
	@echo "make            build build/tinycep"
	@echo "make test       build and run every test (unit, golden, end-to-end)"
	@echo "make sanitize   the test suite under ASan + UBSan"
	@echo "make fuzz       every fuzz target for FUZZ_SECONDS (default 60) each"
	@echo "make bench      benchmarks, with the comparison they make"
	@echo "make demo       the main job end to end on the bundled example"
	@echo "make firmware   cross-build the examples for Cortex-M (if present)"
	@echo "make deps       install the Debian packages the project needs"

-include $(shell find $(BUILD)/obj $(BUILD)/tests $(GEN_DIR) -name '*.d' 2>/dev/null)
