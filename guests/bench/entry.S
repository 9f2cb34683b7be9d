/*
 * entry.S — boot and traps.
 *
 * _start: where the SBI implementation enters the kernel (S-mode, MMU off,
 * a0 = hart id, a1 = device tree). The first hart runs the benchmark; any
 * other parks itself with SBI HSM hart_stop, or in wfi.
 *
 * trap_entry: the one trap vector (direct mode). While the user program
 * runs, sscratch holds its trap frame; while the kernel runs it is 0, so a
 * trap taken in S-mode (a kernel bug) is told apart.
 */
#include "trap.h"

	.section .text.entry, "ax", @progbits
	.globl	_start
_start:
	la	t0, boot_lottery
	li	t1, 1
	amoswap.w t1, t1, (t0)
	bnez	t1, park

	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, (t0)
	addi	t0, t0, 8
	j	1b
2:	la	sp, kernel_stack_top
	call	kmain			/* does not return */
3:	wfi
	j	3b

park:	csrw	sie, zero
	li	a7, 0x48534D		/* HSM */
	li	a6, 1			/* hart_stop */
	ecall
4:	wfi
	j	4b

	.section .text
	.globl	trap_entry
	.balign	4
trap_entry:
	csrrw	sp, sscratch, sp	/* sp = frame, sscratch = user sp */
	beqz	sp, from_kernel
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, FRAME_REG(\n)(sp)
	.endr
	csrr	t0, sscratch
	sd	t0, FRAME_REG(2)(sp)
	csrw	sscratch, zero
	csrr	t0, sepc
	sd	t0, FRAME_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, FRAME_SSTATUS(sp)
	mv	a0, sp
	la	sp, kernel_stack_top
	call	handle_trap		/* returns the frame in a0 */

	.globl	trap_return
trap_return:
	mv	sp, a0
	ld	t0, FRAME_SEPC(sp)
	csrw	sepc, t0
	ld	t0, FRAME_SSTATUS(sp)
	csrw	sstatus, t0
	csrw	sscratch, sp
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, FRAME_REG(\n)(sp)
	.endr
	ld	x2, FRAME_REG(2)(sp)
	sret

from_kernel:
	csrrw	sp, sscratch, sp	/* back to the kernel's sp; sscratch = 0 */
	addi	sp, sp, -FRAME_SIZE
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, FRAME_REG(\n)(sp)
	.endr
	csrr	t0, sepc
	sd	t0, FRAME_SEPC(sp)
	mv	a0, sp
	call	handle_kernel_trap	/* does not return */
5:	wfi
	j	5b

	.section .data
	.balign	4
boot_lottery:
	.word	0

	.section .bss.stack, "aw", @nobits
	.balign	16
	.space	16384
	.globl	kernel_stack_top
kernel_stack_top:
