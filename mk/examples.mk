# The examples' own host tools (not part of the tinycep library).

EXAMPLE_TOOLS := $(BUILD)/examples/pump/gen_trace

$(BUILD)/examples/%: examples/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(HOST_OPT) $(HOST_CFLAGS) -Wno-double-promotion -o $@ $< -lm

# The demo's synthetic pump recording (see examples/pump/gen_trace.c).
$(BUILD)/demo/pump/vib.csv $(BUILD)/demo/pump/process.csv $(BUILD)/demo/pump/temp.csv &: $(BUILD)/examples/pump/gen_trace
	@mkdir -p $(@D)
	$< $(@D)

.PHONY: demo-traces
demo-traces: $(BUILD)/demo/pump/vib.csv

# The demo replays the pump recording (examples/demo.sh).
demo: $(BUILD)/demo/pump/vib.csv
