/* guest/cmdline.c: the kernel command line parser (pure; unit-tested on the host). */
#include "cmdline.h"

static size_t span(const char *s, char stop)
{
	size_t n = 0;
	while (s[n] && s[n] != ' ' && s[n] != stop)
		n++;
	return n;
}

int cmdline_get(const char *cmdline, const char *key, char *val, size_t cap)
{
	int found = 0;
	size_t klen = 0;

	while (key[klen])
		klen++;
	for (const char *p = cmdline; *p;) {
		size_t wlen = span(p, '\0');
		size_t nlen = span(p, '=');
		if (wlen == 0) {
			p++;
			continue;
		}
		if (nlen == klen && nlen > 0) {
			size_t i = 0;
			while (i < klen && p[i] == key[i])
				i++;
			if (i == klen) {
				size_t vlen = wlen > nlen ? wlen - nlen - 1 : 0;
				if (vlen + 1 > cap)
					return -1;
				for (size_t j = 0; j < vlen; j++)
					val[j] = p[nlen + 1 + j];
				val[vlen] = '\0';
				found = 1;
			}
		}
		p += wlen;
	}
	return found;
}

int cmdline_switch(const char *cmdline, const char *key)
{
	char v[sizeof("on") + 1]; /* room for one byte more: "onx" must not pass as "on" */

	switch (cmdline_get(cmdline, key, v, sizeof(v))) {
	case 0: return 0;
	case 1: return v[0] == 'o' && v[1] == 'n' && v[2] == '\0' ? 1 : -1;
	default: return -1;
	}
}

int cmdline_01(const char *cmdline, const char *key, int dflt)
{
	char v[sizeof("0") + 1]; /* room for one byte more: "01" must not pass as "0" */

	switch (cmdline_get(cmdline, key, v, sizeof(v))) {
	case 0: return dflt;
	case 1: return (v[0] == '0' || v[0] == '1') && v[1] == '\0' ? v[0] - '0' : -1;
	default: return -1;
	}
}

int cmdline_list_has(const char *list, const char *item)
{
	size_t ilen = 0;

	while (item[ilen])
		ilen++;
	for (const char *p = list; *p;) {
		size_t n = 0;
		while (p[n] && p[n] != ',')
			n++;
		if (n == ilen) {
			size_t i = 0;
			while (i < n && p[i] == item[i])
				i++;
			if (i == n)
				return 1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}
