/* guest/trapframe.h: the trap frame: what a trap saves on the kernel stack, shared by C and assembly. */
#ifndef GUEST_TRAPFRAME_H
#define GUEST_TRAPFRAME_H

/*
 * Layout, lowest address first (the kernel stack grows down, so the last push is first):
 *
 *   r15 .. rax      pushed by trap_entry (guest/vectors.S), rax first
 *   trapno          pushed by the vector stub
 *   err             pushed by the CPU for vectors with an error code, else 0 by the stub
 *   rip cs rflags rsp ss    pushed by the CPU (always in long mode, even without a ring change)
 *
 * TF_* are byte offsets from the frame's start; guest/trap.c asserts each one.
 */
#define TF_R15 0
#define TF_R14 8
#define TF_R13 16
#define TF_R12 24
#define TF_R11 32
#define TF_R10 40
#define TF_R9 48
#define TF_R8 56
#define TF_RBP 64
#define TF_RDI 72
#define TF_RSI 80
#define TF_RDX 88
#define TF_RCX 96
#define TF_RBX 104
#define TF_RAX 112
#define TF_TRAPNO 120
#define TF_ERR 128
#define TF_RIP 136
#define TF_CS 144
#define TF_RFLAGS 152
#define TF_RSP 160
#define TF_SS 168
#define TF_SIZE 176

/*
 * The frame the CPU pushes for a vector without an error code, as an entry stub finds it:
 * byte offsets from RSP before the stub pushes anything.
 */
#define IRET_RIP 0
#define IRET_CS 8
#define IRET_RFLAGS 16

/* The trapno of frames built by the SYSCALL entry (guest/syscall_entry.S): no vector's number. */
#define T_SYSCALL_INSN 256

/* Bytes of the frame above the saved registers: trapno and err, popped before IRETQ. */
#define TF_STUB_WORDS_SIZE (TF_RIP - TF_TRAPNO)

#ifdef __ASSEMBLER__
/*
 * The general registers, in struct trapframe order: rax is pushed first, r15 last.
 * (cppcheck reads this header's assembler half too, when a C file is checked for every
 * configuration, and cannot parse .macro: the suppression below says so.)
 */
/* cppcheck-suppress syntaxError */
	.macro PUSH_GPRS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	.endm

	.macro POP_GPRS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	.endm
#else
#include <stdint.h>

struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t trapno; /* vector stub */
	uint64_t err;    /* CPU, or 0 from the stub */
	uint64_t rip, cs, rflags, rsp, ss; /* CPU */
};
#endif

#endif
