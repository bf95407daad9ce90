# Per-example firmware: what the examples' fragments (examples/*/firmware.mk,
# included by mk/firmware.mk) have in common.  docs/firmware.md,
# "Per-example firmware".
#
#   make fw-size-split   each example image's flash and RAM by origin
#                        (runtime, libc, harness, generated code, tables,
#                        model weights, slice | state, arenas, other RAM),
#                        from the linker map (mk/fw-size-split.awk);
#                        `make firmware` prints it after the size table
#
# A fragment adds its example to FW_EXAMPLES and names the generated module
# (FW_EXAMPLE_MODULE_<example>); the image is ex-<example>.

.PHONY: fw-size-split
# An example's targets: FW_IMAGE_TARGETS_ex-<example>, else the default ones.
fw_example_targets = $(or $(FW_IMAGE_TARGETS_ex-$(1)),$(FW_DEFAULT_TARGETS))

fw-size-split: $(foreach x,$(FW_EXAMPLES),$(foreach t,$(call fw_example_targets,$(x)),$(FW_DIR)/$(t)/ex-$(x).elf))
	@printf '%-7s %-13s %8s %6s %7s %6s %7s %6s %7s | %6s %6s %6s\n' target image \
	  runtime libc harness code tables model slice state arena other
	@printf '%-7s %-13s %8s %6s %7s %6s %7s %6s %7s | %6s %6s %6s\n' '' '' \
	  '(flash' '' '' '' '' '' 'bytes)' '(RAM' '' 'bytes)'
	@$(foreach x,$(FW_EXAMPLES),$(foreach t,$(call fw_example_targets,$(x)),\
	  awk -v mod=$(FW_EXAMPLE_MODULE_$(x)) -v target=$(t) -v image=ex-$(x) \
	    -f mk/fw-size-split.awk $(FW_DIR)/$(t)/ex-$(x).map;))

firmware: fw-size-split-after
.PHONY: fw-size-split-after
fw-size-split-after: fw-images
	@$(MAKE) --no-print-directory fw-size-split
