/* vmm/gmem.h: guest RAM, and the one place that turns a guest (address, length) into a host pointer. */
#ifndef VMM_GMEM_H
#define VMM_GMEM_H

#include <stddef.h>
#include <stdint.h>

struct gmem {
	uint8_t *base; /* host mapping of guest-physical 0 */
	uint64_t size; /* bytes */
};

/*
 * gmem_ptr: the host address of guest range [gpa, gpa + len), or NULL when any byte of it
 * lies outside guest RAM or the sum overflows. len == 0 is valid for any gpa <= size.
 * Every guest-supplied address goes through here; no other code adds to gm->base.
 */
void *gmem_ptr(const struct gmem *gm, uint64_t gpa, uint64_t len);

/* gmem_range_ok: 1 when [start, start + len) fits in [0, limit) without overflow. */
int gmem_range_ok(uint64_t start, uint64_t len, uint64_t limit);

/* gmem_ranges_overlap: 1 when [a, a + alen) and [b, b + blen) share a byte (both valid ranges). */
int gmem_ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen);

#endif
