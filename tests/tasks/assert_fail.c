/* tests/tasks/assert_fail.c: one assertion that holds and one that does not: the VMM must report the second with its expression, file and line. */
#include "lde.h"

int main(void)
{
	long pid = getpid();

	LDE_ASSERT(pid > 0);
	printf("assert_fail: pid %ld, about to fail\n", pid);
	LDE_ASSERT(pid == 0 && "a task's pid is never 0");
	printf("assert_fail: survived\n");
	return 0;
}
