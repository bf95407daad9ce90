# Per-example firmware: the CWRU bearing detector (examples/cwru/cwru.cep)
# replaying the first 1.5 s of the outer-race fault recording
# OR007at6_130_0hp.csv (drive-end accelerometer at 12 kHz) on every target.
# Included by mk/firmware.mk; docs/firmware.md, "Per-example firmware".
#
# Defined only when the recording is present ($(TINYCEP_SHARED) or
# ../shared, as ml/firmware.mk): the data set is not part of the
# repository, so a user's clone builds no such image, and
# tests/suites/firmware_examples.sh says it skips it.  Everything derived
# from it is generated under $(BUILD)/fwgen/cwru/ and never committed.
#
# The slice: the header and the first 18,000 samples (1.5 s at 12 kHz, the
# rate examples/cwru/run.sh gives).  The file has no time column and
# `tinycep build --slice` takes no --rate, so the copy under trace/ gets one,
# t_s = row / 12000, and both the simulator and the slice read it.  The
# fault alerts fire at 0.171 s.
#
# M4F, M7 and the M0+ with 64 KB of RAM (m0plus64), not the 16 KB micro:bit:
# the flash would fit it (147 KB of text on the M4F), but the module's
# state (the 12 kHz FFT windows) is 14,632 bytes (CWRU_STATE_BYTES), 14.8 KB
# of bss with the replay, and 16 KB then leave less than FW_STACK_SIZE for
# the stack (the link fails).

CWRU_FW_SHARED := $(or $(TINYCEP_SHARED),../shared)
CWRU_FW_DATA   := $(CWRU_FW_SHARED)/data/cwru/OR007at6_130_0hp.csv
ifneq ($(wildcard $(CWRU_FW_DATA)),)

CWRU_FW_DIR   := $(BUILD)/fwgen/cwru
CWRU_FW_ROWS  := 18000
CWRU_FW_TRACE := $(CWRU_FW_DIR)/trace/OR007at6_130_0hp.csv
CWRU_FW_ARGS  := --trace $(CWRU_FW_TRACE) --map de=DE_g

FW_IMAGE_TARGETS_ex-cwru := m4f m0plus64 m7
$(eval $(call fw_example,cwru,cwru,examples/cwru/cwru.cep,,$(CWRU_FW_TRACE),$(CWRU_FW_ARGS)))

$(CWRU_FW_TRACE): $(CWRU_FW_DATA) examples/cwru/firmware.mk
	@mkdir -p $(@D)
	awk -v n=$(CWRU_FW_ROWS) 'NR == 1 { print "t_s," $$0; next } \
	  NR > n + 1 { exit } { printf "%.9f,%s\n", (NR - 2) / 12000, $$0 }' $< > $@

endif
