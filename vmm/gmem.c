/* vmm/gmem.c: bounds checks for guest-physical ranges. */
#include "gmem.h"

int gmem_range_ok(uint64_t start, uint64_t len, uint64_t limit)
{
	/* Written so that no sum can wrap: start <= limit, then len <= limit - start. */
	return start <= limit && len <= limit - start;
}

int gmem_ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	if (alen == 0 || blen == 0)
		return 0;
	/* a + alen cannot wrap: callers pass ranges that passed gmem_range_ok. */
	return a < b + blen && b < a + alen;
}

void *gmem_ptr(const struct gmem *gm, uint64_t gpa, uint64_t len)
{
	if (!gmem_range_ok(gpa, len, gm->size))
		return NULL;
	return gm->base + gpa;
}
