/* start.S — the user program's entry: the kernel enters here in U-mode, sp at the stack top. */
	.section .text
	.globl	_ustart
_ustart:
	mv	fp, zero
	call	umain
	call	sys_exit
1:	j	1b
