/* tests/tasks/hello_task.c: a well-behaved task: prints one line and exits 0. */
#include "lde.h"

int main(void)
{
	printf("hello_task: pid %ld\n", getpid());
	return 0;
}
