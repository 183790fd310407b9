/* vmm/opts.h: the VMM's command line. */
#ifndef VMM_OPTS_H
#define VMM_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "../abi/boot.h"

#define VMM_MEM_DEFAULT (64ull << 20)
#define VMM_MEM_MIN (4ull << 20)
#define VMM_MEM_MAX (3ull << 30) /* stays below the 32-bit MMIO hole where the APICs live */
#define VMM_TIMEOUT_MAX 86400.0

struct vmm_opts {
	uint64_t mem_size;
	double timeout; /* seconds; 0: none */
	int stats;
	int bench; /* --bench: print the VMM's own bench lines (bench/README.md) */
	int step;  /* --step: serve the guest's single-step windows (LDE_HC_STEP) */
	const char *step_log; /* --step-log FILE: every stepped instruction's address (implies --step) */
	int verbose;
	int no_sandbox; /* --no-sandbox: no seccomp filter, for debugging */
	const char *trace_path; /* --trace FILE: the kernel's events as Chrome trace JSON */
	int protocol;           /* --protocol: the run as the chapter's protocol tables */
	const char *gdb;        /* --gdb PORT|PATH: wait for GDB there (vmm/gdb.c) */
	const char *image;
	char cmdline[LDE_CMDLINE_MAX]; /* the KEY=VALUE words after the image, joined by spaces */
	const char *modules[LDE_MODULES_MAX]; /* the other words after the image: task images */
	/*
	 * Each module's argv, as words of argv: module_argv[i] .. + module_argc[i]. A module
	 * named alone has argc 1 (its path); one after -- has the words up to the next --.
	 */
	char **module_argv[LDE_MODULES_MAX];
	unsigned module_argc[LDE_MODULES_MAX];
	unsigned module_count;
};

enum opts_result { OPTS_RUN, OPTS_HELP, OPTS_VERSION, OPTS_ERROR };

/* opts_parse: fill o from argv; with OPTS_ERROR, err says why. Does not print. */
enum opts_result opts_parse(int argc, char **argv, struct vmm_opts *o, char *err, size_t errlen);

/* opts_parse_size: "64M", "1G", "4096K", "8388608" -> bytes; -1 on a malformed value. */
int opts_parse_size(const char *s, uint64_t *bytes);

/* opts_parse_seconds: "10", "0.5" -> seconds in [0, VMM_TIMEOUT_MAX]; -1 otherwise. */
int opts_parse_seconds(const char *s, double *seconds);

/* opts_usage: the --help text. */
extern const char opts_usage[];

#endif
