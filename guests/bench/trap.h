/* trap.h — the trap frame (shared with entry.S). */
#ifndef BENCH_TRAP_H
#define BENCH_TRAP_H

#define FRAME_REG(n)  ((n) * 8)
#define FRAME_SEPC    256
#define FRAME_SSTATUS 264
#define FRAME_SIZE    272

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trap_frame {
	uint64_t x[32]; /* x[0] unused */
	uint64_t sepc;
	uint64_t sstatus;
};

_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "FRAME_SIZE");

void trap_entry(void);
__attribute__((noreturn)) void trap_return(struct trap_frame *frame);
#endif

#endif /* BENCH_TRAP_H */
