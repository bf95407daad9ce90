# Firmware: the device library cross-built for Cortex-M, the bare-metal
# harness (runtime/firmware/), firmware images, their sizes, the symbol
# hygiene check and the qemu runs.  Included by the top Makefile.
# docs/firmware.md explains the targets, flags and figures.
#
#   make firmware        device library + images for every target, the
#                        hygiene check, the size table, and the images run
#                        under qemu (fw-run)
#   make firmware-test   the firmware suites (qemu runs, host/target diffs)
#   make fw-images       the images only (used by the suites)
#   make fw-host         host builds of the harness images (for the diffs)
#
# Layout: build/arm/<target>/obj/…     device objects (DEVICE_SRCS)
#         build/arm/<target>/libtinycep.a
#         build/arm/<target>/fw/…      harness and image objects
#         build/arm/<target>/<image>.elf (and .map)
#         build/fw-host/<image>        the same image for the host

ARM_CC   ?= arm-none-eabi-gcc
ARM_AR   ?= arm-none-eabi-ar
ARM_NM   ?= arm-none-eabi-nm
ARM_SIZE ?= arm-none-eabi-size
QEMU_ARM ?= qemu-system-arm

FW_DIR      := $(BUILD)/arm
FW_HOST_DIR := $(BUILD)/fw-host
FW_SRC      := runtime/firmware

# ---------------------------------------------------------------- targets
#
# Each target: CPU flags, the board it runs on under qemu (linker script
# and clock, see runtime/firmware/fw_board.h), the qemu machine, and
# whether double-precision helpers are banned (single-precision FPU).
#
# m7 uses fpv5-sp-d16: the single-precision variant runs on every M7 (the
# double-precision unit is optional); device code is float-only anyway.
# m0plus runs on qemu's micro:bit, the one ARMv6-M machine (a Cortex-M0:
# same instruction set as the M0+), so unaligned accesses and Thumb-2
# instructions fault as on a real M0+.  m0plus64 is the same code on the
# same core with 64 KB of RAM instead of 16 KB: the M0+ parts with more
# RAM (SAMD21's 32 KB, STM32G0B1's 144 KB, RP2040's 264 KB), for examples
# whose state does not fit 16 KB.  qemu's nRF51 takes its SRAM size as a
# property (run-qemu.sh's machine name microbit-64k sets it); the linker
# script microbit64.ld gives the link the same 64 KB.

FW_TARGETS := m4f m0plus m0plus64 m7
# What an image is built for unless it lists its targets
# (FW_IMAGE_TARGETS_<image>): m0plus64 only adds RAM, so an image that fits
# the micro:bit gains nothing there; the harness's own images (self-test,
# calibration, fault, replay) run on every target, to prove each board.
FW_DEFAULT_TARGETS := m4f m0plus m7

FW_CPU_m4f        := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
FW_BOARD_m4f      := mps2
FW_MACHINE_m4f    := mps2-an386
FW_NODOUBLE_m4f   := --no-double

FW_CPU_m0plus     := -mcpu=cortex-m0plus -mthumb -mfloat-abi=soft
FW_BOARD_m0plus   := microbit
FW_MACHINE_m0plus := microbit
FW_NODOUBLE_m0plus :=

FW_CPU_m0plus64     := $(FW_CPU_m0plus)
FW_BOARD_m0plus64   := microbit64
FW_MACHINE_m0plus64 := microbit-64k
FW_NODOUBLE_m0plus64 :=

FW_CPU_m7         := -mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16
FW_BOARD_m7       := mps2
FW_MACHINE_m7     := mps2-an500
FW_NODOUBLE_m7    := --no-double

FW_BOARD_DEF_mps2     := -DFW_BOARD_MPS2
FW_BOARD_DEF_microbit := -DFW_BOARD_MICROBIT
FW_BOARD_DEF_microbit64 := -DFW_BOARD_MICROBIT

# Device code: the device warning set, freestanding, size-optimised.
# -g costs no flash (debug sections are not loaded) and makes fault
# addresses readable with addr2line.  -fno-math-errno: device code never
# reads errno, and with it __builtin_sqrtf is the FPU's correctly rounded
# vsqrt.f32 on M4F/M7 with no call into newlib's sqrtf wrapper, which would
# pull in newlib's errno and its 100-byte reentrancy structure (RAM the
# memory plan does not know of).  A plain sqrtf() call is not affected:
# -ffreestanding stops GCC from treating it as a built-in (docs/firmware.md).
FW_CFLAGS  := -Os -g $(DEVICE_CFLAGS) -ffreestanding -fno-math-errno
# No C run-time start-up files, no default libraries: the harness has its
# own start-up, and only newlib-nano's string functions (memcpy, memset, …,
# which GCC may call even in freestanding code), newlib's libm (sqrtf, the
# one libm function device code may use) and libgcc (soft-float and
# division helpers) are linked.  No syscalls library: an image that pulls
# in stdio or malloc fails to link (no _sbrk/_write) instead of growing.
FW_LDFLAGS := -nostdlib -Wl,--gc-sections -L$(FW_SRC)
FW_LDLIBS  := -Wl,--start-group -lc_nano -lm -lgcc -Wl,--end-group

# Harness sources (Cortex-M side) and images.  An image NAME is built from
# FW_IMAGE_SRCS_NAME for every target in FW_IMAGE_TARGETS_NAME (default:
# FW_DEFAULT_TARGETS); fw_image_rules below makes the rules, so later
# images (per-example firmware with generated modules) only add a name and
# a source list.
FW_HARNESS_SRCS := $(addprefix $(FW_SRC)/,fw_print.c fw_semihost.c fw_clock.c fw_startup.c)

FW_IMAGES := selftest calib fault unaligned
FW_IMAGE_SRCS_selftest  := $(FW_SRC)/images/selftest.c
FW_IMAGE_SRCS_calib     := $(FW_SRC)/images/calib.c
FW_IMAGE_SRCS_fault     := $(FW_SRC)/images/fault.c
FW_IMAGE_SRCS_unaligned := $(FW_SRC)/images/unaligned.c
FW_IMAGE_TARGETS_selftest := $(FW_TARGETS)
FW_IMAGE_TARGETS_calib    := $(FW_TARGETS)
FW_IMAGE_TARGETS_fault    := $(FW_TARGETS)
# The replay driver with a stand-in slice (until generated modules exist).
FW_IMAGES += replay_demo
FW_IMAGE_SRCS_replay_demo := $(FW_SRC)/images/replay_demo.c $(FW_SRC)/fw_replay.c
FW_IMAGE_TARGETS_replay_demo := $(FW_TARGETS)

# The alert-message formatter (cep/format.c) on every target against the
# host: 384-bit integer arithmetic, libgcc's 64-bit division on the M0+.
FW_IMAGES += format
FW_IMAGE_SRCS_format := $(FW_SRC)/images/format.c

# Images that also build for the host (they must not depend on the clock;
# tests/suites/firmware_diff.sh compares each with every target).
FW_HOST_IMAGES := selftest replay_demo format

# ml's kernels on every target against the host, once the tree has them
# (runtime/firmware/images/ml_kernels.c).
ifneq ($(wildcard ml/ml.h),)
FW_IMAGES      += ml_kernels
FW_HOST_IMAGES += ml_kernels
FW_IMAGE_SRCS_ml_kernels := $(FW_SRC)/images/ml_kernels.c
endif

# Images `make firmware` runs under qemu (fw-run below); those in
# FW_RUN_SHOW_ALL (per-example firmware: its alerts) show every line.
FW_RUN_IMAGES    := selftest calib replay_demo
FW_RUN_SHOW_ALL  := replay_demo

# More images come from fragments: an example that has firmware adds
# examples/<name>/firmware.mk, and a module with its own on-target tests
# (say, ml's kernels on the M4F's DSP path against the host's portable C)
# adds <module>/firmware.mk.  A fragment appends to FW_IMAGES (and
# FW_HOST_IMAGES, FW_RUN_IMAGES, FW_RUN_SHOW_ALL), sets
# FW_IMAGE_SRCS_<image> (and optionally FW_IMAGE_CFLAGS_<image>,
# FW_IMAGE_TARGETS_<image>), and has the rules that generate its sources
# (docs/firmware.md, "Per-example firmware"); an example's fragment does
# most of that with mk/fw-example.mk's fw_example.  Included here, before
# the image rules are made.
include mk/fw-example.mk
FW_FRAGMENTS := $(sort $(wildcard examples/*/firmware.mk) \
                  $(filter-out mk/firmware.mk,$(wildcard */firmware.mk)))
include $(FW_FRAGMENTS)

# ---------------------------------------------------------------- rules

# $(call fw_target_rules,TARGET): device objects, library, harness objects.
define fw_target_rules
FW_DEVICE_OBJS_$(1)  := $$(DEVICE_SRCS:%.c=$(FW_DIR)/$(1)/obj/%.o)
FW_HARNESS_OBJS_$(1) := $$(FW_HARNESS_SRCS:%.c=$(FW_DIR)/$(1)/fw/%.o)

# Rewritten only when the flags change, so objects follow a flag change.
$(FW_DIR)/$(1)/flags: FORCE
	@mkdir -p $$(@D)
	@echo '$$(FW_CPU_$(1)) $(FW_CFLAGS) $(FW_LDFLAGS) $(FW_LDLIBS)' | cmp -s - $$@ \
	  || echo '$$(FW_CPU_$(1)) $(FW_CFLAGS) $(FW_LDFLAGS) $(FW_LDLIBS)' > $$@

$(FW_DIR)/$(1)/obj/%.o: %.c $(FW_DIR)/$(1)/flags | $(DEPS_OK)
	@mkdir -p $$(@D)
	$(ARM_CC) $$(FW_CPU_$(1)) $(FW_CFLAGS) $(INCLUDES) -MMD -MP -c $$< -o $$@

# Harness and image code knows its board; device code does not.
# FW_IMAGE_CFLAGS: per image (FW_IMAGE_CFLAGS_<image>, e.g. -I for the
# directory of a generated module), set on that image's objects.
$(FW_DIR)/$(1)/fw/%.o: %.c $(FW_DIR)/$(1)/flags | $(DEPS_OK)
	@mkdir -p $$(@D)
	$(ARM_CC) $$(FW_CPU_$(1)) $(FW_CFLAGS) $$(FW_BOARD_DEF_$$(FW_BOARD_$(1))) \
	  $$(FW_IMAGE_CFLAGS) $(INCLUDES) -MMD -MP -c $$< -o $$@

$(FW_DIR)/$(1)/libtinycep.a: $$(FW_DEVICE_OBJS_$(1))
	@mkdir -p $$(@D)
	rm -f $$@
	$(ARM_AR) rcs $$@ $$^
endef

# $(call fw_image_rules,TARGET,IMAGE): one image for one target.
define fw_image_rules
FW_ELFS += $(FW_DIR)/$(1)/$(2).elf
FW_ELFS_$(1) += $(FW_DIR)/$(1)/$(2).elf

$$(FW_IMAGE_SRCS_$(2):%.c=$(FW_DIR)/$(1)/fw/%.o): FW_IMAGE_CFLAGS := $$(FW_IMAGE_CFLAGS_$(2))

$(FW_DIR)/$(1)/$(2).elf: $$(FW_IMAGE_SRCS_$(2):%.c=$(FW_DIR)/$(1)/fw/%.o) \
    $$(FW_HARNESS_OBJS_$(1)) $(FW_DIR)/$(1)/libtinycep.a $(FW_DIR)/$(1)/flags \
    $(FW_SRC)/$$(FW_BOARD_$(1)).ld $(FW_SRC)/fw_sections.ld
	$(ARM_CC) $$(FW_CPU_$(1)) $(FW_LDFLAGS) -T $$(FW_BOARD_$(1)).ld \
	  -Wl,-Map=$$(@:.elf=.map) -o $$@ \
	  $$(FW_IMAGE_SRCS_$(2):%.c=$(FW_DIR)/$(1)/fw/%.o) $$(FW_HARNESS_OBJS_$(1)) \
	  $(FW_DIR)/$(1)/libtinycep.a $(FW_LDLIBS)
endef

FW_ELFS :=
$(foreach t,$(FW_TARGETS),$(eval $(call fw_target_rules,$(t))))
$(foreach t,$(FW_TARGETS),$(foreach i,$(FW_IMAGES),\
  $(if $(filter $(t),$(or $(FW_IMAGE_TARGETS_$(i)),$(FW_DEFAULT_TARGETS))),\
    $(eval $(call fw_image_rules,$(t),$(i))))))

FW_LIBS := $(foreach t,$(FW_TARGETS),$(FW_DIR)/$(t)/libtinycep.a)

# ---------------------------------------------------------------- host side

# The same image sources built for the host with the host library: what
# the qemu output is compared with.  Image and portable harness code get
# the device warning set; fw_host.c uses stdio, so the host set.
FW_HOST_OBJ := $(FW_HOST_DIR)/obj
FW_HOST_HARNESS_OBJS := $(FW_HOST_OBJ)/$(FW_SRC)/fw_print.o $(FW_HOST_OBJ)/$(FW_SRC)/fw_host.o

$(FW_HOST_OBJ)/$(FW_SRC)/fw_host.o: $(FW_SRC)/fw_host.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(HOST_OPT) $(HOST_CFLAGS) $(SAN_CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

$(FW_HOST_OBJ)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(HOST_OPT) $(DEVICE_CFLAGS) $(SAN_CFLAGS) $(FW_IMAGE_CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

define fw_host_image_rules
FW_HOST_BINS += $(FW_HOST_DIR)/$(1)
$$(FW_IMAGE_SRCS_$(1):%.c=$(FW_HOST_OBJ)/%.o): FW_IMAGE_CFLAGS := $$(FW_IMAGE_CFLAGS_$(1))
$(FW_HOST_DIR)/$(1): $$(FW_IMAGE_SRCS_$(1):%.c=$(FW_HOST_OBJ)/%.o) $(FW_HOST_HARNESS_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(LIB) $(HOST_LIBS)
endef
FW_HOST_BINS :=
$(foreach i,$(FW_HOST_IMAGES),$(eval $(call fw_host_image_rules,$(i))))

# ---------------------------------------------------------------- targets

.PHONY: firmware fw-images fw-host fw-check-symbols fw-size fw-run firmware-test fw-print-machines fw-print-cpu fw-print-host-images

fw-images: $(FW_ELFS)
fw-host: $(FW_HOST_BINS)

# The hygiene check over every device object of every target; a failure
# names the target, the object and the symbol.
fw-check-symbols: $(FW_LIBS)
	@ok=0; $(foreach t,$(FW_TARGETS),\
	  sh $(FW_SRC)/check-symbols.sh $(ARM_NM) $(t) $(FW_NODOUBLE_$(t)) $(FW_DEVICE_OBJS_$(t)) || ok=1;) \
	  if [ $$ok -ne 0 ]; then echo "firmware: device code uses forbidden symbols (see above)" >&2; exit 1; fi; \
	  echo "firmware: symbol check passed ($(words $(DEVICE_SRCS)) device sources x targets $(FW_TARGETS))"

# text = code + constants (flash), data = initialised RAM (flash too, for
# the initial values), bss = zeroed RAM; the library row is the sum over
# the device objects (before --gc-sections drops what an image does not use).
fw-size: $(FW_ELFS) $(FW_LIBS)
	@printf '%-8s %-22s %9s %7s %8s\n' target image text data bss
	@$(foreach t,$(FW_TARGETS),\
	  $(ARM_SIZE) -t $(FW_DIR)/$(t)/libtinycep.a | awk -v t=$(t) \
	    '$$NF ~ /TOTALS/ { printf "%-8s %-22s %9d %7d %8d\n", t, "libtinycep.a (objects)", $$1, $$2, $$3 }';\
	  $(foreach e,$(FW_ELFS_$(t)),\
	    $(ARM_SIZE) $(e) | awk -v t=$(t) -v i=$(notdir $(e)) \
	      'NR == 2 { printf "%-8s %-22s %9d %7d %8d\n", t, i, $$1, $$2, $$3 }';))

# Runs FW_RUN_IMAGES on every target under its qemu machine, measuring
# (-icount shift=0), and shows each run's exit status with its summary
# lines (checks, FAIL, FAULT, and the "# " metadata: instructions, stack);
# images listed in FW_RUN_SHOW_ALL show every line.  Fails if any run fails.

fw-run: $(FW_ELFS)
	@fail=0; $(foreach t,$(FW_TARGETS),$(foreach i,$(filter $(FW_RUN_IMAGES),$(FW_IMAGES)),\
	  $(if $(filter $(FW_DIR)/$(t)/$(i).elf,$(FW_ELFS)),\
	  out=$$(sh $(FW_SRC)/run-qemu.sh -i $(FW_MACHINE_$(t)) $(FW_DIR)/$(t)/$(i).elf); rc=$$?; \
	  echo "$(t) $(i) on $(FW_MACHINE_$(t)): exit $$rc"; \
	  printf '%s\n' "$$out" | $(if $(filter $(i),$(FW_RUN_SHOW_ALL)),cat,grep -E '^(checks:|FAIL|FAULT|# )') | sed 's/^/    /'; \
	  [ $$rc -eq 0 ] || fail=1;))) \
	  exit $$fail

firmware: fw-images fw-check-symbols
	@$(MAKE) --no-print-directory fw-size
	@$(MAKE) --no-print-directory fw-run

# "target machine" per line, for the suites and the bench (one table: this file).
fw-print-machines:
	@$(foreach t,$(FW_TARGETS),echo "$(t) $(FW_MACHINE_$(t))";)

# Images built for the host too, one per line, for firmware_diff.sh.
fw-print-host-images:
	@$(foreach i,$(FW_HOST_IMAGES),echo "$(i)";)

# The CPU flags of target T (make fw-print-cpu T=m4f), for the suites.
fw-print-cpu:
	@echo "$(FW_CPU_$(T))"

# The firmware suites only (make test runs them too).
firmware-test: $(TINYCEP)
	@TINYCEP=$(abspath $(TINYCEP)) BUILD=$(abspath $(BUILD)) \
	  sh tests/runner.sh $(sort $(wildcard tests/suites/firmware*.sh))

-include $(shell find $(FW_DIR) $(FW_HOST_DIR) -name '*.d' 2>/dev/null)
