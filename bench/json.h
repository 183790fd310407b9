/* bench/json.h: a small, strict JSON reader for the bench's result files: a bounded tree, or an error with its byte offset. */
#ifndef BENCH_JSON_H
#define BENCH_JSON_H

#include <stddef.h>

/*
 * What it reads: RFC 8259 JSON, exactly (objects, arrays, strings with every escape, numbers,
 * true, false, null), in UTF-8, with no extensions: no comments, no trailing commas, no NaN,
 * no leading '+' or zeros, no duplicate keys in one object. It is meant for what
 * bench/report.c writes, and for any file a user hands it: every limit below is checked, so
 * hostile input gets an error, never a crash, deep recursion or unbounded memory.
 */
#define JSON_DEPTH_MAX 32          /* nesting of arrays and objects; report.c writes 4 */
#define JSON_VALUES_MAX (1u << 18) /* values in one document; a result file has about 4 000 */
#define JSON_NUMBER_CHARS_MAX 63   /* a number's text; report.c writes at most 24 (%.17g) */
#define JSON_ERROR_MAX 160         /* an error message, with what was found */

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

/* One value of the tree. Every pointer points into its struct json_doc. */
struct json_value {
	enum json_type type;
	size_t offset;   /* where the value starts in the input: for the caller's messages */
	const char *key; /* its name when it is a member of an object, else NULL; NUL-terminated */
	double number;   /* JSON_NUMBER: always finite */
	const char *string; /* JSON_STRING: UTF-8, NUL-terminated, no NUL inside (no \u0000) */
	size_t string_len;
	size_t count;                   /* JSON_ARRAY, JSON_OBJECT: the number of members */
	const struct json_value *child; /* the first member, or NULL */
	const struct json_value *next;  /* the next member of the same parent, or NULL */
};

struct json_doc {
	const struct json_value *root;
	struct json_value *values; /* the reader's allocations: free with json_free */
	char *strings;
};

struct json_error {
	size_t offset; /* the byte where the input stopped making sense */
	char msg[JSON_ERROR_MAX];
};

/*
 * json_parse: text[0..len) (never NULL; NUL bytes in it are an error, not an end) into doc.
 * Returns 0, or -1 with err filled and doc empty (json_free on it is harmless). Memory: at most
 * len + 1 bytes of strings and JSON_VALUES_MAX values.
 */
int json_parse(const char *text, size_t len, struct json_doc *doc, struct json_error *err);
void json_free(struct json_doc *doc);

/* json_get: the member of object obj called key, or NULL (also when obj is not an object). */
const struct json_value *json_get(const struct json_value *obj, const char *key);
/* json_type_name: "an object", "a number", ...: for messages. */
const char *json_type_name(enum json_type type);

#endif
