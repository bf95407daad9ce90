# Named warning and option sets.  Device code gets the strictest set; tests
# the loosest (they poke at internals and build fixtures by hand).

HOST_OPT ?= -O2 -g

WARN_BASE := -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wdouble-promotion \
             -Wvla -Wmissing-prototypes -Wstrict-prototypes -Wcast-qual \
             -Wpointer-arith -Wundef -Werror

# Same bits on every platform: no fused multiply-add, no fast-math.
FP_STRICT := -ffp-contract=off -fno-fast-math

DEVICE_CFLAGS := $(WARN_BASE) $(FP_STRICT) -Wcast-align -Wredundant-decls \
                 -ffunction-sections -fdata-sections -fno-common
HOST_CFLAGS   := $(WARN_BASE) $(FP_STRICT) -D_POSIX_C_SOURCE=200809L
GEN_CFLAGS    := -std=c11 $(FP_STRICT) -D_POSIX_C_SOURCE=200809L -Wall -Wno-unused-function \
                 -Wno-sign-compare -Wno-unused-but-set-variable
TEST_CFLAGS   := -std=c11 $(FP_STRICT) -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
                 -Wno-unused-parameter
HOST_LIBS     := -lm

SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_FLAGS     := -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_CFLAGS ?=
