/* abi/bench.h: SYS_bench, the kernel's hooks for ring-3 benchmark tasks (bench/), and what they report. */
#ifndef LDE_ABI_BENCH_H
#define LDE_ABI_BENCH_H

/*
 * long bench(unsigned op, ...) = lde_syscall(SYS_bench, op, a0, a1, a2, ...)
 *
 * A benchmark task asks the kernel to change its own entry paths, or to time something only
 * ring 0 can do. Only when the kernel was booted with bench=on (or bench=quick, which also
 * asks the tasks for fewer samples): otherwise every op returns -EPERM, since the counters
 * are the host's and the ring-0 loops keep interrupts off. Every mode is per task: the kernel installs it when it switches to the task
 * and takes it out when it switches away, so other tasks always see the normal paths.
 */
#define LDE_BENCH_INFO 1     /* bench(INFO, struct lde_bench_info *out): 0 */
#define LDE_BENCH_COUNTERS 2 /* bench(COUNTERS, struct lde_bench_counters *out): 0 */
#define LDE_BENCH_MODE 3     /* bench(MODE, flags): set this task's LDE_BENCH_M_* modes */
#define LDE_BENCH_PF_ARM 4   /* bench(PF_ARM, va): unmap (and free) the fault-region page at va */
#define LDE_BENCH_KLOOP 5    /* bench(KLOOP, what, uint64_t *cycles, n): ring-0 loop, below; count */
#define LDE_BENCH_TIMER 6    /* bench(TIMER, hz): the tick rate (0: off); only for a task alone */
#define LDE_BENCH_STEP 7     /* bench(STEP, ON, via) / bench(STEP, OFF, struct lde_bench_step *out) */
#define LDE_BENCH_OPS 8      /* first unused op */

/*
 * LDE_BENCH_MODE flags. The raw paths are the hardware floor: the entry returns at once,
 * without a frame, a stack switch or the dispatcher. While one is on, the other way in
 * still works (that is how the task turns the mode off again), so the two cannot be
 * combined. At most one mitigation at a time; -ENODEV when the CPU or platform lacks it.
 */
#define LDE_BENCH_M_RAW_SYSCALL (1u << 0) /* SYSCALL returns at once: SYSRET (hardware) */
#define LDE_BENCH_M_RAW_INT80 (1u << 1)   /* int $0x80 returns at once: IRETQ (kvm_pvm: any
					    * #UD of the task skips 2 bytes, unchecked) */
#define LDE_BENCH_M_UD_RESUME (1u << 2)   /* #UD on a ud2 (0F 0B): skip it and return */
#define LDE_BENCH_M_PF_REGION (1u << 3)   /* #PF in the fault region: map a zeroed page */
#define LDE_BENCH_M_KPTI (1u << 4)        /* system-call entry and exit reload CR3 */
#define LDE_BENCH_M_VERW (1u << 5)        /* exit clears CPU buffers with VERW (MDS) */
#define LDE_BENCH_M_IBPB (1u << 6)        /* entry issues an IBPB barrier */
#define LDE_BENCH_M_ALL ((1u << 7) - 1)
#define LDE_BENCH_M_MITIGATIONS (LDE_BENCH_M_KPTI | LDE_BENCH_M_VERW | LDE_BENCH_M_IBPB)

/* The demand-zero fault region of LDE_BENCH_M_PF_REGION: user addresses nothing else uses. */
#define LDE_BENCH_PF_BASE 0x0000500000000000ull
#define LDE_BENCH_PF_SIZE (1ull << 20)

/*
 * LDE_BENCH_KLOOP: up to n (1..LDE_BENCH_KLOOP_MAX) timed operations in ring 0 with
 * interrupts off, the TSC read around each (lfence; rdtsc; lfence on both sides: RDTSCP ends
 * a kvm_pvm VM in ring 0); cycles[i] is the raw bracket, so the caller subtracts
 * LDE_BENCH_K_EMPTY's. The kernel stops after about 10 ms and returns how many it timed
 * (at least one): ask again for the rest.
 */
#define LDE_BENCH_K_EMPTY 0     /* nothing: the bracket */
#define LDE_BENCH_K_PIO 1       /* a port write the VMM serves and returns from (LDE_HC_NOP) */
#define LDE_BENCH_K_HYPERCALL 2 /* the console hypercall with an empty buffer */
#define LDE_BENCH_K_CPUID 3     /* CPUID from ring 0: an exit KVM serves itself */
#define LDE_BENCH_K_INSN 4      /* LDE_BENCH_K_INSN_BLOCK register adds: cycles per block */
#define LDE_BENCH_K_KINDS 5
#define LDE_BENCH_K_INSN_BLOCK 32
#define LDE_BENCH_KLOOP_MAX 2048

/*
 * LDE_BENCH_STEP: count the kernel's instructions by single-stepping (the bench's steps=). ON
 * opens a window, OFF closes it and copies out what the VMM counted; the kernel asks the VMM
 * with LDE_HC_STEP (abi/hypercall.h), so it works only when the VMM was started with --step:
 * else -ENODEV. -EINVAL for a bad via, a second ON, or OFF with no window; -ERANGE from OFF
 * when the VMM stopped stepping at its budget (the counts are partial).
 *
 * via names the ways into the kernel whose entries the window steps. On hardware KVM the
 * kernel points each at an entry that tells the VMM (LDE_STEP_ENTRY_PORT) for the window's
 * length: a tick through a way not named runs unstepped and is not counted. Under kvm_pvm
 * every emulated ring-0 instruction is stepped, whatever via says.
 * The window also counts what its own ON and OFF run in the kernel: a constant, which the caller
 * subtracts by measuring an empty window with the same via and modes (bench/benchlib.h).
 */
#define LDE_BENCH_STEP_ON 1
#define LDE_BENCH_STEP_OFF 2
#define LDE_BENCH_VIA_SYSCALL (1u << 0) /* SYSCALL (LSTAR as the task's modes set it) */
#define LDE_BENCH_VIA_INT80 (1u << 1)   /* int $0x80 */
#define LDE_BENCH_VIA_BP (1u << 2)      /* int3 */
#define LDE_BENCH_VIA_UD (1u << 3)      /* #UD (ud2 with LDE_BENCH_M_UD_RESUME) */
#define LDE_BENCH_VIA_PF (1u << 4)      /* #PF (the fault region) */
#define LDE_BENCH_VIA_TIMER (1u << 5)   /* the timer interrupt */
#define LDE_BENCH_VIA_ALL ((1u << 6) - 1)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What LDE_BENCH_STEP OFF copies out: the window's counts, the VMM's and the kernel's. */
struct lde_bench_step {
	uint64_t ring0;   /* kernel instructions stepped (hardware: a rep string op per iteration) */
	uint64_t ring3;   /* task instructions stepped: none, on either platform */
	uint64_t entries; /* entries through a named way (hardware; 0 under kvm_pvm) */
	uint64_t ticks;   /* timer interrupts the kernel took while the window was open */
};

struct lde_bench_info {
	uint32_t platform;    /* enum lde_platform (abi/boot.h) */
	uint32_t pcid;        /* 1 when the kernel tags address spaces with PCIDs */
	uint64_t tsc_khz;     /* the TSC rate the VMM measured */
	uint32_t timer_hz;    /* the tick rate in force */
	uint32_t modes;       /* the LDE_BENCH_M_* this kernel and CPU can do here */
	uint32_t quick;       /* 1: booted with bench=quick: take fewer samples */
	uint32_t reserved;
};

/*
 * What the VMM and KVM counted since the VM started. Every read is itself one exit to the
 * VMM (the hypercall that fetches them): a task subtracts what an empty window shows.
 */
struct lde_bench_counters {
	uint64_t vmm_exits;      /* KVM_RUN returns the VMM saw */
	uint64_t kvm_exits;      /* KVM's "exits" statistic: every exit, the ones KVM serves too */
	uint64_t kvm_insn_emul;  /* KVM's "insn_emulation": instructions its emulator ran */
	uint64_t kvm_irq_inject; /* KVM's "irq_injections": interrupts it delivered */
	uint64_t kvm_irq_exits;  /* KVM's "irq_exits": exits for host interrupts, not the guest's doing */
	uint64_t kvm_valid;      /* 1 when the kvm_* fields are real (KVM_GET_STATS_FD worked) */
};
#endif

#endif
