# Per-example firmware: the bearing classifier (examples/bearing/bearing.cep:
# FFT band energies, RMS and kurtosis of a 512-sample window into an int8
# tflite model every 256 samples) replaying a 14-second slice of its trace on every target.
# Included by mk/firmware.mk; docs/firmware.md, "Per-example firmware".
# The rule file, model and trace come from `make bearing` (mk/bearing.mk):
# the rule file is the copy next to its model in $(BEARING_DIR).
#
# The slice, 64 s to 78 s of the trace: the outer-race fault is present and
# the motor heats past 85 degC, so outer_race (a few hundred ms in) and the
# critical bearing_failure (at 12 s) fire, after 108 inferences.  28,000
# vibration samples at 2 kHz as float: about 200 KB of flash, inside the
# micro:bit's 256 KB with the runtime and the model.

BEARING_FW_DIR  := $(BUILD)/fwgen/bearing
BEARING_FW_FROM := 64
BEARING_FW_TO   := 78
BEARING_FW_CSV  := vib temp
BEARING_FW_SRC  := $(BUILD)/examples/bearing

$(eval $(call fw_example,bearing,bearing,$(BEARING_FW_SRC)/bearing.cep,$(BEARING_FW_SRC)/bearing.tflite,\
  $(BEARING_FW_CSV:%=$(BEARING_FW_DIR)/trace/%.csv),$(BEARING_FW_CSV:%=--trace $(BEARING_FW_DIR)/trace/%.csv)))
# BEARING_PROFILE: the slice meters each inference alone (bearing.h).
FW_IMAGE_CFLAGS_ex-bearing += -DBEARING_PROFILE
$(eval $(call fw_time_slice,$(BEARING_FW_DIR)/trace,$(BEARING_FW_SRC),$(BEARING_FW_CSV),$(BEARING_FW_FROM),$(BEARING_FW_TO)))
