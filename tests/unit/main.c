/* tests/unit/main.c: runs every unit-test suite and prints Check's summary line. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(gmem_suite());
	int failed;

	srunner_add_suite(sr, opts_suite());
	srunner_add_suite(sr, cpu_suite());
	srunner_add_suite(sr, desc_suite());
	srunner_add_suite(sr, cmdline_suite());
	srunner_add_suite(sr, hypercall_suite());
	srunner_add_suite(sr, elf_suite());
	srunner_add_suite(sr, elfcheck_suite());
	srunner_add_suite(sr, syscall_suite());
	srunner_add_suite(sr, uaccess_suite());
	srunner_add_suite(sr, fmt_suite());
	srunner_add_suite(sr, report_suite());
	srunner_add_suite(sr, json_suite());
	srunner_add_suite(sr, judge_suite());
	srunner_add_suite(sr, clock_suite());
	srunner_add_suite(sr, trace_suite());
	srunner_add_suite(sr, gdb_suite());
	srunner_add_suite(sr, pvh_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
