# Makefile: builds vmm/vmm (host) and ./guest.elf (kernel), and runs the tests. `make help` lists targets.

# `make` alone builds `all`, whatever the included fragments define first.
.DEFAULT_GOAL := all

CC ?= gcc
BUILD := build
# SANITIZE=1 builds the host side (VMM, unit tests) with ASan and UBSan, into its own
# directory so that the two kinds of host objects never mix. Guest code is not affected.
HOST_BUILD := $(BUILD)/host$(if $(filter 1,$(SANITIZE)),-sanitize)

# ---- host side: the VMM and the unit tests ----------------------------------------------
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP
HOST_LDLIBS = $(shell pkg-config --libs libelf 2>/dev/null || echo -lelf) -lm
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lpthread -lm)

ifeq ($(SANITIZE),1)
HOST_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
HOST_LDFLAGS += -fsanitize=address,undefined
endif

VMM_SRCS := \
	vmm/bench.c \
	vmm/cpu.c \
	vmm/elf.c \
	vmm/gdb.c \
	vmm/gdb_proto.c \
	vmm/gdb_regs.c \
	vmm/gmem.c \
	vmm/hypercall.c \
	vmm/kstats.c \
	vmm/kvm.c \
	vmm/log.c \
	vmm/main.c \
	vmm/opts.c \
	vmm/run.c \
	vmm/protocol.c \
	vmm/sandbox.c \
	vmm/step.c \
	vmm/trace.c \
	vmm/trace_json.c \
	vmm/version.c \
	common/sysname.c \
	common/trapname.c

# ---- guest side: the kernel ---------------------------------------------------------------
# Freestanding, no red zone (traps push onto the kernel stack), general registers only and
# baseline x86-64: the kvm_pvm ring-0 emulator rejects SSE moves, POPCNT, MOVBE and more.
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP \
	-ffreestanding -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-march=x86-64 -mtune=generic -fno-stack-protector -fcf-protection=none \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

KERNEL_SRCS := \
	guest/bench.c \
	guest/bench_entry.S \
	guest/bench_step.c \
	guest/bench_step_entry.S \
	guest/clock.c \
	common/fmt.c \
	common/string.c \
	common/sysname.c \
	common/trapname.c \
	guest/cmdline.c \
	guest/debug.c \
	guest/demo.c \
	guest/demo_tasks.S \
	guest/elfcheck.c \
	guest/entry.S \
	guest/exec.c \
	guest/fpu.c \
	guest/gdt.c \
	guest/hypercall.c \
	guest/kalloc.c \
	guest/kstats.c \
	guest/lapic.c \
	guest/main.c \
	guest/mman.c \
	guest/platform.c \
	guest/printf.c \
	guest/pvm_compat.c \
	guest/pvm_entry.S \
	guest/pvm_syscall_page.S \
	guest/pvh.c \
	guest/pvh_console.c \
	guest/pvh_entry.S \
	guest/pvh_info.c \
	guest/selftest.c \
	guest/selftest_user.S \
	guest/swtch.S \
	guest/syscall.c \
	guest/syscall_entry.S \
	guest/sysfile.c \
	guest/sysinfo.c \
	guest/sysproc.c \
	guest/strace.c \
	guest/sysnames.c \
	guest/task.c \
	guest/timer.c \
	guest/trace.c \
	guest/trap.c \
	guest/tsc_rate.c \
	guest/uaccess.c \
	guest/uart.c \
	guest/useg.c \
	guest/vectors.S \
	guest/vm.c

# ---- ring 3: the user library and programs ------------------------------------------------
# A task is a static, non-PIE ELF: `gcc -static -nostdlib -no-pie -ffreestanding` as the stock
# toolchain links it (at 0x400000), with crt0.o first and liblde.a. Tasks may use the FPU,
# SSE and (where the kernel saves it) AVX: the kernel switches those registers per task.
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP -ffreestanding -fno-pie \
	-fno-stack-protector -Iguest/user
USER_LDFLAGS := -static -nostdlib -no-pie -Wl,--build-id=none
ULIB_SRCS := \
	common/fmt.c \
	common/string.c \
	guest/user/lib.c
ULIB := $(BUILD)/user/liblde.a
CRT0 := $(BUILD)/user/crt0.o
EXAMPLES := $(BUILD)/user/hello.elf
DEMO_ELFS := \
	$(BUILD)/user/demo_rogue.elf \
	$(BUILD)/user/demo_spinner.elf \
	$(BUILD)/user/demo_syscalls.elf \
	$(BUILD)/user/demo_yield.elf

# ---- tests --------------------------------------------------------------------------------
UNIT_SRCS := \
	tests/unit/main.c \
	tests/unit/test_clock.c \
	tests/unit/test_cmdline.c \
	tests/unit/test_cpu.c \
	tests/unit/test_desc.c \
	tests/unit/test_elf.c \
	tests/unit/test_elfcheck.c \
	tests/unit/test_fmt.c \
	tests/unit/test_gdb.c \
	tests/unit/test_gmem.c \
	tests/unit/test_hypercall.c \
	tests/unit/test_opts.c \
	tests/unit/test_pvh.c \
	tests/unit/test_syscall.c \
	tests/unit/test_trace.c \
	tests/unit/test_uaccess.c

# The VMM's modules under unit test (everything but main.c and the KVM calls).
UNIT_VMM_SRCS := vmm/cpu.c vmm/elf.c vmm/gmem.c vmm/hypercall.c vmm/kstats.c vmm/log.c vmm/opts.c \
	vmm/protocol.c vmm/trace_json.c common/sysname.c common/trapname.c vmm/gdb_proto.c vmm/gdb_regs.c
UNIT_GUEST_SRCS := guest/cmdline.c
UNIT_GUEST_SRCS += guest/elfcheck.c
UNIT_GUEST_SRCS += common/fmt.c
UNIT_GUEST_SRCS += guest/syscall.c
UNIT_GUEST_SRCS += guest/pvh_info.c

# Small guest images for the integration tests (tests/payloads/*.S).
PAYLOADS := \
	$(BUILD)/payloads/com1.elf \
	$(BUILD)/payloads/cli_hlt.elf \
	$(BUILD)/payloads/console_flood.elf \
	$(BUILD)/payloads/hc_hostile1.elf \
	$(BUILD)/payloads/hc_hostile2.elf \
	$(BUILD)/payloads/hc_hostile3.elf \
	$(BUILD)/payloads/hc_hostile4.elf \
	$(BUILD)/payloads/hc_hostile5.elf \
	$(BUILD)/payloads/hc_bad_pointer.elf \
	$(BUILD)/payloads/hc_unknown.elf \
	$(BUILD)/payloads/lapic_timer.elf \
	$(BUILD)/payloads/mmio_unserved.elf \
	$(BUILD)/payloads/port_unserved.elf \
	$(BUILD)/payloads/spin.elf \
	$(BUILD)/payloads/triple_fault.elf

# Ring-3 test programs for the integration tests: tests/tasks/tasks.mk lists them (TASK_ELFS).
include tests/tasks/tasks.mk
# libFuzzer targets (clang): `make fuzz`, `make fuzz-regress` (tests/fuzz/fuzz.mk).
include tests/fuzz/fuzz.mk
# The bench suite: `make bench`, `make bench-qemu`, `make bench-host` (bench/bench.mk).
include bench/bench.mk
# make install, make uninstall (install.mk).
include install.mk

VMM_OBJS := $(VMM_SRCS:%.c=$(HOST_BUILD)/%.o)
ULIB_OBJS := $(ULIB_SRCS:%.c=$(BUILD)/user/%.o)
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(KERNEL_SRCS)))
UNIT_OBJS := $(UNIT_SRCS:%.c=$(HOST_BUILD)/%.o) $(UNIT_VMM_SRCS:%.c=$(HOST_BUILD)/unit/%.o) \
	$(UNIT_GUEST_SRCS:%.c=$(HOST_BUILD)/unit/%.o)

# lint: cppcheck's warning and portability checks over the VMM, the kernel and common/, which must
# find nothing (a false alarm is suppressed inline, with the reason). -U__ASSEMBLER__: the
# headers' assembler halves are for .S files, which cppcheck does not read.
CPPCHECK := cppcheck -q --enable=warning,portability --inline-suppr --suppress=missingIncludeSystem \
	--error-exitcode=1 -U__ASSEMBLER__ -I abi -I . -I $(BUILD)/gen
lint: $(BUILD)/gen/linux_names.h
	@$(CPPCHECK) vmm guest common && echo "lint: 1 passed, 0 failed" || { echo "lint: 0 passed, 1 failed"; exit 1; }

.PHONY: all demo demo-trace lint payloads tasks bench bench-build bench-qemu bench-host check check-unit check-kvm check-qemu check-bench check-compare check-gdb check-pvh check-install disasm clean help
all: vmm/vmm guest.elf $(ULIB) $(CRT0) $(EXAMPLES)

# Linked every time (it takes milliseconds): with and without SANITIZE=1 it comes from
# different objects, and make cannot tell which ones the file now holds.
.PHONY: vmm/vmm
vmm/vmm: $(VMM_OBJS)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ $(HOST_LDLIBS)

guest.elf: $(KERNEL_OBJS) guest/kernel.ld
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -Wl,-T,guest/kernel.ld -o $@ $(KERNEL_OBJS)

$(HOST_BUILD)/vmm/%.o: vmm/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c -o $@ $<

$(HOST_BUILD)/common/%.o: common/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c -o $@ $<

# Code shared with the user library and the VMM (common/), compiled for the kernel.
$(BUILD)/common/%.o: common/%.c
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/guest/%.o: guest/%.c
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

# Linux's names for its system-call and error numbers, taken from the installed kernel headers
# (linux-libc-dev) so that they have one owner; and a check that abi/syscall.h's numbers are
# Linux's: every `#define SYS_name N` there becomes a _Static_assert against <asm/unistd_64.h>
# (guest/sysnames.c checks the error numbers).
$(BUILD)/gen/linux_names.h: abi/syscall.h Makefile
	@mkdir -p $(@D)
	{ echo '/* generated by the Makefile from <asm/unistd_64.h>, <asm/errno.h> and abi/syscall.h */'; \
	  echo '#define LINUX_SYSCALL_NAMES \'; \
	  printf '#include <asm/unistd_64.h>\n' | $(CC) -E -dM -x c - | \
	    sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9][0-9]*\)$$/	[\2] = "\1", \\/p'; \
	  echo ''; echo '#define LINUX_ERRNO_NAMES \'; \
	  printf '#include <asm/errno.h>\n' | $(CC) -E -dM -x c - | \
	    sed -n 's/^#define \(E[A-Z0-9]*\) \([0-9][0-9]*\)$$/	[\2] = "\1", \\/p'; \
	  echo ''; echo '#define LINUX_ABI_CHECKS \'; \
	  sed -n -e 's/^#define SYS_\([a-z0-9_]*\) \([0-9][0-9]*\).*/_Static_assert(SYS_\1 == __NR_\1, "SYS_\1"); \\/p' abi/syscall.h; \
	  echo ''; } > $@.tmp && mv $@.tmp $@
$(BUILD)/guest/sysnames.o: $(BUILD)/gen/linux_names.h
$(BUILD)/guest/sysnames.o: GUEST_CFLAGS += -I$(BUILD)/gen
# common/sysname.c, compiled for the kernel, the VMM and the unit tests, reads the names.
$(BUILD)/common/sysname.o $(HOST_BUILD)/common/sysname.o $(HOST_BUILD)/unit/common/sysname.o: \
	$(BUILD)/gen/linux_names.h
$(BUILD)/common/sysname.o: GUEST_CFLAGS += -I$(BUILD)/gen
$(HOST_BUILD)/common/sysname.o $(HOST_BUILD)/unit/common/sysname.o: HOST_CFLAGS += -I$(BUILD)/gen

# vmm --version: the VERSION file, and `git describe` in a git checkout, compiled into
# vmm/version.c. The stamp changes only with the string, so that is when version.o is rebuilt.
LDE_VERSION := $(shell cat VERSION)$(shell git describe --always --dirty 2>/dev/null | sed 's/.*/ (git &)/')
$(BUILD)/gen/version.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(LDE_VERSION)' > $@.tmp; if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(HOST_BUILD)/vmm/version.o: $(BUILD)/gen/version.txt
$(HOST_BUILD)/vmm/version.o: HOST_CFLAGS += -DLDE_VERSION='"$(LDE_VERSION)"'
.PHONY: FORCE
FORCE:

$(BUILD)/guest/%.o: guest/%.S
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/user/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c -o $@ $<

$(CRT0): guest/user/crt0.S
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c -o $@ $<

$(ULIB): $(ULIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/user/%.elf: guest/user/examples/%.c $(CRT0) $(ULIB)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(ULIB)

$(BUILD)/user/demo_%.elf: guest/user/demo/demo_%.c $(CRT0) $(ULIB)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(ULIB)

# The kernel carries the demo's task images (.incbin finds them through -I).
$(BUILD)/guest/demo_tasks.o: guest/demo_tasks.S $(DEMO_ELFS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -I$(BUILD)/user -c -o $@ $<

# Your own task: `make hello.elf` builds hello.elf from hello.c, wherever it is.
%.elf: %.c $(CRT0) $(ULIB)
	$(CC) $(filter-out -MMD -MP,$(USER_CFLAGS)) -Ibench $(USER_LDFLAGS) -o $@ $(CRT0) $< $(ULIB)

# Unit tests compile the modules again for the host, with the test's flags.
$(HOST_BUILD)/unit/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(HOST_BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(HOST_BUILD)/unit-tests: $(UNIT_OBJS)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ $(HOST_LDLIBS) $(CHECK_LIBS)

$(BUILD)/payloads/%.elf: tests/payloads/%.S tests/payloads/payload.ld
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -Wl,-T,tests/payloads/payload.ld -o $@ $<

# One source, one hostile hypercall per image.
$(BUILD)/payloads/hc_hostile%.elf: tests/payloads/hc_hostile.S tests/payloads/payload.ld
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -DHOSTILE_CASE=$* -Wl,-T,tests/payloads/payload.ld \
		-o $@ $<

# ---- test targets ---------------------------------------------------------------------------
# check: unit tests, then every KVM integration test on the local /dev/kvm and inside QEMU.
payloads: $(PAYLOADS)

tasks: $(TASK_ELFS)

# demo: boot the kernel with no task of yours: it runs its built-in demo (README) and exits 0
# if every demo task ended as predicted.
demo: all
	vmm/vmm --stats guest.elf

# demo-trace: the demo with --trace and --protocol, and its timeline (tools/trace-plot).
demo-trace: all
	vmm/vmm --trace $(BUILD)/demo-trace.json --protocol guest.elf
	tools/trace-plot $(BUILD)/demo-trace.json

check: all $(HOST_BUILD)/unit-tests $(PAYLOADS) $(TASK_ELFS) bench-build
	@UNIT_TESTS=$(HOST_BUILD)/unit-tests HOST_BUILD=$(HOST_BUILD) SANITIZE=$(SANITIZE) \
		sh tests/check-all.sh

check-unit: $(HOST_BUILD)/unit-tests
	$(HOST_BUILD)/unit-tests

check-kvm: all $(PAYLOADS) $(TASK_ELFS) $(BENCH_TASKS)
	sh tests/kvm-tests.sh

check-qemu: all $(PAYLOADS) $(TASK_ELFS) $(BENCH_TASKS)
	QEMU_RUN_FILES=$(BUILD)/bench tests/qemu-run sh tests/kvm-tests.sh

# check-gdb: --gdb with Debian's gdb, inside QEMU (and on the local /dev/kvm when there is one).
check-gdb: all $(TASK_ELFS)
	@if [ -c /dev/kvm ]; then sh tests/gdb-tests.sh; fi
	QEMU_RUN_GDB=1 tests/qemu-run sh tests/gdb-tests.sh

# The kernel under QEMU without our VMM (PVH, TCG); make install into a staging directory.
check-pvh: all $(TASK_ELFS)
	sh tests/pvh-tests.sh

check-install: all
	sh tests/install-tests.sh

check-bench: bench-build
	HOST_BUILD=$(HOST_BUILD) sh tests/bench-tests.sh local
	HOST_BUILD=$(HOST_BUILD) sh tests/bench-tests.sh qemu

# bench/compare end to end (tests/compare-tests.sh): no KVM needed.
check-compare: $(REPORT) $(COMPARE)
	HOST_BUILD=$(HOST_BUILD) sh tests/compare-tests.sh

disasm: guest.elf
	objdump -d --no-show-raw-insn guest.elf > $(BUILD)/guest.dis
	@echo "wrote $(BUILD)/guest.dis"

clean:
	rm -rf $(BUILD) vmm/vmm guest.elf

help:
	@echo "make            build vmm/vmm and ./guest.elf"
	@echo "make demo       build, then boot guest.elf"
	@echo "make check      unit tests, KVM integration tests locally and in QEMU, a short fuzz"
	@echo "make check-unit | check-kvm | check-qemu | check-bench | check-compare | check-gdb"
	@echo "     | check-pvh | check-install | lint   one part alone"
	@echo "make bench      every benchmark, 5 fresh runs: table, bench/results/latest.json, plots"
	@echo "                (BENCH_QUICK=1: a fraction; make bench-qemu: quick, inside QEMU)"
	@echo "bench/compare OLD.json NEW.json   which metrics got slower or faster beyond noise"
	@echo "make fuzz       each libFuzzer target for FUZZ_SECONDS (default 60); make fuzz-regress"
	@echo "make X.elf      build a task from X.c with the user library"
	@echo "make disasm     disassemble the kernel into $(BUILD)/guest.dis"
	@echo "make install    lde-vmm, the kernel, the user library and the manual page under PREFIX"
	@echo "                (default /usr/local; DESTDIR stages them); make uninstall"
	@echo "make SANITIZE=1 ...   build the host side with ASan and UBSan"

-include $(VMM_OBJS:.o=.d) $(KERNEL_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(ULIB_OBJS:.o=.d)
