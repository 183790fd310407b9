/* vmm/opts.c: parsing and checking the VMM's options. */
#include "opts.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../abi/exit.h"
#include "../abi/x86.h"

const char opts_usage[] =
	"usage: vmm [options] GUEST.elf [KEY=VALUE...] [TASK.elf...] [-- PROG [ARG...]]...\n"
	"\n"
	"Boot the ELF64 x86-64 kernel GUEST.elf on one KVM vCPU, straight into long mode.\n"
	"Each TASK.elf is loaded into guest RAM as a boot module, in order; our kernel runs\n"
	"one task per module. The KEY=VALUE words form the kernel command line. Each --\n"
	"starts one more task, PROG, whose argv is the words up to the next -- (PROG as\n"
	"given first; never kernel words, = or not; 128 KiB at most).\n"
	"\n"
	"options:\n"
	"  -m, --mem SIZE        guest RAM, a multiple of 2M from 4M to 3G (default 64M);\n"
	"                        suffixes K, M, G\n"
	"  -t, --timeout SECS    end the guest after SECS seconds (fractions allowed;\n"
	"                        0, the default, means never)\n"
	"  -s, --stats           at exit, print the KVM platform and VM exit counts on stderr\n"
	"      --bench           at exit, print the VMM's bench metrics on stderr: the\n"
	"                        KVM_RUN round trip of the guest's NOP hypercalls, and the\n"
	"                        VMM's resident memory beyond the guest RAM it touched\n"
	"      --step            let the guest count its kernel's instructions by single-\n"
	"                        stepping windows it opens (the bench's steps=)\n"
	"      --step-log FILE   --step, and write each window's instructions' addresses\n"
	"                        to FILE (tools/step-profile names their functions)\n"
	"  -v, --verbose         say what the VMM does: platform, memory, image layout\n"
	"      --trace FILE      write what the kernel did (system calls, traps, timer\n"
	"                        interrupts, switches, task starts and ends) and the VM exits\n"
	"                        as Chrome trace-event JSON, for ui.perfetto.dev or\n"
	"                        chrome://tracing; adds the kernel word trace=on\n"
	"      --protocol        at exit, print the run as OSTEP's two Limited Direct\n"
	"                        Execution protocol tables on stderr; adds trace=on\n"
	"      --gdb PORT|PATH   wait for GDB on 127.0.0.1:PORT (or the Unix socket PATH)\n"
	"                        before the guest's first instruction; each task is a\n"
	"                        GDB thread; adds the kernel word debug=on\n"
	"      --no-sandbox      do not confine the VMM with its seccomp filter (for\n"
	"                        debugging the VMM under strace or gdb)\n"
	"  -h, --help            print this help and exit\n"
	"      --version         print the version (the VERSION file, and git describe in a\n"
	"                        git checkout) and exit\n"
	"\n"
	"exit status:\n"
	"  0-123, 128-255  the guest's own status, from its exit hypercall\n"
	"  124             --timeout expired, or GDB's kill (--gdb)\n"
	"  125             the VMM failed: bad usage, no usable /dev/kvm, a KVM call failed\n"
	"  126             the guest image was unreadable or refused (one line on stderr says why)\n"
	"  127             the guest crashed: triple fault, KVM internal error, failed entry,\n"
	"                  a bad or unknown hypercall, port I/O or MMIO that the VMM does not serve\n"
	"\n"
	"Our kernel, guest.elf, exits 120 on a kernel panic (see README.md).\n";

int opts_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: return -1;
	}
	if (*end != '\0' || v > (UINT64_MAX >> shift))
		return -1;
	*bytes = (uint64_t)v << shift;
	return 0;
}

int opts_parse_seconds(const char *s, double *seconds)
{
	char *end;
	double v;

	/* Plain decimal only: strtod would also take " 5", "0x10" and "1e3". */
	if (s == NULL || *s == '\0' || strspn(s, "0123456789.") != strlen(s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < 0 || v > VMM_TIMEOUT_MAX)
		return -1;
	*seconds = v;
	return 0;
}

#define GDB_PATH_MAX 107 /* sockaddr_un's sun_path, less its NUL */
#define PORT_MAX 65535

/* --gdb's value: a port number, or a path for a Unix socket (one with a '/'). */
static int gdb_where_ok(const char *s)
{
	char *end;
	long port;

	if (strchr(s, '/'))
		return strlen(s) <= GDB_PATH_MAX ? 0 : -1;
	errno = 0;
	port = strtol(s, &end, 10);
	return *s >= '0' && *s <= '9' && *end == '\0' && errno == 0 && port >= 1 &&
			       port <= PORT_MAX ? 0 : -1;
}

/* One more task image, path = argv[0], with argc words of arguments (its own path first). */
static int add_module(struct vmm_opts *o, char **argv, unsigned argc, char *err, size_t errlen)
{
	uint64_t bytes = 0;

	if (o->module_count == LDE_MODULES_MAX) {
		snprintf(err, errlen, "more than %d task images", LDE_MODULES_MAX);
		return -1;
	}
	for (unsigned i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	if (bytes > LDE_ARGS_MAX) {
		snprintf(err, errlen, "%s: its arguments take %llu bytes, more than %d", argv[0],
			 (unsigned long long)bytes, LDE_ARGS_MAX);
		return -1;
	}
	o->modules[o->module_count] = argv[0];
	o->module_argv[o->module_count] = argv;
	o->module_argc[o->module_count] = argc;
	o->module_count++;
	return 0;
}

/* A KEY=VALUE word onto the kernel command line (*used bytes of it so far). */
static int add_kernel_word(struct vmm_opts *o, size_t *used, const char *w, char *err,
			   size_t errlen)
{
	size_t wl = strlen(w);

	if (*used + (*used > 0) + wl + 1 > sizeof(o->cmdline)) {
		snprintf(err, errlen, "the kernel command line is longer than %d bytes",
			 LDE_CMDLINE_MAX - 1);
		return -1;
	}
	if (*used > 0)
		o->cmdline[(*used)++] = ' ';
	memcpy(o->cmdline + *used, w, wl + 1);
	*used += wl;
	return 0;
}

/*
 * The words after the image: KEY=VALUE words join the command line and the rest are task
 * images, until the first --; from there each -- starts one task, PROG [ARG...], whose words
 * run to the next -- and are never kernel words, = or not.
 */
static int take_words(struct vmm_opts *o, int n, char **words, char *err, size_t errlen)
{
	size_t used = 0;
	int i = 0;

	for (; i < n && strcmp(words[i], "--") != 0; i++) {
		int r = strchr(words[i], '=') ? add_kernel_word(o, &used, words[i], err, errlen)
					      : add_module(o, &words[i], 1, err, errlen);
		if (r != 0)
			return -1;
	}
	while (i < n) { /* words[i] is "--" */
		int start = ++i;

		while (i < n && strcmp(words[i], "--") != 0)
			i++;
		if (i == start) {
			snprintf(err, errlen, "-- must be followed by a program to run as a task");
			return -1;
		}
		if (add_module(o, &words[start], (unsigned)(i - start), err, errlen) != 0)
			return -1;
	}
	return 0;
}

#define OPT_NO_SANDBOX 256 /* long-only options get numbers above any character */
#define OPT_BENCH 257
#define OPT_TRACE 258
#define OPT_PROTOCOL 259
#define OPT_GDB 260
#define DEBUG_WORD "debug=on" /* what --gdb adds to the kernel command line */
#define OPT_VERSION 262
#define TRACE_WORD "trace=on" /* what --trace and --protocol add to the kernel command line */
#define OPT_STEP 261
#define OPT_STEP_LOG 263

enum opts_result opts_parse(int argc, char **argv, struct vmm_opts *o, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "stats", no_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-sandbox", no_argument, NULL, OPT_NO_SANDBOX },
		{ "bench", no_argument, NULL, OPT_BENCH },
		{ "trace", required_argument, NULL, OPT_TRACE },
		{ "protocol", no_argument, NULL, OPT_PROTOCOL },
		{ "gdb", required_argument, NULL, OPT_GDB },
		{ "step", no_argument, NULL, OPT_STEP },
		{ "step-log", required_argument, NULL, OPT_STEP_LOG },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->mem_size = VMM_MEM_DEFAULT;
	optind = 0; /* 0, not 1: also resets getopt's internal state between calls */
	opterr = 0;
	/* "+": stop at the first non-option, so the guest's words may start with '-'. */
	while ((c = getopt_long(argc, argv, "+m:t:svh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (opts_parse_size(optarg, &o->mem_size) != 0) {
				snprintf(err, errlen, "--mem: '%s' is not a size (try 64M)", optarg);
				return OPTS_ERROR;
			}
			if (o->mem_size < VMM_MEM_MIN || o->mem_size > VMM_MEM_MAX ||
			    o->mem_size % X86_LARGE_PAGE_SIZE != 0) {
				snprintf(err, errlen,
					 "--mem: %s is out of range: a multiple of 2M from 4M to 3G",
					 optarg);
				return OPTS_ERROR;
			}
			break;
		case 't':
			if (opts_parse_seconds(optarg, &o->timeout) != 0) {
				snprintf(err, errlen, "--timeout: '%s' is not a number of seconds "
					 "from 0 to %.0f", optarg, VMM_TIMEOUT_MAX);
				return OPTS_ERROR;
			}
			break;
		case 's': o->stats = 1; break;
		case 'v': o->verbose = 1; break;
		case OPT_NO_SANDBOX: o->no_sandbox = 1; break;
		case OPT_BENCH: o->bench = 1; break;
		case OPT_TRACE:
			if (*optarg == '\0') {
				snprintf(err, errlen, "--trace: the file name is empty");
				return OPTS_ERROR;
			}
			o->trace_path = optarg;
			break;
		case OPT_PROTOCOL: o->protocol = 1; break;
		case OPT_GDB:
			if (gdb_where_ok(optarg) != 0) {
				snprintf(err, errlen, "--gdb: '%s' is neither a port (1-%d) nor a socket "
					 "path (at most %d bytes, with a '/')", optarg, PORT_MAX,
					 GDB_PATH_MAX);
				return OPTS_ERROR;
			}
			o->gdb = optarg;
			break;
		case OPT_STEP: o->step = 1; break;
		case OPT_STEP_LOG:
			if (*optarg == '\0') {
				snprintf(err, errlen, "--step-log: the file name is empty");
				return OPTS_ERROR;
			}
			o->step_log = optarg;
			o->step = 1;
			break;
		case 'h': return OPTS_HELP;
		case OPT_VERSION: return OPTS_VERSION;
		case '?':
			if (optopt)
				snprintf(err, errlen, "option -%c: unknown or missing its value", optopt);
			else
				snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return OPTS_ERROR;
		default:
			snprintf(err, errlen, "option parsing failed");
			return OPTS_ERROR;
		}
	}
	if (optind >= argc) {
		snprintf(err, errlen, "no guest image given (try --help)");
		return OPTS_ERROR;
	}
	o->image = argv[optind];
	if (take_words(o, argc - optind - 1, argv + optind + 1, err, errlen) != 0)
		return OPTS_ERROR;
	if (o->trace_path || o->protocol) {
		size_t used = strlen(o->cmdline);

		if (add_kernel_word(o, &used, TRACE_WORD, err, errlen) != 0)
			return OPTS_ERROR;
	}
	if (o->gdb && o->step) {
		snprintf(err, errlen, "--gdb and --step (or --step-log) cannot be used together: both single-step the vCPU");
		return OPTS_ERROR;
	}
	if (o->gdb) {
		size_t used = strlen(o->cmdline);

		if (add_kernel_word(o, &used, DEBUG_WORD, err, errlen) != 0)
			return OPTS_ERROR;
	}
	return OPTS_RUN;
}
