/*
 * main.c — kmain(), where the boot hart arrives from entry.S.
 *
 * The demo: probe the SBI implementation, read the device tree, turn on
 * Sv39 paging, start three U-mode tasks under a preemptive round-robin
 * scheduler driven by the SBI timer, and power off when they are done (or,
 * with "shell" on the kernel command line, run a console shell first).
 */
#include "console.h"
#include "fdt.h"
#include "riscv.h"
#include "sbi.h"
#include "shell.h"
#include "task.h"
#include "timer.h"
#include "trap.h"
#include "user/programs.h"
#include "vm.h"

static struct board_info board;

static const char *hsm_state_name(long state)
{
	switch (state) {
	case 0: return "started";
	case 1: return "stopped";
	case 2: return "start pending";
	case 3: return "stop pending";
	case 4: return "suspended";
	default: return "unknown";
	}
}

static void print_board(unsigned long boot_hartid, const void *dtb)
{
	kprintf("fdt: device tree at %p, %lu bytes: model \"%s\"\n",
		dtb, board.dtb_size, board.model);
	kprintf("fdt: RAM 0x%lx-0x%lx (%lu MiB), timebase %lu Hz, %u hart(s)\n",
		board.ram_base, board.ram_base + board.ram_size, board.ram_size >> 20,
		board.timebase_hz, board.hart_count);
	for (unsigned i = 0; i < board.hart_count && i < 8; i++) {
		long state = sbi_hart_get_status(board.hart_ids[i]);
		if (board.hart_ids[i] == boot_hartid)
			kprintf("hart %lu: running this kernel\n", board.hart_ids[i]);
		else if (state >= 0)
			kprintf("hart %lu: %s (left alone)\n", board.hart_ids[i],
				hsm_state_name(state));
	}
}

__attribute__((noreturn)) void kmain(unsigned long hartid, const void *dtb)
{
	/* The kernel never uses floating point: FS = Off catches any attempt. */
	csr_clear(sstatus, SSTATUS_FS_MASK | SSTATUS_SIE);
	trap_init();
	sbi_init();

	kprintf("\nrvisor demo kernel: hello from S-mode on hart %lu\n", hartid);
	sbi_print_info();

	if (fdt_parse(dtb, &board) != 0)
		kprintf("fdt: no device tree at %p; assuming QEMU virt defaults\n", dtb);
	if (board.timebase_hz < TICK_HZ) {
		kprintf("fdt: timebase %lu Hz is unusable; assuming 10 MHz\n", board.timebase_hz);
		board.timebase_hz = 10000000;
	}
	print_board(hartid, dtb);
	shell_init(&board, hartid); /* only with "shell" on the command line */

	vm_init(&board, dtb);
	timer_init(board.timebase_hz);

	task_create("counter", counter_main, 8, 0);
	task_create("primes", primes_main, 20000, 1);
	task_create("pi", pi_main, 200000, 1);
	kprintf("vm: %u page-table pages in use\n\n", vm_page_table_pages());

	scheduler_start();
}
