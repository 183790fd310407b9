# tests/tasks/tasks.mk: the ring-3 test programs (tests/tasks/*.c), built into build/tasks/*.elf.
# Included by the Makefile, which provides CC, USER_CFLAGS, USER_LDFLAGS, CRT0, ULIB, BUILD.
# Every program depends on this file too: the flags and counts below are part of it.

# One ELF a line. restricted_<op>.elf are all restricted.c, built once per operation (below).
TASK_ELFS := \
	$(BUILD)/tasks/hello_task.elf \
	$(BUILD)/tasks/assert_fail.elf \
	$(BUILD)/tasks/args.elf \
	$(BUILD)/tasks/mman.elf \
	$(BUILD)/tasks/musl_hello.elf \
	$(BUILD)/tasks/musl_upper.elf \
	$(BUILD)/tasks/musl_libc.elf \
	$(BUILD)/tasks/glibc_libc.elf \
	$(BUILD)/tasks/dynamic_hello.elf \
	$(BUILD)/tasks/huge_bss.elf \
	$(BUILD)/tasks/tera_bss.elf \
	$(BUILD)/tasks/stack_overflow.elf \
	$(BUILD)/tasks/syscalls.elf \
	$(BUILD)/tasks/yield_pingpong.elf \
	$(BUILD)/tasks/exit7.elf \
	$(BUILD)/tasks/exit3.elf \
	$(BUILD)/tasks/exit125.elf \
	$(BUILD)/tasks/fuzz.elf \
	$(BUILD)/tasks/fuzz_ci.elf \
	$(BUILD)/tasks/wx_task.elf \
	$(BUILD)/tasks/restricted_hlt.elf \
	$(BUILD)/tasks/restricted_cli.elf \
	$(BUILD)/tasks/restricted_sti.elf \
	$(BUILD)/tasks/restricted_in.elf \
	$(BUILD)/tasks/restricted_out.elf \
	$(BUILD)/tasks/restricted_iopl.elf \
	$(BUILD)/tasks/restricted_rdmsr.elf \
	$(BUILD)/tasks/restricted_wrmsr.elf \
	$(BUILD)/tasks/restricted_read_cr0.elf \
	$(BUILD)/tasks/restricted_write_cr3.elf \
	$(BUILD)/tasks/restricted_read_cr4.elf \
	$(BUILD)/tasks/restricted_lgdt.elf \
	$(BUILD)/tasks/restricted_lidt.elf \
	$(BUILD)/tasks/restricted_ltr.elf \
	$(BUILD)/tasks/restricted_invlpg.elf \
	$(BUILD)/tasks/restricted_wbinvd.elf \
	$(BUILD)/tasks/restricted_swapgs.elf \
	$(BUILD)/tasks/restricted_int81.elf \
	$(BUILD)/tasks/restricted_read_kernel.elf \
	$(BUILD)/tasks/restricted_write_kernel.elf \
	$(BUILD)/tasks/restricted_jump_kernel.elf \
	$(BUILD)/tasks/restricted_jump_noncanonical.elf \
	$(BUILD)/tasks/restricted_write_code.elf \
	$(BUILD)/tasks/restricted_exec_stack.elf \
	$(BUILD)/tasks/restricted_exec_data.elf \
	$(BUILD)/tasks/restricted_compat_syscall.elf \
	$(BUILD)/tasks/restricted_ud2.elf \
	$(BUILD)/tasks/restricted_div0.elf \
	$(BUILD)/tasks/spinner.elf \
	$(BUILD)/tasks/ticks.elf \
	$(BUILD)/tasks/fair.elf \
	$(BUILD)/tasks/sleeper.elf \
	$(BUILD)/tasks/sleeper_idle.elf \
	$(BUILD)/tasks/stress.elf \
	$(BUILD)/tasks/fpu_isolation.elf \
	$(BUILD)/tasks/segs_isolation.elf \
	$(BUILD)/tasks/bench_hooks.elf \
	$(BUILD)/tasks/bench_isolation.elf \
	$(BUILD)/tasks/bench_step.elf \
	$(BUILD)/tasks/bench_ud_kill.elf

# The fuzzer's iteration counts: fuzz.elf for a long manual run, fuzz_ci.elf for the tests.
# kvm_pvm is the slow host (a system call costs 100-400 us there, a yield or sleep about
# 1 ms: about 3 000 calls/s, so about 10 s); QEMU's nested kvm_amd did about 60 000 calls/s.
FUZZ_COUNT := 1000000
FUZZ_CI_COUNT := 30000

$(BUILD)/tasks/%.elf: tests/tasks/%.c $(CRT0) $(ULIB) tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(ULIB)

# restricted_<op>.elf: the operation's name as a string, OP="<op>", chosen at run time.
$(BUILD)/tasks/restricted_%.elf: tests/tasks/restricted.c $(CRT0) $(ULIB) tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -DOP='"$*"' -o $@ $(CRT0) $< $(ULIB)

$(BUILD)/tasks/fuzz.elf: tests/tasks/fuzz.c $(CRT0) $(ULIB) tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -DFUZZ_COUNT=$(FUZZ_COUNT) -o $@ $(CRT0) $< $(ULIB)

$(BUILD)/tasks/fuzz_ci.elf: tests/tasks/fuzz.c $(CRT0) $(ULIB) tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -DFUZZ_COUNT=$(FUZZ_CI_COUNT) -o $@ $(CRT0) $< $(ULIB)

# tera_bss.elf: a 1 TiB array lies beyond the small code model's 2 GiB: the medium model
# puts it in .lbss and reaches it with 64-bit addresses.
$(BUILD)/tasks/tera_bss.elf: tests/tasks/tera_bss.c $(CRT0) $(ULIB) tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -mcmodel=medium $(USER_LDFLAGS) -o $@ $(CRT0) $< $(ULIB)

# Ordinary programs (tests/linux/*.c): the C library's own start files and system calls, no
# liblde: built with Debian's musl-gcc (musl-tools, which .ci/deps installs) as static,
# non-PIE executables, exactly as a user would build them.
MUSL_CC ?= musl-gcc
$(BUILD)/tasks/musl_%.elf: tests/linux/%.c tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(MUSL_CC) -static -no-pie -O2 -Wall -Wextra -Werror -o $@ $<

# The same programs with the stock gcc and glibc, statically linked.
$(BUILD)/tasks/glibc_%.elf: tests/linux/%.c tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(CC) -static -no-pie -O2 -Wall -Wextra -Werror -o $@ $<

# dynamic_hello.elf: the same program as a user's first try, linked dynamically: refused,
# with how to link it instead.
$(BUILD)/tasks/dynamic_hello.elf: tests/linux/hello.c tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(CC) -no-pie -O2 -Wall -Wextra -Werror -o $@ $<

# wx_task.elf: hello_task linked with -N, one writable and executable segment: the kernel
# must refuse it (W^X).
$(BUILD)/tasks/wx_task.elf: tests/tasks/hello_task.c $(CRT0) $(ULIB) tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -Wl,-N -Wl,--no-warn-rwx-segments -o $@ $(CRT0) $< $(ULIB)

# sleeper_idle.elf: sleeper.c with 20 sleeps of 50 ms, about a second with nothing to run
# (tests/kvm-timer-tests.sh measures what the idle CPU costs the host).
$(BUILD)/tasks/sleeper_idle.elf: tests/tasks/sleeper.c $(CRT0) $(ULIB) tests/tasks/tasks.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -DSLEEPS=20 -o $@ $(CRT0) $< $(ULIB)

# The headers each program includes (gcc -MMD writes build/tasks/<name>.d next to the ELF).
-include $(TASK_ELFS:.elf=.d)
