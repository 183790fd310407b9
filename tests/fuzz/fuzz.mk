# tests/fuzz/fuzz.mk: libFuzzer harnesses (tests/fuzz/fuzz_*.c), built into $(BUILD)/fuzz/<target>.
# Included by the Makefile, which provides BUILD and HOST_LDLIBS (libelf, -lm); the defaults
# below are only used when this file is read before (or without) the Makefile.
#
#   make fuzz                 fuzz every target for FUZZ_SECONDS (default 60; 0: no limit) s each
#   make fuzz-regress         run every harness once over its corpus and regress/ inputs
#   make fuzz-build           build the harnesses only
#   make fuzz FUZZ_TARGETS=elf_load FUZZ_SECONDS=600 FUZZ_FLAGS='-max_len=65536'   one, longer
#   make fuzz FUZZ_DIR=build/fuzz-x FUZZ_SANITIZE='...'   other sanitizer flags, separate build
#
# The harnesses need clang with libFuzzer (Debian: clang-14 and libclang-rt-14-dev); the
# project's CC is not used. Runs work on a copy of tests/fuzz/corpus/<target>/ and
# tests/fuzz/regress/<target>/ in a temporary directory; crash inputs go to
# $(BUILD)/fuzz/artifacts/, logs to $(BUILD)/fuzz/logs/ (tests/fuzz/run-fuzz.sh).

# Keep the including Makefile's default goal: nothing here should become plain `make`.
FUZZ_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

BUILD ?= build
HOST_LDLIBS ?= -lelf -lm
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS ?=
FUZZ_TARGETS ?= elf_load hypercall elfcheck uaccess cmdline bench_report bench_json pvh_info
FUZZ_ALL_TARGETS := elf_load hypercall elfcheck uaccess cmdline bench_report bench_json pvh_info

FUZZ_SANITIZE ?= -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra $(FUZZ_SANITIZE) -MMD -MP
FUZZ_LDLIBS = $(HOST_LDLIBS)

# The code under test for each harness (compiled again, instrumented, into $(BUILD)/fuzz/obj/).
FUZZ_SRCS_elf_load := vmm/elf.c vmm/gmem.c
FUZZ_SRCS_hypercall := vmm/hypercall.c vmm/gmem.c vmm/kstats.c
FUZZ_SRCS_elfcheck := guest/elfcheck.c
FUZZ_SRCS_uaccess :=
FUZZ_SRCS_cmdline := guest/cmdline.c
FUZZ_SRCS_bench_report := bench/stats.c
FUZZ_SRCS_bench_json := bench/json.c
FUZZ_SRCS_pvh_info := guest/pvh_info.c common/fmt.c

FUZZ_DIR ?= $(BUILD)/fuzz
FUZZ_OBJ := $(FUZZ_DIR)/obj
FUZZ_BINS := $(FUZZ_ALL_TARGETS:%=$(FUZZ_DIR)/%)
FUZZ_OBJS := $(sort $(FUZZ_ALL_TARGETS:%=$(FUZZ_OBJ)/tests/fuzz/fuzz_%.o) \
	$(foreach t,$(FUZZ_ALL_TARGETS),$(FUZZ_SRCS_$(t):%.c=$(FUZZ_OBJ)/%.o)))

.PHONY: fuzz fuzz-regress fuzz-build
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
	@FUZZ_FLAGS='$(FUZZ_FLAGS)' sh tests/fuzz/run-fuzz.sh fuzz '$(FUZZ_SECONDS)' '$(FUZZ_DIR)' $(FUZZ_TARGETS)

fuzz-regress: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
	@FUZZ_FLAGS='$(FUZZ_FLAGS)' sh tests/fuzz/run-fuzz.sh regress 0 '$(FUZZ_DIR)' $(FUZZ_TARGETS)

define FUZZ_LINK_RULE
$(FUZZ_DIR)/$(1): $(FUZZ_OBJ)/tests/fuzz/fuzz_$(1).o $(FUZZ_SRCS_$(1):%.c=$(FUZZ_OBJ)/%.o)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -o $$@ $$^ $$(FUZZ_LDLIBS)
endef
$(foreach t,$(FUZZ_ALL_TARGETS),$(eval $(call FUZZ_LINK_RULE,$(t))))

# Every object depends on this file too: the flags above are part of it.
$(FUZZ_OBJ)/%.o: %.c tests/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

-include $(FUZZ_OBJS:.o=.d)

.DEFAULT_GOAL := $(FUZZ_SAVED_DEFAULT_GOAL)
