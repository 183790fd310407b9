/* tests/fuzz/fuzz_bench_json.c: libFuzzer harness for bench/json.c: any bytes parsed as JSON, and the tree walked against the reader's promises. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bench/json.h"

/*
 * The input is one file that bench/compare might be handed: any bytes. The checks: nothing
 * crashes, reads out of bounds or leaks (ASan, UBSan); an error has a message and an offset
 * inside the input; a tree keeps json.h's promises: counts match the members, object members
 * have keys and array members none, strings are as long as they say with no NUL inside,
 * numbers are finite, nesting stays within JSON_DEPTH_MAX, offsets lie inside the input.
 */
#define CHECK(c)                                                                                  \
	do {                                                                                      \
		if (!(c)) {                                                                       \
			fprintf(stderr, "fuzz_bench_json: invariant failed: %s (%s:%d)\n", #c,   \
				__FILE__, __LINE__);                                              \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

/* The values under v (v included); checks each. */
static size_t walk(const struct json_value *v, unsigned depth, size_t size)
{
	size_t n = 1, members = 0;

	CHECK(v->offset < size);
	switch (v->type) {
	case JSON_NUMBER:
		CHECK(isfinite(v->number));
		break;
	case JSON_STRING:
		CHECK(v->string != NULL && strlen(v->string) == v->string_len);
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		CHECK(depth < JSON_DEPTH_MAX);
		for (const struct json_value *m = v->child; m != NULL; m = m->next) {
			CHECK((m->key != NULL) == (v->type == JSON_OBJECT));
			if (m->key != NULL)
				CHECK(json_get(v, m->key) == m); /* keys are unique */
			CHECK(m->offset > v->offset);
			n += walk(m, depth + 1, size);
			members++;
		}
		CHECK(members == v->count);
		break;
	default:
		CHECK(v->child == NULL && v->count == 0);
		break;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_error err;
	struct json_doc doc;

	if (json_parse(size > 0 ? (const char *)data : "", size, &doc, &err) != 0) {
		CHECK(doc.root == NULL);
		CHECK(err.msg[0] != '\0');
		CHECK(err.offset <= size);
		return 0;
	}
	CHECK(doc.root != NULL && doc.root->key == NULL && doc.root->next == NULL);
	CHECK(walk(doc.root, 0, size) <= JSON_VALUES_MAX);
	json_free(&doc);
	return 0;
}
