/* bench/json.c: a small, strict JSON reader (see json.h): recursive descent into a bounded array of values. */
#define _GNU_SOURCE
#include "json.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hex.h"

#define NONE SIZE_MAX        /* no such value: an index's "NULL" while the array may move */
#define VALUES_FIRST_CAP 256 /* the array doubles from here, up to JSON_VALUES_MAX */
#define HEX_DIGITS 4         /* \uXXXX */
#define SURROGATE_HIGH_MIN 0xd800u
#define SURROGATE_LOW_MIN 0xdc00u
#define SURROGATE_LOW_END 0xe000u /* one past the last low surrogate */
#define SURROGATE_BITS 10         /* each half of a pair carries ten bits */
#define PLANE_ONE 0x10000u        /* the first code point that needs a pair */
#define KEY_SHOWN_MAX 40          /* of a duplicate key, in its message */

/* The values may move while parsing: members are linked by index, made pointers at the end. */
struct links {
	size_t first, last, next;
};

struct parser {
	const char *start, *p, *end;
	struct json_value *v;
	struct links *link;
	size_t nv, cap;
	char *str; /* the string arena: len + 1 bytes, which every string's decoding fits in */
	size_t nstr;
	struct json_error *err;
};

static int fail(struct parser *ps, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	ps->err->offset = (size_t)(at - ps->start);
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* What is at p, for a message: 'x', byte 0xNN, or the end of the input. */
static const char *found(const struct parser *ps, const char *p, char *buf, size_t cap)
{
	unsigned char c;

	if (p >= ps->end)
		return "the end of the input";
	c = (unsigned char)*p;
	if (c > ' ' && c < 0x7f && c != '\'')
		snprintf(buf, cap, "'%c'", c);
	else
		snprintf(buf, cap, "byte 0x%02x", c);
	return buf;
}

#define FOUND_MAX 16

static int expected(struct parser *ps, const char *what)
{
	char buf[FOUND_MAX];

	return fail(ps, ps->p, "expected %s, found %s", what, found(ps, ps->p, buf, sizeof(buf)));
}

static void skip_blanks(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* A new value of type t starting at p; its index in *idx. */
static int new_value(struct parser *ps, enum json_type t, const char *at, size_t *idx)
{
	if (ps->nv == ps->cap) {
		size_t cap = ps->cap == 0 ? VALUES_FIRST_CAP : 2 * ps->cap;
		struct json_value *v;
		struct links *l;

		if (ps->cap == JSON_VALUES_MAX)
			return fail(ps, at, "more than %u values", JSON_VALUES_MAX);
		if (cap > JSON_VALUES_MAX)
			cap = JSON_VALUES_MAX;
		v = realloc(ps->v, cap * sizeof(*v));
		if (v == NULL)
			return fail(ps, at, "out of memory");
		ps->v = v;
		l = realloc(ps->link, cap * sizeof(*l));
		if (l == NULL)
			return fail(ps, at, "out of memory");
		ps->link = l;
		ps->cap = cap;
	}
	*idx = ps->nv++;
	memset(&ps->v[*idx], 0, sizeof(ps->v[*idx]));
	ps->v[*idx].type = t;
	ps->v[*idx].offset = (size_t)(at - ps->start);
	ps->link[*idx] = (struct links){NONE, NONE, NONE};
	return 0;
}

static void append_member(struct parser *ps, size_t parent, size_t child)
{
	struct links *pl = &ps->link[parent];

	if (pl->first == NONE)
		pl->first = child;
	else
		ps->link[pl->last].next = child;
	pl->last = child;
	ps->v[parent].count++;
}

/* ---- strings ---- */

/* The four hex digits after "\u" at p (p points at the backslash). */
static int read_u_escape(struct parser *ps, const char *p, unsigned *cp)
{
	*cp = 0;
	if (ps->end - p < 2 + HEX_DIGITS)
		return fail(ps, p, "\\u escape cut short by the end of the input");
	for (int i = 0; i < HEX_DIGITS; i++) {
		int h = hex_digit(p[2 + i]);

		if (h < 0)
			return fail(ps, p, "\\u needs four hex digits");
		*cp = *cp << 4 | (unsigned)h;
	}
	return 0;
}

/* cp as UTF-8 onto the arena. */
static void put_utf8(struct parser *ps, unsigned cp)
{
	char *o = ps->str + ps->nstr;

	if (cp < 0x80) {
		o[0] = (char)cp;
		ps->nstr += 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		ps->nstr += 2;
	} else if (cp < PLANE_ONE) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		ps->nstr += 3;
	} else {
		o[0] = (char)(0xf0 | cp >> 18);
		o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		ps->nstr += 4;
	}
}

/* A \u escape (one, or a surrogate pair of two) at *pp into the arena; advances *pp. */
static int u_escape(struct parser *ps, const char **pp)
{
	const char *p = *pp;
	unsigned cp, lo;

	if (read_u_escape(ps, p, &cp) != 0)
		return -1;
	p += 2 + HEX_DIGITS;
	if (cp >= SURROGATE_LOW_MIN && cp < SURROGATE_LOW_END)
		return fail(ps, *pp, "a low surrogate (\\u%04x) without a high one before it", cp);
	if (cp >= SURROGATE_HIGH_MIN && cp < SURROGATE_LOW_MIN) {
		if (ps->end - p < 2 || p[0] != '\\' || p[1] != 'u')
			return fail(ps, *pp,
				    "a high surrogate (\\u%04x) without a low one after it", cp);
		if (read_u_escape(ps, p, &lo) != 0)
			return -1;
		if (lo < SURROGATE_LOW_MIN || lo >= SURROGATE_LOW_END)
			return fail(ps, *pp, "a high surrogate (\\u%04x) followed by \\u%04x", cp,
				    lo);
		cp = PLANE_ONE + ((cp - SURROGATE_HIGH_MIN) << SURROGATE_BITS) +
		     (lo - SURROGATE_LOW_MIN);
		p += 2 + HEX_DIGITS;
	}
	if (cp == 0)
		return fail(ps, *pp, "\\u0000: a NUL in a string is not accepted");
	put_utf8(ps, cp);
	*pp = p;
	return 0;
}

/* The length of the valid UTF-8 sequence at p (its first byte >= 0x80), or 0. */
static size_t utf8_length(const unsigned char *p, const unsigned char *end)
{
	unsigned char lo = 0x80, hi = 0xbf; /* the allowed range of the second byte */
	size_t n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0; /* a continuation byte, an overlong C0/C1, or beyond U+10FFFF */
	if (p[0] == 0xe0)
		lo = 0xa0; /* overlong */
	else if (p[0] == 0xed)
		hi = 0x9f; /* a surrogate */
	else if (p[0] == 0xf0)
		lo = 0x90; /* overlong */
	else if (p[0] == 0xf4)
		hi = 0x8f; /* beyond U+10FFFF */
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* The string at ps->p (its opening quote) into the arena: *out its text. */
static int parse_string(struct parser *ps, const char **out, size_t *out_len)
{
	const char *p = ps->p + 1;
	size_t begin = ps->nstr;

	for (;;) {
		unsigned char c;

		if (p >= ps->end)
			return fail(ps, ps->p, "a string with no closing quote");
		c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c < ' ')
			return fail(ps, p,
				    "control character 0x%02x in a string (it must be escaped)", c);
		if (c >= 0x80) {
			const unsigned char *u = (const unsigned char *)p;
			size_t n = utf8_length(u, (const unsigned char *)ps->end);

			if (n == 0)
				return fail(ps, p, "invalid UTF-8 in a string");
			memcpy(ps->str + ps->nstr, p, n);
			ps->nstr += n;
			p += n;
			continue;
		}
		if (c != '\\') {
			ps->str[ps->nstr++] = (char)c;
			p++;
			continue;
		}
		if (p + 1 >= ps->end)
			return fail(ps, p, "an escape cut short by the end of the input");
		switch (p[1]) {
		case '"': ps->str[ps->nstr++] = '"'; break;
		case '\\': ps->str[ps->nstr++] = '\\'; break;
		case '/': ps->str[ps->nstr++] = '/'; break;
		case 'b': ps->str[ps->nstr++] = '\b'; break;
		case 'f': ps->str[ps->nstr++] = '\f'; break;
		case 'n': ps->str[ps->nstr++] = '\n'; break;
		case 'r': ps->str[ps->nstr++] = '\r'; break;
		case 't': ps->str[ps->nstr++] = '\t'; break;
		case 'u':
			if (u_escape(ps, &p) != 0)
				return -1;
			continue;
		default: {
			char buf[FOUND_MAX];

			return fail(ps, p, "unknown escape \\%s",
				    found(ps, p + 1, buf, sizeof(buf)));
		}
		}
		p += 2;
	}
	ps->str[ps->nstr++] = '\0';
	*out = ps->str + begin;
	*out_len = ps->nstr - begin - 1;
	ps->p = p + 1;
	return 0;
}

/* ---- numbers and words ---- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_digits(const char *p, const char *end)
{
	while (p < end && is_digit(*p))
		p++;
	return p;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, finite. */
static int parse_number(struct parser *ps, double *out)
{
	const char *s = ps->p, *p = s, *end = ps->end;
	char buf[JSON_NUMBER_CHARS_MAX + 1], *stop;

	if (p < end && *p == '-')
		p++;
	if (p >= end || !is_digit(*p))
		return fail(ps, s, "a number needs a digit after its '-'");
	if (*p == '0' && p + 1 < end && is_digit(p[1]))
		return fail(ps, s, "a number with a leading zero");
	p = skip_digits(p, end);
	if (p < end && *p == '.') {
		if (p + 1 >= end || !is_digit(p[1]))
			return fail(ps, p, "a number needs a digit after its '.'");
		p = skip_digits(p + 1, end);
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !is_digit(*p))
			return fail(ps, p, "a number needs a digit in its exponent");
		p = skip_digits(p, end);
	}
	if ((size_t)(p - s) > JSON_NUMBER_CHARS_MAX)
		return fail(ps, s, "a number over %d characters", JSON_NUMBER_CHARS_MAX);
	memcpy(buf, s, (size_t)(p - s));
	buf[p - s] = '\0';
	*out = strtod(buf, &stop); /* an underflow is a valid number: 0 or a denormal */
	if (*stop != '\0' || !isfinite(*out))
		return fail(ps, s, "number %s is out of range", buf);
	ps->p = p;
	return 0;
}

static int parse_word(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return expected(ps, "a value");
	ps->p += n;
	return 0;
}

/* ---- arrays and objects ---- */

static int parse_value(struct parser *ps, unsigned depth, size_t *idx);

struct key_at {
	const char *key;
	size_t offset;
};

static int cmp_key(const void *a, const void *b)
{
	const struct key_at *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* No two members of object idx have the same key: sorted, so a hostile object costs n log n. */
static int check_duplicates(struct parser *ps, size_t idx)
{
	size_t n = ps->v[idx].count, k = 0;
	struct key_at *keys;
	int rc = 0;

	if (n < 2)
		return 0;
	keys = malloc(n * sizeof(*keys));
	if (keys == NULL)
		return fail(ps, ps->start + ps->v[idx].offset, "out of memory");
	for (size_t c = ps->link[idx].first; c != NONE; c = ps->link[c].next)
		keys[k++] = (struct key_at){ps->v[c].key, ps->v[c].offset};
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (size_t i = 1; i < n && rc == 0; i++) {
		char shown[KEY_SHOWN_MAX + 1];
		size_t j = 0;

		if (strcmp(keys[i - 1].key, keys[i].key) != 0)
			continue;
		/* Printable ASCII only: the key came from anyone, the message goes to a tty. */
		for (const char *k = keys[i].key; k[j] != '\0' && j < KEY_SHOWN_MAX; j++)
			shown[j] = k[j] >= ' ' && k[j] <= '~' ? k[j] : '?';
		shown[j] = '\0';
		rc = fail(ps, ps->start + keys[i].offset, "duplicate key \"%s\"", shown);
	}
	free(keys);
	return rc;
}

/* The members of array or object idx, from after its opening bracket to after its closing one. */
static int parse_members(struct parser *ps, unsigned depth, size_t idx, int object)
{
	const char close = object ? '}' : ']';

	ps->p++;
	skip_blanks(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		size_t key_len, child;

		if (object) {
			if (ps->p >= ps->end || *ps->p != '"')
				return expected(ps, "a key (a string)");
			if (parse_string(ps, &key, &key_len) != 0)
				return -1;
			skip_blanks(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return expected(ps, "':' after the key");
			ps->p++;
			skip_blanks(ps);
		}
		if (parse_value(ps, depth + 1, &child) != 0)
			return -1;
		ps->v[child].key = key;
		append_member(ps, idx, child);
		skip_blanks(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_blanks(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return object ? check_duplicates(ps, idx) : 0;
		}
		return expected(ps, object ? "',' or '}'" : "',' or ']'");
	}
}

/* One value at ps->p (blanks before it already skipped). */
static int parse_value(struct parser *ps, unsigned depth, size_t *idx)
{
	const char *at = ps->p;
	struct json_value *v;

	if (at >= ps->end)
		return expected(ps, "a value");
	switch (*at) {
	case '{':
	case '[':
		if (depth >= JSON_DEPTH_MAX)
			return fail(ps, at, "nested deeper than %d arrays and objects",
				    JSON_DEPTH_MAX);
		if (new_value(ps, *at == '{' ? JSON_OBJECT : JSON_ARRAY, at, idx) != 0)
			return -1;
		return parse_members(ps, depth, *idx, *at == '{');
	case '"':
		if (new_value(ps, JSON_STRING, at, idx) != 0)
			return -1;
		v = &ps->v[*idx];
		return parse_string(ps, &v->string, &v->string_len);
	case 't':
		return new_value(ps, JSON_TRUE, at, idx) != 0 ? -1 : parse_word(ps, "true");
	case 'f':
		return new_value(ps, JSON_FALSE, at, idx) != 0 ? -1 : parse_word(ps, "false");
	case 'n':
		return new_value(ps, JSON_NULL, at, idx) != 0 ? -1 : parse_word(ps, "null");
	default:
		if (*at != '-' && !is_digit(*at))
			return expected(ps, "a value");
		if (new_value(ps, JSON_NUMBER, at, idx) != 0)
			return -1;
		return parse_number(ps, &ps->v[*idx].number);
	}
}

int json_parse(const char *text, size_t len, struct json_doc *doc, struct json_error *err)
{
	struct parser ps = {.start = text, .p = text, .end = text + len, .err = err};
	const char *nul = memchr(text, '\0', len);
	size_t root;

	memset(doc, 0, sizeof(*doc));
	err->offset = 0;
	err->msg[0] = '\0';
	if (len == SIZE_MAX)
		return fail(&ps, text, "input too large");
	ps.str = malloc(len + 1);
	if (ps.str == NULL)
		return fail(&ps, text, "out of memory");
	if (nul != NULL) {
		fail(&ps, nul, "a NUL byte");
		goto failed;
	}
	skip_blanks(&ps);
	if (ps.p == ps.end) {
		fail(&ps, ps.p, "no value: the input is empty or blank");
		goto failed;
	}
	if (parse_value(&ps, 0, &root) != 0)
		goto failed;
	skip_blanks(&ps);
	if (ps.p != ps.end) {
		expected(&ps, "the end of the input after the value");
		goto failed;
	}
	for (size_t i = 0; i < ps.nv; i++) {
		ps.v[i].child = ps.link[i].first == NONE ? NULL : &ps.v[ps.link[i].first];
		ps.v[i].next = ps.link[i].next == NONE ? NULL : &ps.v[ps.link[i].next];
	}
	free(ps.link);
	doc->values = ps.v;
	doc->strings = ps.str;
	doc->root = doc->values + root;
	return 0;
failed:
	free(ps.v);
	free(ps.link);
	free(ps.str);
	return -1;
}

void json_free(struct json_doc *doc)
{
	free(doc->values);
	free(doc->strings);
	memset(doc, 0, sizeof(*doc));
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	if (obj == NULL || obj->type != JSON_OBJECT)
		return NULL;
	for (const struct json_value *m = obj->child; m != NULL; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const char *json_type_name(enum json_type type)
{
	static const char *const names[] = {
		[JSON_NULL] = "null",        [JSON_FALSE] = "false",   [JSON_TRUE] = "true",
		[JSON_NUMBER] = "a number",  [JSON_STRING] = "a string", [JSON_ARRAY] = "an array",
		[JSON_OBJECT] = "an object",
	};

	return (unsigned)type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}
