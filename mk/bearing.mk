# The bearing example (examples/bearing/): synthetic data, a classifier
# trained on it, and the rule file that uses it — all made by the build,
# nothing fetched.  Everything lands in $(BUILD)/examples/bearing/:
#
#   gen_bearing, train_bearing   the host tools (linked with the library:
#                                gen_bearing computes features with the
#                                rule engine itself)
#   train.csv valid.csv          model-input vectors of the rule file, labelled
#   vib.csv temp.csv             the test trace (conditions change over time)
#   bearing.tflite               the int8 classifier (train_bearing)
#   train_q.bin train_labels.txt quantized training vectors, their classes
#   train_report.txt             accuracy float vs int8
#   bearing.cep                  a copy of examples/bearing/bearing.cep next to
#                                its model (model paths are relative to the
#                                rule file; the source tree stays clean)
#
# `make bearing` makes all of it.
#
# BEARING_FEATURES: how gen_bearing computes the features.  Empty (the
# default): by compiling examples/bearing/bearing.cep (cep_compile_file) and
# reading the model's input slots; --builder: a built-in mirror of that file's
# windows and features (cep/compile/builder.h).  Both give the same bytes
# (tests/suites/bearing_model.sh).
BEARING_FEATURES ?=

BEARING_DIR   := $(BUILD)/examples/bearing
BEARING_TOOLS := $(BEARING_DIR)/gen_bearing $(BEARING_DIR)/train_bearing

$(BEARING_TOOLS): $(BEARING_DIR)/%: examples/bearing/%.c $(LIB) $(GEN_HDRS) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(HOST_OPT) $(HOST_CFLAGS) $(SAN_CFLAGS) $(INCLUDES) $(LDFLAGS) -o $@ $< $(LIB) $(HOST_LIBS)

$(BEARING_DIR)/train.csv $(BEARING_DIR)/valid.csv $(BEARING_DIR)/vib.csv $(BEARING_DIR)/temp.csv &: \
		$(BEARING_DIR)/gen_bearing examples/bearing/bearing.cep
	$(BEARING_DIR)/gen_bearing $(BEARING_FEATURES) examples/bearing/bearing.cep $(BEARING_DIR)

$(BEARING_DIR)/bearing.tflite $(BEARING_DIR)/train_q.bin $(BEARING_DIR)/train_labels.txt \
$(BEARING_DIR)/train_report.txt &: $(BEARING_DIR)/train_bearing $(BEARING_DIR)/train.csv \
		$(BEARING_DIR)/valid.csv
	$(BEARING_DIR)/train_bearing $(BEARING_DIR)

$(BEARING_DIR)/bearing.cep: examples/bearing/bearing.cep
	@mkdir -p $(@D)
	cp $< $@

.PHONY: bearing
bearing: $(BEARING_DIR)/bearing.cep $(BEARING_DIR)/bearing.tflite $(BEARING_DIR)/vib.csv
