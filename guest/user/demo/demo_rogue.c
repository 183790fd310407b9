/* guest/user/demo/demo_rogue.c: demo task that tries to read the kernel's memory, and is killed for it. */
#include "lde.h"

int main(void)
{
	volatile const uint64_t *kernel = (const uint64_t *)0xffffffff80100000ul;

	printf("demo_rogue: pid %ld reads kernel memory at %p...\n", getpid(), (void *)kernel);
	printf("demo_rogue: got %lx: the kernel failed to protect itself\n", *kernel);
	return 0;
}
