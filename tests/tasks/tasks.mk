# tests/tasks/tasks.mk: the ring-3 test programs (tests/tasks/*.c), built into build/tasks/*.elf.
# Included by the Makefile, which provides CC, USER_CFLAGS, USER_LDFLAGS, CRT0, ULIB, BUILD.

# restricted.c is built once per operation, as restricted_<op>.elf (see below).
RESTRICTED_OPS := \
	hlt cli sti in out iopl rdmsr wrmsr read_cr0 write_cr3 read_cr4 lgdt lidt ltr invlpg \
	wbinvd swapgs int81 read_kernel write_kernel jump_kernel jump_noncanonical write_code \
	exec_stack exec_data ud2 div0

TASK_ELFS := \
	$(BUILD)/tasks/hello_task.elf \
	$(BUILD)/tasks/syscalls.elf \
	$(BUILD)/tasks/yield_pingpong.elf \
	$(BUILD)/tasks/exit7.elf \
	$(BUILD)/tasks/exit3.elf \
	$(BUILD)/tasks/fuzz.elf \
	$(BUILD)/tasks/fuzz_ci.elf \
	$(RESTRICTED_OPS:%=$(BUILD)/tasks/restricted_%.elf)

# The fuzzer's iteration counts: fuzz.elf for a long manual run, fuzz_ci.elf for the tests
# (kept short enough for the QEMU/TCG host; tests/kvm-task-tests.sh runs it).
FUZZ_COUNT := 1000000
FUZZ_CI_COUNT := 20000

$(BUILD)/tasks/%.elf: tests/tasks/%.c $(CRT0) $(ULIB)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(ULIB)

# restricted_<op>.elf: the operation's name as a string, OP="<op>", chosen at run time.
$(BUILD)/tasks/restricted_%.elf: tests/tasks/restricted.c $(CRT0) $(ULIB)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -DOP='"$*"' -o $@ $(CRT0) $< $(ULIB)

$(BUILD)/tasks/fuzz.elf: tests/tasks/fuzz.c $(CRT0) $(ULIB)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -DFUZZ_COUNT=$(FUZZ_COUNT) -o $@ $(CRT0) $< $(ULIB)

$(BUILD)/tasks/fuzz_ci.elf: tests/tasks/fuzz.c $(CRT0) $(ULIB)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -DFUZZ_COUNT=$(FUZZ_CI_COUNT) -o $@ $(CRT0) $< $(ULIB)

# The headers each program includes (gcc -MMD writes build/tasks/<name>.d next to the ELF).
-include $(TASK_ELFS:.elf=.d)
