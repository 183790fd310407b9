/* guest/kalloc.h: the physical page allocator. */
#ifndef GUEST_KALLOC_H
#define GUEST_KALLOC_H

#include <stdint.h>

/* kalloc_init: take every RAM region of the boot memory map above the kernel image. */
void kalloc_init(void);
/* kalloc: one zeroed 4 KiB page (a direct-map pointer), or NULL when memory is exhausted. */
void *kalloc(void);
/* kfree: give back a page that kalloc returned. */
void kfree(void *page);
/* kalloc_free_pages: how many more pages kalloc can hand out now. */
uint64_t kalloc_free_pages(void);

#endif
