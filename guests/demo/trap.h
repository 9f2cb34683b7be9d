/*
 * trap.h — the trap frame: a task's registers while the kernel runs.
 * trap.S saves into it on every trap from U-mode and restores from it on
 * the way back, so its layout is shared with assembly.
 */
#ifndef DEMO_TRAP_H
#define DEMO_TRAP_H

#define FRAME_REG(n)    ((n) * 8) /* x0..x31; the x0 slot is unused */
#define FRAME_SEPC      (32 * 8)
#define FRAME_SSTATUS   (33 * 8)
#define FRAME_SIZE      (34 * 8)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* Register numbers of the ABI names used in C */
enum {
	REG_RA = 1, REG_SP = 2, REG_A0 = 10, REG_A1 = 11, REG_A2 = 12, REG_A7 = 17,
};

struct trap_frame {
	uint64_t regs[32];
	uint64_t sepc;
	uint64_t sstatus;
};

_Static_assert(offsetof(struct trap_frame, sepc) == FRAME_SEPC, "trap.S layout");
_Static_assert(offsetof(struct trap_frame, sstatus) == FRAME_SSTATUS, "trap.S layout");
_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "trap.S layout");

/* Points stvec at trap_entry. */
void trap_init(void);

/* trap.S */
void trap_entry(void);
/* Restores a frame into the registers and returns to it with sret. */
__attribute__((noreturn)) void trap_return(struct trap_frame *frame);

/* Called by trap.S: handles the trap and returns the frame to resume. */
struct trap_frame *handle_trap(struct trap_frame *frame);
/* Called by trap.S for a trap taken in S-mode: always a kernel bug. */
__attribute__((noreturn)) void handle_kernel_trap(struct trap_frame *frame);

#endif /* __ASSEMBLER__ */
#endif /* DEMO_TRAP_H */
