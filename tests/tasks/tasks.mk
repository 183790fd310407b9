# tests/tasks/tasks.mk: the ring-3 test programs (tests/tasks/*.c), built into build/tasks/*.elf.
# Included by the Makefile, which provides CC, USER_CFLAGS, USER_LDFLAGS, CRT0, ULIB, BUILD.

TASK_ELFS := \
	$(BUILD)/tasks/hello_task.elf

$(BUILD)/tasks/%.elf: tests/tasks/%.c $(CRT0) $(ULIB)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(ULIB)
