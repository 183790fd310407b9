/* tests/linux/hello.c: an ordinary C program, built with musl-gcc -static and run unmodified as a task: stdio, argv, the exit status. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("hello from an ordinary program: argc %d, argv[0] %s\n", argc, argv[0]);
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = %s (%zu bytes)\n", i, argv[i], strlen(argv[i]));
	fprintf(stderr, "and a line on stderr\n");
	return argc - 1; /* the status says how many arguments came through */
}
