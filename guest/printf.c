/* guest/printf.c: kprintf and panic, on top of common/fmt.c and the console hypercall. */
#include "../abi/exit.h"
#include "../abi/hypercall.h"
#include "../common/fmt.h"
#include "../common/string.h"
#include "hypercall.h"
#include "kernel.h"

/* Console output is gathered into lines so that a line costs one VM exit, not one per byte. */
static char line[256];
static size_t line_len;

void console_flush(void)
{
	if (line_len)
		hc_write(LDE_IO_STDERR, line, line_len); /* the kernel's lines are not a task's output */
	line_len = 0;
}

static void console_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		line[line_len++] = s[i];
		if (s[i] == '\n' || line_len == sizeof(line))
			console_flush();
	}
}

void kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_put(buf, n >= 0 && n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("kernel panic: %s\n", buf);
	console_flush();
	hc_exit(LDE_EXIT_KERNEL_PANIC);
}
