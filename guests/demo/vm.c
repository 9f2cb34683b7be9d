/*
 * vm.c — a bump allocator for physical pages and Sv39 page tables.
 *
 * Sv39: 39-bit virtual addresses, three levels of 512-entry tables. A
 * virtual address splits into VPN[2] (bits 38:30), VPN[1] (29:21),
 * VPN[0] (20:12) and the page offset. A leaf can sit at any level: level 0
 * maps 4 KiB, level 1 a 2 MiB megapage, level 2 a 1 GiB gigapage.
 */
#include "vm.h"
#include "console.h"
#include "riscv.h"
#include "string.h"

#define MEGAPAGE_SIZE (2UL << 20)
#define PTES_PER_TABLE 512

/* Section boundaries from kernel.ld */
extern char __kernel_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __user_text_start[], __user_text_end[];
extern char __user_rodata_start[], __user_end[];
extern char __data_start[], __kernel_end[];

static struct {
	uint64_t next;          /* next free page */
	uint64_t end;           /* end of RAM */
	uint64_t dtb_start;     /* the device tree: never hand it out */
	uint64_t dtb_end;
	unsigned table_pages;   /* pages used for page tables */
} pages;

static pte_t *kernel_root;

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

void *page_alloc(void)
{
	uint64_t page;

	/* Skip the device tree if the firmware put it after the kernel. */
	if (pages.next < pages.dtb_end && pages.next + PAGE_SIZE > pages.dtb_start)
		pages.next = align_up(pages.dtb_end, PAGE_SIZE);
	if (pages.next + PAGE_SIZE > pages.end)
		panic("out of memory");
	page = pages.next;
	pages.next += PAGE_SIZE;
	memset((void *)page, 0, PAGE_SIZE);
	return (void *)page;
}

static pte_t *table_alloc(void)
{
	pages.table_pages++;
	return page_alloc();
}

static uint64_t vpn(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PTES_PER_TABLE - 1);
}

static uint64_t pte_to_pa(pte_t pte)
{
	return (pte >> 10) << PAGE_SHIFT;
}

static pte_t pa_to_pte(uint64_t pa)
{
	return (pa >> PAGE_SHIFT) << 10;
}

/*
 * Returns the entry for va at `level` (0 or 1), creating the tables above
 * it as needed.
 */
static pte_t *walk_create(pte_t *root, uint64_t va, int level)
{
	pte_t *table = root;

	for (int l = 2; l > level; l--) {
		pte_t *entry = &table[vpn(va, l)];
		if (!(*entry & PTE_V))
			*entry = pa_to_pte(kernel_virt_to_phys(table_alloc())) | PTE_V;
		else if (*entry & (PTE_R | PTE_W | PTE_X))
			panic("vm: 0x%lx is already mapped by a large page", va);
		table = (pte_t *)pte_to_pa(*entry);
	}
	return &table[vpn(va, level)];
}

/*
 * Maps [va, va + size) to [pa, pa + size) with permissions `perm`, using
 * 2 MiB megapages where both addresses are aligned and 4 KiB pages elsewhere.
 * Leaves are created with A (and D when writable) already set, so hardware
 * that does not update them never faults on first use.
 */
static void map_range(pte_t *root, uint64_t va, uint64_t pa, uint64_t size, uint64_t perm)
{
	uint64_t end = va + size;
	uint64_t flags = perm | PTE_V | PTE_A | ((perm & PTE_W) ? PTE_D : 0);

	while (va < end) {
		int mega = (va % MEGAPAGE_SIZE) == 0 && (pa % MEGAPAGE_SIZE) == 0 &&
			   end - va >= MEGAPAGE_SIZE;
		uint64_t step = mega ? MEGAPAGE_SIZE : PAGE_SIZE;
		pte_t *entry = walk_create(root, va, mega ? 1 : 0);

		if (*entry & PTE_V)
			panic("vm: 0x%lx mapped twice", va);
		*entry = pa_to_pte(pa) | flags;
		va += step;
		pa += step;
	}
}

static void map_identity(pte_t *root, const void *start, const void *end, uint64_t perm)
{
	uint64_t s = kernel_virt_to_phys(start);
	uint64_t e = align_up(kernel_virt_to_phys(end), PAGE_SIZE);

	if (e > s)
		map_range(root, s, s, e - s, perm);
}

void vm_activate(pte_t *root)
{
	/* No ASIDs: every switch flushes the whole TLB. */
	csr_write(satp, SATP_MODE_SV39 | (kernel_virt_to_phys(root) >> PAGE_SHIFT));
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

pte_t *vm_kernel_root(void)
{
	return kernel_root;
}

void vm_init(const struct board_info *board, const void *dtb)
{
	uint64_t ram_end = board->ram_base + board->ram_size;
	uint64_t free_start = align_up(kernel_virt_to_phys(__kernel_end), PAGE_SIZE);

	pages.next = free_start;
	pages.end = ram_end;
	pages.dtb_start = kernel_virt_to_phys(dtb);
	pages.dtb_end = pages.dtb_start + board->dtb_size;

	kernel_root = table_alloc();
	map_identity(kernel_root, __kernel_start, __text_end, PTE_R | PTE_X | PTE_G);
	map_identity(kernel_root, __rodata_start, __rodata_end, PTE_R | PTE_G);
	map_identity(kernel_root, __user_text_start, __user_text_end,
		     PTE_R | PTE_X | PTE_U | PTE_G);
	map_identity(kernel_root, __user_rodata_start, __user_end, PTE_R | PTE_U | PTE_G);
	map_identity(kernel_root, __data_start, __kernel_end, PTE_R | PTE_W | PTE_G);
	/* The rest of RAM: page tables, task stacks, the device tree. */
	map_range(kernel_root, free_start, free_start, ram_end - free_start,
		  PTE_R | PTE_W | PTE_G);

	vm_activate(kernel_root);
	kprintf("vm: Sv39 paging on, satp 0x%lx; RAM 0x%lx-0x%lx identity mapped\n",
		csr_read(satp), kernel_virt_to_phys(__kernel_start), ram_end);
	kprintf("vm: kernel text r-x 0x%lx, rodata r-- 0x%lx, user image u:r-x 0x%lx, data rw- 0x%lx\n",
		kernel_virt_to_phys(__kernel_start), kernel_virt_to_phys(__rodata_start),
		kernel_virt_to_phys(__user_text_start), kernel_virt_to_phys(__data_start));
}

void vm_map_device(uint64_t pa, uint64_t size)
{
	uint64_t flags = PTE_R | PTE_W | PTE_G | PTE_V | PTE_A | PTE_D;

	for (uint64_t page = pa & ~(PAGE_SIZE - 1); page < pa + size; page += PAGE_SIZE) {
		pte_t *entry = walk_create(kernel_root, page, 0);
		if (!(*entry & PTE_V)) /* else an earlier call mapped it */
			*entry = pa_to_pte(page) | flags;
	}
	/* New valid entries: make sure no stale "invalid" is cached. */
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

pte_t *vm_create_user_space(void)
{
	pte_t *root = table_alloc();

	/* Share the kernel's (global) mappings: copy its top-level entries. */
	for (int i = 0; i < PTES_PER_TABLE; i++)
		root[i] = kernel_root[i];
	/*
	 * A private stack: only its top page now; the others are mapped when
	 * first touched (vm_grow_stack). The page below it stays unmapped as a
	 * guard.
	 */
	map_range(root, USER_STACK_TOP - PAGE_SIZE, kernel_virt_to_phys(page_alloc()),
		  PAGE_SIZE, PTE_R | PTE_W | PTE_U);
	return root;
}

int vm_grow_stack(pte_t *root, uint64_t va)
{
	uint64_t page_va = va & ~(PAGE_SIZE - 1);
	pte_t *entry;

	if (va < USER_STACK_TOP - USER_STACK_SIZE || va >= USER_STACK_TOP)
		return 0; /* not the stack (the guard page included) */
	entry = walk_create(root, page_va, 0);
	if (*entry & PTE_V)
		return 0; /* mapped already: a real protection fault */
	map_range(root, page_va, kernel_virt_to_phys(page_alloc()), PAGE_SIZE,
		  PTE_R | PTE_W | PTE_U);
	/* The fault may be cached as "invalid" by nothing but this hart's TLB. */
	__asm__ volatile("sfence.vma %0, zero" ::"r"(page_va) : "memory");
	return 1;
}

int vm_user_range_ok(uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;
	uint64_t image_start = kernel_virt_to_phys(__user_text_start);
	uint64_t image_end = kernel_virt_to_phys(__user_end);

	if (end < addr)
		return 0; /* wraps around */
	if (addr >= USER_STACK_TOP - USER_STACK_SIZE && end <= USER_STACK_TOP)
		return 1;
	return addr >= image_start && end <= image_end;
}

unsigned vm_page_table_pages(void)
{
	return pages.table_pages;
}
