/* guest/uaccess.c: copy-in and copy-out: every page is checked in the task's page tables before it is touched. */
#include "uaccess.h"

#include "../abi/syscall.h"
#include "../common/string.h"
#include "kernel.h"
#include "memlayout.h"
#include "task.h"
#include "vm.h"
#include "x86.h"

/* Every page of the range is present and user-accessible (and writable, if asked). */
static int pages_ok(uint64_t uaddr, uint64_t len, uint64_t need)
{
	uint64_t end = uaddr + len;

	for (uint64_t va = ALIGN_DOWN(uaddr, X86_PAGE_SIZE); va < end; va += X86_PAGE_SIZE) {
		uint64_t pte = vm_lookup(current->pml4, va);
		if ((pte & need) != need)
			return 0;
	}
	return 1;
}

int uaccess_ok(uint64_t uaddr, uint64_t len, int write)
{
	uint64_t need = X86_PTE_P | X86_PTE_U | (write ? X86_PTE_W : 0);

	return uaccess_range_ok(uaddr, len) && pages_ok(uaddr, len, need);
}

int copyin(void *dst, uint64_t usrc, uint64_t len)
{
	if (!uaccess_ok(usrc, len, 0))
		return -EFAULT;
	user_access_begin();
	memcpy(dst, (const void *)(uintptr_t)usrc, len);
	user_access_end();
	return 0;
}

/* Page by page: only the pages up to the NUL need be mapped. */
int copyinstr(char *dst, uint64_t usrc, uint64_t max)
{
	uint64_t done = 0;

	if (max == 0)
		return -EFAULT;
	dst[0] = '\0';
	while (done < max) {
		uint64_t chunk = X86_PAGE_SIZE - (usrc + done) % X86_PAGE_SIZE;

		if (chunk > max - done)
			chunk = max - done;
		if (copyin(dst + done, usrc + done, chunk) != 0)
			break;
		for (uint64_t i = done; i < done + chunk; i++)
			if (dst[i] == '\0')
				return 0;
		done += chunk;
	}
	dst[done < max ? done : max - 1] = '\0';
	return -EFAULT;
}

int copyout(uint64_t udst, const void *src, uint64_t len)
{
	if (!uaccess_ok(udst, len, 1))
		return -EFAULT;
	user_access_begin();
	memcpy((void *)(uintptr_t)udst, src, len);
	user_access_end();
	return 0;
}
