/* tests/unit/test_desc.c: the guest's pure descriptor and page-table-entry encoders (guest/desc.h, guest/pte.h). */
#include <check.h>
#include <stdint.h>

#include "../../abi/x86.h"
#include "../../guest/desc.h"
#include "../../guest/pte.h"
#include "suites.h"

#define KCODE (X86_DESC_P | X86_DESC_S | X86_DESC_CODE | X86_DESC_RW | X86_DESC_DPL(0))
#define UCODE (X86_DESC_P | X86_DESC_S | X86_DESC_CODE | X86_DESC_RW | X86_DESC_DPL(3))
#define KDATA (X86_DESC_P | X86_DESC_S | X86_DESC_RW | X86_DESC_DPL(0))
#define UDATA (X86_DESC_P | X86_DESC_S | X86_DESC_RW | X86_DESC_DPL(3))

START_TEST(seg_kernel_code)
{
	ck_assert_uint_eq(desc_seg(KCODE, X86_DESC_L | X86_DESC_G), 0x00af9a000000ffffull);
}
END_TEST

START_TEST(seg_user_code)
{
	ck_assert_uint_eq(desc_seg(UCODE, X86_DESC_L | X86_DESC_G), 0x00affa000000ffffull);
}
END_TEST

START_TEST(seg_data)
{
	ck_assert_uint_eq(desc_seg(UDATA, X86_DESC_DB | X86_DESC_G), 0x00cff2000000ffffull);
	ck_assert_uint_eq(desc_seg(KDATA, X86_DESC_DB | X86_DESC_G), 0x00cf92000000ffffull);
}
END_TEST

START_TEST(seg_masks_fields)
{
	/* Stray high bits in access or flags must not leak into other fields. */
	ck_assert_uint_eq(desc_seg(0x100 | KCODE, 0x10 | X86_DESC_L | X86_DESC_G),
			  0x00af9a000000ffffull);
}
END_TEST

/* Decode a 64-bit TSS descriptor back into its fields (SDM 8.2.3). */
struct tss_fields {
	uint64_t base;
	uint32_t limit;
	unsigned type, s, dpl, p, g;
};

static struct tss_fields tss_decode(uint64_t lo, uint64_t hi)
{
	return (struct tss_fields){
		.base = (lo >> 16 & 0xffffff) | (lo >> 56 & 0xff) << 24 | (hi & 0xffffffff) << 32,
		.limit = (uint32_t)((lo & 0xffff) | (lo >> 48 & 0xf) << 16),
		.type = (unsigned)(lo >> 40 & 0xf),
		.s = (unsigned)(lo >> 44 & 1),
		.dpl = (unsigned)(lo >> 45 & 3),
		.p = (unsigned)(lo >> 47 & 1),
		.g = (unsigned)(lo >> 55 & 1),
	};
}

START_TEST(tss_split)
{
	const uint64_t base = 0xffffffff80123456ull;
	uint64_t lo = desc_tss_lo(base, 103), hi = desc_tss_hi(base);
	struct tss_fields f = tss_decode(lo, hi);

	ck_assert_uint_eq(lo, 0x8000891234560067ull);
	ck_assert_uint_eq(hi, 0x00000000ffffffffull);
	ck_assert_uint_eq(f.base, base);
	ck_assert_uint_eq(f.limit, 103);
	ck_assert_uint_eq(f.type, X86_DESC_TYPE_TSS_AVAIL);
	ck_assert_uint_eq(f.s, 0);
	ck_assert_uint_eq(f.dpl, 0);
	ck_assert_uint_eq(f.p, 1);
	ck_assert_uint_eq(f.g, 0);
	ck_assert_msg(hi >> 32 == 0, "the high half's upper 32 bits are reserved (0)");
}
END_TEST

START_TEST(tss_wide_limit)
{
	const uint64_t base = 0x0000123487654321ull;
	struct tss_fields f = tss_decode(desc_tss_lo(base, 0xabcde), desc_tss_hi(base));

	ck_assert_uint_eq(f.base, base);
	ck_assert_uint_eq(f.limit, 0xabcde);
	ck_assert_uint_eq(f.type, X86_DESC_TYPE_TSS_AVAIL);
}
END_TEST

/* The gate's fields, decoded from its two quadwords (SDM 6.14.1). */
static uint64_t gate_offset(struct idt_gate g)
{
	return (g.lo & 0xffff) | (g.lo >> 48 & 0xffff) << 16 | (g.hi & 0xffffffff) << 32;
}

static unsigned gate_sel(struct idt_gate g)
{
	return (unsigned)(g.lo >> 16 & 0xffff);
}

static unsigned gate_ist(struct idt_gate g)
{
	return (unsigned)(g.lo >> 32 & 0xff);
}

static unsigned gate_attr(struct idt_gate g)
{
	return (unsigned)(g.lo >> 40 & 0xff);
}

START_TEST(gate_kernel)
{
	struct idt_gate g = desc_gate(0xffffffff80123456ull, 0x08, 0, 0);

	ck_assert_uint_eq(g.lo, 0x80128e0000083456ull);
	ck_assert_uint_eq(g.hi, 0x00000000ffffffffull);
	ck_assert_uint_eq(gate_offset(g), 0xffffffff80123456ull);
	ck_assert_uint_eq(gate_sel(g), 0x08);
	ck_assert_uint_eq(gate_ist(g), 0);
	ck_assert_uint_eq(gate_attr(g), 0x8e); /* P, DPL 0, 64-bit interrupt gate */
	ck_assert_msg(g.hi >> 32 == 0, "the gate's last 4 bytes are reserved (0)");
}
END_TEST

START_TEST(gate_user_and_ist)
{
	struct idt_gate g = desc_gate(0x0000123456789abcull, 0x10, 2, 3);

	ck_assert_uint_eq(g.lo, 0x5678ee0200109abcull);
	ck_assert_uint_eq(g.hi, 0x0000000000001234ull);
	ck_assert_uint_eq(gate_attr(g), 0xee); /* P, DPL 3, 64-bit interrupt gate */
	ck_assert_uint_eq(gate_ist(g), 2);
	ck_assert_uint_eq(gate_sel(g), 0x10);
	ck_assert_uint_eq(gate_offset(g), 0x0000123456789abcull);
	ck_assert_uint_eq(gate_ist(desc_gate(0, 8, 7, 0)), 7);
	ck_assert_uint_eq(gate_ist(desc_gate(0, 8, 9, 0)), 1); /* only bits 0-2 */
	ck_assert_uint_eq(gate_offset(desc_gate(UINT64_MAX, 8, 0, 0)), UINT64_MAX);
}
END_TEST

/* desc_gate_offset gives back the handler desc_gate was given, whatever the other fields. */
START_TEST(gate_offset_round_trip)
{
	static const uint64_t handlers[] = { 0, 0xffffffff80123456ull, 0x0000123456789abcull,
					     0xffff800000000000ull, UINT64_MAX };

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		ck_assert_uint_eq(desc_gate_offset(desc_gate(handlers[i], 0x08, 0, 0)), handlers[i]);
		ck_assert_uint_eq(desc_gate_offset(desc_gate(handlers[i], 0xffff, 7, 3)), handlers[i]);
	}
}
END_TEST

START_TEST(pte_index_levels)
{
	const uint64_t va = 0xffffffff80100000ull;

	ck_assert_uint_eq(pte_index(va, PT_LEVEL_PML4), 511);
	ck_assert_uint_eq(pte_index(va, PT_LEVEL_PDPT), 510);
	ck_assert_uint_eq(pte_index(va, PT_LEVEL_PD), 0);
	ck_assert_uint_eq(pte_index(va, PT_LEVEL_PT), 256);
	ck_assert_uint_eq(pte_index(0x0000008040201000ull, PT_LEVEL_PML4), 1);
	ck_assert_uint_eq(pte_index(0x0000008040201000ull, PT_LEVEL_PDPT), 1);
	ck_assert_uint_eq(pte_index(0x0000008040201000ull, PT_LEVEL_PD), 1);
	ck_assert_uint_eq(pte_index(0x0000008040201000ull, PT_LEVEL_PT), 1);
	ck_assert_uint_eq(pte_index(0xfff, PT_LEVEL_PT), 0);
}
END_TEST

START_TEST(pte_make_and_addr)
{
	uint64_t e = pte_make(0x200000, X86_PTE_P | X86_PTE_W | X86_PTE_PS);

	ck_assert_uint_eq(e, 0x200083);
	ck_assert_uint_eq(pte_addr(e), 0x200000);
	/* Low offset bits and bits above 51 of pa are dropped. */
	ck_assert_uint_eq(pte_make(0x123456789abcull, X86_PTE_P), 0x123456789001ull);
	ck_assert_uint_eq(pte_make(0xfff0000000001000ull, 0), 0x1000);
	e = pte_make(0x000ffffffffff000ull, X86_PTE_P | X86_PTE_U | X86_PTE_NX);
	ck_assert_uint_eq(e, 0x800ffffffffff005ull);
	ck_assert_uint_eq(pte_addr(e), 0x000ffffffffff000ull);
	ck_assert_uint_eq(pte_addr(X86_PTE_NX | X86_PTE_G | X86_PTE_D), 0);
}
END_TEST

START_TEST(pte_canonical_edges)
{
	ck_assert_int_eq(pte_canonical(0), 1);
	ck_assert_int_eq(pte_canonical(0x00007fffffffffffull), 1);
	ck_assert_int_eq(pte_canonical(0x0000800000000000ull), 0);
	ck_assert_int_eq(pte_canonical(0xffff800000000000ull), 1);
	ck_assert_int_eq(pte_canonical(0xffff7fffffffffffull), 0);
	ck_assert_int_eq(pte_canonical(0xffffffffffffffffull), 1);
	ck_assert_int_eq(pte_canonical(0x8000000000000000ull), 0);
	ck_assert_int_eq(pte_canonical(0x0001000000000000ull), 0);
}
END_TEST

Suite *desc_suite(void)
{
	Suite *s = suite_create("desc");
	TCase *desc = tcase_create("descriptors");
	TCase *pte = tcase_create("pte");

	tcase_add_test(desc, seg_kernel_code);
	tcase_add_test(desc, seg_user_code);
	tcase_add_test(desc, seg_data);
	tcase_add_test(desc, seg_masks_fields);
	tcase_add_test(desc, tss_split);
	tcase_add_test(desc, tss_wide_limit);
	tcase_add_test(desc, gate_kernel);
	tcase_add_test(desc, gate_user_and_ist);
	tcase_add_test(desc, gate_offset_round_trip);
	tcase_add_test(pte, pte_index_levels);
	tcase_add_test(pte, pte_make_and_addr);
	tcase_add_test(pte, pte_canonical_edges);
	suite_add_tcase(s, desc);
	suite_add_tcase(s, pte);
	return s;
}
