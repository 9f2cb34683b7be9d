/*
 * kernel.c — the bench guest's kernel: console, Sv39 page tables, the trap
 * handler (system calls, demand-zero page faults) and kmain.
 *
 * It is deliberately small: the point of the guest is the user program's
 * CPU-bound workload, run the way a real kernel runs a process (U-mode,
 * paging on, system calls, page faults), under both rvisor and QEMU.
 */
#include "fmt.h"
#include "layout.h"
#include "riscv.h"
#include "sbi.h"
#include "trap.h"

#include <stdarg.h>
#include <stdint.h>

typedef uint64_t pte_t;

/* From kernel.ld */
extern char __user_text_start[], __user_text_end[];
extern char __user_rodata_start[], __user_rodata_end[];
extern char __user_data_start[], __user_end[];
extern char __user_bss_start[];
extern char __user_phys_start[], __image_end[];
extern void _ustart(void);

#define RAM_BASE       0x80000000UL
#define POOL_SIZE      (16UL << 20) /* pages for tables, heap and stack */

static struct {
	unsigned long syscalls;
	unsigned long page_faults;
	unsigned long pages;
} stats;

static struct trap_frame user_frame;
static pte_t *root;
static uint64_t pool_next, pool_end;

/* ---- console ---- */

static void kprintf(const char *f, ...) __attribute__((format(printf, 1, 2)));
static void kprintf(const char *f, ...)
{
	char line[256];
	va_list args;
	size_t n;

	va_start(args, f);
	n = vfmt(line, sizeof(line), f, args);
	va_end(args);
	sbi_console_write(line, n);
}

__attribute__((noreturn)) static void fail(const char *what, struct trap_frame *f)
{
	kprintf("bench: FATAL: %s: scause 0x%lx sepc 0x%lx stval 0x%lx\n", what,
		csr_read(scause), f ? f->sepc : csr_read(sepc), csr_read(stval));
	sbi_shutdown(1);
}

/* ---- pages and page tables ---- */

static void *page_alloc(void)
{
	uint64_t pa = pool_next;

	if (pa + PAGE_SIZE > pool_end)
		fail("out of memory", 0);
	pool_next += PAGE_SIZE;
	stats.pages++;
	memset((void *)pa, 0, PAGE_SIZE); /* RAM is identity mapped for the kernel */
	return (void *)pa;
}

static pte_t pa_to_pte(uint64_t pa)
{
	return (pa >> PAGE_SHIFT) << 10;
}

static uint64_t pte_to_pa(pte_t pte)
{
	return (pte >> 10) << PAGE_SHIFT;
}

/* The level-0 entry for va, creating the tables above it. */
static pte_t *walk(uint64_t va)
{
	pte_t *table = root;

	for (int level = 2; level > 0; level--) {
		pte_t *e = &table[(va >> (PAGE_SHIFT + 9 * level)) & 511];
		if (!(*e & PTE_V))
			*e = pa_to_pte((uint64_t)page_alloc()) | PTE_V;
		else if (*e & (PTE_R | PTE_W | PTE_X))
			fail("walk into a leaf", 0);
		table = (pte_t *)pte_to_pa(*e);
	}
	return &table[(va >> PAGE_SHIFT) & 511];
}

static void map_page(uint64_t va, uint64_t pa, uint64_t perm)
{
	pte_t *e = walk(va);

	if (*e & PTE_V)
		fail("page mapped twice", 0);
	/* A and D set up front: no hardware A/D updates needed. */
	*e = pa_to_pte(pa) | perm | PTE_V | PTE_A | PTE_D;
}

static void map_user_range(char *va_start, char *va_end, uint64_t perm)
{
	uint64_t delta = (uint64_t)__user_phys_start - USER_BASE;

	for (uint64_t va = (uint64_t)va_start; va < (uint64_t)va_end; va += PAGE_SIZE)
		map_page(va, va + delta, perm | PTE_U);
}

static void vm_init(void)
{
	pool_next = ((uint64_t)__image_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	pool_end = pool_next + POOL_SIZE;
	root = page_alloc();

	/* The kernel: all of RAM (its first GiB) identity mapped, one gigapage, S-only, global. */
	root[RAM_BASE >> 30] = pa_to_pte(RAM_BASE) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D;

	/* The user image, 4 KiB pages, with the loader's copy as backing store. */
	map_user_range(__user_text_start, __user_text_end, PTE_R | PTE_X);
	map_user_range(__user_rodata_start, __user_rodata_end, PTE_R);
	/* .bss lies in the same pages as .data: clear it (through its physical address). */
	{
		uint64_t delta = (uint64_t)__user_phys_start - USER_BASE;
		memset(__user_bss_start + delta, 0, (size_t)(__user_end - __user_bss_start));
	}
	map_user_range(__user_data_start, __user_end, PTE_R | PTE_W);

	csr_write(satp, SATP_MODE_SV39 | ((uint64_t)root >> PAGE_SHIFT));
	__asm__ volatile("sfence.vma" ::: "memory");
}

/* Demand-zero heap and stack: maps a fresh page; 0 if va is not in either. */
static int demand_zero(uint64_t va)
{
	int in_heap = va >= USER_HEAP_BASE && va < USER_HEAP_BASE + USER_HEAP_SIZE;
	int in_stack = va >= USER_STACK_TOP - USER_STACK_SIZE && va < USER_STACK_TOP;
	pte_t *e;

	if (!in_heap && !in_stack)
		return 0;
	va &= ~(PAGE_SIZE - 1);
	e = walk(va);
	if (*e & PTE_V)
		return 0; /* mapped already: a real permission fault */
	*e = pa_to_pte((uint64_t)page_alloc()) | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D;
	__asm__ volatile("sfence.vma %0" ::"r"(va) : "memory");
	stats.page_faults++;
	return 1;
}

/* ---- system calls ---- */

static long sys_write(uint64_t buf, uint64_t len)
{
	char chunk[128];

	if (buf < USER_BASE || len > USER_STACK_TOP - buf || buf + len > USER_STACK_TOP)
		return -14; /* EFAULT */
	csr_set(sstatus, SSTATUS_SUM);
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		memcpy(chunk, (const char *)(buf + done), n);
		sbi_console_write(chunk, n);
		done += n;
	}
	csr_clear(sstatus, SSTATUS_SUM);
	return (long)len;
}

__attribute__((noreturn)) static void sys_exit(long code)
{
	kprintf("bench: user program exited with code %ld: %lu syscalls, %lu page faults, %lu pages\n",
		code, stats.syscalls, stats.page_faults, stats.pages);
	sbi_shutdown(code != 0);
}

struct trap_frame *handle_trap(struct trap_frame *f)
{
	uint64_t cause = csr_read(scause);

	if (cause == EXC_ECALL_U) {
		f->sepc += 4;
		stats.syscalls++;
		switch (f->x[17]) {
		case SYS_WRITE:
			f->x[10] = (uint64_t)sys_write(f->x[10], f->x[11]);
			break;
		case SYS_EXIT:
			sys_exit((long)f->x[10]);
		default:
			f->x[10] = (uint64_t)-38; /* ENOSYS */
			break;
		}
		return f;
	}
	if ((cause == EXC_LOAD_PAGE_FAULT || cause == EXC_STORE_PAGE_FAULT) && demand_zero(csr_read(stval)))
		return f;
	fail("unexpected trap from the user program", f);
}

void handle_kernel_trap(struct trap_frame *f)
{
	fail("trap in the kernel", f);
}

/* ---- boot ---- */

void kmain(unsigned long hartid, unsigned long dtb)
{
	(void)dtb;
	sbi_init();
	kprintf("bench: rvisor benchmark guest on hart %lu, console: %s\n", hartid,
		sbi_has_dbcn() ? "SBI DBCN" : "legacy SBI putchar");
	csr_write(stvec, (uint64_t)trap_entry);
	csr_write(sscratch, 0);
	vm_init();
	kprintf("bench: Sv39 on (satp 0x%lx), user image at 0x%lx (text %lu KiB), heap 0x%lx, stack top 0x%lx\n",
		csr_read(satp), USER_BASE, (unsigned long)(__user_text_end - __user_text_start) >> 10,
		USER_HEAP_BASE, USER_STACK_TOP);

	/* U-mode may read cycle, time and instret. */
	csr_write(scounteren, 7);
	user_frame.sepc = (uint64_t)_ustart;
	user_frame.x[2] = USER_STACK_TOP;
	user_frame.sstatus = (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM | SSTATUS_FS_MASK))
			     | SSTATUS_SPIE | SSTATUS_FS_INITIAL;
	trap_return(&user_frame);
}
