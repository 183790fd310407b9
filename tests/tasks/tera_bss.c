/* tests/tasks/tera_bss.c: asks for a terabyte of zeroed data: the kernel must refuse it before it takes a page. */
#include "lde.h"

/* 1 TiB: built with -mcmodel=medium (tests/tasks/tasks.mk), which addresses it with 64-bit moves. */
static char tera[1ull << 40];

int main(void)
{
	tera[sizeof(tera) - 1] = 1;
	printf("tera_bss: running with %zu bytes of data\n", sizeof(tera));
	return tera[0];
}
