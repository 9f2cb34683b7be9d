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
};

/*
 * Fills *info from the device tree at dtb. Returns 0 on success, or -1 when
 * dtb is not a device tree (info then holds QEMU virt's defaults).
 */
int fdt_parse(const void *dtb, struct board_info *info);

#endif /* DEMO_FDT_H */
