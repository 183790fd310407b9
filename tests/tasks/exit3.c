/* tests/tasks/exit3.c: a task that fails through exit(3) itself, not by returning from main. */
#include "lde.h"

int main(void)
{
	printf("exit3: pid %ld calls exit(3)\n", getpid());
	exit(3);
}
