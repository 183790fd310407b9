/*
 * guest/strace.c: the kernel word `strace=on` prints every system call of every task, with its
 * arguments and result, the way strace(1) does:
 *     lde: [pid 1] write(1, "hello\n", 6) = 6
 *     lde: [pid 1] openat(-100, "/etc/passwd", 0x80000, 0) = -1 ENOENT
 * An optional module: it watches the dispatcher through a system-call hook and is not
 * installed unless the word is given. It reads task memory only through copyin.
 */
#include "../abi/boot.h"
#include "../common/fmt.h"
#include "../common/string.h"
#include "../common/sysname.h"
#include "cmdline.h"
#include "kernel.h"
#include "syscall.h"
#include "task.h"
#include "uaccess.h"

#define STR_SHOWN 32   /* bytes of a buffer or string shown, as strace's default -s 32 */
#define LINE_MAX 512   /* one printed call */
#define MAX_ERRNO 4095 /* results in [-4095, -1] are errors, as Linux's IS_ERR_VALUE */

/*
 * How each call is printed: its result's kind, a colon, then one letter per argument:
 *   d  a signed int (an fd, a clock)      u  an unsigned length
 *   x  a number in hex (flags, a request)  p  an address (NULL when 0)
 *   s  a NUL-terminated string (a path)
 *   b  a buffer the caller gives: its bytes, as many as the next argument says
 *   B  a buffer the call fills: its bytes, as many as the result says
 * A call without an entry prints its six registers in hex.
 */
static const char *const formats[SYS_MAX] = {
	[SYS_read] = "d:dBu",
	[SYS_write] = "d:dbu",
	[SYS_open] = "d:sx",
	[SYS_close] = "d:d",
	[SYS_fstat] = "d:dp",
	[SYS_lseek] = "d:ddd",
	[SYS_mmap] = "x:puxxdx",
	[SYS_mprotect] = "d:pux",
	[SYS_munmap] = "d:pu",
	[SYS_brk] = "x:p",
	[SYS_rt_sigaction] = "d:dppu",
	[SYS_rt_sigprocmask] = "d:dppu",
	[SYS_ioctl] = "d:dxp",
	[SYS_readv] = "d:dpd",
	[SYS_writev] = "d:dpd",
	[SYS_sched_yield] = "d:",
	[SYS_mremap] = "x:puux",
	[SYS_madvise] = "d:pud",
	[SYS_nanosleep] = "d:pp",
	[SYS_getpid] = "d:",
	[SYS_exit] = "d:d",
	[SYS_uname] = "d:p",
	[SYS_fcntl] = "d:ddx",
	[SYS_getcwd] = "d:pu",
	[SYS_readlink] = "d:spu",
	[SYS_gettimeofday] = "d:pp",
	[SYS_getrlimit] = "d:dp",
	[SYS_sysinfo] = "d:p",
	[SYS_getuid] = "d:",
	[SYS_getgid] = "d:",
	[SYS_geteuid] = "d:",
	[SYS_getegid] = "d:",
	[SYS_getppid] = "d:",
	[SYS_getgroups] = "d:dp",
	[SYS_prctl] = "d:dxxxx",
	[SYS_arch_prctl] = "d:xp",
	[SYS_set_robust_list] = "d:pu",
	[SYS_rseq] = "d:puxx",
	[SYS_gettid] = "d:",
	[SYS_time] = "d:p",
	[SYS_set_tid_address] = "d:p",
	[SYS_clock_gettime] = "d:dp",
	[SYS_clock_nanosleep] = "d:ddpp",
	[SYS_exit_group] = "d:d",
	[SYS_openat] = "d:dsx",
	[SYS_newfstatat] = "d:dspx",
	[SYS_prlimit64] = "d:ddpp",
	[SYS_getrandom] = "d:pux",
	[SYS_nop] = "d:",
	[SYS_stats] = "d:p",
	[SYS_bench] = "d:uxxx",
	[SYS_assert_fail] = "d:ssd",
};

struct line {
	char buf[LINE_MAX];
	size_t len;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	n = fmt_vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < sizeof(l->buf) - l->len ? (size_t)n : sizeof(l->buf) - 1 - l->len;
}

/* len bytes of task memory as a C string literal, cut at STR_SHOWN with "..." after. */
static void put_bytes(struct line *l, uint64_t uaddr, uint64_t len, int stop_at_nul)
{
	char b[STR_SHOWN + 1];
	uint64_t n = len < sizeof(b) ? len : sizeof(b);
	uint64_t shown = 0;

	/* A string's length is not known: take what can be read, a byte at a time at the end. */
	while (n > 0 && copyin(b, uaddr, n) != 0)
		n--;
	if (n == 0 && len > 0) {
		put(l, "0x%llx", (unsigned long long)uaddr);
		return;
	}
	put(l, "\"");
	for (; shown < n && shown < STR_SHOWN; shown++) {
		unsigned char c = (unsigned char)b[shown];

		if (stop_at_nul && c == '\0')
			break;
		switch (c) {
		case '\n': put(l, "\\n"); break;
		case '\t': put(l, "\\t"); break;
		case '"': put(l, "\\\""); break;
		case '\\': put(l, "\\\\"); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				put(l, "%c", c);
			else
				put(l, "\\x%02x", c);
		}
	}
	put(l, "\"");
	if (stop_at_nul ? shown == STR_SHOWN && n > STR_SHOWN && b[STR_SHOWN] != '\0'
			: len > STR_SHOWN)
		put(l, "...");
}

static void put_arg(struct line *l, char kind, const uint64_t *a, int i, int64_t ret, int left)
{
	uint64_t v = a[i];

	switch (kind) {
	case 'd': put(l, "%d", (int)v); break;
	case 'u': put(l, "%llu", (unsigned long long)v); break;
	case 'x': put(l, "0x%llx", (unsigned long long)v); break;
	case 's':
		if (v == 0)
			put(l, "NULL");
		else
			put_bytes(l, v, STR_SHOWN + 1, 1);
		break;
	case 'b': put_bytes(l, v, i < 5 ? a[i + 1] : 0, 0); break;
	case 'B':
		if (left && ret > 0)
			put_bytes(l, v, (uint64_t)ret, 0);
		else
			put(l, "0x%llx", (unsigned long long)v);
		break;
	default: /* 'p' */
		if (v == 0)
			put(l, "NULL");
		else
			put(l, "0x%llx", (unsigned long long)v);
	}
}

static void put_result(struct line *l, char kind, int64_t ret)
{
	if (ret < 0 && ret >= -MAX_ERRNO) {
		const char *e = errno_name(-ret);

		if (e)
			put(l, " = -1 %s", e);
		else
			put(l, " = -1 errno %lld", (long long)-ret);
	} else if (kind == 'x') {
		put(l, " = 0x%llx", (unsigned long long)ret);
	} else {
		put(l, " = %lld", (long long)ret);
	}
}

static void strace_hook(const struct trapframe *tf, enum syscall_stop stop, int64_t ret)
{
	uint64_t nr = tf->rax;
	uint64_t a[6] = { tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9 };
	const char *fmt = nr < SYS_MAX ? formats[nr] : NULL;
	const char *name = lde_syscall_name(nr);
	int noreturn = nr == SYS_exit || nr == SYS_exit_group;
	struct line l = { .len = 0 };

	/* One line a call, printed once its result is known; exit's at entry, as it never leaves. */
	if ((stop == SYSCALL_ENTER) != noreturn)
		return;
	put(&l, "lde: [pid %d] ", current->pid);
	if (name)
		put(&l, "%s(", name);
	else
		put(&l, "syscall_0x%llx(", (unsigned long long)nr);
	if (fmt) {
		for (int i = 0; fmt[2 + i] != '\0' && i < 6; i++) {
			put(&l, i ? ", " : "");
			put_arg(&l, fmt[2 + i], a, i, ret, stop == SYSCALL_LEAVE);
		}
	} else {
		for (int i = 0; i < 6; i++)
			put(&l, "%s0x%llx", i ? ", " : "", (unsigned long long)a[i]);
	}
	put(&l, ")");
	if (noreturn)
		put(&l, " = ?");
	else
		put_result(&l, fmt ? fmt[0] : 'd', ret);
	kprintf("%s\n", l.buf);
}

void strace_init(void)
{
	int on = cmdline_switch(boot_info.cmdline, "strace");

	if (on < 0)
		panic("strace=: on (print every system call of every task)");
	if (on == 0)
		return;
	if (syscall_hook_add(strace_hook) != 0)
		panic("strace: no system-call hook left");
}
