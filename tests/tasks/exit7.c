/* tests/tasks/exit7.c: a task that fails politely: main returns 7. */
#include "lde.h"

int main(void)
{
	printf("exit7: pid %ld returns 7\n", getpid());
	return 7;
}
