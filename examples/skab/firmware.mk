# Per-example firmware: the SKAB pump detector (examples/skab/skab.cep)
# replaying one whole SKAB recording, valve1/1.csv, on every target.
# Included by mk/firmware.mk; docs/firmware.md, "Per-example firmware".
#
# Defined only when the recording is present ($(TINYCEP_SHARED) or
# ../shared, as ml/firmware.mk): the data set is not part of the
# repository, so a user's clone builds no such image, and
# tests/suites/firmware_examples.sh says it skips it.  Everything derived
# from it is generated under $(BUILD)/fwgen/skab/ and never committed.
#
# The whole file: the learned baseline needs its first 400 s of normal
# operation before any alert, so the slice must start at the recording's
# start; at about 1 Hz the file is only 1,145 rows (a few tens of KB of
# flash), so it fits the micro:bit with the runtime and the M0+ runs it.
# The copy under trace/ renames the header's "Volume Flow RateRMS" to
# VolumeFlowRateRMS: sim.args is split on white space by the suite.

SKAB_FW_SHARED := $(or $(TINYCEP_SHARED),../shared)
SKAB_FW_DATA   := $(SKAB_FW_SHARED)/data/skab/valve1/1.csv
ifneq ($(wildcard $(SKAB_FW_DATA)),)

SKAB_FW_DIR   := $(BUILD)/fwgen/skab
SKAB_FW_TRACE := $(SKAB_FW_DIR)/trace/valve1-1.csv
SKAB_FW_ARGS  := --trace $(SKAB_FW_TRACE) \
                 --map acc1=Accelerometer1RMS --map acc2=Accelerometer2RMS \
                 --map current=Current --map pressure=Pressure \
                 --map fluid=Thermocouple --map flow=VolumeFlowRateRMS

$(eval $(call fw_example,skab,skab,examples/skab/skab.cep,,$(SKAB_FW_TRACE),$(SKAB_FW_ARGS)))

$(SKAB_FW_TRACE): $(SKAB_FW_DATA)
	@mkdir -p $(@D)
	sed '1s/Volume Flow RateRMS/VolumeFlowRateRMS/' $< > $@

endif
