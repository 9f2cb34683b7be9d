/*
 * trap.S — trap entry and exit.
 *
 * While a task runs in U-mode, sscratch holds the address of its trap frame;
 * while the kernel runs, sscratch is 0. The kernel never enables interrupts
 * for itself (sstatus.SIE stays 0), so a trap taken in S-mode is always an
 * exception, i.e. a kernel bug.
 */
#include "trap.h"

	.section .text
	.globl	trap_entry
	.balign	4
trap_entry:
	csrrw	sp, sscratch, sp	/* sp = trap frame, sscratch = the task's sp */
	beqz	sp, trap_from_kernel

	/* Save the task's registers (x2 = sp comes from sscratch). */
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, FRAME_REG(\n)(sp)
	.endr
	csrr	t0, sscratch
	sd	t0, FRAME_REG(2)(sp)
	csrw	sscratch, zero		/* from now on we are the kernel */
	csrr	t0, sepc
	sd	t0, FRAME_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, FRAME_SSTATUS(sp)

	mv	a0, sp
	la	sp, kernel_stack_top	/* the kernel's one stack, empty on every trap */
	call	handle_trap		/* returns the frame to resume in a0 */
	/* fall through */

/* void trap_return(struct trap_frame *frame): resume a task. */
	.globl	trap_return
trap_return:
	mv	sp, a0
	ld	t0, FRAME_SEPC(sp)
	csrw	sepc, t0
	ld	t0, FRAME_SSTATUS(sp)	/* SPP = U, SPIE = 1, the task's FS */
	csrw	sstatus, t0
	csrw	sscratch, sp		/* where the next trap saves this task */

	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, FRAME_REG(\n)(sp)
	.endr
	ld	x2, FRAME_REG(2)(sp)	/* last: sp itself */
	sret

/*
 * A trap in S-mode. Put sp back (sscratch becomes 0 again), save the
 * registers in a frame on the kernel stack for the report, and hand over
 * to handle_kernel_trap, which reports and powers off.
 */
trap_from_kernel:
	csrrw	sp, sscratch, sp
	addi	sp, sp, -FRAME_SIZE
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, FRAME_REG(\n)(sp)
	.endr
	addi	t0, sp, FRAME_SIZE
	sd	t0, FRAME_REG(2)(sp)
	csrr	t0, sepc
	sd	t0, FRAME_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, FRAME_SSTATUS(sp)
	mv	a0, sp
	call	handle_kernel_trap	/* does not return */
1:	wfi
	j	1b
