# Per-example firmware: the demo pump (examples/pump.cep) replaying a
# 15-second slice of the demo recording (make demo-traces) on every target.
# Included by mk/firmware.mk; docs/firmware.md, "Per-example firmware".
#
#   $(BUILD)/fwgen/pump/pump.h, pump.c   tinycep build (the module)
#   $(BUILD)/fwgen/pump/trace/*.csv      the slice of the recording
#   $(BUILD)/fwgen/pump/slice.c          tinycep build --slice (the records)
#   $(BUILD)/fwgen/pump/sim.args         the same input for tinycep sim
#                                        (tests/suites/firmware_examples.sh)
#
# The slice, 445 s to 460 s of the 10-minute run: the bearing fault is
# established (impulsive vibration), the motor is above 85 degC and the valve
# closes at 450 s, so bearing_fault, dry_run, overheating and
# bearing_overheat fire within 15 s.  24,000 vibration samples at 1.6 kHz
# plus the process signals: about 220 KB of flash, which fits the
# micro:bit's 256 KB with the runtime, so the M0+ runs it too.

PUMP_FW_DIR   := $(BUILD)/fwgen/pump
PUMP_FW_FROM  := 445
PUMP_FW_TO    := 460
PUMP_FW_MAPS  := --map vib=vx,vy,vz
PUMP_FW_CSV   := vib process temp

$(eval $(call fw_example,pump,pump,examples/pump.cep,,$(PUMP_FW_CSV:%=$(PUMP_FW_DIR)/trace/%.csv),\
  $(PUMP_FW_CSV:%=--trace $(PUMP_FW_DIR)/trace/%.csv) $(PUMP_FW_MAPS)))
$(eval $(call fw_time_slice,$(PUMP_FW_DIR)/trace,$(BUILD)/demo/pump,$(PUMP_FW_CSV),$(PUMP_FW_FROM),$(PUMP_FW_TO)))

# ex-pump-long: 160 s of the run (380 s to 540 s) on the M4F and M7 only
# (2.3 MB of slice: the MPS2 boards' 4 MB of flash, not the micro:bit's
# 256 KB): the motor overheats (overheating, bearing_overheat at 21 s), the
# valve closes (dry_run at 74.5 s) and the temperature sensor falls silent
# (the temp_sensor_silent watchdog at 149 s), besides bearing_fault.  Same
# module as ex-pump.
PUMPL_FW_DIR  := $(BUILD)/fwgen/pump-long
PUMPL_FW_FROM := 380
PUMPL_FW_TO   := 540

FW_IMAGE_TARGETS_ex-pump-long := m4f m7
$(eval $(call fw_example,pump-long,pump,examples/pump.cep,,$(PUMP_FW_CSV:%=$(PUMPL_FW_DIR)/trace/%.csv),\
  $(PUMP_FW_CSV:%=--trace $(PUMPL_FW_DIR)/trace/%.csv) $(PUMP_FW_MAPS),pump))
$(eval $(call fw_time_slice,$(PUMPL_FW_DIR)/trace,$(BUILD)/demo/pump,$(PUMP_FW_CSV),$(PUMPL_FW_FROM),$(PUMPL_FW_TO)))
