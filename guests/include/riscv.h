/*
 * riscv.h — RISC-V supervisor-mode definitions shared by our guests: CSR access, status bits,
 * trap causes and Sv39 page-table entry bits.
 */
#ifndef GUESTS_RISCV_H
#define GUESTS_RISCV_H

#include <stdint.h>

/* Read / write / set / clear a CSR by name, e.g. csr_read(sstatus). */
#define csr_read(csr)                                                  \
	({                                                             \
		uint64_t __v;                                          \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v));        \
		__v;                                                   \
	})
#define csr_write(csr, val) \
	__asm__ volatile("csrw " #csr ", %0" ::"rK"((uint64_t)(val)) : "memory")
#define csr_set(csr, bits) \
	__asm__ volatile("csrs " #csr ", %0" ::"rK"((uint64_t)(bits)) : "memory")
#define csr_clear(csr, bits) \
	__asm__ volatile("csrc " #csr ", %0" ::"rK"((uint64_t)(bits)) : "memory")

/* sstatus */
#define SSTATUS_SIE       (1UL << 1)  /* S-mode interrupts enabled */
#define SSTATUS_SPIE      (1UL << 5)  /* SIE before the trap */
#define SSTATUS_SPP       (1UL << 8)  /* privilege before the trap: 1 = S, 0 = U */
#define SSTATUS_FS_MASK   (3UL << 13) /* floating-point unit state */
#define SSTATUS_FS_OFF    (0UL << 13)
#define SSTATUS_FS_INITIAL (1UL << 13)
#define SSTATUS_FS_CLEAN  (2UL << 13)
#define SSTATUS_FS_DIRTY  (3UL << 13)
#define SSTATUS_SUM       (1UL << 18) /* S-mode may access U-mode pages */

/* sie / sip */
#define SIE_STIE (1UL << 5) /* supervisor timer interrupt enable */
#define SIP_STIP (1UL << 5) /* supervisor timer interrupt pending */

/* scause: the top bit says "interrupt", the rest is the code. */
#define SCAUSE_INTERRUPT      (1UL << 63)
#define IRQ_S_TIMER           5
#define EXC_INST_MISALIGNED   0
#define EXC_INST_ACCESS       1
#define EXC_ILLEGAL_INST      2
#define EXC_BREAKPOINT        3
#define EXC_LOAD_MISALIGNED   4
#define EXC_LOAD_ACCESS       5
#define EXC_STORE_MISALIGNED  6
#define EXC_STORE_ACCESS      7
#define EXC_ECALL_U           8
#define EXC_ECALL_S           9
#define EXC_INST_PAGE_FAULT   12
#define EXC_LOAD_PAGE_FAULT   13
#define EXC_STORE_PAGE_FAULT  15

/* satp: MODE in bits 63:60, ASID in 59:44, root PPN in 43:0. */
#define SATP_MODE_SV39 (8UL << 60)

/* Sv39 page-table entries */
#define PAGE_SIZE  4096UL
#define PAGE_SHIFT 12
#define PTE_V (1UL << 0) /* valid */
#define PTE_R (1UL << 1) /* readable */
#define PTE_W (1UL << 2) /* writable */
#define PTE_X (1UL << 3) /* executable */
#define PTE_U (1UL << 4) /* accessible from U-mode */
#define PTE_G (1UL << 5) /* global (present in every address space) */
#define PTE_A (1UL << 6) /* accessed */
#define PTE_D (1UL << 7) /* dirty */

static inline uint64_t read_time(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static inline void wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

#endif /* GUESTS_RISCV_H */
