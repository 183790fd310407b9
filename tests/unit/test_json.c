/* tests/unit/test_json.c: the strict JSON reader in bench/json.c: what bench/report.c writes, every escape, and hostile input refused with its byte offset. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bench/json.h"
#include "../../bench/stats.h"
#include "suites.h"

/* Parses text (len bytes), which must succeed. */
static void parse_ok(const char *text, size_t len, struct json_doc *doc)
{
	struct json_error err;

	ck_assert_msg(json_parse(text, len, doc, &err) == 0, "'%s' refused at byte %zu: %s",
		      text, err.offset, err.msg);
	ck_assert_ptr_nonnull(doc->root);
}

/* Parses text (len bytes), which must fail at byte offset with a message containing want. */
static void parse_bad_len(const char *text, size_t len, size_t offset, const char *want)
{
	struct json_error err;
	struct json_doc doc;

	ck_assert_msg(json_parse(text, len, &doc, &err) != 0, "'%s' should be refused", text);
	ck_assert_ptr_null(doc.root);
	ck_assert_msg(err.offset == offset, "'%s': error at byte %zu (%s), expected %zu", text,
		      err.offset, err.msg, offset);
	ck_assert_msg(strstr(err.msg, want) != NULL, "'%s': message '%s' lacks '%s'", text,
		      err.msg, want);
	json_free(&doc); /* harmless on a failed parse */
}

static void parse_bad(const char *text, size_t offset, const char *want)
{
	parse_bad_len(text, strlen(text), offset, want);
}

/* The one string value text holds, checked against want. */
static void assert_string(const char *text, const char *want)
{
	struct json_doc doc;

	parse_ok(text, strlen(text), &doc);
	ck_assert_int_eq(doc.root->type, JSON_STRING);
	ck_assert_str_eq(doc.root->string, want);
	ck_assert_uint_eq(doc.root->string_len, strlen(want));
	json_free(&doc);
}

/* ---- what the report writes ---- */

START_TEST(report_shape)
{
	static const char text[] =
		"{\n  \"schema\": 1,\n  \"quick\": false,\n  \"runs\": 5,\n"
		"  \"machine\": {\"platform\": \"kvm_pvm\", \"hypervisor\": null,\n"
		"               \"nested\": true},\n"
		"  \"metrics\": {\n    \"syscall.null\": {\n      \"unit\": \"cycles\",\n"
		"      \"median\": 239980,\n"
		"      \"run_medians\": [239980, 240006, 1e+15, -2.5, 0.1],\n"
		"      \"exits\": {\"vmm\": 0, \"kvm\": 6009, \"ops\": 2001},\n"
		"      \"note\": \"kvm_pvm: SYSCALL via int3 page and #BP\"\n    }\n  },\n"
		"  \"ratios\": []\n}\n";
	const struct json_value *m, *runs, *v;
	struct json_doc doc;

	parse_ok(text, strlen(text), &doc);
	ck_assert_int_eq(doc.root->type, JSON_OBJECT);
	ck_assert_uint_eq(doc.root->count, 6);
	ck_assert_double_eq(json_get(doc.root, "schema")->number, 1);
	ck_assert_int_eq(json_get(doc.root, "quick")->type, JSON_FALSE);
	ck_assert_int_eq(json_get(json_get(doc.root, "machine"), "nested")->type, JSON_TRUE);
	ck_assert_int_eq(json_get(json_get(doc.root, "machine"), "hypervisor")->type, JSON_NULL);
	ck_assert_ptr_null(json_get(doc.root, "absent"));
	m = json_get(json_get(doc.root, "metrics"), "syscall.null");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->key, "syscall.null");
	ck_assert_uint_eq(m->offset, (size_t)(strstr(text, "{\n      \"unit\"") - text));
	ck_assert_str_eq(json_get(m, "unit")->string, "cycles");
	runs = json_get(m, "run_medians");
	ck_assert_int_eq(runs->type, JSON_ARRAY);
	ck_assert_uint_eq(runs->count, 5);
	v = runs->child;
	ck_assert_ptr_null(v->key); /* array members have no name */
	ck_assert_double_eq(v->number, 239980);
	ck_assert_double_eq(v->next->next->number, 1e15);
	ck_assert_double_eq(v->next->next->next->number, -2.5);
	ck_assert_double_eq(v->next->next->next->next->number, 0.1);
	ck_assert_ptr_null(v->next->next->next->next->next);
	ck_assert_double_eq(json_get(json_get(m, "exits"), "kvm")->number, 6009);
	ck_assert_uint_eq(json_get(doc.root, "ratios")->count, 0);
	ck_assert_ptr_null(json_get(doc.root, "ratios")->child);
	ck_assert_ptr_null(json_get(v, "x")); /* not an object */
	json_free(&doc);
	ck_assert_ptr_null(doc.root);
}
END_TEST

START_TEST(scalars_at_top)
{
	struct json_doc doc;

	parse_ok(" true ", 6, &doc);
	ck_assert_int_eq(doc.root->type, JSON_TRUE);
	json_free(&doc);
	parse_ok("null", 4, &doc);
	ck_assert_int_eq(doc.root->type, JSON_NULL);
	json_free(&doc);
	parse_ok("\t-0.5E+3\r\n", 10, &doc);
	ck_assert_double_eq(doc.root->number, -500);
	json_free(&doc);
	parse_ok("0", 1, &doc);
	ck_assert_double_eq(doc.root->number, 0);
	json_free(&doc);
	parse_ok("1e-400", 6, &doc); /* underflows to 0: a valid number all the same */
	ck_assert_double_eq(doc.root->number, 0);
	json_free(&doc);
	parse_ok("[1]", 2 + 1, &doc);
	ck_assert_uint_eq(doc.root->count, 1);
	json_free(&doc);
	ck_assert_str_eq(json_type_name(JSON_OBJECT), "an object");
	ck_assert_str_eq(json_type_name(JSON_NUMBER), "a number");
}
END_TEST

START_TEST(string_escapes)
{
	assert_string("\"plain\"", "plain");
	assert_string("\"\"", "");
	assert_string("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"", "a\"b\\c/d\be\ff\ng\rh\ti");
	assert_string("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac");
	assert_string("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80"); /* a surrogate pair */
	assert_string("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
		      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"); /* raw UTF-8 */
}
END_TEST

/* What stats_json_string writes (bench/report.c's every string) reads back as it was. */
START_TEST(reads_what_stats_writes)
{
	static const char *const in[] = {
		"say \"hi\"", "C:\\path", "a\nb\tc\rd\be\ff", "\x01\x1f\x7f", "caf\xc3\xa9", "",
	};
	struct json_doc doc;

	for (unsigned i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		ck_assert_ptr_nonnull(f);
		stats_json_string(f, in[i]);
		ck_assert_int_eq(fclose(f), 0);
		parse_ok(buf, len, &doc);
		ck_assert_str_eq(doc.root->string, in[i]);
		json_free(&doc);
		free(buf);
	}
	/* Bytes that are not UTF-8 were written as U+FFFD. */
	assert_string("\"bad \\ufffd(\"", "bad \xef\xbf\xbd(");
}
END_TEST

/* ---- refused, with the byte where it went wrong ---- */

START_TEST(syntax_errors)
{
	parse_bad("", 0, "empty");
	parse_bad("  \n", 3, "empty");
	parse_bad("{", 1, "a key");
	parse_bad("{\"a\" 1}", 5, "':'");
	parse_bad("{\"a\":1,}", 7, "a key");
	parse_bad("{a:1}", 1, "a key");
	parse_bad("[1,]", 3, "a value");
	parse_bad("[1 2]", 3, "',' or ']'");
	parse_bad("[1", 2, "',' or ']'");
	parse_bad("{\"a\":1 \"b\":2}", 7, "',' or '}'");
	parse_bad("[1] x", 4, "the end of the input after the value");
	parse_bad("[1][2]", 3, "the end of the input");
	parse_bad("tru", 0, "a value");
	parse_bad("nul", 0, "a value");
	parse_bad("True", 0, "a value");
	parse_bad("'a'", 0, "byte 0x27");
	parse_bad("// comment\n1", 0, "a value");
}
END_TEST

START_TEST(number_errors)
{
	char longnum[JSON_NUMBER_CHARS_MAX + 2];
	struct json_doc doc;

	parse_bad("01", 0, "leading zero");
	parse_bad("-01", 0, "leading zero");
	parse_bad("-", 0, "a digit after its '-'");
	parse_bad("-a", 0, "a digit after its '-'");
	parse_bad("1.", 1, "a digit after its '.'");
	parse_bad("1.e5", 1, "a digit after its '.'");
	parse_bad("1e", 2, "exponent");
	parse_bad("1e+", 3, "exponent");
	parse_bad("+1", 0, "a value");
	parse_bad(".5", 0, "a value");
	parse_bad("NaN", 0, "a value");
	parse_bad("Infinity", 0, "a value");
	parse_bad("-Infinity", 0, "a digit");
	parse_bad("0x10", 1, "the end of the input");
	parse_bad("[1e999]", 1, "out of range");
	parse_bad("-1e400", 0, "out of range");
	memset(longnum, '1', sizeof(longnum) - 1);
	longnum[sizeof(longnum) - 1] = '\0';
	parse_bad(longnum, 0, "over 63 characters");
	longnum[sizeof(longnum) - 2] = '\0'; /* exactly the most */
	parse_ok(longnum, strlen(longnum), &doc);
	json_free(&doc);
}
END_TEST

START_TEST(string_errors)
{
	parse_bad("\"abc", 0, "no closing quote");
	parse_bad("[\"abc]", 1, "no closing quote");
	parse_bad("\"a\x01\"", 2, "control character 0x01");
	parse_bad("\"a\nb\"", 2, "control character 0x0a");
	parse_bad("\"\\x\"", 1, "unknown escape \\'x'");
	parse_bad("\"\\", 1, "cut short");
	parse_bad("[\"\\u12\"]", 2, "four hex digits");
	parse_bad("\"\\u12", 1, "cut short");
	parse_bad("\"\\u12g4\"", 1, "four hex digits");
	parse_bad("\"\\ud800\"", 1, "without a low one");
	parse_bad("\"\\ud800x\"", 1, "without a low one");
	parse_bad("\"\\ud800\\u0041\"", 1, "followed by \\u0041");
	parse_bad("\"\\udc00\"", 1, "low surrogate");
	parse_bad("\"ab\\u0000\"", 3, "NUL");
	parse_bad("\"\xff\"", 1, "UTF-8");
	parse_bad("\"\x80\"", 1, "UTF-8");          /* a continuation byte alone */
	parse_bad("\"\xc0\x80\"", 1, "UTF-8");      /* overlong NUL */
	parse_bad("\"\xe0\x80\x80\"", 1, "UTF-8");  /* overlong */
	parse_bad("\"\xed\xa0\x80\"", 1, "UTF-8");  /* an encoded surrogate */
	parse_bad("\"\xf4\x90\x80\x80\"", 1, "UTF-8"); /* beyond U+10FFFF */
	parse_bad("\"\xe2\x82\"", 1, "UTF-8");      /* cut short */
	parse_bad("\"\xe2\x82", 1, "UTF-8");        /* cut short by the end */
	parse_bad_len("[1,\0]", 5, 3, "NUL byte");
}
END_TEST

START_TEST(duplicate_keys)
{
	struct json_doc doc;

	parse_bad("{\"a\":1,\"b\":2,\"a\":3}", 17, "duplicate key \"a\"");
	parse_bad("{\"x\":{\"k\":1,\"k\":1}}", 16, "duplicate key \"k\"");
	/* A key that would clear the screen is shown with '?' for its ESC. */
	parse_bad("{\"\\u001b[2J\":1,\"\\u001b[2J\":2}", 27, "duplicate key \"?[2J\"");
	/* The same key in different objects is fine. */
	parse_ok("[{\"a\":1},{\"a\":2}]", 17, &doc);
	json_free(&doc);
}
END_TEST

/* ---- limits ---- */

START_TEST(depth_limit)
{
	char text[2 * (JSON_DEPTH_MAX + 1) + 1];
	struct json_doc doc;

	for (unsigned d = JSON_DEPTH_MAX; d <= JSON_DEPTH_MAX + 1; d++) {
		memset(text, '[', d);
		memset(text + d, ']', d);
		text[2 * d] = '\0';
		if (d == JSON_DEPTH_MAX) {
			parse_ok(text, 2 * d, &doc);
			json_free(&doc);
		} else {
			parse_bad(text, JSON_DEPTH_MAX, "nested deeper than 32");
		}
	}
}
END_TEST

/* Deeper than any stack would take, had the depth not been bounded. */
START_TEST(deep_hostile)
{
	const size_t n = 1u << 20;
	char *text = malloc(n);

	ck_assert_ptr_nonnull(text);
	memset(text, '[', n);
	parse_bad_len(text, n, JSON_DEPTH_MAX, "nested deeper");
	memset(text, '{', n);
	parse_bad_len(text, n, 1, "a key");
	free(text);
}
END_TEST

START_TEST(values_limit)
{
	/* "[0,0,...]": the array and its zeros, JSON_VALUES_MAX values in all, then one more. */
	const size_t zeros = JSON_VALUES_MAX - 1, cap = 2 * (zeros + 1) + 2;
	char *text = malloc(cap);
	struct json_doc doc;
	size_t len = 0;

	ck_assert_ptr_nonnull(text);
	text[len++] = '[';
	for (size_t i = 0; i < zeros; i++) {
		text[len++] = '0';
		text[len++] = ',';
	}
	text[len - 1] = ']';
	parse_ok(text, len, &doc);
	ck_assert_uint_eq(doc.root->count, zeros);
	json_free(&doc);
	text[len - 1] = ',';
	text[len++] = '0';
	text[len++] = ']';
	parse_bad_len(text, len, len - 2, "more than 262144 values");
	free(text);
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *ok = tcase_create("reads");
	TCase *bad = tcase_create("refuses");
	TCase *lim = tcase_create("limits");

	tcase_add_test(ok, report_shape);
	tcase_add_test(ok, scalars_at_top);
	tcase_add_test(ok, string_escapes);
	tcase_add_test(ok, reads_what_stats_writes);
	tcase_add_test(bad, syntax_errors);
	tcase_add_test(bad, number_errors);
	tcase_add_test(bad, string_errors);
	tcase_add_test(bad, duplicate_keys);
	tcase_add_test(lim, depth_limit);
	tcase_add_test(lim, deep_hostile);
	tcase_add_test(lim, values_limit);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, bad);
	suite_add_tcase(s, lim);
	return s;
}
