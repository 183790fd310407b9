/* abi/pvh.h: booting without our VMM: the Xen PVH boot contract (ELF note, hvm_start_info) and the exit ports of QEMU, cloud-hypervisor and Firecracker. */
#ifndef LDE_ABI_PVH_H
#define LDE_ABI_PVH_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/*
 * The PVH boot ABI (Xen's docs/misc/pvh.pandoc; public/arch-x86/hvm/start_info.h, whose
 * layout and names these copy). An ELF kernel announces a 32-bit entry point with an ELF
 * note named "Xen" of type XEN_ELFNOTE_PHYS32_ENTRY in a PT_NOTE segment; its descriptor is
 * the entry's physical address. QEMU (-kernel), Firecracker and cloud-hypervisor load the
 * PT_LOAD segments at their physical addresses and enter there with:
 *   - 32-bit protected mode, paging off, interrupts off;
 *   - CS a flat 32-bit code segment, DS, ES, SS flat 32-bit data segments (base 0, 4 GiB);
 *   - EBX = the physical address of a struct hvm_start_info; no stack, GDT or IDT to rely on.
 * QEMU reads the descriptor as a 64-bit value in a 64-bit ELF, at 12 + the name's size
 * rounded up to the PT_NOTE segment's p_align: so the note is 4-aligned and 8 bytes long.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define LDE_PVH_NOTE_NAME "Xen"
#define LDE_PVH_NOTE_NAMESZ 4 /* "Xen" and its NUL */
#define LDE_PVH_NOTE_DESCSZ 8

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578 /* "xEn3" with the E's 0x80 bit set */
#define LDE_PVH_START_INFO_MEMMAP_VERSION 1  /* the first version with memmap_* fields */

/* Memory-map entry types: the ACPI address range types (E820), as start_info.h names them. */
#define XEN_HVM_MEMMAP_TYPE_RAM 1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2
#define XEN_HVM_MEMMAP_TYPE_ACPI 3
#define XEN_HVM_MEMMAP_TYPE_NVS 4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE 5
#define XEN_HVM_MEMMAP_TYPE_DISABLED 6
#define XEN_HVM_MEMMAP_TYPE_PMEM 7

/*
 * Ending the machine without our VMM, tried in this order (guest/pvh_console.c):
 *
 * QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=0x04): a write of
 * value v makes QEMU exit at once with status (v << 1) | 1, which the shell sees modulo 256.
 * The kernel writes its exit status s, so QEMU's status is 2s + 1 for s below 128 (1 for 0,
 * 3 for 1, 241 for a kernel panic, 120), and s = (status - 1) / 2. Above 127 the top bit is
 * lost (a task killed by #GP, 141, comes out as 27, as status 13 would): the kernel's last
 * console line, "lde: exit status S", tells them apart.
 */
#define LDE_PVH_DEBUG_EXIT_PORT 0xf4
#define LDE_PVH_QEMU_EXIT_STATUS(s) ((((s) << 1) | 1) & 0xff)

/* cloud-hypervisor's ACPI shutdown device: SLP_TYP = 5 (S5, off) in bits 2-4, SLP_EN bit 5. */
#define LDE_PVH_ACPI_SHUTDOWN_PORT 0x600
#define LDE_PVH_ACPI_SLP_TYP_S5 (5 << 2)
#define LDE_PVH_ACPI_SLP_EN (1 << 5)

/* The i8042 keyboard controller's "pulse reset" command: Firecracker exits on it. */
#define LDE_PVH_I8042_COMMAND_PORT 0x64
#define LDE_PVH_I8042_CMD_RESET 0xfe

#ifndef __ASSEMBLER__
/* What EBX points at. Every address is physical; 0 means "not present". */
struct hvm_start_info {
	uint32_t magic;          /* XEN_HVM_START_MAGIC_VALUE */
	uint32_t version;        /* 0, or 1 with the memory map */
	uint32_t flags;          /* SIF_*: nothing we use */
	uint32_t nr_modules;     /* entries at modlist_paddr */
	uint64_t modlist_paddr;  /* struct hvm_modlist_entry[nr_modules] */
	uint64_t cmdline_paddr;  /* the command line, NUL-terminated */
	uint64_t rsdp_paddr;     /* ACPI RSDP: nothing we use */
	uint64_t memmap_paddr;   /* version 1: struct hvm_memmap_table_entry[memmap_entries] */
	uint32_t memmap_entries; /* version 1: 0 if there is no map */
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;         /* the module's bytes: QEMU's -initrd FILE */
	uint64_t size;
	uint64_t cmdline_paddr; /* NUL-terminated, or 0 */
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* XEN_HVM_MEMMAP_TYPE_* */
	uint32_t reserved;
};

/* The byte offsets start_info.h documents: the struct above must match them exactly. */
_Static_assert(__builtin_offsetof(struct hvm_start_info, nr_modules) == 12, "start_info");
_Static_assert(__builtin_offsetof(struct hvm_start_info, modlist_paddr) == 16, "start_info");
_Static_assert(__builtin_offsetof(struct hvm_start_info, cmdline_paddr) == 24, "start_info");
_Static_assert(__builtin_offsetof(struct hvm_start_info, rsdp_paddr) == 32, "start_info");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_paddr) == 40, "start_info");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_entries) == 48, "start_info");
_Static_assert(sizeof(struct hvm_start_info) == 56, "start_info");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry");
_Static_assert(__builtin_offsetof(struct hvm_memmap_table_entry, type) == 16, "memmap entry");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "memmap entry");
#endif /* !__ASSEMBLER__ */

#endif
