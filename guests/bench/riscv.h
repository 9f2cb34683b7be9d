/*
 * riscv.h — the few RISC-V supervisor-mode definitions the bench kernel
 * needs: CSR access, sstatus bits, trap causes, Sv39 page-table entries.
 */
#ifndef BENCH_RISCV_H
#define BENCH_RISCV_H

#include <stdint.h>

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
#define SSTATUS_SIE        (1UL << 1)
#define SSTATUS_SPIE       (1UL << 5)
#define SSTATUS_SPP        (1UL << 8)
#define SSTATUS_FS_MASK    (3UL << 13)
#define SSTATUS_FS_INITIAL (1UL << 13)
#define SSTATUS_SUM        (1UL << 18)

/* scause */
#define SCAUSE_INTERRUPT     (1UL << 63)
#define EXC_ILLEGAL_INST     2
#define EXC_ECALL_U          8
#define EXC_INST_PAGE_FAULT  12
#define EXC_LOAD_PAGE_FAULT  13
#define EXC_STORE_PAGE_FAULT 15

/* satp */
#define SATP_MODE_SV39 (8UL << 60)

/* Sv39 page-table entries */
#define PAGE_SIZE  4096UL
#define PAGE_SHIFT 12
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)

static inline uint64_t read_instret(void)
{
	uint64_t v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static inline void wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

#endif /* BENCH_RISCV_H */
