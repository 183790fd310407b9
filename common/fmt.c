/* common/fmt.c: the printf format engine, shared by the kernel and the user library (pure). */
#include "fmt.h"

#include <stdint.h>

#define FMT_WIDTH_MAX 4096
#define FMT_LEN_MAX 0x7fffffff /* the return value is an int */

struct out {
	char *buf;
	size_t cap, len; /* len counts every byte, even those past cap */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, uint64_t v, unsigned base, int neg, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg && pad == '0')
		put(o, '-');
	for (int w = n + neg; w < width; w++)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

int fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct out o = { buf, cap, 0 };

	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';
		uint64_t u;
		int64_t s;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		if (*++fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9') {
			if (width < FMT_WIDTH_MAX) /* wider is cut to the cap, never overflows */
				width = width * 10 + (*fmt - '0');
			fmt++;
		}
		if (width > FMT_WIDTH_MAX)
			width = FMT_WIDTH_MAX;
		while (*fmt == 'l' || *fmt == 'z')
			lng++, fmt++;
		switch (*fmt) {
		case 'd': case 'i':
			s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0, width, pad);
			break;
		case 'u': case 'x':
			u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_num(&o, u, *fmt == 'u' ? 10 : 16, 0, width, pad);
			break;
		case 'p':
			put(&o, '0'), put(&o, 'x');
			put_num(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, 0, width, pad);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int n = 0;
			if (!str)
				str = "(null)";
			for (; str[n]; n++)
				;
			for (int w = n; w < width; w++)
				put(&o, ' ');
			while (*str)
				put(&o, *str++);
			break;
		}
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case '%': put(&o, '%'); break;
		case '\0': fmt--; break;
		default: put(&o, '%'), put(&o, *fmt); break;
		}
	}
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len > FMT_LEN_MAX ? FMT_LEN_MAX : (int)o.len;
}



int fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
