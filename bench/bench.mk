# bench/bench.mk: the bench suite's build rules (included by the top-level Makefile).

# The host-side report tool and its unit-tested core (bench/report.mk).
include bench/report.mk

# The host Linux baselines.
# The host Linux baselines (and vmm.boot's timer), host code: SANITIZE=1 builds its own.
HOSTBENCH := $(HOST_BUILD)/bench/hostbench

$(HOSTBENCH): bench/hostbench.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -pthread -o $@ $<

bench-host: $(HOSTBENCH)
	$(HOSTBENCH)

# Ring-3 benchmark tasks, and their one-line results, with the timer off.
BENCH_TASKS := \
	$(BUILD)/bench/guestbench.elf \
	$(BUILD)/bench/yieldbench.elf \
	$(BUILD)/bench/yieldbench-nopcid.elf \
	$(BUILD)/bench/timerbench.elf \
	$(BUILD)/bench/exit0.elf \
	$(BUILD)/bench/linux_getppid.elf

$(BUILD)/bench/%.elf: bench/tasks/%.c bench/benchlib.h $(CRT0) $(ULIB)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(ULIB)

# The same switch benchmark, reporting under the name of its pcid=0 run.
$(BUILD)/bench/yieldbench-nopcid.elf: bench/tasks/yieldbench.c bench/benchlib.h $(CRT0) $(ULIB)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -DMETRIC='"switch.yield.nopcid"' -o $@ $(CRT0) $< $(ULIB)

# An ordinary static Linux program (musl), run both on the host and as a task.
$(BUILD)/bench/linux_%.elf: bench/linux/%.c common/tsc.h
	@mkdir -p $(@D)
	$(MUSL_CC) -static -no-pie -O2 -Wall -Wextra -Werror -o $@ $<

# make bench: everything, BENCH_RUNS fresh runs, the report (bench/run, bench/README.md).
# BENCH_QUICK=1 make bench: a fraction of the samples; make bench-qemu: that, inside QEMU.
bench-build: all $(BENCH_TASKS) $(HOSTBENCH) $(REPORT) $(COMPARE)

bench: bench-build
	BUILD=$(BUILD) HOST_BUILD=$(HOST_BUILD) sh bench/run

bench-qemu: bench-build
	QEMU_RUN_FILES="bench/run build/bench $(HOSTBENCH) $(REPORT)" \
		tests/qemu-run --timeout 900 env BENCH_QUICK=1 BENCH_OUT=/tmp/bench \
		BUILD=$(BUILD) HOST_BUILD=$(HOST_BUILD) sh bench/run
