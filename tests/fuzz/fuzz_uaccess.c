/* tests/fuzz/fuzz_uaccess.c: libFuzzer harness for guest/uaccess.h uaccess_range_ok() against a 128-bit reference. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../guest/uaccess.h"

/* The reference: [uaddr, uaddr + len) ends at or below USER_TOP, summed without wrap-around. */
static int reference(uint64_t uaddr, uint64_t len)
{
	return (unsigned __int128)uaddr + len <= USER_TOP;
}

/* Input: two little-endian uint64 values, uaddr then len (missing bytes read as zero). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t b[16] = { 0 };
	uint64_t uaddr = 0, len = 0;
	int got, want;

	memcpy(b, data, size < sizeof(b) ? size : sizeof(b));
	for (int i = 7; i >= 0; i--) {
		uaddr = uaddr << 8 | b[i];
		len = len << 8 | b[8 + i];
	}
	got = uaccess_range_ok(uaddr, len);
	want = reference(uaddr, len);
	if (got != want) {
		fprintf(stderr,
			"fuzz_uaccess: uaccess_range_ok(0x%llx, 0x%llx) = %d, reference says %d\n",
			(unsigned long long)uaddr, (unsigned long long)len, got, want);
		abort();
	}
	return 0;
}
