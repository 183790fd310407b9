/* guest/user/examples/hello.c: the smallest task: prints who it is and what time it is, then exits 0. */
#include "lde.h"

int main(void)
{
	printf("hello from pid %ld, %lu ns after boot\n", getpid(), clock_ns());
	return 0;
}
