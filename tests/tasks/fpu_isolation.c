/* tests/tasks/fpu_isolation.c: every x87, SSE and (where the kernel saves them) AVX register survives preemption, yield and int $0x80.
 *
 * Run several copies with a fast timer (tests/kvm-timer-tests.sh). Each copy, ROUNDS times:
 * loads values that depend on its pid and the round into the 8 x87 stack registers and the
 * x87 control word, the 16 XMM registers and MXCSR, and, when SYS_stats says the kernel
 * keeps AVX per task (LDE_FPU_AVX), the upper halves of the 16 YMM registers; then spins
 * (long enough between yields for the timer to preempt it) and yields, through SYSCALL and
 * through int $0x80, with the registers loaded; then stores them all and compares. All of
 * that is one assembly function (fpu_round, below), so no compiler-generated code runs
 * while the values are in the registers: the only other code is the kernel's, and the
 * other tasks'. Before anything else, it also checks that it started with the registers
 * in their reset state, whatever the task that ran before it left in them.
 *
 * Prints "fpu: x87 ok ...", "fpu: sse ok ...", and "fpu: avx ok ..." or "fpu: avx not
 * checked (the kernel does not save AVX here)"; on a mismatch "fpu: pid P round R: MISMATCH
 * ..." and exits 1. When the kernel says it keeps AVX but XCR0 does not enable it, it says
 * so ("fpu: pid P: FAIL: ..."), checks x87 and SSE only, and exits 1.
 */
#include "lde.h"

#define ROUNDS 12
#define ITERS 16   /* spins per round; yields after every 4th: two SYSCALL, two int $0x80 */
#define SPIN_US 1000 /* per spin: 4 ms between yields, two slices at hz=1000 */
#define MAX_REPORTS 10

#define XSTR(x) STR(x)
#define STR(x) #x

/* The registers as fpu_round loads and stores them; the offsets are the assembly's. */
struct fpregs {
	int64_t x87[8];       /* 0: st(7) .. st(0) after loading: x87[7] ends on top */
	uint8_t xmm[16][16];  /* 64 */
	uint8_t ymmh[16][16]; /* 320: bits 255:128 of ymm0..ymm15 */
	uint32_t mxcsr;       /* 576 */
	uint16_t fcw;         /* 580 */
	uint16_t pad;
};
_Static_assert(sizeof(struct fpregs) == 584, "fpu_round's offsets");

/*
 * long fpu_round(const struct fpregs *in, struct fpregs *out, long iters, uint64_t spin_tsc,
 *                long avx): load *in, spin and yield, store into *out; returns the OR of the
 * yields' results (0). iters must be a multiple of 8: iteration i (counting down from
 * iters) spins spin_tsc TSC ticks, then yields through int $0x80 when i % 8 == 0 and
 * through SYSCALL when i % 8 == 4. RDI and RSI stay live across the system calls (the ABI
 * says only RAX, RCX and R11 change); R8 holds avx, R9 the count, R10 spin_tsc.
 */
#define LOAD_XMM(n) "movdqu " XSTR(64 + 16 * n) "(%rdi), %xmm" #n "\n\t"
#define STORE_XMM(n) "movdqu %xmm" #n ", " XSTR(64 + 16 * n) "(%rsi)\n\t"
#define LOAD_YMMH(n) "vinsertf128 $1, " XSTR(320 + 16 * n) "(%rdi), %ymm" #n ", %ymm" #n "\n\t"
#define STORE_YMMH(n) "vextractf128 $1, %ymm" #n ", " XSTR(320 + 16 * n) "(%rsi)\n\t"
#define ALL16(m) \
	m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)
#define RDTSC_RAX "rdtsc\n\tshl $32, %rdx\n\tor %rdx, %rax\n\t"

long fpu_round(const struct fpregs *in, struct fpregs *out, long iters, uint64_t spin_tsc,
	       long avx);
__asm__(
	".text\n\t"
	".globl fpu_round\n\t"
	".type fpu_round, @function\n"
	"fpu_round:\n\t"
	"push %rbx\n\t"
	"push %r12\n\t"
	"mov %rcx, %r10\n\t"
	"mov %rdx, %r9\n\t"
	"xor %r12d, %r12d\n\t"
	"fninit\n\t"
	"fldcw 580(%rdi)\n\t"
	"fildq 0(%rdi)\n\tfildq 8(%rdi)\n\tfildq 16(%rdi)\n\tfildq 24(%rdi)\n\t"
	"fildq 32(%rdi)\n\tfildq 40(%rdi)\n\tfildq 48(%rdi)\n\tfildq 56(%rdi)\n\t"
	"ldmxcsr 576(%rdi)\n\t"
	ALL16(LOAD_XMM)
	"test %r8, %r8\n\t"
	"jz 1f\n\t"
	ALL16(LOAD_YMMH)
	"1:\n\t"
	RDTSC_RAX
	"lea (%rax,%r10), %rbx\n"
	"2:\n\t"
	RDTSC_RAX
	"cmp %rbx, %rax\n\t"
	"jb 2b\n\t"
	"mov %r9, %rax\n\t"
	"and $7, %eax\n\t"
	"jz 3f\n\t"
	"cmp $4, %eax\n\t"
	"jne 4f\n\t"
	"mov $" XSTR(SYS_sched_yield) ", %eax\n\t"
	"syscall\n\t"
	"or %rax, %r12\n\t"
	"jmp 4f\n"
	"3:\n\t"
	"mov $" XSTR(SYS_sched_yield) ", %eax\n\t"
	"int $0x80\n\t"
	"or %rax, %r12\n"
	"4:\n\t"
	"dec %r9\n\t"
	"jnz 1b\n\t"
	"test %r8, %r8\n\t"
	"jz 5f\n\t"
	ALL16(STORE_YMMH)
	"5:\n\t"
	ALL16(STORE_XMM)
	"stmxcsr 576(%rsi)\n\t"
	"fnstcw 580(%rsi)\n\t"
	"fistpq 56(%rsi)\n\tfistpq 48(%rsi)\n\tfistpq 40(%rsi)\n\tfistpq 32(%rsi)\n\t"
	"fistpq 24(%rsi)\n\tfistpq 16(%rsi)\n\tfistpq 8(%rsi)\n\tfistpq 0(%rsi)\n\t"
	"test %r8, %r8\n\t"
	"jz 6f\n\t"
	"vzeroupper\n"
	"6:\n\t"
	"mov %r12, %rax\n\t"
	"pop %r12\n\t"
	"pop %rbx\n\t"
	"ret\n\t"
	".size fpu_round, . - fpu_round\n\t"
	".text");

/*
 * The state a task starts with, read before any compiler-generated code could use the
 * registers (main's first call; crt0 uses none): x87 stack empty (tag word all 11b),
 * FCW 0x037f, MXCSR 0x1f80, xmm8..xmm15 zero (the compiler may use low XMM registers in
 * main's prologue, never the high ones here), and with AVX their upper halves zero too.
 */
struct initial {
	uint8_t env[28];      /* fnstenv: FCW at 0, tag word at 8 */
	uint32_t mxcsr;
	uint8_t xmm[8][16];   /* xmm8..xmm15 */
	uint8_t ymmh[8][16];  /* upper halves of ymm8..ymm15 */
};
#define SAVE_XMM(n) "movdqu %xmm" #n ", " XSTR(32 + 16 * (n - 8)) "(%rdi)\n\t"
#define SAVE_YMMH(n) "vextractf128 $1, %ymm" #n ", " XSTR(160 + 16 * (n - 8)) "(%rdi)\n\t"
#define HIGH8(m) m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)
_Static_assert(__builtin_offsetof(struct initial, xmm) == 32, "save_initial's offsets");
_Static_assert(__builtin_offsetof(struct initial, ymmh) == 160, "save_initial's offsets");

void save_initial(struct initial *out, long avx);
__asm__(
	".text\n\t"
	".globl save_initial\n\t"
	".type save_initial, @function\n"
	"save_initial:\n\t"
	"fnstenv 0(%rdi)\n\t"
	"fldcw 0(%rdi)\n\t" /* fnstenv masks exceptions: put the control word back */
	"stmxcsr 28(%rdi)\n\t"
	HIGH8(SAVE_XMM)
	"test %rsi, %rsi\n\t"
	"jz 1f\n\t"
	HIGH8(SAVE_YMMH)
	"1:\n\t"
	"ret\n\t"
	".size save_initial, . - save_initial\n\t"
	".text");

static long pid;
static int reports;

/*
 * When the kernel says it keeps AVX, XCR0 must enable it (bits 1 and 2, SSE and AVX): XSAVE
 * saves only what XCR0 enables, and AVX instructions raise #UD without it. XGETBV works in
 * ring 3 once CR4.OSXSAVE is set (CPUID.1:ECX bit 27 shows it).
 */
static int xcr0_has_avx(void)
{
	uint32_t a, b, c, d, lo, hi;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 27))) {
		printf("fpu: pid %ld: FAIL: the kernel says it keeps AVX per task, "
		       "but CR4.OSXSAVE is off\n", pid);
		return 0;
	}
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & 6) != 6) {
		printf("fpu: pid %ld: FAIL: the kernel says it keeps AVX per task, "
		       "but XCR0 is 0x%lx: AVX instructions would raise #UD, and XSAVE saves "
		       "neither XMM nor YMM registers\n", pid, (uint64_t)hi << 32 | lo);
		return 0;
	}
	return 1;
}

static void mismatch(unsigned round, const char *what, const void *got, const void *want, size_t n)
{
	const uint8_t *g = got, *w = want;
	char gs[40], ws[40];

	if (reports++ >= MAX_REPORTS)
		return;
	for (size_t i = 0; i < n && i < 16; i++) {
		snprintf(gs + 2 * i, 3, "%02x", g[n - 1 - i]);
		snprintf(ws + 2 * i, 3, "%02x", w[n - 1 - i]);
	}
	printf("fpu: pid %ld round %u: MISMATCH %s holds %s, expected %s\n", pid, round, what, gs,
	       ws);
}

static uint64_t seed;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

/* Values for this pid and round: the pid and round are in each x87 value's top bits. */
static void fill(struct fpregs *r, unsigned round)
{
	seed = 0x9e3779b97f4a7c15ull * (uint64_t)(pid * 64 + round + 1);
	for (int i = 0; i < 8; i++) {
		uint64_t v = (uint64_t)pid << 52 | (uint64_t)round << 44 | (uint64_t)i << 40 |
			     (rnd() & 0xffffffffffull);
		r->x87[i] = (i & 1) ? -(int64_t)v : (int64_t)v;
	}
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j += 8) {
			uint64_t a = rnd(), b = rnd();
			memcpy(&r->xmm[i][j], &a, 8);
			memcpy(&r->ymmh[i][j], &b, 8);
		}
	/* Rounding-control bits that differ between copies: RC in FCW 11:10, MXCSR 14:13. */
	r->fcw = (uint16_t)(0x037f | ((pid + round) & 3) << 10);
	r->mxcsr = 0x1f80 | (uint32_t)((pid + round) & 3) << 13;
	r->pad = 0;
}

static int check_initial(long avx)
{
	static const uint8_t zero[16];
	struct initial s;
	uint16_t fcw, tags;
	int bad = 0;
	char what[32];

	memset(&s, 0xa5, sizeof(s));
	save_initial(&s, avx);
	memcpy(&fcw, &s.env[0], 2);
	memcpy(&tags, &s.env[8], 2);
	if (fcw != 0x037f || tags != 0xffff) {
		printf("fpu: pid %ld: MISMATCH initial x87 control word %04x, tag word %04x: "
		       "expected 037f, ffff\n", pid, fcw, tags);
		bad = 1;
	}
	if (s.mxcsr != 0x1f80) {
		printf("fpu: pid %ld: MISMATCH initial MXCSR %08x: expected 00001f80\n", pid,
		       s.mxcsr);
		bad = 1;
	}
	for (int i = 0; i < 8; i++) {
		if (memcmp(s.xmm[i], zero, 16) != 0) {
			snprintf(what, sizeof(what), "initial xmm%d", i + 8);
			mismatch(0, what, s.xmm[i], zero, 16);
			bad = 1;
		}
		if (avx && memcmp(s.ymmh[i], zero, 16) != 0) {
			snprintf(what, sizeof(what), "initial ymm%d[255:128]", i + 8);
			mismatch(0, what, s.ymmh[i], zero, 16);
			bad = 1;
		}
	}
	return bad;
}

int main(void)
{
	struct lde_kstats st;
	struct fpregs in, out;
	unsigned bad_x87 = 0, bad_sse = 0, bad_avx = 0, yields = 0, int80s = 0;
	long avx, r;
	char what[32];
	int bad_initial, bad_xcr0 = 0;

	if (lde_syscall(SYS_stats, (long)&st, 0, 0, 0, 0, 0) != 0 || st.tsc_khz == 0) {
		printf("fpu: SYS_stats failed\n");
		return 1;
	}
	/* System calls touch only general registers: the vector ones are as the kernel set them. */
	pid = getpid();
	avx = (st.fpu_saved & LDE_FPU_AVX) != 0;
	if (avx && !xcr0_has_avx()) {
		avx = 0; /* AVX instructions would raise #UD: check the rest, then fail */
		bad_xcr0 = 1;
	}
	bad_initial = check_initial(avx);
	for (unsigned round = 1; round <= ROUNDS; round++) {
		fill(&in, round);
		memset(&out, 0, sizeof(out));
		r = fpu_round(&in, &out, ITERS, st.tsc_khz * SPIN_US / 1000, avx);
		yields += ITERS / 4;
		int80s += ITERS / 8;
		if (r != 0) {
			printf("fpu: pid %ld round %u: FAIL: a yield returned %ld\n", pid, round,
			       r);
			return 1;
		}
		for (int i = 0; i < 8; i++)
			if (out.x87[i] != in.x87[i]) {
				snprintf(what, sizeof(what), "st(%d)", 7 - i);
				mismatch(round, what, &out.x87[i], &in.x87[i], 8);
				bad_x87++;
			}
		if (out.fcw != in.fcw) {
			mismatch(round, "the x87 control word", &out.fcw, &in.fcw, 2);
			bad_x87++;
		}
		for (int i = 0; i < 16; i++)
			if (memcmp(out.xmm[i], in.xmm[i], 16) != 0) {
				snprintf(what, sizeof(what), "xmm%d", i);
				mismatch(round, what, out.xmm[i], in.xmm[i], 16);
				bad_sse++;
			}
		if (out.mxcsr != in.mxcsr) {
			mismatch(round, "MXCSR", &out.mxcsr, &in.mxcsr, 4);
			bad_sse++;
		}
		for (int i = 0; avx && i < 16; i++)
			if (memcmp(out.ymmh[i], in.ymmh[i], 16) != 0) {
				snprintf(what, sizeof(what), "ymm%d[255:128]", i);
				mismatch(round, what, out.ymmh[i], in.ymmh[i], 16);
				bad_avx++;
			}
	}
	printf("fpu: pid %ld: %u rounds, %u yields (%u through int $0x80) with the registers "
	       "loaded\n", pid, ROUNDS, yields, int80s);
	if (!bad_initial)
		printf("fpu: initial state ok (pid %ld)\n", pid);
	if (!bad_x87)
		printf("fpu: x87 ok (pid %ld: 8 stack registers and the control word)\n", pid);
	if (!bad_sse)
		printf("fpu: sse ok (pid %ld: 16 XMM registers and MXCSR)\n", pid);
	if (bad_xcr0)
		printf("fpu: avx not checked (pid %ld: XCR0 lacks it)\n", pid);
	else if (!avx)
		printf("fpu: avx not checked (the kernel does not save AVX here)\n");
	else if (!bad_avx)
		printf("fpu: avx ok (pid %ld: upper halves of 16 YMM registers)\n", pid);
	return bad_xcr0 || bad_initial || bad_x87 || bad_sse || bad_avx;
}
