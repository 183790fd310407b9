/* guest/pvh_info.c: hvm_start_info (abi/pvh.h) into the kernel's struct lde_boot_info (pure; unit-tested on the host). */
#include "pvh_info.h"

#include "../abi/pvh.h"
#include "../abi/x86.h"
#include "../common/fmt.h"
#include "../common/string.h"

#define PAGE_DOWN(x) ((x) & ~(X86_PAGE_SIZE - 1))
#define PAGE_UP(x) PAGE_DOWN((x) + X86_PAGE_SIZE - 1) /* callers keep x below PVH_RAM_LIMIT */
#define START_INFO_V0_SIZE 40 /* version 0 ends before memmap_paddr */
#define RANGES_MAX 64

/* A set of disjoint physical ranges [lo, hi): the RAM left to hand to the kernel. */
struct ranges {
	struct { uint64_t lo, hi; } r[RANGES_MAX];
	unsigned n;
	unsigned lost; /* pieces that did not fit (a map cut into more than RANGES_MAX) */
};

static void ranges_remove(struct ranges *s, uint64_t lo, uint64_t hi)
{
	unsigned i = 0;

	while (lo < hi && i < s->n) {
		uint64_t rlo = s->r[i].lo, rhi = s->r[i].hi;

		if (hi <= rlo || lo >= rhi) {
			i++;
		} else if (lo <= rlo && hi >= rhi) { /* all of it: the last range takes its slot */
			s->r[i] = s->r[--s->n];
		} else if (lo > rlo && hi < rhi) {   /* a hole: the upper part becomes a new range */
			if (s->n < RANGES_MAX) {
				s->r[s->n].lo = hi;
				s->r[s->n].hi = rhi;
				s->n++;
			} else {
				s->lost++;
			}
			s->r[i++].hi = lo;
		} else if (lo > rlo) {
			s->r[i++].hi = lo;
		} else {
			s->r[i++].lo = hi;
		}
	}
}

/* Add [lo, hi), keeping the set disjoint: overlapping RAM entries count once. */
static void ranges_add(struct ranges *s, uint64_t lo, uint64_t hi)
{
	if (lo >= hi)
		return;
	ranges_remove(s, lo, hi);
	if (s->n == RANGES_MAX) {
		s->lost++;
		return;
	}
	s->r[s->n].lo = lo;
	s->r[s->n].hi = hi;
	s->n++;
}

/* How many bytes of [lo, hi) the set covers: all of them when hi - lo comes back. */
static uint64_t ranges_cover(const struct ranges *s, uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < s->n; i++) {
		uint64_t a = s->r[i].lo > lo ? s->r[i].lo : lo;
		uint64_t b = s->r[i].hi < hi ? s->r[i].hi : hi;
		if (a < b)
			n += b - a;
	}
	return n;
}

static int overlap(uint64_t alo, uint64_t ahi, uint64_t blo, uint64_t bhi)
{
	return alo < bhi && blo < ahi;
}

/* The NUL-terminated string at pa into buf: 0, 1 when it was cut to fit, -1 if unreadable. */
static int read_string(pvh_phys_fn phys, uint64_t pa, char *buf, size_t cap)
{
	for (size_t i = 0; i < cap; i++) {
		const char *c = pa + i < pa ? NULL : phys(pa + i, 1);

		if (c == NULL) {
			buf[0] = '\0';
			return -1;
		}
		buf[i] = *c;
		if (*c == '\0')
			return 0;
	}
	buf[cap - 1] = '\0';
	return 1;
}

/*
 * Entry i of a table at p, copied out: the hypervisor may put a table at any address, and a
 * misaligned one must not be read through a struct pointer.
 */
static struct hvm_memmap_table_entry memmap_entry(const uint8_t *p, uint32_t i)
{
	struct hvm_memmap_table_entry e;

	memcpy(&e, p + (uint64_t)i * sizeof(e), sizeof(e));
	return e;
}

/* The hypervisor's RAM, clipped to [1 MiB, PVH_RAM_LIMIT), less every range it marks otherwise. */
static const char *take_memmap(const struct hvm_start_info *si, pvh_phys_fn phys,
			       struct ranges *ram, pvh_warn_fn warn)
{
	const uint8_t *table;
	uint32_t n = si->memmap_entries;

	if (si->version < LDE_PVH_START_INFO_MEMMAP_VERSION || n == 0 || si->memmap_paddr == 0)
		return "the hypervisor gave no memory map (hvm_start_info version 1 has one)";
	if (n > PVH_MEMMAP_READ_MAX) {
		warn("lde: pvh: the memory map has %u entries: only the first %u are read\n", n,
		     PVH_MEMMAP_READ_MAX);
		n = PVH_MEMMAP_READ_MAX;
	}
	table = phys(si->memmap_paddr, (uint64_t)n * sizeof(struct hvm_memmap_table_entry));
	if (table == NULL)
		return "the memory map lies outside the memory the boot page tables map";
	for (uint32_t i = 0; i < n; i++) {
		const struct hvm_memmap_table_entry e = memmap_entry(table, i);
		uint64_t end = e.addr + e.size;

		if (e.type != XEN_HVM_MEMMAP_TYPE_RAM || e.size == 0)
			continue;
		if (end < e.addr) {
			warn("lde: pvh: memory-map entry %u wraps around: not used\n", i);
			continue;
		}
		ranges_add(ram, e.addr > LDE_LOAD_MIN ? e.addr : LDE_LOAD_MIN,
			   end < PVH_RAM_LIMIT ? end : PVH_RAM_LIMIT);
	}
	/* Where a RAM entry and another overlap, the other wins: RAM must be free for the taking. */
	for (uint32_t i = 0; i < n; i++) {
		const struct hvm_memmap_table_entry e = memmap_entry(table, i);
		uint64_t end = e.addr + e.size;

		if (e.type != XEN_HVM_MEMMAP_TYPE_RAM)
			ranges_remove(ram, e.addr, end < e.addr ? UINT64_MAX : end);
	}
	return NULL;
}

/* The module's name: its command line's first word without the directories, else moduleN. */
static void module_name(const struct hvm_modlist_entry *m, unsigned i, pvh_phys_fn phys,
			char *name, size_t cap)
{
	char line[LDE_CMDLINE_MAX];
	size_t start = 0, end = 0;

	if (m->cmdline_paddr != 0 && read_string(phys, m->cmdline_paddr, line, sizeof(line)) >= 0) {
		while (line[end] != '\0' && line[end] != ' ') {
			if (line[end] == '/')
				start = end + 1;
			end++;
		}
	}
	if (end > start) {
		size_t n = end - start < cap - 1 ? end - start : cap - 1;
		memcpy(name, line + start, n);
		name[n] = '\0';
	} else {
		fmt_snprintf(name, cap, "module%u", i);
	}
}

/* Why module m cannot be a boot module, or NULL; ram is the RAM before the image is taken out. */
static const char *module_refusal(const struct hvm_modlist_entry *m, const struct ranges *ram,
				  uint64_t kstart, uint64_t kend, const struct lde_boot_info *bi)
{
	uint64_t end = m->paddr + m->size;

	if (m->size == 0)
		return "it is empty";
	if (end < m->paddr || m->paddr % X86_PAGE_SIZE != 0)
		return "its address is not page-aligned, or its size wraps around";
	if (ranges_cover(ram, m->paddr, end) != m->size)
		return "it does not lie in RAM between 1 MiB and 4 GiB";
	if (overlap(m->paddr, end, kstart, kend))
		return "it overlaps the kernel image";
	for (unsigned j = 0; j < bi->module_count; j++)
		if (overlap(m->paddr, end, bi->modules[j].start,
			    bi->modules[j].start + bi->modules[j].len))
			return "it overlaps another module";
	return NULL;
}

static void take_modules(const struct hvm_start_info *si, pvh_phys_fn phys,
			 const struct ranges *ram, uint64_t kstart, uint64_t kend,
			 struct lde_boot_info *bi, pvh_warn_fn warn)
{
	const uint8_t *list;
	uint32_t n = si->nr_modules;

	if (n == 0 || si->modlist_paddr == 0)
		return;
	if (n > LDE_MODULES_MAX) {
		warn("lde: pvh: %u modules: only the first %u are taken\n", n, LDE_MODULES_MAX);
		n = LDE_MODULES_MAX;
	}
	list = phys(si->modlist_paddr, (uint64_t)n * sizeof(struct hvm_modlist_entry));
	if (list == NULL) {
		warn("lde: pvh: the module list is not in readable memory: no modules\n");
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct hvm_modlist_entry m; /* copied out: each field read once, any alignment */
		struct lde_boot_module *bm = &bi->modules[bi->module_count];
		const char *why;

		memcpy(&m, list + (uint64_t)i * sizeof(m), sizeof(m));
		why = module_refusal(&m, ram, kstart, kend, bi);
		if (why != NULL) {
			warn("lde: pvh: module %u at 0x%lx, %lu bytes: skipped: %s\n", i,
			     (unsigned long)m.paddr, (unsigned long)m.size, why);
			continue;
		}
		bm->start = m.paddr;
		bm->len = m.size;
		bm->args = bm->args_len = 0; /* the kernel gives the task its name as argv[0] */
		module_name(&m, i, phys, bm->name, sizeof(bm->name));
		bi->module_count++;
	}
}

static void add_region(struct lde_boot_info *bi, uint64_t start, uint64_t end, uint32_t type)
{
	bi->memmap[bi->memmap_count++] =
		(struct lde_mem_region){ .start = start, .len = end - start, .type = type };
}

/* The memory map as our VMM would write it: low memory, RAM by address, the image, modules. */
static void emit_memmap(struct ranges *ram, uint64_t kstart, uint64_t kend,
			struct lde_boot_info *bi, pvh_warn_fn warn)
{
	/* Two regions are the low memory and the image; one each for the modules. */
	unsigned slots = LDE_MEMMAP_MAX - 2 - bi->module_count, taken = 0, dropped = 0;

	/* Insertion sort by address: at most RANGES_MAX entries. */
	for (unsigned i = 1; i < ram->n; i++)
		for (unsigned j = i; j > 0 && ram->r[j].lo < ram->r[j - 1].lo; j--) {
			uint64_t lo = ram->r[j].lo, hi = ram->r[j].hi;
			ram->r[j] = ram->r[j - 1];
			ram->r[j - 1].lo = lo;
			ram->r[j - 1].hi = hi;
		}
	add_region(bi, 0, LDE_LOAD_MIN, LDE_MEM_RESERVED);
	for (unsigned i = 0; i < ram->n; i++) {
		if (taken == slots) {
			dropped++;
			continue;
		}
		add_region(bi, ram->r[i].lo, ram->r[i].hi, LDE_MEM_RAM);
		taken++;
	}
	if (dropped + ram->lost > 0)
		warn("lde: pvh: %u pieces of RAM left unused: the memory map holds %u regions\n",
		     dropped + ram->lost, LDE_MEMMAP_MAX);
	add_region(bi, kstart, kend, LDE_MEM_KERNEL);
	for (unsigned i = 0; i < bi->module_count; i++)
		add_region(bi, bi->modules[i].start, PAGE_UP(bi->modules[i].start + bi->modules[i].len),
			   LDE_MEM_MODULE);
}

const char *pvh_info_translate(uint64_t si_pa, pvh_phys_fn phys, uint64_t kstart, uint64_t kend,
			       struct lde_boot_info *bi, pvh_warn_fn warn)
{
	static struct ranges ram; /* 1 KiB: not on the boot stack */
	struct hvm_start_info si = { 0 };
	const void *p = phys(si_pa, START_INFO_V0_SIZE);
	const char *why;

	memset(bi, 0, sizeof(*bi));
	memset(&ram, 0, sizeof(ram));
	if (p == NULL)
		return "hvm_start_info is not in readable memory";
	memcpy(&si, p, START_INFO_V0_SIZE);
	if (si.magic != XEN_HVM_START_MAGIC_VALUE)
		return "hvm_start_info has the wrong magic number: not a PVH boot";
	if (si.version >= LDE_PVH_START_INFO_MEMMAP_VERSION) {
		p = phys(si_pa, sizeof(si));
		if (p == NULL)
			return "hvm_start_info is not in readable memory";
		memcpy(&si, p, sizeof(si));
	}
	bi->magic = LDE_BOOT_MAGIC;
	bi->abi_version = LDE_ABI_VERSION;
	kstart = PAGE_DOWN(kstart);
	kend = PAGE_UP(kend);
	bi->kernel_start = kstart;
	bi->kernel_end = kend;
	if (si.cmdline_paddr != 0 &&
	    read_string(phys, si.cmdline_paddr, bi->cmdline, sizeof(bi->cmdline)) != 0)
		warn("lde: pvh: the command line is unreadable, or longer than %u bytes: cut\n",
		     LDE_CMDLINE_MAX - 1);
	why = take_memmap(&si, phys, &ram, warn);
	if (why != NULL)
		return why;
	for (unsigned i = 0; i < ram.n; i++)
		if (ram.r[i].hi > bi->mem_size)
			bi->mem_size = ram.r[i].hi;
	if (kend > bi->mem_size)
		bi->mem_size = kend;
	take_modules(&si, phys, &ram, kstart, kend, bi, warn);
	/* What is left is free: not the image, not a module, whole pages only. */
	ranges_remove(&ram, kstart, kend);
	for (unsigned i = 0; i < bi->module_count; i++)
		ranges_remove(&ram, bi->modules[i].start,
			      PAGE_UP(bi->modules[i].start + bi->modules[i].len));
	for (unsigned i = 0; i < ram.n;) {
		ram.r[i].lo = PAGE_UP(ram.r[i].lo);
		ram.r[i].hi = PAGE_DOWN(ram.r[i].hi);
		if (ram.r[i].lo >= ram.r[i].hi)
			ram.r[i] = ram.r[--ram.n];
		else
			i++;
	}
	if (ram.n == 0)
		return "the memory map has no free RAM between 1 MiB and 4 GiB";
	emit_memmap(&ram, kstart, kend, bi, warn);
	return NULL;
}
