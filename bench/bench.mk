# bench/bench.mk: the bench suite's build rules (included by the top-level Makefile).

# The host-side report tool and its unit-tested core (bench/report.mk).
include bench/report.mk

# The host Linux baselines.
$(BUILD)/bench/hostbench: bench/hostbench.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -pthread -o $@ $<

bench-host: $(BUILD)/bench/hostbench
	$(BUILD)/bench/hostbench

# Ring-3 benchmark tasks, and their one-line results, with the timer off.
BENCH_TASKS := \
	$(BUILD)/bench/guestbench.elf \
	$(BUILD)/bench/yieldbench.elf

$(BUILD)/bench/%.elf: bench/tasks/%.c bench/benchlib.h $(CRT0) $(ULIB)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(ULIB)

bench-guest: all $(BENCH_TASKS)
	vmm/vmm --stats guest.elf $(BUILD)/bench/guestbench.elf hz=0
	vmm/vmm guest.elf $(BUILD)/bench/yieldbench.elf $(BUILD)/bench/yieldbench.elf hz=0
