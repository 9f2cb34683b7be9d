/*
 * layout.h — the user program's virtual address space and the system
 * calls, shared by the kernel and the user program.
 *
 *   0x40000000  the user image: text r-x, rodata r--, data+bss rw- (4 KiB pages,
 *               backed by the pages the ELF loader filled; kernel.ld links it here)
 *   0x40800000  the heap: 4 MiB, demand-zero (a page fault maps a fresh zeroed page)
 *   0x7ff00000  the stack: 1 MiB below 0x80000000, demand-zero
 */
#ifndef BENCH_LAYOUT_H
#define BENCH_LAYOUT_H

#define USER_BASE       0x40000000UL
#define USER_HEAP_BASE  0x40800000UL
#define USER_HEAP_SIZE  (4UL << 20)
#define USER_STACK_TOP  0x80000000UL
#define USER_STACK_SIZE (1UL << 20)

/* System calls: number in a7, arguments in a0.., result in a0. */
#define SYS_WRITE 1 /* write(buf, len) -> len or -14 (bad address) */
#define SYS_EXIT  2 /* exit(code): does not return */

#endif /* BENCH_LAYOUT_H */
