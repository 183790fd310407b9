/*
 * tests/tasks/args.c: the process start (abi/auxv.h): argc, argv, an empty environment and the auxiliary vector, as the kernel builds them.
 *
 * Prints "args: pid P: argc N: ARGV0|ARGV1|..." and "args: pid P: auxv ok", or fails an
 * LDE_ASSERT (the VMM prints which). The checks need no host: each auxv value is one the
 * task can work out itself (its own ELF header at 0x400000, its entry point, CPUID).
 */
#include "../../abi/auxv.h"
#include "lde.h"

#define IMAGE_BASE 0x400000ul /* the stock linker's first segment: the ELF header */
#define PHENT 56              /* sizeof(Elf64_Phdr) */

extern char _start[];

struct ehdr_start {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum;
};

static unsigned long auxv_get(unsigned long *auxv, unsigned long type, int *found)
{
	for (; auxv[0] != AT_NULL; auxv += 2)
		if (auxv[0] == type) {
			*found = 1;
			return auxv[1];
		}
	*found = 0;
	return 0;
}

static int streq(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && memcmp(a, b, n) == 0;
}

int main(int argc, char **argv, char **envp)
{
	const struct ehdr_start *eh = (const struct ehdr_start *)IMAGE_BASE;
	long pid = getpid();
	unsigned long *auxv;
	uint32_t a, b, c, d;
	char line[512];
	size_t n;
	int found;

	n = (size_t)snprintf(line, sizeof(line), "args: pid %ld: argc %d: ", pid, argc);
	for (int i = 0; i < argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", i ? "|" : "", argv[i]);
	printf("%s\n", line);

	/* What crt0 passed is what the kernel laid out: argv right above argc, 16-byte aligned. */
	LDE_ASSERT(((unsigned long)argv - 8) % 16 == 0);
	LDE_ASSERT(argv[argc] == NULL);
	LDE_ASSERT(envp == argv + argc + 1 && envp[0] == NULL);
	auxv = (unsigned long *)(envp + 1);

	LDE_ASSERT(auxv_get(auxv, AT_PAGESZ, &found) == 4096 && found);
	LDE_ASSERT(auxv_get(auxv, AT_ENTRY, &found) == (unsigned long)_start && found);
	LDE_ASSERT(auxv_get(auxv, AT_PHDR, &found) == IMAGE_BASE + eh->phoff && found);
	LDE_ASSERT(auxv_get(auxv, AT_PHNUM, &found) == eh->phnum && found);
	LDE_ASSERT(auxv_get(auxv, AT_PHENT, &found) == PHENT && found);
	LDE_ASSERT(auxv_get(auxv, AT_CLKTCK, &found) == 100 && found);
	LDE_ASSERT(auxv_get(auxv, AT_UID, &found) == 0 && found);
	LDE_ASSERT(auxv_get(auxv, AT_EUID, &found) == 0 && found);
	LDE_ASSERT(auxv_get(auxv, AT_GID, &found) == 0 && found);
	LDE_ASSERT(auxv_get(auxv, AT_EGID, &found) == 0 && found);
	LDE_ASSERT(auxv_get(auxv, AT_SECURE, &found) == 0 && found);
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	LDE_ASSERT(auxv_get(auxv, AT_HWCAP, &found) == d && found);
	LDE_ASSERT(streq((const char *)auxv_get(auxv, AT_EXECFN, &found), argv[0]) && found);
	/* 16 bytes, on the stack above argv's strings; not all zero. */
	{
		const uint64_t *rnd = (const uint64_t *)auxv_get(auxv, AT_RANDOM, &found);
		LDE_ASSERT(found && (unsigned long)rnd > (unsigned long)argv[argc - 1]);
		LDE_ASSERT(rnd[0] != 0 || rnd[1] != 0);
	}
	printf("args: pid %ld: auxv ok\n", pid);
	return 0;
}
