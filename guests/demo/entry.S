/*
 * entry.S — where the SBI firmware enters the kernel, in S-mode with the
 * MMU off, as it would enter Linux: a0 = hart id, a1 = device tree address.
 *
 * Several harts may arrive here (a firmware without HSM releases them all).
 * The first one wins a lottery and runs the kernel; any other hands itself
 * back to the firmware with SBI HSM hart_stop, or sleeps for ever.
 */
	.section .text.entry, "ax", @progbits
	.globl	_start
_start:
	la	t0, boot_lottery
	li	t1, 1
	amoswap.w t1, t1, (t0)
	bnez	t1, park_secondary_hart

	/* Clear .bss (it holds the kernel stack too, unused so far). */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, (t0)
	addi	t0, t0, 8
	j	1b
2:
	la	sp, kernel_stack_top
	mv	s0, zero		/* end of the frame-pointer chain */
	call	kmain			/* kmain(hartid, dtb) does not return */
3:	wfi
	j	3b

park_secondary_hart:
	csrw	sie, zero
	li	a7, 0x48534D		/* SBI HSM */
	li	a6, 1			/* hart_stop: returns only on failure */
	ecall
4:	wfi
	j	4b

	.section .data
	.balign	4
boot_lottery:
	.word	0

	.section .bss.stack, "aw", @nobits
	.balign	16
kernel_stack:
	.space	16384
	.globl	kernel_stack_top
kernel_stack_top:
