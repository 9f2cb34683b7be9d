/*
 * fpu.S — save and restore the floating-point registers of a task.
 * The caller makes sure sstatus.FS is not Off while these run.
 *
 * struct fpu_state { uint64_t f[32]; uint64_t fcsr; }
 */
	.section .text

/* void fpu_save(struct fpu_state *state) */
	.globl	fpu_save
fpu_save:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t0
	sd	t0, (32 * 8)(a0)
	ret

/* void fpu_restore(const struct fpu_state *state) */
	.globl	fpu_restore
fpu_restore:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fld	f\n, (\n * 8)(a0)
	.endr
	ld	t0, (32 * 8)(a0)
	fscsr	t0
	ret
