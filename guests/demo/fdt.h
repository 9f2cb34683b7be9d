/*
 * fdt.h — the few facts this kernel reads from the flattened device tree
 * that the SBI firmware hands over in a1.
 */
#ifndef DEMO_FDT_H
#define DEMO_FDT_H

#include <stdint.h>

struct board_info {
	char model[64];         /* the root node's "model" */
	uint64_t ram_base;      /* first /memory node's "reg" */
	uint64_t ram_size;
	uint64_t timebase_hz;   /* /cpus "timebase-frequency" */
	unsigned hart_count;    /* /cpus/cpu@N nodes */
	uint64_t hart_ids[8];   /* their "reg" values (the first 8) */
	uint64_t dtb_size;      /* the header's totalsize */
	char bootargs[256];     /* /chosen "bootargs": the kernel command line ("" if none) */
	/*
	 * For the optional console shell (shell.c), the one place the kernel
	 * touches devices: the first "ns16550a" node's "reg" and "interrupts",
	 * the PLIC ("riscv,plic0") node's "reg", and for each hart in hart_ids
	 * the index of its S-mode context in the PLIC's "interrupts-extended"
	 * (the pair <its cpu interrupt-controller, 9 = supervisor external>),
	 * -1 if it has none.
	 */
	uint64_t uart_base;
	uint32_t uart_irq;      /* PLIC source */
	uint64_t plic_base;
	int plic_s_context[8];
};

/*
 * Fills *info from the device tree at dtb. Returns 0 on success, or -1 when
 * dtb is not a device tree. Whatever the tree does not say keeps QEMU virt's
 * value (hw/riscv/virt.c: RAM at 0x80000000, 10 MHz timebase, UART0 at
 * 0x10000000 on PLIC source 10, PLIC at 0x0c000000 with contexts 2h (M-mode)
 * and 2h + 1 (S-mode) for hart h).
 */
int fdt_parse(const void *dtb, struct board_info *info);

#endif /* DEMO_FDT_H */
