/* tests/unit/suites.h: one Check suite per module under test; main.c runs them all. */
#ifndef TESTS_UNIT_SUITES_H
#define TESTS_UNIT_SUITES_H

#include <check.h>

Suite *clock_suite(void);
Suite *cmdline_suite(void);
Suite *cpu_suite(void);
Suite *desc_suite(void);
Suite *elf_suite(void);
Suite *elfcheck_suite(void);
Suite *fmt_suite(void);
Suite *gdb_suite(void);
Suite *gmem_suite(void);
Suite *hypercall_suite(void);
Suite *json_suite(void);
Suite *judge_suite(void);
Suite *opts_suite(void);
Suite *pvh_suite(void);
Suite *report_suite(void);
Suite *syscall_suite(void);
Suite *trace_suite(void);
Suite *uaccess_suite(void);

#endif
