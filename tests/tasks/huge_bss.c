/* tests/tasks/huge_bss.c: asks for 512 MiB of zeroed data: more than a small guest has, so the kernel must refuse the image. */
#include "lde.h"

static char big[512u << 20];

int main(void)
{
	big[sizeof(big) - 1] = 1;
	printf("huge_bss: running with %zu bytes of data\n", sizeof(big));
	return big[0];
}
