/*
 * vm.h — physical pages and Sv39 virtual memory.
 *
 * Kernel address space: RAM from the kernel's load address (0x80200000) to
 * the end of RAM, identity mapped (virtual == physical), global, S-mode only,
 * with per-section permissions: text R-X, rodata R--, data/bss/free RAM RW-.
 * The user image (the tasks' code and constants, linked inside the kernel
 * image) is identity mapped too, with the U bit: text R-X U, rodata R-- U.
 *
 * Each task's address space is its own root table, sharing the kernel's
 * mappings, plus a private stack just below USER_STACK_TOP, whose pages
 * but the top one are mapped on first touch.
 */
#ifndef DEMO_VM_H
#define DEMO_VM_H

#include <stdint.h>

#include "fdt.h"

typedef uint64_t pte_t;

#define USER_STACK_TOP   0x40000000UL /* 1 GiB, far from RAM */
#define USER_STACK_PAGES 4
#define USER_STACK_SIZE  (USER_STACK_PAGES * 4096UL)

/* Kernel memory is identity mapped: a kernel pointer is its physical address. */
static inline uint64_t kernel_virt_to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Sets up the page allocator and the kernel page table, then turns paging on. */
void vm_init(const struct board_info *board, const void *dtb);

/* Zeroed 4 KiB page of physical memory; panics when memory runs out. */
void *page_alloc(void);

/*
 * Maps device registers [pa, pa + size) into the kernel's page table,
 * identity, rw- (the optional shell's UART and PLIC). Devices sit below RAM,
 * in the first GiB, where the tasks' address spaces have their own tables
 * (for their stacks): only the kernel's address space sees them, so call it
 * once the tasks are gone, before creating any new one.
 */
void vm_map_device(uint64_t pa, uint64_t size);

/* A new address space for a task: the kernel's mappings and a user stack. */
pte_t *vm_create_user_space(void);

/*
 * Demand paging of user stacks: maps a zeroed page at va if va lies in the
 * stack (below its top page, above the guard) and is unmapped. Returns 1 if
 * it mapped one, 0 if the fault is not a stack growth.
 */
int vm_grow_stack(pte_t *root, uint64_t va);

/* Switches to an address space (writes satp, flushes the TLB). */
void vm_activate(pte_t *root);
pte_t *vm_kernel_root(void);

/* Is [addr, addr + len) user memory that a task may hand to the kernel? */
int vm_user_range_ok(uint64_t addr, uint64_t len);

unsigned vm_page_table_pages(void);

#endif /* DEMO_VM_H */
