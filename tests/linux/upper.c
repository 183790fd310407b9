/* tests/linux/upper.c: a filter, built with musl-gcc -static: standard input to upper case on standard output, a count on standard error. */
#include <ctype.h>
#include <stdio.h>

int main(void)
{
	long n = 0;
	int c;

	while ((c = getchar()) != EOF) {
		putchar(toupper(c));
		n++;
	}
	fprintf(stderr, "upper: %ld bytes\n", n);
	return 0;
}
