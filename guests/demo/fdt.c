/*
 * fdt.c — a minimal flattened-device-tree (DTB) reader. A DTB is a header,
 * a structure block of big-endian 32-bit tokens (BEGIN_NODE name, PROP len
 * nameoff value, END_NODE, END) and a strings block holding property names.
 * We walk the structure block once and pick out what the kernel needs.
 */
#include "fdt.h"

#include <stddef.h>

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

#define MAX_DEPTH 8

struct fdt_header {
	uint32_t magic;
	uint32_t totalsize;
	uint32_t off_dt_struct;
	uint32_t off_dt_strings;
	uint32_t off_mem_rsvmap;
	uint32_t version;
	uint32_t last_comp_version;
	uint32_t boot_cpuid_phys;
	uint32_t size_dt_strings;
	uint32_t size_dt_struct;
};

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Reads a number of `cells` 32-bit cells (1 or 2) as one value. */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

static int str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Does a node name match `base`, either exactly or as "base@unit-address"? */
static int node_is(const char *name, const char *base)
{
	while (*base != '\0' && *name == *base) {
		name++;
		base++;
	}
	return *base == '\0' && (*name == '\0' || *name == '@');
}

static void copy_string(char *dst, size_t size, const char *src, uint32_t len)
{
	size_t n = 0;
	for (; n + 1 < size && n < len && src[n] != '\0'; n++)
		dst[n] = src[n];
	dst[n] = '\0';
}

static void set_defaults(struct board_info *info)
{
	copy_string(info->model, sizeof(info->model), "unknown", 8);
	info->ram_base = 0x80000000UL;
	info->ram_size = 128UL << 20;
	info->timebase_hz = 10000000; /* QEMU virt's and rvisor's: 10 MHz */
	info->hart_count = 1;
	info->hart_ids[0] = 0;
	info->dtb_size = 0;
	info->bootargs[0] = '\0';
	info->uart_base = 0x10000000UL; /* QEMU virt: VIRT_UART0, UART0_IRQ */
	info->uart_irq = 10;
	info->plic_base = 0x0c000000UL; /* QEMU virt: VIRT_PLIC */
	for (unsigned i = 0; i < 8; i++)
		info->plic_s_context[i] = 2 * i + 1;
}

struct prop {
	const uint8_t *value;
	uint32_t len;
};

/* A node being walked: what its children and the checks at its end need. */
struct node {
	const char *name;
	uint32_t address_cells; /* for its children's "reg" */
	uint32_t size_cells;
	/* kept until the node ends: properties come in any order */
	struct prop compatible, reg, interrupts, interrupts_extended;
};

/* Does a "compatible" string list contain `want`? */
static int is_compatible(const struct prop *compatible, const char *want)
{
	const char *s = (const char *)compatible->value;
	uint32_t at = 0;

	while (at < compatible->len) {
		if (str_eq(s + at, want))
			return 1;
		while (at < compatible->len && s[at] != '\0')
			at++;
		at++;
	}
	return 0;
}

/* At the end of a node: is it the console UART or the PLIC? */
static void node_done(const struct node *node, const struct node *parent,
		      struct board_info *info, int *found_uart, struct prop *plic_targets)
{
	uint32_t cells = parent->address_cells;

	if (node->reg.len < 4 * cells)
		return;
	if (!*found_uart && is_compatible(&node->compatible, "ns16550a") &&
	    node->interrupts.len >= 4) {
		info->uart_base = read_cells(node->reg.value, cells);
		info->uart_irq = be32(node->interrupts.value);
		*found_uart = 1;
	} else if (plic_targets->value == NULL &&
		   is_compatible(&node->compatible, "riscv,plic0") &&
		   node->interrupts_extended.len > 0) {
		info->plic_base = read_cells(node->reg.value, cells);
		*plic_targets = node->interrupts_extended;
	}
}

int fdt_parse(const void *dtb, struct board_info *info)
{
	const struct fdt_header *hdr = dtb;
	const uint8_t *p, *strings;
	struct node nodes[MAX_DEPTH]; /* from the root down to the current node */
	int depth = -1;
	int found_memory = 0, found_uart = 0;
	unsigned harts = 0;
	uint32_t intc_phandle[8] = { 0 }; /* each hart's cpu interrupt controller */
	struct prop plic_targets = { NULL, 0 }; /* the PLIC's interrupts-extended */

	set_defaults(info);
	if (dtb == NULL || be32(&hdr->magic) != FDT_MAGIC)
		return -1;
	info->dtb_size = be32(&hdr->totalsize);
	p = (const uint8_t *)dtb + be32(&hdr->off_dt_struct);
	strings = (const uint8_t *)dtb + be32(&hdr->off_dt_strings);

	for (;;) {
		uint32_t token = be32(p);
		p += 4;

		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			size_t len = 0;
			while (name[len] != '\0')
				len++;
			p += (len + 1 + 3) & ~3UL; /* name and NUL, padded to 4 bytes */
			depth++;
			if (depth < MAX_DEPTH) {
				/* #address-cells and #size-cells default to 2 and 1 */
				nodes[depth] = (struct node){ .name = name, .address_cells = 2,
							      .size_cells = 1 };
			}
			/* A cpu node directly under /cpus: one more hart. */
			if (depth == 2 && node_is(nodes[1].name, "cpus") && node_is(name, "cpu"))
				harts++;
		} else if (token == FDT_END_NODE) {
			if (depth >= 1 && depth < MAX_DEPTH)
				node_done(&nodes[depth], &nodes[depth - 1], info, &found_uart,
					  &plic_targets);
			depth--;
		} else if (token == FDT_PROP) {
			uint32_t len = be32(p);
			const char *prop = (const char *)strings + be32(p + 4);
			const uint8_t *value = p + 8;
			struct node *node;
			p += 8 + ((len + 3) & ~3U);

			if (depth < 0 || depth >= MAX_DEPTH)
				continue;
			node = &nodes[depth];
			if (str_eq(prop, "#address-cells")) {
				node->address_cells = be32(value);
			} else if (str_eq(prop, "#size-cells")) {
				node->size_cells = be32(value);
			} else if (str_eq(prop, "compatible")) {
				node->compatible = (struct prop){ value, len };
			} else if (str_eq(prop, "reg")) {
				node->reg = (struct prop){ value, len };
			} else if (str_eq(prop, "interrupts")) {
				node->interrupts = (struct prop){ value, len };
			} else if (str_eq(prop, "interrupts-extended")) {
				node->interrupts_extended = (struct prop){ value, len };
			}

			if (depth == 0 && str_eq(prop, "model")) {
				copy_string(info->model, sizeof(info->model),
					    (const char *)value, len);
			} else if (depth == 1 && node_is(node->name, "memory") &&
				   str_eq(prop, "reg") && !found_memory &&
				   len >= 4 * (nodes[0].address_cells + nodes[0].size_cells)) {
				info->ram_base = read_cells(value, nodes[0].address_cells);
				info->ram_size = read_cells(value + 4 * nodes[0].address_cells,
							    nodes[0].size_cells);
				found_memory = 1;
			} else if (depth == 1 && node_is(node->name, "chosen") &&
				   str_eq(prop, "bootargs")) {
				copy_string(info->bootargs, sizeof(info->bootargs),
					    (const char *)value, len);
			} else if (depth == 1 && node_is(node->name, "cpus") &&
				   str_eq(prop, "timebase-frequency")) {
				info->timebase_hz = read_cells(value, len >= 8 ? 2 : 1);
			} else if (depth == 2 && node_is(nodes[1].name, "cpus") &&
				   node_is(node->name, "cpu") && str_eq(prop, "reg") &&
				   harts > 0 && harts <= 8) {
				/* /cpus has #address-cells = 1: the reg is the hart id */
				info->hart_ids[harts - 1] = read_cells(value, len >= 8 ? 2 : 1);
			} else if (depth == 3 && node_is(nodes[1].name, "cpus") &&
				   node_is(nodes[2].name, "cpu") &&
				   node_is(node->name, "interrupt-controller") &&
				   str_eq(prop, "phandle") && harts > 0 && harts <= 8) {
				intc_phandle[harts - 1] = be32(value);
			}
		} else if (token == FDT_NOP) {
			continue;
		} else {
			break; /* FDT_END, or something we do not understand */
		}
	}
	if (harts > 0)
		info->hart_count = harts;
	/*
	 * PLIC contexts are numbered in the order of its interrupts-extended
	 * pairs <interrupt controller, cause>; a hart's S-mode context is the
	 * pair naming its cpu interrupt controller with cause 9.
	 */
	if (plic_targets.value != NULL) {
		for (unsigned i = 0; i < 8; i++) {
			info->plic_s_context[i] = -1;
			for (uint32_t ctx = 0; 8 * ctx + 8 <= plic_targets.len; ctx++) {
				if (i < harts && intc_phandle[i] != 0 &&
				    be32(plic_targets.value + 8 * ctx) == intc_phandle[i] &&
				    be32(plic_targets.value + 8 * ctx + 4) == 9) {
					info->plic_s_context[i] = (int)ctx;
					break;
				}
			}
		}
	}
	return 0;
}
