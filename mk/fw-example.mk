# What every per-example firmware fragment (examples/*/firmware.mk) does
# the same way, as two macros; the fragment keeps only what is its own:
# where the recording comes from, which part of it is replayed, and why.
# Included by mk/firmware.mk before the fragments; docs/firmware.md,
# "Per-example firmware".
#
# $(call fw_example,NAME,MODULE,RULES,RULE_DEPS,TRACES,ARGS[,MODULE_OF])
#   The image ex-NAME: the generated module MODULE (from the rule file
#   RULES, which reads RULE_DEPS too, e.g. its .tflite models) replaying
#   $(BUILD)/fwgen/NAME/slice.c, cut from the trace files TRACES with the
#   `tinycep sim`/`build --slice` arguments ARGS (--trace …, --map …).
#   Writes $(BUILD)/fwgen/NAME/sim.args, the same input for the simulator,
#   one argument per line (tests/suites/firmware_examples.sh).  With
#   MODULE_OF, the module is example MODULE_OF's (the same rules replaying
#   another slice), and no module rule is made here.
#   Set FW_IMAGE_TARGETS_ex-NAME before or after; FW_IMAGE_CFLAGS_ex-NAME
#   after (+=) for more flags.
#
# $(call fw_time_slice,OUTDIR,SRCDIR,FILES,FROM,TO)
#   OUTDIR/F.csv for each F in FILES: the header and the rows of SRCDIR/F.csv
#   with FROM <= first column < TO (seconds).  The simulator's origin is
#   then the slice's first row, for it and for the firmware.

define fw_example
FW_IMAGES       += ex-$(1)
FW_HOST_IMAGES  += ex-$(1)
FW_RUN_IMAGES   += ex-$(1)
FW_RUN_SHOW_ALL += ex-$(1)
FW_EXAMPLES     += $(1)
FW_EXAMPLE_MODULE_$(1) := $(2)
FW_IMAGE_SRCS_ex-$(1)   := $(BUILD)/fwgen/$(or $(7),$(1))/$(2).c $(BUILD)/fwgen/$(1)/slice.c \
                           runtime/firmware/fw_replay.c
FW_IMAGE_CFLAGS_ex-$(1) := -I$(BUILD)/fwgen/$(or $(7),$(1))

$(if $(7),,$(BUILD)/fwgen/$(1)/$(2).h $(BUILD)/fwgen/$(1)/$(2).c &: $(3) $(4) $$(TINYCEP)
	@mkdir -p $$(@D)
	$$(TINYCEP) build -q $(3) -o $$(@D))

$(BUILD)/fwgen/$(1)/sim.args: $(lastword $(MAKEFILE_LIST))
	@mkdir -p $$(@D)
	@printf '%s\n' $(3) $(6) > $$@

$(BUILD)/fwgen/$(1)/slice.c: $(3) $(4) $(5) $(BUILD)/fwgen/$(or $(7),$(1))/$(2).h \
    $(BUILD)/fwgen/$(1)/sim.args $$(TINYCEP)
	$$(TINYCEP) build -q $(3) --slice $$@ $(6)
endef

define fw_time_slice
$(3:%=$(1)/%.csv) &: $(3:%=$(2)/%.csv)
	@mkdir -p $$(@D)
	@for f in $(3); do \
	  awk -F, -v a=$(4) -v b=$(5) 'NR == 1 || ($$$$1 + 0 >= a && $$$$1 + 0 < b)' \
	    $(2)/$$$$f.csv > $$(@D)/$$$$f.csv || exit 1; done
endef
