/* tests/fuzz/fuzz_cmdline.c: libFuzzer harness for the kernel's command-line parser, guest/cmdline.c, against a reference. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../guest/cmdline.h"

/*
 * Input: one byte giving the value buffer's size (cap, 0..255), then the command line, a NUL,
 * and the key (to its end or the next NUL). The command line, the key and the value buffer
 * are heap blocks of exactly their size, so ASan flags any access past them.
 */

#define CHECK(cond)                                                                          \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "fuzz_cmdline: invariant failed: %s (%s:%d)\n", #cond,       \
				__FILE__, __LINE__);                                         \
			abort();                                                             \
		}                                                                            \
	} while (0)

/*
 * Reference for cmdline_get, written from its contract in guest/cmdline.h: words are
 * separated by spaces; a word is `name` or `name=value` (name up to the first '=');
 * a non-empty name equal to key matches. The last match wins; a match whose value does not
 * fit in cap bytes with its NUL ends the search with -1. Sets *vstart and *vlen for a match.
 */
static int ref_get(const char *cl, const char *key, size_t cap, const char **vstart, size_t *vlen)
{
	size_t klen = strlen(key);
	int found = 0;

	while (*cl) {
		size_t w = strcspn(cl, " ");
		if (w == 0) {
			cl++;
			continue;
		}
		const char *eq = memchr(cl, '=', w);
		size_t name = eq ? (size_t)(eq - cl) : w;
		if (name > 0 && name == klen && memcmp(cl, key, klen) == 0) {
			size_t v = eq ? w - name - 1 : 0;
			if (v + 1 > cap)
				return -1;
			*vstart = eq ? eq + 1 : cl + w;
			*vlen = v;
			found = 1;
		}
		cl += w;
	}
	return found;
}

/*
 * Reference for cmdline_list_has: the list's comma-separated elements, where the empty
 * element after a trailing comma (and the whole of an empty list) is not counted.
 */
static int ref_list_has(const char *list, const char *item)
{
	size_t ilen = strlen(item);
	const char *p = list;

	if (*p == '\0')
		return 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		if (n == ilen && memcmp(p, item, n) == 0)
			return 1;
		if (p[n] == '\0' || p[n + 1] == '\0')
			return 0;
		p += n + 1;
	}
}

static char *dup_n(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s == NULL)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap, cl_len, key_len;
	const uint8_t *nul, *key_p;
	char *cl, *key, *val;
	const char *vstart = NULL;
	size_t vlen = 0;
	int got, want;

	if (size < 1)
		return 0;
	cap = data[0];
	data++;
	size--;
	nul = memchr(data, '\0', size);
	cl_len = nul ? (size_t)(nul - data) : size;
	key_p = nul ? nul + 1 : data + size;
	key_len = nul ? size - cl_len - 1 : 0;
	nul = memchr(key_p, '\0', key_len);
	if (nul)
		key_len = (size_t)(nul - key_p);

	cl = dup_n(data, cl_len);
	key = dup_n(key_p, key_len);
	val = malloc(cap ? cap : 1);
	if (val == NULL)
		abort();
	if (cap == 0) {
		/* cap 0: the function may not write a byte; make any write visible to ASan. */
		free(val);
		val = NULL;
	}

	got = cmdline_get(cl, key, val, cap);
	want = ref_get(cl, key, cap, &vstart, &vlen);
	if (got != want) {
		fprintf(stderr, "fuzz_cmdline: cmdline_get(\"%s\", \"%s\", cap %zu) = %d, reference %d\n",
			cl, key, cap, got, want);
		abort();
	}
	if (got == 1) {
		CHECK(memchr(val, '\0', cap) != NULL);
		CHECK(strlen(val) == vlen && memcmp(val, vstart, vlen) == 0);
		/* selftest=LIST: the value is then a comma-separated list; look the key up in it. */
		CHECK(cmdline_list_has(val, key) == ref_list_has(val, key));
	}

	/* The command line itself as a comma-separated list, the key as the item. */
	got = cmdline_list_has(cl, key);
	want = ref_list_has(cl, key);
	if (got != want) {
		fprintf(stderr, "fuzz_cmdline: cmdline_list_has(\"%s\", \"%s\") = %d, reference %d\n",
			cl, key, got, want);
		abort();
	}
	free(val);
	free(key);
	free(cl);
	return 0;
}
