/* tests/unit/test_trace.c: the trace's JSON writer (vmm/trace_json.c) and the protocol tables (vmm/protocol.c), fed made-up kernel events. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../abi/syscall.h"
#include "../../abi/trace.h"
#include "../../abi/x86.h"
#include "../../bench/json.h"
#include "../../common/sysname.h"
#include "../../vmm/protocol.h"
#include "../../vmm/trace_json.h"
#include "suites.h"

#define TSC_KHZ 1000000 /* 1 GHz: 1000 cycles a microsecond */
#define FILE_MAX (64u << 20)

static struct lde_trace_event ev(uint32_t type, int pid, uint64_t tsc, uint64_t a0, uint64_t a1,
				 uint64_t a2, uint64_t a3)
{
	struct lde_trace_event e = { .tsc = tsc, .type = type, .pid = pid, .a = { a0, a1, a2, a3 } };

	return e;
}

/* The whole file written so far, NUL-terminated (the caller frees it). */
static char *slurp(FILE *f)
{
	long n;
	char *buf;

	fflush(f);
	n = ftell(f);
	ck_assert(n >= 0 && (unsigned long)n < FILE_MAX);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	rewind(f);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	return buf;
}

static unsigned count(const char *s, const char *what)
{
	unsigned n = 0;

	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

/* A run in miniature: boot, a task that makes a call and is killed inside a trap. */
static void feed_small_run(void)
{
	struct lde_trace_event e[] = {
		ev(LDE_TRACE_TRAP_TABLE, 0, 1000, 256, 0xffffffff80152280, 0xffffffff80104864, 0),
		ev(LDE_TRACE_TIMER_START, 0, 2000, 1000, 1, 0, 0),
		ev(LDE_TRACE_TASK_START, 1, 3000, 0x401000, 0x7fffffff0000, 0, 0),
		ev(LDE_TRACE_SWITCH, 1, 4000, 0, LDE_TRACE_WHY_FIRST, 0, 0),
		ev(LDE_TRACE_SYSCALL, 1, 5000, SYS_write, 1, 0x402000, 6),
		ev(LDE_TRACE_SYSRET, 1, 6000, SYS_write, 6, 0, 0),
		ev(LDE_TRACE_TRAP, 1, 7000, X86_EXC_GP, 0x401005, 0, 0x2b),
		ev(LDE_TRACE_TASK_KILL, 1, 8000, X86_EXC_GP, 0x401005, 0, 141),
	};
	/* A name with JSON's special characters: the writer must not pass them through. */
	memcpy(&e[2].a[2], "a\"b\\c{d}", 8);
	for (unsigned i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		trace_json_event(&e[i]);
		protocol_event(&e[i]);
	}
}

START_TEST(json_small_run)
{
	FILE *f = tmpfile();
	char *s;

	ck_assert_ptr_nonnull(f);
	trace_json_begin(f, TSC_KHZ, 1000, "kvm_amd");
	protocol_begin("kvm_amd");
	feed_small_run();
	trace_json_vm_exit("write", 5500, 5700);
	trace_json_dropped(3);
	ck_assert_int_eq(trace_json_end("test.json"), 0);
	s = slurp(f);
	/* Strict JSON (bench/json.c's reader), with every event in traceEvents. */
	{
		struct json_doc doc;
		struct json_error err;
		const struct json_value *events, *lde;

		ck_assert_msg(json_parse(s, strlen(s), &doc, &err) == 0, "byte %zu: %s", err.offset,
			      err.msg);
		events = json_get(doc.root, "traceEvents");
		lde = json_get(doc.root, "lde");
		ck_assert_ptr_nonnull(events);
		ck_assert_int_eq(events->type, JSON_ARRAY);
		ck_assert_ptr_nonnull(lde);
		/* 4 track names, and each event or end the writer counted, plus the task's name */
		ck_assert_uint_eq(events->count, 4 + 1 + (size_t)json_get(lde, "events")->number);
		json_free(&doc);
	}
	/* Shape: balanced brackets (no string in it holds one), and the known tail. */
	ck_assert_uint_eq(count(s, "{"), count(s, "}"));
	ck_assert_uint_eq(count(s, "["), count(s, "]"));
	ck_assert_msg(strstr(s, "\"dropped_kernel\":3,\"dropped_cap\":0}}\n") != NULL, "%s", s);
	/* Times: microseconds since tsc0, at 1000 cycles each. */
	ck_assert_ptr_nonnull(strstr(s, "{\"ph\":\"B\",\"pid\":1,\"tid\":1,\"ts\":4.000,\"cat\":\"syscall\",\"name\":\"write\""));
	ck_assert_ptr_nonnull(strstr(s, "{\"ph\":\"E\",\"pid\":1,\"tid\":1,\"ts\":5.000,\"args\":{\"ret\":6}}"));
	ck_assert_ptr_nonnull(strstr(s, "\"name\":\"#GP general protection\""));
	ck_assert_ptr_nonnull(strstr(s, "\"ts\":4.500,\"dur\":0.200,\"cat\":\"vmexit\",\"name\":\"write\""));
	ck_assert_ptr_nonnull(strstr(s, "\"args\":{\"name\":\"pid 1 (a?b?c{d})\"}"));
	/* The kill closes the trap slice it happened in: as many ends as begins on pid 1. */
	ck_assert_uint_eq(count(s, "\"ph\":\"B\",\"pid\":1,\"tid\":1,"),
			  count(s, "\"ph\":\"E\",\"pid\":1,\"tid\":1,"));
	free(s);
	fclose(f);
}
END_TEST

/* Past the cap the writer counts, and the file still ends whole (a cap of 1000 here: the
 * real one, TRACE_EVENTS_MAX, is the same code with a larger number). */
#define TEST_CAP 1000
START_TEST(json_cap)
{
	FILE *f = tmpfile();
	struct lde_trace_event e = ev(LDE_TRACE_SWITCH, 1, 2000, 0, LDE_TRACE_WHY_YIELD, 0, 0);
	char *s, want[128];

	ck_assert_ptr_nonnull(f);
	trace_json_begin(f, TSC_KHZ, 1000, "kvm_amd");
	trace_json_set_cap(TEST_CAP);
	for (unsigned i = 0; i < TEST_CAP + 5; i++)
		trace_json_event(&e);
	ck_assert_int_eq(trace_json_end("cap.json"), 0);
	s = slurp(f);
	snprintf(want, sizeof(want), "\"lde\":{\"events\":%d,\"dropped_kernel\":0,\"dropped_cap\":5}}\n",
		 TEST_CAP);
	ck_assert_msg(strstr(s, want) != NULL, "tail: %s", s + strlen(s) - 120);
	ck_assert_uint_eq(count(s, "\"name\":\"switch\""), TEST_CAP);
	ck_assert_uint_eq(count(s, "{"), count(s, "}"));
	free(s);
	fclose(f);
}
END_TEST

/* The names a trace gives. */
START_TEST(names)
{
	ck_assert_str_eq(lde_syscall_name(SYS_write), "write");
	ck_assert_str_eq(lde_syscall_name(SYS_nop), "lde_nop");
	ck_assert_ptr_null(lde_syscall_name(999));
	ck_assert_ptr_null(lde_syscall_name(UINT64_MAX));
	ck_assert_str_eq(trace_trap_name(LDE_TIMER_VECTOR), "timer interrupt");
	ck_assert_str_eq(trace_trap_name(LDE_SYSCALL_VECTOR), "int $0x80");
	ck_assert_str_eq(trace_trap_name(X86_EXC_PF), "#PF page fault");
	ck_assert_str_eq(trace_trap_name(9), "coprocessor segment overrun");
	ck_assert_str_eq(trace_trap_name(15), "reserved exception");
	ck_assert_str_eq(trace_trap_name(300), "bad vector");
}
END_TEST

static char *protocol_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(m);
	protocol_print(m);
	fclose(m);
	return buf;
}

/* Rows come from the events, stamped in cycles since the trap table; a step that did not
 * happen is said to be missing. */
START_TEST(protocol_rows)
{
	char *s;

	protocol_begin("kvm_amd");
	feed_small_run();
	s = protocol_text();
	ck_assert_ptr_nonnull(strstr(s, "Limited Direct Execution Protocol (this run on kvm_amd"));
	ck_assert_ptr_nonnull(strstr(s, "           0 | initialize trap table (lidt: 256"));
	ck_assert_ptr_nonnull(strstr(s, "        1000 | start interrupt timer (1000 Hz,"));
	ck_assert_ptr_nonnull(strstr(s, "        3000 | return-from-trap (iretq)"));
	ck_assert_ptr_nonnull(strstr(s, "call system call write();"));
	ck_assert_ptr_nonnull(strstr(s, "        5000 | return-from-trap (result 6)"));
	ck_assert_ptr_nonnull(strstr(s, "        6000 |"));  /* the #GP's trap */
	ck_assert_ptr_nonnull(strstr(s, "#GP general protection: save regs"));
	ck_assert_ptr_nonnull(strstr(s, "(this run had no timer interrupt that switched tasks)"));
	free(s);
}
END_TEST

START_TEST(protocol_timer_switch)
{
	struct lde_trace_event e[] = {
		ev(LDE_TRACE_TRAP_TABLE, 0, 100, 256, 0, 0, 0),
		ev(LDE_TRACE_TASK_START, 1, 200, 0x401000, 0, 0, 0),
		ev(LDE_TRACE_TASK_START, 2, 300, 0x401000, 0, 0, 0),
		ev(LDE_TRACE_SWITCH, 1, 400, 0, LDE_TRACE_WHY_FIRST, 0, 0),
		/* a timer interrupt that does not switch (the slice is not over) */
		ev(LDE_TRACE_TRAP, 1, 500, LDE_TIMER_VECTOR, 0x401100, 0, 0x2b),
		ev(LDE_TRACE_TRAP_RETURN, 1, 550, LDE_TIMER_VECTOR, 0, 0, 0),
		ev(LDE_TRACE_TRAP, 1, 600, LDE_TIMER_VECTOR, 0x401234, 0, 0x2b),
		ev(LDE_TRACE_SWITCH, 2, 700, 1, LDE_TRACE_WHY_TIMER, 0, 0),
		ev(LDE_TRACE_SYSCALL, 2, 800, SYS_getpid, 0, 0, 0),
	};
	char *s;

	protocol_begin("kvm_pvm");
	for (unsigned i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		protocol_event(&e[i]);
	s = protocol_text();
	ck_assert_ptr_nonnull(strstr(s, "Process A (pid 1) runs"));
	ck_assert_msg(strstr(s, "         500 |") != NULL, "%s", s); /* the timer trap that switched */
	ck_assert_ptr_nonnull(strstr(s, "0x401234)")); /* where A was interrupted */
	ck_assert_ptr_nonnull(strstr(s, "         600 | handle the trap; call switch():"));
	ck_assert_ptr_nonnull(strstr(s, "         700 |"));             /* B runs again */
	ck_assert_ptr_nonnull(strstr(s, "Process B (pid 2) runs"));
	ck_assert_ptr_null(strstr(s, "this run had no timer interrupt"));
	free(s);
}
END_TEST

Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *j = tcase_create("json");
	TCase *p = tcase_create("protocol");

	tcase_add_test(j, json_small_run);
	tcase_add_test(j, json_cap);
	tcase_add_test(j, names);
	tcase_add_test(p, protocol_rows);
	tcase_add_test(p, protocol_timer_switch);
	suite_add_tcase(s, j);
	suite_add_tcase(s, p);
	return s;
}
