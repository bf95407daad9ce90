# Per-example firmware: the NAB rule set (examples/nab/nab.cep) replaying
# one whole Numenta Anomaly Benchmark series, art_daily_jumpsup.csv, on
# every target.  Included by mk/firmware.mk; docs/firmware.md,
# "Per-example firmware".
#
# Defined only when the series is present ($(TINYCEP_SHARED) or
# ../shared, as ml/firmware.mk): the data set is not part of the
# repository, so a user's clone builds no such image, and
# tests/suites/firmware_examples.sh says it skips it.  Everything derived
# from it is generated under $(BUILD)/fwgen/nab/ and never committed.
#
# The whole file: the learned baseline needs the first 48 h of the series
# before any alert, so the slice must start at the series' start; at one
# row per 5 minutes the 14 days are 4,032 rows (about 50 KB of slice), so
# the micro:bit runs it too.  The ISO 8601 timestamps are read by the
# simulator and by `tinycep build --slice` alike (docs/traces.md).

NAB_FW_SHARED := $(or $(TINYCEP_SHARED),../shared)
NAB_FW_DATA   := $(NAB_FW_SHARED)/data/nab/artificialWithAnomaly/art_daily_jumpsup.csv
ifneq ($(wildcard $(NAB_FW_DATA)),)

NAB_FW_DIR   := $(BUILD)/fwgen/nab
NAB_FW_TRACE := $(NAB_FW_DIR)/trace/art_daily_jumpsup.csv
NAB_FW_ARGS  := --trace $(NAB_FW_TRACE)

$(eval $(call fw_example,nab,nab,examples/nab/nab.cep,,$(NAB_FW_TRACE),$(NAB_FW_ARGS)))

# A copy, so that sim.args names a file under $(BUILD) as the other
# examples' do (the path under ../shared may hold spaces or be relative to
# another directory when TINYCEP_SHARED is set).
$(NAB_FW_TRACE): $(NAB_FW_DATA)
	@mkdir -p $(@D)
	cp $< $@

endif
